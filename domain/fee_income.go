package domain

import (
	"cmp"
	"math/big"
	"slices"
)

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

// groupCost returns the production cost of a group of lines (AML 2 §): the
// exact units of every line times its unit cost, summed as exact fractions
// and rounded once; and the sum of the lines' rounded county gross costs.
// The two can differ by a cent or so of rounding either way.
func groupCost(group []*pricedLine) (exact, lines Money) {
	sum := new(big.Rat)
	for _, pl := range group {
		sum.Add(sum, mul(pl.units, pl.res.UnitCost.Rat()))
		lines += pl.res.CountyGross
	}
	return RoundCents(sum), lines
}

// capFee caps a fee computed by an income rule at the production cost and
// at the lines' rounded costs: the fee is shared out to the lines by their
// costs, and no line may carry more fee than its own county gross cost.
func capFee(fee, cost, lines Money) Money { return min(fee, cost, lines) }

// priceHomeCare computes the home-care fee once over every home_care_income
// line (AML 10 e §): their hours are added up and rounded half up to whole
// hours; (gross household income - income limit) x percentage(hours,
// household size), never below 0, rounded to the cent, capped at the
// production cost of those hours; then shared out to the lines by their cost.
// Some home care given in under half an hour a month (0 hours after
// rounding) takes the percentage of the lowest row ("4 hours or less") like
// any total under 4 hours; the cost cap keeps the fee within what it costs.
func priceHomeCare(q *Quote, lines []*pricedLine, h Household, iv *IncomeVersion) error {
	group := linesWith(lines, RuleHomeCareIncome)
	if len(group) == 0 {
		return nil
	}
	hours := new(big.Rat)
	for _, pl := range group {
		hours.Add(hours, pl.units)
	}
	cost, linesCost := groupCost(group)
	t := iv.Table
	d := &HomeCareDetail{Hours: int(roundHalfAway(hours)), HoursExact: formatRat(hours, 3), HouseholdSize: h.Size,
		GrossIncome: h.Gross(), IncomeLimit: t.IncomeLimit(h.Size), Cap: cost, CountyGross: linesCost}
	band := t.Band(d.Hours)
	d.Band = &band
	d.IncomeAbove = max(0, d.GrossIncome-d.IncomeLimit)
	d.Percent = t.Percentage(d.Hours, h.Size)
	d.FeeBeforeCap = RoundCents(mul(d.IncomeAbove.Rat(), d.Percent.Rat()))
	d.Fee = capFee(d.FeeBeforeCap, cost, linesCost)
	q.HomeCare = d
	shareOut(group, d.Fee, d.Fee < d.FeeBeforeCap)
	return nil
}

// priceHousing computes the 24h service-housing fee once over every
// housing_net_income line (AML 7 c §): 85 % of the client's net income after
// deductions; or, when the client lived with a spouse and the client's net
// income before the deductions is higher than the spouse's, 42.5 % of the
// spouses' combined net income after both spouses' deductions; never leaving
// the client less than the käyttövara; capped at the production cost; shared
// out to the lines by their cost.
func priceHousing(q *Quote, lines []*pricedLine, h Household, iv *IncomeVersion) error {
	group := linesWith(lines, RuleHousingNet)
	if len(group) == 0 {
		return nil
	}
	cost, linesCost := groupCost(group)
	t := iv.Table
	own, spouseRate := t.housingRates()
	d := &HousingDetail{NetIncome: h.Net(), Deductions: sumDeductions(h.Deductions), Kayttovara: deref(t.Kayttovara),
		Cap: cost, CountyGross: linesCost, Rate: own}
	d.Base = max(0, d.NetIncome-d.Deductions)
	income := d.Base
	if s := h.Spouse; s != nil {
		d.SpouseInLongTermCare = s.InLongTermCare
		if !s.InLongTermCare {
			sn, sd := deref(s.NetIncome), sumDeductions(s.Deductions)
			sb := sn - sd
			d.SpouseNetIncome, d.SpouseDeductions, d.SpouseBase = &sn, &sd, &sb
			// The incomes are compared as counted, before the deductions.
			if d.NetIncome > sn {
				combined := max(0, d.NetIncome+sn-d.Deductions-sd)
				d.SpouseRule, d.Rate, d.CombinedIncome, income = true, spouseRate, &combined, combined
			}
		}
	}
	d.ByRate = RoundCents(mul(income.Rat(), d.Rate.Rat()))
	d.FeeBeforeCap = max(0, min(d.ByRate, d.Base-d.Kayttovara))
	d.Fee = capFee(d.FeeBeforeCap, cost, linesCost)
	q.Housing = d
	shareOut(group, d.Fee, d.Fee < d.FeeBeforeCap)
	return nil
}

// shareOut divides fee over the lines in proportion to their county gross
// cost, by the largest-remainder method: each line gets its exact share
// rounded down to the cent, and the cents left go one each to the lines with
// the largest remainders (the earlier line first on a tie). The shares add up
// to the fee, and since the fee never exceeds the lines' total cost, no
// line's share exceeds its own cost. Without any cost (every line free of
// charge to the county) the fee is zero too.
func shareOut(group []*pricedLine, fee Money, capped bool) {
	var total Money
	for _, pl := range group {
		total += pl.res.CountyGross
	}
	type part struct {
		i   int
		rem int64
	}
	parts := make([]part, len(group))
	rest := fee
	for i, pl := range group {
		share, rem := Money(0), int64(0)
		if total > 0 {
			n := new(big.Int).Mul(big.NewInt(int64(fee)), big.NewInt(int64(pl.res.CountyGross)))
			q, r := new(big.Int).QuoRem(n, big.NewInt(int64(total)), new(big.Int))
			share, rem = Money(q.Int64()), r.Int64()
		}
		parts[i] = part{i, rem}
		rest -= share
		pl.res.ClientFee, pl.res.Capped = share, capped
	}
	slices.SortStableFunc(parts, func(a, b part) int { return cmp.Compare(b.rem, a.rem) })
	for k := 0; rest > 0 && k < len(parts); k++ {
		group[parts[k].i].res.ClientFee++
		rest--
	}
}

// ceiling sums, per year, the fees of lines whose entries accrue the annual
// payment ceiling, and compares them with the ceiling. Income-based fees and
// voucher co-payments never accrue it (DOMAIN.md A.3, B 3), whatever an
// entry recorded before that was refused says.
func ceiling(lines []*pricedLine, iv *IncomeVersion) *CeilingDetail {
	if iv == nil || iv.Table.AnnualCeiling == nil {
		return nil
	}
	d := &CeilingDetail{AnnualCeiling: *iv.Table.AnnualCeiling}
	counted := false
	for _, pl := range lines {
		if !pl.res.Entry.CountsTowardCeiling || !pl.res.Rule.mayCountTowardCeiling() {
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
