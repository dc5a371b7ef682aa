package domain

import "math/big"

// linesWith returns the lines priced by rule r.
func linesWith(lines []*pricedLine, r Rule) []*pricedLine {
	var out []*pricedLine
	for _, pl := range lines {
		if pl.res.Rule == r {
			out = append(out, pl)
		}
	}
	return out
}

// priceHomeCare computes the home-care fee once over every home_care_income
// line (AML 10 e §): their hours are added up and rounded half up to whole
// hours; (gross household income - income limit) x percentage(hours,
// household size), never below 0, rounded to the cent, capped at the
// production cost of those hours; then shared out to the lines by hours.
func priceHomeCare(q *Quote, lines []*pricedLine, h Household, iv *IncomeVersion) error {
	group := linesWith(lines, RuleHomeCareIncome)
	if len(group) == 0 {
		return nil
	}
	hours, weights, cap := new(big.Rat), make([]*big.Rat, len(group)), Money(0)
	for i, pl := range group {
		hours.Add(hours, pl.units)
		weights[i] = pl.units
		cap += pl.res.CountyGross
	}
	t := iv.Table
	d := &HomeCareDetail{Hours: int(roundHalfAway(hours)), HoursExact: formatRat(hours, 3), HouseholdSize: h.Size,
		GrossIncome: h.GrossIncome, IncomeLimit: t.IncomeLimit(h.Size), Cap: cap}
	d.IncomeAbove = max(0, d.GrossIncome-d.IncomeLimit)
	d.Percent = t.Percentage(d.Hours, h.Size)
	if d.Hours > 0 {
		d.FeeBeforeCap = RoundCents(mul(d.IncomeAbove.Rat(), d.Percent.Rat()))
	}
	d.Fee = min(d.FeeBeforeCap, cap)
	q.HomeCare = d
	shareOut(group, d.Fee, weights, d.Fee < d.FeeBeforeCap)
	return nil
}

// priceHousing computes the 24h service-housing fee once over every
// housing_net_income line (AML 7 c §): 85 % of the client's net income after
// deductions, or, when the client lived with a spouse who earns less, 42.5 %
// of the spouses' combined net income after deductions; never leaving the
// client less than the käyttövara; capped at the production cost; shared out
// to the lines by units.
func priceHousing(q *Quote, lines []*pricedLine, h Household, iv *IncomeVersion) error {
	group := linesWith(lines, RuleHousingNet)
	if len(group) == 0 {
		return nil
	}
	weights, cap := make([]*big.Rat, len(group)), Money(0)
	for i, pl := range group {
		weights[i] = pl.units
		cap += pl.res.CountyGross
	}
	t := iv.Table
	d := &HousingDetail{NetIncome: h.NetIncome, Deductions: sumDeductions(h.Deductions), Kayttovara: t.Kayttovara, Cap: cap, Rate: t.HousingRate}
	d.Base = max(0, d.NetIncome-d.Deductions)
	income := d.Base
	if s := h.Spouse; s != nil && !s.InLongTermCare {
		sb := max(0, s.NetIncome-sumDeductions(s.Deductions))
		d.SpouseBase = &sb
		if d.Base > sb {
			d.SpouseRule, d.Rate, income = true, t.HousingSpouseRate, d.Base+sb
		}
	}
	d.ByRate = RoundCents(mul(income.Rat(), d.Rate.Rat()))
	d.FeeBeforeCap = max(0, min(d.ByRate, d.Base-d.Kayttovara))
	d.Fee = min(d.FeeBeforeCap, cap)
	q.Housing = d
	shareOut(group, d.Fee, weights, d.Fee < d.FeeBeforeCap)
	return nil
}

// shareOut divides fee over the lines in proportion to weights, each share
// rounded to the cent; the last line takes the remainder so the lines add up
// to the fee.
func shareOut(group []*pricedLine, fee Money, weights []*big.Rat, capped bool) {
	total := new(big.Rat)
	for _, w := range weights {
		total.Add(total, w)
	}
	rest := fee
	for i, pl := range group {
		share := Money(0)
		switch {
		case i == len(group)-1:
			share = rest
		case total.Sign() > 0:
			share = RoundCents(mul(fee.Rat(), new(big.Rat).Quo(weights[i], total)))
		}
		rest -= share
		pl.res.ClientFee, pl.res.Capped = share, capped
	}
}

// ceiling sums, per year, the fees of lines whose entries accrue the annual
// payment ceiling, and compares them with the ceiling.
func ceiling(lines []*pricedLine, iv *IncomeVersion) *CeilingDetail {
	if iv == nil || iv.Table.AnnualCeiling == 0 {
		return nil
	}
	d := &CeilingDetail{AnnualCeiling: iv.Table.AnnualCeiling}
	counted := false
	for _, pl := range lines {
		if !pl.res.Entry.CountsTowardCeiling {
			continue
		}
		counted = true
		if pl.res.Frequency == OneOff {
			d.PerYear += pl.res.ClientFee
		} else {
			d.PerYear += 12 * pl.res.ClientFee
		}
	}
	if !counted {
		return nil
	}
	d.Reached = d.PerYear >= d.AnnualCeiling
	return d
}
