package admin

import (
	"context"
	"encoding/json"
	"math/big"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// auditDecisionPage is a decision: what it was computed with, its totals,
// its revisions, its history and the corrections that touched it.
type auditDecisionPage struct {
	consoleBase
	ID, Number, DecisionDate, EffectiveFrom, PricingDate, ClientRef string
	Maple                                                           int
	Segment, DecidedBy, DecidedAt, Presented, NotPresentedReason    string
	InForce                                                         bool
	Tariff                                                          auditVersionRef
	Income                                                          *auditVersionRef
	WeeksPerMonth, DaysPerMonth                                     string
	Lines                                                           []auditLine
	Totals                                                          auditTotalsTable
	HomeCare, Housing, Ceiling                                      []auditFact
	Touches                                                         []auditTouch
	Chain                                                           []auditLink
	History                                                         []auditEvent
	CSV                                                             string
	// Warning lists the versions in effect on the effective-from date
	// (WarningFrom) when they are not those of the pricing date (empty: no
	// warning).
	Warning     []string
	WarningFrom string
	// PresentedTotals are the totals presented to the client (none when
	// not recorded); TotalsChanged says the decided totals differ from
	// them.
	PresentedTotals *auditTotalsTable
	TotalsChanged   bool
	// WhatIf is the form that re-prices the decision and its answer.
	WhatIf *whatIfView
}

// auditVersionRef is a tariff or income-limit catalogue version a decision
// used: which, from when, and when and by whom it was recorded.
type auditVersionRef struct {
	ID, Name                            string
	Version, Corrects                   int
	ValidFrom, PublishedAt, PublishedBy string
	Href                                string
}

// auditLine is a line of a decision with the price and rule parameters
// it used.
type auditLine struct {
	Service, Mode, Rule, Unit, Quantity, UnitsPerMonth string
	UnitCost, FeePerUnit                               string
	CountyGross, ClientFee, CountyNet                  string
	// VoucherCopay is a voucher line's co-payment to the provider ("" on
	// other lines); Tier the tier an income_tiered line picked.
	VoucherCopay, Tier string
	Params             []string
	OneOff             bool
}

// auditTotal is a row of the totals.
type auditTotal struct{ Label, Gross, Fee, Copay, Net string }

// auditTotalsTable is a table of totals (template "audit-totals"): its id,
// whose title is the element id-title.
type auditTotalsTable struct {
	L    *Lang
	ID   string
	Rows []auditTotal
}

// auditFact is a labelled value.
type auditFact struct{ Label, Value string }

// auditTouch is a later version that touched the decision.
type auditTouch struct {
	What, ValidFrom, PublishedAt, Href string
	// Diff compares the version the decision used with this one (empty
	// when there is no comparison page for its kind).
	Diff                    string
	Version, Corrects, Used int
	// Impact is the page of what the correction changed in the
	// decisions in force.
	Impact string
}

// auditLink is an estimate of the decision's revision chain.
type auditLink struct {
	ID, Label, Note, Href string
	Current               bool
}

// auditEvent is an event of the estimate's history.
type auditEvent struct {
	When, Who, Role, What, Detail, Position string
	Version                                 uint64
}

// auditMaxChain bounds the revision chain walked each way.
const auditMaxChain = 100

// auditDecision reads the decision of the request's path and the quote it
// recorded.
func (s *Server) auditDecision(c *fiber.Ctx) (projections.DecisionRecord, domain.Quote, error) {
	var q domain.Quote
	rec, err := s.reads.Decision(c.UserContext(), strings.Clone(c.Params("estimate_id")))
	if err == nil && len(rec.Quote) > 0 {
		err = json.Unmarshal(rec.Quote, &q)
	}
	return rec, q, err
}

// handleAuditDecision handles GET /decisions/:estimate_id.
func (s *Server) handleAuditDecision(c *fiber.Ctx) error {
	ctx := c.UserContext()
	rec, q, err := s.auditDecision(c)
	if err != nil {
		return err
	}
	l := s.pageLang(c)
	services := s.auditServices(ctx)
	names := s.auditUserNames(ctx)
	p := &auditDecisionPage{consoleBase: consoleBase{Intro: "audit.decision.intro", Section: "nav.decisions", Wide: true, Styles: []string{"audit"}},
		ID: rec.EstimateID, Number: rec.DecisionNumber, DecisionDate: l.Date(rec.DecisionDate), EffectiveFrom: l.Date(rec.EffectiveFrom),
		PricingDate: l.Date(rec.PricingDate), ClientRef: rec.ClientRef, Maple: rec.Maple, Segment: auditSegment(l, rec.Segment),
		DecidedBy: auditWho(names, rec.ActorID), DecidedAt: l.Time(rec.DecidedAt), InForce: rec.InForce,
		NotPresentedReason: rec.NotPresentedReason, CSV: "/decisions/" + url.PathEscape(rec.EstimateID) + "/lines.csv"}
	p.Title = l.T("audit.decision.title", "number", rec.DecisionNumber)
	switch {
	case rec.Presented == nil:
		p.Presented = l.T("audit.presented.unknown")
	case *rec.Presented:
		p.Presented = l.T("common.yes")
	default:
		p.Presented = l.T("common.no")
	}
	p.Tariff = auditVersionRef{ID: rec.TariffID, Name: q.Tariff.Name, Version: rec.TariffVersion, Corrects: q.Tariff.Corrects,
		ValidFrom: l.Date(q.Tariff.ValidFrom), Href: "/tariffs/" + url.PathEscape(rec.TariffID) + "/versions/" + strconv.Itoa(rec.TariffVersion)}
	if t, err := s.reads.Tariff(ctx, rec.TariffID); err == nil {
		p.Tariff.Name = t.Name
		for _, v := range t.Versions {
			if v.Number == rec.TariffVersion {
				p.Tariff.PublishedAt, p.Tariff.PublishedBy = l.Time(v.PublishedAt), auditWho(names, v.PublishedBy)
			}
		}
	}
	if rec.IncomeCatalogueID != "" {
		in := &auditVersionRef{ID: rec.IncomeCatalogueID, Version: rec.IncomeVersion,
			Href: "/income-catalogues/" + url.PathEscape(rec.IncomeCatalogueID) + "/versions/" + strconv.Itoa(rec.IncomeVersion)}
		if q.IncomeCatalogue != nil {
			in.Name, in.Corrects, in.ValidFrom = q.IncomeCatalogue.Name, q.IncomeCatalogue.Corrects, l.Date(q.IncomeCatalogue.ValidFrom)
		}
		if ic, err := s.reads.IncomeCatalogue(ctx, rec.IncomeCatalogueID); err == nil {
			in.Name = ic.Name
			for _, v := range ic.Versions {
				if v.Number == rec.IncomeVersion {
					in.PublishedAt, in.PublishedBy = l.Time(v.PublishedAt), auditWho(names, v.PublishedBy)
				}
			}
		}
		p.Income = in
	}
	p.WeeksPerMonth, p.DaysPerMonth = auditRatio(l, q.WeeksPerMonth), auditRatio(l, q.DaysPerMonth)
	for _, ln := range q.Lines {
		p.Lines = append(p.Lines, auditLineOf(l, services, ln))
	}
	p.Totals = auditTotalsTable{L: l, ID: "decision-totals", Rows: auditTotals(l, rec.Monthly, rec.OneOff, rec.Yearly)}
	if t := rec.PresentedTotals; t != nil {
		p.PresentedTotals = &auditTotalsTable{L: l, ID: "decision-presented", Rows: auditTotals(l, t.Monthly, t.OneOff, t.Yearly)}
		p.TotalsChanged = rec.TotalsChanged
	}
	if w := rec.VersionWarning; w != nil {
		p.WarningFrom, p.Warning = l.Date(w.EffectiveFrom), auditWarning(l, rec, *w)
	}
	p.HomeCare, p.Housing, p.Ceiling = auditFeeBasis(l, q)
	for _, t := range rec.TouchedBy {
		used := rec.TariffVersion
		if t.Kind == "income_catalogue" {
			used = rec.IncomeVersion
		}
		p.Touches = append(p.Touches, auditTouchOf(l, t, used))
	}
	if p.Chain, err = s.auditChain(ctx, l, rec); err != nil {
		return err
	}
	evs, err := s.estimateEvents(ctx, actorOf(c), rec.EstimateID)
	if err != nil {
		return err
	}
	p.History = auditHistory(l, services, names, evs)
	status, err := s.fillWhatIf(c, l, p, rec)
	if err != nil {
		return err
	}
	return s.render(c, status, "audit_decision", p)
}

// auditWarning names the versions in effect on a decision's effective-from
// date beside those it was priced with.
func auditWarning(l *Lang, rec projections.DecisionRecord, w domain.VersionWarning) []string {
	line := func(kind, id string, then, used int) string {
		if then == 0 {
			return l.T("audit.warning."+kind+"_none", "id", id, "used", used)
		}
		return l.T("audit.warning."+kind, "id", id, "version", then, "used", used)
	}
	out := []string{line("tariff", rec.TariffID, w.TariffVersion, rec.TariffVersion)}
	if rec.IncomeCatalogueID != "" && (w.IncomeVersion != rec.IncomeVersion || w.TariffVersion == 0) {
		out = append(out, line("income", rec.IncomeCatalogueID, w.IncomeVersion, rec.IncomeVersion))
	}
	return out
}

// auditServices returns the catalogue's services by id (none when the
// catalogue cannot be read: the page names them by id).
func (s *Server) auditServices(ctx context.Context) map[string]*domain.Service {
	out := map[string]*domain.Service{}
	if svcs, err := s.reads.Services(ctx); err == nil {
		for i := range svcs {
			out[svcs[i].ID] = &svcs[i].Service
		}
	}
	return out
}

// auditLineOf writes a priced line in l.
func auditLineOf(l *Lang, services map[string]*domain.Service, ln domain.LineResult) auditLine {
	out := auditLine{Service: auditServiceName(l, services[ln.Service], ln.Service), Mode: auditKey(l, "audit.mode.", string(ln.Mode)),
		Rule: auditKey(l, "audit.rule.", string(ln.Rule)), Unit: auditKey(l, "audit.unit.", string(ln.Unit)),
		Quantity: auditQuantity(l, ln.Quantity, ln.Frequency), UnitsPerMonth: auditDecimalText(l, ln.UnitsPerMonth),
		UnitCost: l.Money(ln.UnitCost), CountyGross: l.Money(ln.CountyGross), ClientFee: l.Money(ln.ClientFee), CountyNet: l.Money(ln.CountyNet),
		OneOff: ln.Frequency == domain.OneOff}
	if ln.FeePerUnit != nil {
		out.FeePerUnit = l.Money(*ln.FeePerUnit)
	}
	if ln.Rule == domain.RuleVoucher {
		out.VoucherCopay = l.Money(ln.VoucherCopay)
	}
	out.Tier = auditTier(l, ln.Tier)
	out.Params = auditParams(l, ln)
	return out
}

// auditTier writes the tier an income_tiered line picked ("Porras 2/2
// (tulot yli 2 198,00 €)"); the limits around it only where the record's
// personal part holds them; "" for a line without a tier.
func auditTier(l *Lang, t *domain.TierPick) string {
	if t == nil {
		return ""
	}
	switch {
	case t.Above != nil && t.UpTo != nil:
		return l.T("audit.tier.between", "index", t.Index, "of", t.Of, "above", l.Money(*t.Above), "up_to", l.Money(*t.UpTo))
	case t.Above != nil:
		return l.T("audit.tier.above", "index", t.Index, "of", t.Of, "above", l.Money(*t.Above))
	case t.UpTo != nil:
		return l.T("audit.tier.up_to", "index", t.Index, "of", t.Of, "up_to", l.Money(*t.UpTo))
	}
	return l.T("audit.tier.index", "index", t.Index, "of", t.Of)
}

// auditBand writes the row of the percentage table home-care hours picked
// ("19: 22–22 tuntia"; "" when the pricing named none).
func auditBand(l *Lang, b *domain.HoursBand) string {
	if b == nil {
		return ""
	}
	if b.To == nil {
		return l.T("audit.basis.band_open", "row", b.Row, "from", b.From)
	}
	return l.T("audit.basis.band_value", "row", b.Row, "from", b.From, "to", *b.To)
}

// auditKey is the text of prefix+value, or value itself when the catalogue
// has no text for it.
func auditKey(l *Lang, prefix, value string) string {
	if value == "" || !l.Has(prefix+value) {
		return value
	}
	return l.T(prefix + value)
}

// auditQuantity writes a line's quantity with its frequency ("5 / vko").
func auditQuantity(l *Lang, q domain.Quantity, f domain.Frequency) string {
	n := auditDecimalText(l, q.String())
	if !l.Has("audit.quantity." + string(f)) {
		return n
	}
	return l.T("audit.quantity."+string(f), "n", n)
}

// auditDecimalText writes a decimal written with a point ("21.667") with
// l's decimal mark.
func auditDecimalText(l *Lang, s string) string {
	return strings.Replace(s, ".", l.T("format.decimal"), 1)
}

// auditRatio writes a month conversion (52/12) as a decimal with three
// decimals ("4,333").
func auditRatio(l *Lang, r domain.Ratio) string {
	if r.IsZero() {
		return ""
	}
	return auditDecimalText(l, new(big.Rat).SetFrac64(r.Num, r.Den).FloatString(3))
}

// auditParamsText writes the rule parameters of a line's tariff entry on
// one line.
func auditParamsText(l *Lang, ln domain.LineResult) string {
	return strings.Join(auditParams(l, ln), "; ")
}

// auditParams writes the rule parameters of a line's tariff entry, one
// text each.
func auditParams(l *Lang, ln domain.LineResult) []string {
	e := ln.Entry
	rule := e.Rule
	if rule == "" {
		rule = ln.Rule
	}
	var parts []string
	switch rule {
	case domain.RuleFree:
		parts = append(parts, l.T("audit.params.free"))
	case domain.RuleFlat:
		if e.Fee != nil {
			parts = append(parts, l.T("audit.params.flat", "fee", l.Money(*e.Fee)))
		}
	case domain.RuleIncomeTiered:
		for _, t := range e.Tiers {
			if len(t.MaxIncome) == 0 {
				parts = append(parts, l.T("audit.params.tier_rest", "fee", l.Money(t.Fee)))
				continue
			}
			parts = append(parts, l.T("audit.params.tier", "max", auditTierLimits(l, t.MaxIncome), "fee", l.Money(t.Fee)))
		}
	case domain.RuleHomeCareIncome, domain.RuleHousingNet:
		parts = append(parts, l.T("audit.params.income_based"))
	case domain.RuleVoucher:
		price := e.ProviderPrice
		if ln.ProviderPrice != nil {
			price = ln.ProviderPrice
		}
		if price != nil {
			parts = append(parts, l.T("audit.params.voucher", "price", l.Money(*price)))
		}
	}
	if e.CountsTowardCeiling {
		parts = append(parts, l.T("audit.params.ceiling"))
	}
	if ln.Capped {
		parts = append(parts, l.T("audit.params.capped"))
	}
	return parts
}

// auditTierLimits writes a tier's income limits with the household size
// each is for ("(1 hlö: 1 393,00 €; 2 hlö tai enemmän: 2 055,00 €)"); a
// single limit serves every household.
func auditTierLimits(l *Lang, limits []domain.Money) string {
	if len(limits) == 1 {
		return l.Money(limits[0])
	}
	out := make([]string, len(limits))
	for i, m := range limits {
		key := "audit.params.tier_limit"
		if i == len(limits)-1 {
			key = "audit.params.tier_limit_more"
		}
		out[i] = l.T(key, "size", i+1, "max", l.Money(m))
	}
	return "(" + strings.Join(out, "; ") + ")"
}

// auditTotals are the totals per month, once and per year.
func auditTotals(l *Lang, monthly, oneOff, yearly domain.Totals) []auditTotal {
	row := func(key string, t domain.Totals) auditTotal {
		return auditTotal{Label: l.T(key), Gross: l.Money(t.CountyGross), Fee: l.Money(t.ClientFee), Copay: l.Money(t.VoucherCopay), Net: l.Money(t.CountyNet)}
	}
	return []auditTotal{row("audit.totals.monthly", monthly), row("audit.totals.one_off", oneOff), row("audit.totals.yearly", yearly)}
}

// auditFeeBasis writes the figures an income-based fee and the payment
// ceiling were computed from.
func auditFeeBasis(l *Lang, q domain.Quote) (home, housing, ceiling []auditFact) {
	f := func(key, v string) auditFact { return auditFact{Label: l.T(key), Value: v} }
	if h := q.HomeCare; h != nil {
		home = []auditFact{f("audit.basis.hours", l.T("audit.basis.hours_value", "hours", strconv.Itoa(h.Hours), "exact", auditDecimalText(l, h.HoursExact)))}
		if band := auditBand(l, h.Band); band != "" {
			home = append(home, f("audit.basis.band", band))
		}
		home = append(home, f("audit.basis.household_size", strconv.Itoa(h.HouseholdSize)), f("audit.basis.gross_income", l.Money(h.GrossIncome)),
			f("audit.basis.income_limit", l.Money(h.IncomeLimit)), f("audit.basis.income_above", l.Money(h.IncomeAbove)),
			f("audit.basis.percent", l.Percent(int64(h.Percent))), f("audit.basis.fee_before_cap", l.Money(h.FeeBeforeCap)),
			f("audit.basis.cap", l.Money(h.Cap)), f("audit.basis.fee", l.Money(h.Fee)))
	}
	if h := q.Housing; h != nil {
		housing = []auditFact{f("audit.basis.net_income", l.Money(h.NetIncome)), f("audit.basis.deductions", l.Money(h.Deductions)),
			f("audit.basis.base", l.Money(h.Base))}
		if h.SpouseRule {
			housing = append(housing, f("audit.basis.spouse_rule", l.T("common.yes")))
			if h.CombinedIncome != nil {
				housing = append(housing, f("audit.basis.combined_income", l.Money(*h.CombinedIncome)))
			}
		}
		housing = append(housing, f("audit.basis.rate", l.Percent(int64(h.Rate))), f("audit.basis.by_rate", l.Money(h.ByRate)),
			f("audit.basis.kayttovara", l.Money(h.Kayttovara)), f("audit.basis.fee_before_cap", l.Money(h.FeeBeforeCap)),
			f("audit.basis.cap", l.Money(h.Cap)), f("audit.basis.fee", l.Money(h.Fee)))
	}
	if c := q.Ceiling; c != nil {
		reached := l.T("common.no")
		if c.Reached {
			reached = l.T("common.yes")
		}
		ceiling = []auditFact{f("audit.basis.annual_ceiling", l.Money(c.AnnualCeiling)), f("audit.basis.per_year", l.Money(c.PerYear)),
			f("audit.basis.reached", reached)}
	}
	return home, housing, ceiling
}

// auditTouchOf writes a version that touched the decision, linking to it
// and, for a tariff, to its differences from the version used.
func auditTouchOf(l *Lang, t projections.Touch, used int) auditTouch {
	out := auditTouch{Version: t.Version, Corrects: t.Corrects, Used: used, ValidFrom: l.Date(t.ValidFrom), PublishedAt: l.Time(t.PublishedAt)}
	if t.Kind == "income_catalogue" {
		out.What = l.T("audit.touch.income", "id", t.ID, "version", t.Version)
		out.Href = "/income-catalogues/" + url.PathEscape(t.ID) + "/versions/" + strconv.Itoa(t.Version)
	} else {
		out.What = l.T("audit.touch.tariff", "id", t.ID, "version", t.Version)
		out.Href = "/tariffs/" + url.PathEscape(t.ID) + "/versions/" + strconv.Itoa(t.Version)
		out.Diff = "/tariffs/" + url.PathEscape(t.ID) + "/diff?from=" + strconv.Itoa(used) + "&to=" + strconv.Itoa(t.Version)
	}
	out.Impact = out.Href + "/impact"
	return out
}

// auditChain returns the decision's revision chain, oldest first: the
// decisions it revised, itself, the decisions that replaced it, and the
// revisions of it not decided (open or cancelled).
func (s *Server) auditChain(ctx context.Context, l *Lang, rec projections.DecisionRecord) ([]auditLink, error) {
	link := func(r projections.DecisionRecord, current bool) auditLink {
		note := l.T("audit.chain.replaced")
		if r.InForce {
			note = l.T("audit.chain.in_force")
		}
		return auditLink{ID: r.EstimateID, Label: l.T("audit.chain.decision", "number", r.DecisionNumber, "date", l.Date(r.DecisionDate)),
			Note: note, Href: "/decisions/" + url.PathEscape(r.EstimateID), Current: current}
	}
	// walk follows the chain from id by next, at most max links.
	seen := map[string]bool{rec.EstimateID: true}
	walk := func(id string, next func(projections.DecisionRecord) string, max int) ([]auditLink, error) {
		var out []auditLink
		for id != "" && !seen[id] && len(out) < max {
			r, err := s.reads.Decision(ctx, id)
			if domain.ErrorCode(err) == domain.ENotFound {
				break
			}
			if err != nil {
				return nil, err
			}
			seen[id] = true
			out = append(out, link(r, false))
			id = next(r)
		}
		return out, nil
	}
	back, err := walk(rec.RevisionOf, func(r projections.DecisionRecord) string { return r.RevisionOf }, auditMaxChain)
	if err != nil {
		return nil, err
	}
	slices.Reverse(back)
	forward, err := walk(rec.SupersededBy, func(r projections.DecisionRecord) string { return r.SupersededBy }, 2*auditMaxChain-len(back)-1)
	if err != nil {
		return nil, err
	}
	chain := slices.Concat(back, []auditLink{link(rec, true)}, forward)
	// Revisions opened from this decision and not decided.
	est, err := s.reads.Estimate(ctx, rec.EstimateID)
	if domain.ErrorCode(err) == domain.ENotFound {
		return chain, nil
	}
	if err != nil {
		return nil, err
	}
	for _, id := range est.Revisions {
		if seen[id] {
			continue
		}
		r, err := s.reads.Estimate(ctx, id)
		if err != nil {
			continue
		}
		chain = append(chain, auditLink{ID: id, Label: l.T("audit.chain.revision", "date", l.Date(domain.DateOf(r.OpenedAt))),
			Note: auditKey(l, "audit.status.", r.Status), Href: "/estimates/" + url.PathEscape(id)})
	}
	return chain, nil
}

// auditHistory writes the events of an estimate as a person reads them:
// when, who, what, and what it changed (no household figures).
func auditHistory(l *Lang, services map[string]*domain.Service, names map[string]string, evs []domain.Event) []auditEvent {
	lineService := map[string]string{}
	out := make([]auditEvent, 0, len(evs))
	for _, e := range evs {
		typ := e.Payload.EventType()
		who := e.Meta.ActorID
		if e.Meta.ActorName != "" && e.Meta.ActorName != who {
			who = e.Meta.ActorName + " (" + who + ")"
		} else {
			who = auditWho(names, who)
		}
		ev := auditEvent{When: l.Time(e.RecordedAt), Who: who, Role: auditKey(l, "role.", e.Meta.ActorRole),
			What: auditKey(l, "audit.event.", auditEventKey(typ)), Version: e.Version, Position: e.Position.String()}
		line := func(ln domain.Line) string {
			lineService[ln.ID] = ln.Service
			return l.T("audit.detail.line", "service", auditServiceName(l, services[ln.Service], ln.Service),
				"mode", auditKey(l, "audit.mode.", string(ln.Mode)), "quantity", auditQuantity(l, ln.Quantity, ln.Frequency))
		}
		basis := func(b domain.Basis) string {
			d := l.T("audit.detail.basis", "tariff", b.TariffID, "date", l.Date(b.PricingDate))
			if b.IncomeCatalogueID != "" {
				d += "; " + l.T("audit.detail.income", "income", b.IncomeCatalogueID)
			}
			return d
		}
		switch p := e.Payload.(type) {
		case *domain.EstimateOpened:
			parts := []string{l.T("audit.detail.assessment", "maple", p.Maple, "segment", auditSegment(l, string(p.Segment))), basis(p.Basis)}
			for _, ln := range p.Lines {
				parts = append(parts, line(ln))
			}
			if p.RevisionOf != "" {
				parts = append(parts, l.T("audit.detail.revision_of"))
			}
			ev.Detail = strings.Join(parts, "; ")
		case *domain.EstimateLineAdded:
			ev.Detail = line(p.Line)
		case *domain.EstimateLineChanged:
			ev.Detail = line(p.Line)
		case *domain.EstimateLineRemoved:
			if svc, ok := lineService[p.LineID]; ok {
				ev.Detail = auditServiceName(l, services[svc], svc)
			}
		case *domain.EstimateHouseholdChanged:
			ev.Detail = l.T("audit.detail.household")
		case *domain.EstimateAssessmentChanged:
			ev.Detail = l.T("audit.detail.assessment", "maple", p.Maple, "segment", auditSegment(l, string(p.Segment)))
		case *domain.EstimateBasisChanged:
			ev.Detail = basis(p.Basis)
		case *domain.EstimatePriced:
			ev.Detail = auditPricedDetail(l, p.Quote)
		case *domain.EstimateDecided:
			ev.Detail = l.T("audit.detail.decided", "number", p.Number, "date", l.Date(p.Date), "from", l.Date(p.EffectiveFrom)) +
				"; " + auditPricedDetail(l, p.Quote)
		case *domain.EstimateCancelled:
			ev.Detail = p.Reason
		}
		out = append(out, ev)
	}
	return out
}

// auditPricedDetail writes the version and monthly totals of a pricing.
func auditPricedDetail(l *Lang, q domain.Quote) string {
	return l.T("audit.detail.priced", "tariff", q.Tariff.ID, "version", q.Tariff.Version,
		"fee", l.Money(q.Monthly.ClientFee), "net", l.Money(q.Monthly.CountyNet))
}

// auditEventKey is the catalogue key of an event type, after
// "audit.event.": carecost.estimate.line_added is estimate_line_added.
func auditEventKey(typ string) string {
	return strings.ReplaceAll(strings.TrimPrefix(typ, "carecost."), ".", "_")
}
