package admin

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The what-if of a decision: its page asks (a GET form) for a tariff
// version, an income-limit catalogue version and a pricing date, and
// shows the decision re-priced with them beside its decided figures, per
// line and in total. The same domain question as the API's what-if
// (Commands.WhatIf); nothing is stored.

// whatIfParams are the decision page's what-if query parameters.
var whatIfParams = []param{
	{name: "tariff_version", typ: "string", desc: "re-price under this version of the decision's tariff (empty: the version decided; in_effect: the version in effect on the pricing date)"},
	{name: "income_version", typ: "string", desc: "re-price under this version of the decision's income-limit catalogue (empty: the version decided; in_effect: the one in effect on the pricing date)"},
	dateParam("pricing_date", "re-price on this pricing date (empty: the decision's)"),
}

// whatIfInEffect is the select's value for the version in effect on the
// pricing date.
const whatIfInEffect = "in_effect"

// whatIfView is the what-if form of a decision's page and, when asked,
// its answer.
type whatIfView struct {
	Tariff, Income, Date formField
	HasIncome            bool
	// Asked: the form was sent; Answered: the answer is below.
	Asked, Answered bool
	// ShowCopay: a voucher co-payment is not zero somewhere.
	ShowCopay bool
	// TariffVersion and IncomeVersion are the versions re-priced with,
	// PricingDate the date.
	TariffVersion, IncomeVersion int
	PricingDate                  string
	Lines                        []whatIfRow
	Totals                       []whatIfRow
	Changed                      bool
	// TotalsHead and LinesHead are the tables' headings.
	TotalsHead, LinesHead whatIfHead
}

// whatIfHead is the heading of a what-if table.
type whatIfHead struct {
	L *Lang
	// Label names the first column; Unit: the table has the unit costs.
	Label           string
	Unit, ShowCopay bool
}

// whatIfRow is a line or a total: each figure decided, re-priced and the
// change.
type whatIfRow struct {
	ID                            string
	Unit, ShowCopay               bool
	Label, Note                   string
	UnitCostBefore, UnitCostAfter string
	Fee, Copay, Gross, Net        changeText
}

// whatIfFields maps the domain's fields to the form's.
var whatIfFields = map[string]string{
	"tariff_version": "whatif-tariff_version", "income_version": "whatif-income_version", "pricing_date": "whatif-pricing_date",
	"service": "whatif-tariff_version", "mode": "whatif-tariff_version", "frequency": "whatif-tariff_version",
	"provider_price": "whatif-tariff_version", "lines": "whatif-tariff_version",
	"income_catalogue": "whatif-income_version", "gross_income": "whatif-income_version", "net_income": "whatif-income_version",
	"size": "whatif-income_version",
}

// whatIfLabels are the catalogue keys of the form's fields, for the error
// summary.
var whatIfLabels = map[string]string{
	"whatif-tariff_version": "whatif.tariff_version", "whatif-income_version": "whatif.income_version",
	"whatif-pricing_date": "whatif.pricing_date",
}

// fillWhatIf puts the what-if form on a decision's page and, when the
// request asks, the answer; it returns the page's status (422 when a
// field is at fault).
func (s *Server) fillWhatIf(c *fiber.Ctx, l *Lang, p *auditDecisionPage, rec projections.DecisionRecord) (int, error) {
	ctx := c.UserContext()
	args := c.Context().QueryArgs()
	w := &whatIfView{HasIncome: rec.IncomeCatalogueID != ""}
	w.Asked = args.Has("tariff_version") || args.Has("income_version") || args.Has("pricing_date")
	tIn, iIn := strings.Clone(c.Query("tariff_version")), strings.Clone(c.Query("income_version"))
	dIn := strings.Clone(c.Query("pricing_date"))
	if !w.Asked {
		dIn = rec.PricingDate.String()
	}
	f := newErrors()
	q := domain.WhatIf{}
	q.TariffVersion = whatIfVersion(l, f, "whatif-tariff_version", tIn, rec.TariffVersion)
	if w.HasIncome {
		q.IncomeVersion = whatIfVersion(l, f, "whatif-income_version", iIn, rec.IncomeVersion)
	} else if iIn != "" {
		f.add("whatif-income_version", l.T("whatif.error.no_income"))
	}
	q.PricingDate = dateInput(l, f, "whatif-pricing_date", dIn, false, s.planDates())

	t, err := s.reads.Tariff(ctx, rec.TariffID)
	if err != nil {
		return 0, err
	}
	tOpts := []option{{Value: "", Label: l.T("whatif.as_decided", "n", rec.TariffVersion)}, {Value: whatIfInEffect, Label: l.T("whatif.in_effect")}}
	for _, v := range t.Versions {
		tOpts = append(tOpts, whatIfOption(l, v.VersionInfo)...)
	}
	w.Tariff = fieldOf(l, f, "select", "whatif-tariff_version", "tariff_version", "whatif.tariff_version", tIn).with(tOpts)
	if w.HasIncome {
		ic, err := s.reads.IncomeCatalogue(ctx, rec.IncomeCatalogueID)
		if err != nil {
			return 0, err
		}
		iOpts := []option{{Value: "", Label: l.T("whatif.as_decided", "n", rec.IncomeVersion)}, {Value: whatIfInEffect, Label: l.T("whatif.in_effect")}}
		for _, v := range ic.Versions {
			iOpts = append(iOpts, whatIfOption(l, v.VersionInfo)...)
		}
		w.Income = fieldOf(l, f, "select", "whatif-income_version", "income_version", "whatif.income_version", iIn).with(iOpts)
	}
	w.Date = fieldOf(l, f, "date", "whatif-pricing_date", "pricing_date", "whatif.pricing_date", dIn)
	p.WhatIf = w
	status := fiber.StatusOK
	if w.Asked && f.ok() {
		r, err := s.commands.WhatIf(ctx, actorOf(c), rec.EstimateID, q)
		switch {
		case err == nil:
			w.Answered = true
			s.usage.WhatIf()
			s.whatIfAnswer(c, l, w, r)
		case domain.ErrorCode(err) == domain.EInvalid:
			field := domain.ErrorField(err)
			if i := strings.LastIndex(field, "."); i >= 0 {
				field = field[i+1:]
			}
			to, ok := whatIfFields[field]
			if !ok {
				to = "whatif-tariff_version"
			}
			f.add(to, l.T("whatif.error."+strings.TrimPrefix(to, "whatif-")))
		default:
			return 0, err
		}
	}
	if !f.ok() {
		status = fiber.StatusUnprocessableEntity
		w.Tariff.Error, w.Date.Error = f.Of("whatif-tariff_version"), f.Of("whatif-pricing_date")
		if w.HasIncome {
			w.Income.Error = f.Of("whatif-income_version")
		}
		for _, e := range f.summary() {
			if k, ok := whatIfLabels[e.Field]; ok {
				e.Message = l.T(k) + ": " + e.Message
			}
			p.Problems = append(p.Problems, e)
		}
	}
	return status, nil
}

// whatIfVersion reads a version select: "" is the version decided,
// in_effect the one in effect on the pricing date (0), else a version
// number.
func whatIfVersion(l *Lang, f *formErrors, field, v string, decided int) int {
	switch v {
	case "":
		return decided
	case whatIfInEffect:
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		f.add(field, l.T("whatif.error.version"))
		return 0
	}
	return n
}

// whatIfOption is a version of the select (none for a withdrawn one):
// "Version 2, valid from 1.1.2026 (published)".
func whatIfOption(l *Lang, v domain.VersionInfo) []option {
	if v.Status == domain.StatusWithdrawn {
		return nil
	}
	status := l.T("catalogue.status." + string(v.Status))
	label := l.T("whatif.version", "n", v.Number, "status", status)
	if !v.ValidFrom.IsZero() {
		label = l.T("whatif.version_from", "n", v.Number, "date", l.Date(v.ValidFrom), "status", status)
	}
	if v.Corrects != 0 {
		label += " " + l.T("whatif.corrects", "n", v.Corrects)
	}
	return []option{{Value: strconv.Itoa(v.Number), Label: label}}
}

// whatIfAnswer writes the answer in l.
func (s *Server) whatIfAnswer(c *fiber.Ctx, l *Lang, w *whatIfView, r domain.WhatIfResult) {
	services := s.auditServices(c.UserContext())
	w.TariffVersion, w.PricingDate = r.After.Tariff.Version, l.Date(r.After.PricingDate)
	if r.After.IncomeCatalogue != nil {
		w.IncomeVersion = r.After.IncomeCatalogue.Version
	}
	w.Changed = r.Compare.Changed()
	copay := func(ch domain.Change) bool { return ch.Before.VoucherCopay != 0 || ch.After.VoucherCopay != 0 }
	row := func(label string, ch domain.Change) whatIfRow {
		m := func(pick func(domain.Totals) domain.Money) changeText {
			return changeText{Before: l.Money(pick(ch.Before)), After: l.Money(pick(ch.After)), Change: signedMoney(l, pick(ch.Change))}
		}
		return whatIfRow{Label: label,
			Fee:   m(func(t domain.Totals) domain.Money { return t.ClientFee }),
			Copay: m(func(t domain.Totals) domain.Money { return t.VoucherCopay }),
			Gross: m(func(t domain.Totals) domain.Money { return t.CountyGross }),
			Net:   m(func(t domain.Totals) domain.Money { return t.CountyNet })}
	}
	for i, ln := range r.Compare.Lines {
		w.ShowCopay = w.ShowCopay || copay(ln.Change)
		rw := row(auditServiceName(l, services[ln.Service], ln.Service), ln.Change)
		rw.Note = auditKey(l, "audit.mode.", string(ln.Mode))
		if ln.Frequency == domain.OneOff {
			rw.Note += ", " + l.T("audit.line.one_off")
		}
		rw.UnitCostBefore, rw.UnitCostAfter = l.Money(ln.UnitCostBefore), l.Money(ln.UnitCostAfter)
		rw.ID, rw.Unit = "whatif-line-"+strconv.Itoa(i), true
		w.Lines = append(w.Lines, rw)
	}
	for _, t := range []struct {
		key string
		ch  domain.Change
		id  string
	}{{"audit.totals.monthly", r.Compare.Monthly, "monthly"}, {"audit.totals.one_off", r.Compare.OneOff, "one-off"},
		{"audit.totals.yearly", r.Compare.Yearly, "yearly"}} {
		w.ShowCopay = w.ShowCopay || copay(t.ch)
		rw := row(l.T(t.key), t.ch)
		rw.ID = "whatif-total-" + t.id
		w.Totals = append(w.Totals, rw)
	}
	for i := range w.Lines {
		w.Lines[i].ShowCopay = w.ShowCopay
	}
	for i := range w.Totals {
		w.Totals[i].ShowCopay = w.ShowCopay
	}
	w.TotalsHead = whatIfHead{L: l, Label: l.T("audit.totals.period"), ShowCopay: w.ShowCopay}
	w.LinesHead = whatIfHead{L: l, Label: l.T("audit.line.mode"), Unit: true, ShowCopay: w.ShowCopay}
}
