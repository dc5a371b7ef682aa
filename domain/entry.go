package domain

import "slices"

// Rule is a client fee rule (DOMAIN.md A.3); each tariff entry has one.
type Rule string

// The client fee rules.
const (
	RuleFree           Rule = "free"               // no fee
	RuleFlat           Rule = "flat"               // units x fee per unit
	RuleIncomeTiered   Rule = "income_tiered"      // a fee per unit picked by gross income
	RuleHomeCareIncome Rule = "home_care_income"   // AML 10 e §: income above the limit x percentage(hours)
	RuleHousingNet     Rule = "housing_net_income" // AML 7 c §: 85 % (42.5 %) of net income, käyttövara kept
	RuleVoucher        Rule = "voucher"            // client pays provider price - voucher value
)

// Rules lists every fee rule.
var Rules = []Rule{RuleFree, RuleFlat, RuleIncomeTiered, RuleHomeCareIncome, RuleHousingNet, RuleVoucher}

// incomeBased reports whether r needs an income-limit catalogue.
func (r Rule) incomeBased() bool { return r == RuleHomeCareIncome || r == RuleHousingNet }

// mayCountTowardCeiling reports whether fees by r may accrue the annual
// payment ceiling: income-based fees and voucher co-payments never do
// (AML 6 a §, DOMAIN.md B 3).
func (r Rule) mayCountTowardCeiling() bool { return !r.incomeBased() && r != RuleVoucher }

// Tier is one step of an income_tiered rule: the fee per unit for gross
// monthly incomes up to MaxIncome (by household size 1, 2, ...; the last
// value serves larger households). The last tier has no MaxIncome.
type Tier struct {
	MaxIncome []Money `json:"max_income,omitempty"`
	Fee       Money   `json:"fee" carecost:"required"`
}

// Entry is one line of a tariff version: the county's unit cost of a service
// in a production mode (production cost, purchase price or voucher value) and
// the client fee rule with its parameters.
type Entry struct {
	Service  string `json:"service"`
	Mode     Mode   `json:"mode"`
	UnitCost Money  `json:"unit_cost" carecost:"required"`
	Rule     Rule   `json:"rule" carecost:"required"`
	// Fee is the fee per unit of a flat rule.
	Fee *Money `json:"fee,omitempty"`
	// Tiers are the steps of an income_tiered rule.
	Tiers []Tier `json:"tiers,omitempty"`
	// ProviderPrice is the usual provider price per unit for a voucher; an
	// estimate line may give its own.
	ProviderPrice *Money `json:"provider_price,omitempty"`
	// CountsTowardCeiling marks fees that accrue the annual payment ceiling
	// (maksukatto), such as short-term institutional care. Refused on an
	// income-based (home_care_income, housing_net_income) or voucher entry.
	CountsTowardCeiling bool `json:"counts_toward_ceiling,omitempty"`
}

// Key returns the entry's (service, mode) key.
func (e Entry) Key() EntryKey { return EntryKey{e.Service, e.Mode} }

// EntryKey identifies an entry within a tariff version.
type EntryKey struct {
	Service string
	Mode    Mode
}

// Validate checks the entry against the service it prices; errors name the
// field. svc is nil when the service is not in the catalogue.
func (e Entry) Validate(svc *Service) error {
	if err := ValidSlug("service", e.Service); err != nil {
		return err
	}
	if svc == nil {
		return Invalidf("service", "service %q is not in the catalogue", e.Service)
	}
	if !slices.Contains(Modes, e.Mode) {
		return Invalidf("mode", "%q is not a production mode; use one of %v", e.Mode, Modes)
	}
	if !svc.Allows(e.Mode) {
		return Invalidf("mode", "service %q is not delivered as %q (allowed: %v)", e.Service, e.Mode, svc.Modes)
	}
	if err := checkAmount("unit_cost", e.UnitCost, MaxPrice); err != nil {
		return err
	}
	if !slices.Contains(Rules, e.Rule) {
		return Invalidf("rule", "%q is not a fee rule; use one of %v", e.Rule, Rules)
	}
	if (e.Rule == RuleVoucher) != (e.Mode == ModeVoucher) {
		return Invalidf("rule", "the voucher rule goes with the voucher mode, and only with it")
	}
	if e.Rule == RuleHomeCareIncome && svc.Unit != UnitHour {
		return Invalidf("rule", "home_care_income counts hours, but %q is priced per %s", e.Service, svc.Unit)
	}
	return e.validateParams()
}

func (e Entry) validateParams() error {
	if e.CountsTowardCeiling && !e.Rule.mayCountTowardCeiling() {
		what := "an income-based fee"
		if e.Rule == RuleVoucher {
			what = "a voucher co-payment"
		}
		return Invalidf("counts_toward_ceiling", "%s (rule %s) never accrues the annual payment ceiling; leave counts_toward_ceiling out or false", what, e.Rule)
	}
	if e.Fee != nil && e.Rule != RuleFlat {
		return Invalidf("fee", "only the flat rule takes a fee per unit")
	}
	if len(e.Tiers) > 0 && e.Rule != RuleIncomeTiered {
		return Invalidf("tiers", "only the income_tiered rule takes tiers")
	}
	if e.ProviderPrice != nil && e.Rule != RuleVoucher {
		return Invalidf("provider_price", "a provider price belongs to a voucher entry")
	}
	if e.ProviderPrice != nil {
		if err := checkAmount("provider_price", *e.ProviderPrice, MaxPrice); err != nil {
			return err
		}
	}
	switch e.Rule {
	case RuleFlat:
		if e.Fee == nil {
			return Invalidf("fee", "the flat rule needs a fee per unit")
		}
		return checkAmount("fee", *e.Fee, MaxPrice)
	case RuleIncomeTiered:
		return validateTiers(e.Tiers)
	}
	return nil
}

func validateTiers(tiers []Tier) error {
	if len(tiers) == 0 {
		return Invalidf("tiers", "the income_tiered rule needs at least one tier")
	}
	for i, t := range tiers {
		f := fieldIndex("tiers", i)
		if err := checkAmount(f+".fee", t.Fee, MaxPrice); err != nil {
			return err
		}
		last := i == len(tiers)-1
		if last != (len(t.MaxIncome) == 0) {
			return Invalidf(f+".max_income", "every tier but the last needs income limits; the last has none")
		}
		for j, m := range t.MaxIncome {
			if err := checkAmount(fieldIndex(f+".max_income", j), m, MaxIncome); err != nil {
				return err
			}
			if i > 0 && len(tiers[i-1].MaxIncome) > 0 && m <= tierLimit(tiers[i-1], j+1) {
				return Invalidf(fieldIndex(f+".max_income", j), "limits must grow from tier to tier")
			}
		}
	}
	return nil
}

// tierLimit returns the tier's income limit for a household of size n.
func tierLimit(t Tier, n int) Money {
	return t.MaxIncome[min(n, len(t.MaxIncome))-1]
}
