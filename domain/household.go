package domain

import "slices"

// Deduction is an amount deducted from monthly net income before the housing
// fee (AML 10 c-10 d §): housing costs, medicines, a guardian's fee, paid
// maintenance, syytinki, enforcement, other.
type Deduction struct {
	Kind   string `json:"kind" carecost:"required"`
	Amount Money  `json:"amount" carecost:"required"`
}

// DeductionKinds lists the deduction kinds.
var DeductionKinds = []string{"housing", "medicines", "guardianship", "maintenance", "syytinki", "enforcement", "other"}

// Spouse holds the spouse's figures for the housing rule of AML 7 c §.
type Spouse struct {
	NetIncome  *Money      `json:"net_income,omitempty"`
	Deductions []Deduction `json:"deductions,omitempty"`
	// InLongTermCare: both spouses are in long-term care, so each pays 85 %
	// of their own income and the spouse rule does not apply.
	InLongTermCare bool `json:"in_long_term_care,omitempty"`
}

// Household is the personal economic data of an estimate: household size,
// the household's gross monthly income (client and spouse, for home care and
// income-tiered fees), the client's net monthly income and deductions (for
// 24h housing), and the spouse's when the client lived with one. An income
// left out is unknown, not zero: a fee that depends on it is refused.
type Household struct {
	Size        int         `json:"size" carecost:"required"`
	GrossIncome *Money      `json:"gross_income,omitempty"`
	NetIncome   *Money      `json:"net_income,omitempty"`
	Deductions  []Deduction `json:"deductions,omitempty"`
	Spouse      *Spouse     `json:"spouse,omitempty"`
}

// maxDeductions bounds the deductions of one person.
const maxDeductions = 50

// MaxHouseholdSize bounds the household size.
const MaxHouseholdSize = 20

// Validate checks the household figures; errors name the field.
func (h Household) Validate() error {
	if h.Size == 0 {
		return Invalidf("size", "give the household size, 1 to %d people (0 or leaving it out is no size)", MaxHouseholdSize)
	}
	if h.Size < 1 || h.Size > MaxHouseholdSize {
		return Invalidf("size", "a household has 1 to %d people, got %d", MaxHouseholdSize, h.Size)
	}
	if h.GrossIncome != nil {
		if err := checkAmount("gross_income", *h.GrossIncome, MaxIncome); err != nil {
			return err
		}
	}
	if h.NetIncome != nil {
		if err := checkAmount("net_income", *h.NetIncome, MaxIncome); err != nil {
			return err
		}
	}
	if err := validateDeductions("deductions", h.Deductions); err != nil {
		return err
	}
	if h.Spouse != nil {
		if h.Size < 2 {
			return Invalidf("spouse", "a household with a spouse has at least 2 people")
		}
		if h.Spouse.NetIncome != nil {
			if err := checkAmount("spouse.net_income", *h.Spouse.NetIncome, MaxIncome); err != nil {
				return err
			}
		}
		return validateDeductions("spouse.deductions", h.Spouse.Deductions)
	}
	return nil
}

func validateDeductions(field string, ds []Deduction) error {
	if len(ds) > maxDeductions {
		return Invalidf(field, "at most %d deductions", maxDeductions)
	}
	for i, d := range ds {
		f := fieldIndex(field, i)
		if !slices.Contains(DeductionKinds, d.Kind) {
			return Invalidf(f+".kind", "%q is not a deduction kind; use one of %v", d.Kind, DeductionKinds)
		}
		if err := checkAmount(f+".amount", d.Amount, MaxIncome); err != nil {
			return err
		}
	}
	return nil
}

func sumDeductions(ds []Deduction) Money {
	var s Money
	for _, d := range ds {
		s += d.Amount
	}
	return s
}

// Gross returns the household's gross monthly income, zero when unknown.
func (h Household) Gross() Money { return deref(h.GrossIncome) }

// Net returns the client's net monthly income, zero when unknown.
func (h Household) Net() Money { return deref(h.NetIncome) }

func deref(m *Money) Money {
	if m == nil {
		return 0
	}
	return *m
}
