package admin

import (
	"slices"
	"strconv"
	"strings"

	"carecost/domain"
)

// explainFees explains the home-care and housing fees of a quote in words
// a client understands: what income counted, the limit, the percentage,
// the result (docs/fee-rules.md).
func explainFees(l *Lang, q *domain.Quote) []explainBlock {
	var out []explainBlock
	if h := q.HomeCare; h != nil {
		b := explainBlock{ID: "explain-home-care", Title: l.T("estimates.explain.home_care.title")}
		b.Lines = append(b.Lines, l.T("estimates.explain.home_care.basis"),
			l.T("estimates.explain.home_care.income", "income", l.Money(h.GrossIncome), "size", h.HouseholdSize, "limit", l.Money(h.IncomeLimit)))
		if h.IncomeAbove <= 0 {
			b.Lines = append(b.Lines, l.T("estimates.explain.home_care.below_limit"))
		} else {
			b.Lines = append(b.Lines, l.T("estimates.explain.home_care.above", "above", l.Money(h.IncomeAbove)),
				hoursText(l, h),
				l.T("estimates.explain.home_care.percent", "percent", l.Percent(int64(h.Percent)), "above", l.Money(h.IncomeAbove), "fee", l.Money(h.FeeBeforeCap)))
		}
		if h.Fee < h.FeeBeforeCap {
			b.Lines = append(b.Lines, l.T("estimates.explain.capped", "cap", l.Money(min(h.Cap, h.CountyGross))))
		}
		b.Lines = append(b.Lines, l.T("estimates.explain.home_care.result", "fee", l.Money(h.Fee)))
		out = append(out, b)
	}
	if h := q.Housing; h != nil {
		b := explainBlock{ID: "explain-housing", Title: l.T("estimates.explain.housing.title")}
		b.Lines = append(b.Lines, l.T("estimates.explain.housing.basis"),
			l.T("estimates.explain.housing.income", "net", l.Money(h.NetIncome), "deductions", l.Money(h.Deductions), "base", l.Money(h.Base)))
		switch {
		case h.SpouseInLongTermCare:
			b.Lines = append(b.Lines, l.T("estimates.explain.housing.both_in_care"))
		case h.SpouseRule && h.CombinedIncome != nil && h.SpouseNetIncome != nil:
			b.Lines = append(b.Lines, l.T("estimates.explain.housing.spouse_rule", "spouse", l.Money(*h.SpouseNetIncome),
				"spouse_deductions", l.Money(deref(h.SpouseDeductions)), "combined", l.Money(*h.CombinedIncome)))
		case h.SpouseNetIncome != nil:
			b.Lines = append(b.Lines, l.T("estimates.explain.housing.spouse_lower", "spouse", l.Money(*h.SpouseNetIncome)))
		}
		counted := h.Base
		if h.SpouseRule && h.CombinedIncome != nil {
			counted = *h.CombinedIncome
		}
		b.Lines = append(b.Lines, l.T("estimates.explain.housing.rate", "rate", l.Percent(int64(h.Rate)), "income", l.Money(counted), "fee", l.Money(h.ByRate)))
		if h.FeeBeforeCap < h.ByRate {
			b.Lines = append(b.Lines, l.T("estimates.explain.housing.kayttovara_cut", "kayttovara", l.Money(h.Kayttovara), "fee", l.Money(h.FeeBeforeCap)))
		} else {
			b.Lines = append(b.Lines, l.T("estimates.explain.housing.kayttovara_kept", "kayttovara", l.Money(h.Kayttovara)))
		}
		if h.Fee < h.FeeBeforeCap {
			b.Lines = append(b.Lines, l.T("estimates.explain.capped", "cap", l.Money(min(h.Cap, h.CountyGross))))
		}
		b.Lines = append(b.Lines, l.T("estimates.explain.housing.result", "fee", l.Money(h.Fee)))
		out = append(out, b)
	}
	if c := q.Ceiling; c != nil {
		b := explainBlock{ID: "explain-ceiling", Title: l.T("estimates.explain.ceiling.title")}
		b.Lines = append(b.Lines, l.T("estimates.explain.ceiling.sum", "year", l.Money(c.PerYear), "ceiling", l.Money(c.AnnualCeiling)))
		if c.Reached {
			b.Lines = append(b.Lines, l.T("estimates.explain.ceiling.reached"))
		}
		out = append(out, b)
	}
	return out
}

// hoursText says the hours of home care a month, and when they were
// rounded, how many exactly.
func hoursText(l *Lang, h *domain.HomeCareDetail) string {
	exact := decimalText(l, h.HoursExact)
	if exact == strconv.Itoa(h.Hours) {
		return l.T("estimates.explain.home_care.hours_whole", "hours", h.Hours)
	}
	return l.T("estimates.explain.home_care.hours", "hours", h.Hours, "exact", exact)
}

// decimalText writes a decimal such as "21.667" in the language's way,
// without trailing zeros.
func decimalText(l *Lang, v string) string {
	if strings.Contains(v, ".") {
		v = strings.TrimSuffix(strings.TrimRight(v, "0"), ".")
	}
	return strings.Replace(v, ".", l.T("format.decimal"), 1)
}

// feeBasis says, per line, how the fees that are not income-based are
// set: a flat fee per unit, by income tier, a voucher's co-payment, free.
func feeBasis(l *Lang, q *domain.Quote, cat *catalogueNow) []string {
	var out []string
	for _, lr := range q.Lines {
		name := lr.Service
		if svc, ok := cat.services[lr.Service]; ok {
			name = serviceName(l, svc.Names)
		}
		per := l.T("estimates.per." + string(lr.Unit))
		fee := l.Money(deref(lr.FeePerUnit))
		var s string
		switch lr.Rule {
		case domain.RuleFree:
			s = l.T("estimates.basis.free", "service", name)
		case domain.RuleFlat:
			s = l.T("estimates.basis.flat", "service", name, "fee", fee, "per", per)
		case domain.RuleIncomeTiered:
			s = l.T("estimates.basis.tiered", "service", name, "fee", fee, "per", per)
		case domain.RuleVoucher:
			s = l.T("estimates.basis.voucher", "service", name, "fee", l.Money(deref(lr.VoucherCopayPerUnit)), "per", per, "value", l.Money(lr.UnitCost))
		default:
			continue // explained above
		}
		if lr.Capped {
			s += " " + l.T("estimates.note.capped")
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
		if m := monthText(l, lr); m != "" {
			out = append(out, m)
		}
	}
	return out
}

// monthText says a line's fee a month as the quote reckons it: the
// quantity, the units a month, the fee a unit, the fee ("7 ateriaa
// viikossa = 30,333 ateriaa kuukaudessa × 5,25 € = 159,25 € kuukaudessa");
// for a voucher line, its co-payment to the provider the same way. Every
// figure is the quote's; "" for a line without a fee a unit, a one-off
// line and a fee cut to the cost.
func monthText(l *Lang, lr domain.LineResult) string {
	perUnit, amountOf := lr.FeePerUnit, lr.ClientFee
	switch lr.Rule {
	case domain.RuleFlat, domain.RuleIncomeTiered:
	case domain.RuleVoucher:
		perUnit, amountOf = lr.VoucherCopayPerUnit, lr.VoucherCopay
	default:
		return ""
	}
	if perUnit == nil || lr.Frequency == domain.OneOff || lr.Capped || lr.UnitsPerMonth == "" {
		return ""
	}
	amount, fee, total := amountText(l, lr.Quantity, lr.Unit, lr.Frequency), l.Money(*perUnit), l.Money(amountOf)
	if lr.Frequency == domain.PerMonth {
		return l.T("builder.basis.month_same", "amount", amount, "fee", fee, "total", total)
	}
	return l.T("builder.basis.month", "amount", amount, "units", decimalText(l, lr.UnitsPerMonth),
		"unit", l.T("estimates.unit."+string(lr.Unit)), "fee", fee, "total", total)
}

// chartView is the bar chart of client fee and county cost by service, a
// month of the recurring lines, with the same figures as a table.
type chartView struct {
	Width, Height int
	LabelWidth    int
	Bars          []chartBar
	// OneOffLeftOut: one-off lines are not in the chart.
	OneOffLeftOut bool
}

// chartBar is one service's pair of bars.
type chartBar struct {
	Name                     string
	LabelY                   int
	ClientY, CountyY         int
	ClientW, CountyW         int
	ClientX2, CountyX2       int
	ClientTextY, CountyTextY int
	ClientText, CountyTxt    string
}

// Chart geometry, in SVG units.
const (
	chartLabelWidth = 220
	chartBarArea    = 330
	chartBarHeight  = 14
	chartGroup      = 46
)

// chartOf builds the chart of a quote (nil without recurring lines).
func chartOf(l *Lang, q *domain.Quote, cat *catalogueNow) *chartView {
	type sums struct {
		id             string
		client, county domain.Money
	}
	var order []*sums
	byID := map[string]*sums{}
	ch := &chartView{LabelWidth: chartLabelWidth}
	for _, lr := range q.Lines {
		if lr.Frequency == domain.OneOff {
			ch.OneOffLeftOut = true
			continue
		}
		s := byID[lr.Service]
		if s == nil {
			s = &sums{id: lr.Service}
			byID[lr.Service] = s
			order = append(order, s)
		}
		s.client += lr.ClientFee
		s.county += lr.CountyNet
	}
	if len(order) == 0 {
		return nil
	}
	var top domain.Money = 1
	for _, s := range order {
		top = max(top, s.client, s.county)
	}
	scale := func(m domain.Money) int {
		if m <= 0 {
			return 0
		}
		return max(1, int(int64(m)*chartBarArea/int64(top)))
	}
	for i, s := range order {
		name := s.id
		if svc, ok := cat.services[s.id]; ok {
			name = serviceName(l, svc.Names)
		}
		y := 8 + i*chartGroup
		b := chartBar{Name: name, LabelY: y + chartBarHeight + 4, ClientY: y, CountyY: y + chartBarHeight + 4,
			ClientW: scale(s.client), CountyW: scale(s.county), ClientText: l.Money(s.client), CountyTxt: l.Money(s.county)}
		b.ClientTextY, b.CountyTextY = b.ClientY+11, b.CountyY+11
		b.ClientX2 = chartLabelWidth + b.ClientW + 6
		b.CountyX2 = chartLabelWidth + b.CountyW + 6
		ch.Bars = append(ch.Bars, b)
	}
	ch.Width = chartLabelWidth + chartBarArea + 110
	ch.Height = 8 + len(order)*chartGroup
	return ch
}
