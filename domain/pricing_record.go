package domain

import (
	"cmp"
	"slices"
)

// The quote as carecost.estimate.priced and .decided record it (schema 2):
// the in-memory Quote split in two, the figures anyone may read in "quote"
// and the household's figures, and those computed from them, in the
// payload's "personal" part.

// pricingPersonal is the personal part of a pricing event.
type pricingPersonal struct {
	HomeCare *homeCarePersonal `json:"home_care,omitempty"`
	Housing  *housingPersonal  `json:"housing,omitempty"`
	Hints    []hintPersonal    `json:"hints,omitempty"`
	Tiers    []tierPersonal    `json:"tiers,omitempty"`
}

// tierPersonal is the part of the TierPick of the line at Index of the
// quote's lines that tells the household's size: the income limits, for
// that size, around the tier picked. The tier's index and the number of
// tiers stay with the line: the entry and the line's fee per unit tell
// them already.
type tierPersonal struct {
	Index int    `json:"index"`
	Above *Money `json:"above,omitempty"`
	UpTo  *Money `json:"up_to,omitempty"`
}

// homeCarePersonal is the part of HomeCareDetail that tells the household's
// size or income: the income limit and the percentage depend on the size.
type homeCarePersonal struct {
	HouseholdSize int     `json:"household_size"`
	GrossIncome   Money   `json:"gross_income"`
	IncomeLimit   Money   `json:"income_limit"`
	IncomeAbove   Money   `json:"income_above_limit"`
	Percent       Percent `json:"percent"`
	FeeBeforeCap  Money   `json:"fee_before_cap"`
}

// housingPersonal is the part of HousingDetail that tells the incomes and
// deductions: the rate says whether the spouse earns less.
type housingPersonal struct {
	NetIncome            Money   `json:"net_income"`
	Deductions           Money   `json:"deductions"`
	Base                 Money   `json:"base"`
	SpouseInLongTermCare bool    `json:"spouse_in_long_term_care,omitempty"`
	SpouseNetIncome      *Money  `json:"spouse_net_income,omitempty"`
	SpouseDeductions     *Money  `json:"spouse_deductions,omitempty"`
	SpouseRule           bool    `json:"spouse_rule"`
	SpouseBase           *Money  `json:"spouse_base,omitempty"`
	CombinedIncome       *Money  `json:"combined_income,omitempty"`
	Rate                 Percent `json:"rate"`
	ByRate               Money   `json:"by_rate"`
	FeeBeforeCap         Money   `json:"fee_before_cap"`
}

// hintPersonal is the personal figure of the hint at Index of the quote's
// hints, and its message when that is not the one its code gives.
type hintPersonal struct {
	Index   int    `json:"index"`
	Value   string `json:"value,omitempty"`
	Message string `json:"message,omitempty"`
}

// quoteRecord is the quote without its personal figures. Its home_care,
// housing and hints hide those of the embedded Quote (encoding/json takes
// the least nested field of a name); the rest of Quote is written as it is.
type quoteRecord struct {
	Quote
	HomeCare *homeCareRecord `json:"home_care,omitempty"`
	Housing  *housingRecord  `json:"housing,omitempty"`
	Hints    []hintRecord    `json:"hints,omitempty"`
}

type homeCareRecord struct {
	Hours      int    `json:"hours"`
	HoursExact string `json:"hours_exact"`
	// Band depends on the hours and the table only, both in the record.
	Band        *HoursBand `json:"band,omitempty"`
	Cap         Money      `json:"cap"`
	CountyGross Money      `json:"county_gross"`
	Fee         Money      `json:"fee"`
}

type housingRecord struct {
	Kayttovara  Money `json:"kayttovara"`
	Cap         Money `json:"cap"`
	CountyGross Money `json:"county_gross"`
	Fee         Money `json:"fee"`
}

type hintRecord struct {
	LineID    string `json:"line_id"`
	Service   string `json:"service"`
	Code      string `json:"code"`
	Threshold string `json:"threshold"`
	Value     string `json:"value,omitempty"`
}

// splitQuote returns the parts of q a pricing event records outside and
// inside its personal part.
func splitQuote(q Quote) (quoteRecord, pricingPersonal) {
	r, p := quoteRecord{Quote: q}, pricingPersonal{}
	if d := q.HomeCare; d != nil {
		r.HomeCare = &homeCareRecord{Hours: d.Hours, HoursExact: d.HoursExact, Band: d.Band, Cap: d.Cap, CountyGross: d.CountyGross, Fee: d.Fee}
		p.HomeCare = &homeCarePersonal{HouseholdSize: d.HouseholdSize, GrossIncome: d.GrossIncome, IncomeLimit: d.IncomeLimit,
			IncomeAbove: d.IncomeAbove, Percent: d.Percent, FeeBeforeCap: d.FeeBeforeCap}
	}
	if d := q.Housing; d != nil {
		r.Housing = &housingRecord{Kayttovara: d.Kayttovara, Cap: d.Cap, CountyGross: d.CountyGross, Fee: d.Fee}
		p.Housing = &housingPersonal{NetIncome: d.NetIncome, Deductions: d.Deductions, Base: d.Base,
			SpouseInLongTermCare: d.SpouseInLongTermCare, SpouseNetIncome: d.SpouseNetIncome, SpouseDeductions: d.SpouseDeductions,
			SpouseRule: d.SpouseRule, SpouseBase: d.SpouseBase, CombinedIncome: d.CombinedIncome, Rate: d.Rate, ByRate: d.ByRate,
			FeeBeforeCap: d.FeeBeforeCap}
	}
	r.Lines, p.Tiers = splitTiers(q.Lines)
	for i, h := range q.Hints {
		hr := hintRecord{LineID: h.LineID, Service: h.Service, Code: h.Code, Threshold: h.Threshold}
		hp := hintPersonal{Index: i}
		if h.personalValue() {
			hp.Value = h.Value
		} else {
			hr.Value = h.Value
		}
		if h.Message != hintMessage(h.Code, h.Threshold, h.Value) {
			hp.Message = h.Message
		}
		if hp.Value != "" || hp.Message != "" {
			p.Hints = append(p.Hints, hp)
		}
		r.Hints = append(r.Hints, hr)
	}
	return r, p
}

// join returns the quote whole again. Without its personal part (none
// recorded, or erased) the personal figures are zero.
func (r quoteRecord) join(p pricingPersonal) Quote {
	q := r.Quote
	q.HomeCare, q.Housing, q.Hints = nil, nil, nil
	if d := r.HomeCare; d != nil {
		q.HomeCare = &HomeCareDetail{Hours: d.Hours, HoursExact: d.HoursExact, Band: d.Band, Cap: d.Cap, CountyGross: d.CountyGross, Fee: d.Fee}
		if s := p.HomeCare; s != nil {
			h := q.HomeCare
			h.HouseholdSize, h.GrossIncome, h.IncomeLimit, h.IncomeAbove, h.Percent, h.FeeBeforeCap =
				s.HouseholdSize, s.GrossIncome, s.IncomeLimit, s.IncomeAbove, s.Percent, s.FeeBeforeCap
		}
	}
	if d := r.Housing; d != nil {
		q.Housing = &HousingDetail{Kayttovara: d.Kayttovara, Cap: d.Cap, CountyGross: d.CountyGross, Fee: d.Fee}
		if s := p.Housing; s != nil {
			h := q.Housing
			h.NetIncome, h.Deductions, h.Base, h.SpouseRule, h.SpouseBase, h.Rate, h.ByRate, h.FeeBeforeCap =
				s.NetIncome, s.Deductions, s.Base, s.SpouseRule, s.SpouseBase, s.Rate, s.ByRate, s.FeeBeforeCap
			h.SpouseInLongTermCare, h.SpouseNetIncome, h.SpouseDeductions, h.CombinedIncome =
				s.SpouseInLongTermCare, s.SpouseNetIncome, s.SpouseDeductions, s.CombinedIncome
		}
	}
	q.Lines = joinTiers(q.Lines, p.Tiers)
	for _, hr := range r.Hints {
		q.Hints = append(q.Hints, Hint{LineID: hr.LineID, Service: hr.Service, Code: hr.Code, Threshold: hr.Threshold, Value: hr.Value})
	}
	for _, hp := range p.Hints {
		if hp.Index >= 0 && hp.Index < len(q.Hints) {
			h := &q.Hints[hp.Index]
			h.Value, h.Message = cmp.Or(hp.Value, h.Value), hp.Message
		}
	}
	for i := range q.Hints {
		if h := &q.Hints[i]; h.Message == "" {
			h.Message = hintMessage(h.Code, h.Threshold, h.Value)
		}
	}
	return q
}

// splitTiers returns the lines without the income limits of their tiers,
// and those limits apart. Lines without them are returned as they are.
func splitTiers(lines []LineResult) ([]LineResult, []tierPersonal) {
	var out []LineResult
	var ps []tierPersonal
	for i, l := range lines {
		t := l.Tier
		if t == nil || (t.Above == nil && t.UpTo == nil) {
			continue
		}
		if out == nil {
			out = slices.Clone(lines)
		}
		ps = append(ps, tierPersonal{Index: i, Above: t.Above, UpTo: t.UpTo})
		out[i].Tier = &TierPick{Index: t.Index, Of: t.Of}
	}
	if out == nil {
		return lines, nil
	}
	return out, ps
}

// joinTiers gives the lines' tiers their income limits again (on a copy of
// the lines that carry any).
func joinTiers(lines []LineResult, ps []tierPersonal) []LineResult {
	if len(ps) == 0 {
		return lines
	}
	lines = slices.Clone(lines)
	for _, p := range ps {
		if p.Index < 0 || p.Index >= len(lines) || lines[p.Index].Tier == nil {
			continue
		}
		t := *lines[p.Index].Tier
		t.Above, t.UpTo = p.Above, p.UpTo
		lines[p.Index].Tier = &t
	}
	return lines
}
