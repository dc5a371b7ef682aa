package domain

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
)

// VersionKind says whether a version is a tariff's or an income-limit
// catalogue's.
type VersionKind string

// Version kinds.
const (
	KindTariff VersionKind = "tariff"
	KindIncome VersionKind = "income_catalogue"
)

// ImpactQuery asks what one version of a tariff or an income-limit catalogue
// changes in the decisions in force. A published version is taken as it was
// published; a draft as if it were published now, from ValidFrom (a
// correction keeps the valid-from of the version it corrects, and ValidFrom
// may be left out). KnownAt, when not zero, asks the question as the log
// stood at that position or time: the decisions in force then, and nothing
// when the version was not published yet.
type ImpactQuery struct {
	Kind      VersionKind
	ID        string
	Version   int
	ValidFrom Date
	KnownAt   KnownAt
}

// DecisionLister lists the estimates whose decision is in force (as known
// at asOf; zero: now) and was priced with tariff or income-limit catalogue
// id on a pricing date on or after from. The decisions read model answers it.
type DecisionLister func(ctx context.Context, kind VersionKind, id string, from Date, asOf KnownAt) ([]string, error)

// EntryChange names an entry a decision used that a version prices
// differently: the service and mode, and what changed ("unit_cost", "rule",
// "fee", "tiers", "provider_price", "counts_toward_ceiling", "removed",
// "weeks_per_month", "days_per_month", "income_table").
type EntryChange struct {
	Service string   `json:"service,omitempty"`
	Mode    Mode     `json:"mode,omitempty"`
	Changed []string `json:"changed"`
}

// DecisionImpact is one decision a version changes: what it used that the
// version prices differently, and its figures re-priced under the version
// beside the decided ones. The client is not named: the decision is.
type DecisionImpact struct {
	EstimateID     string        `json:"estimate_id,omitempty"`
	DecisionNumber string        `json:"decision_number,omitempty"`
	DecisionDate   Date          `json:"decision_date,omitzero"`
	EffectiveFrom  Date          `json:"effective_from,omitzero"`
	PricingDate    Date          `json:"pricing_date"`
	TariffVersion  int           `json:"tariff_version"`
	IncomeVersion  int           `json:"income_version,omitempty"`
	Uses           []EntryChange `json:"uses"`
	// Compare is the decision re-priced under the version beside its
	// decided figures; Problem says why the version cannot price it (a
	// line's entry removed) and Compare is then left out.
	Compare *Comparison `json:"comparison,omitempty"`
	Problem *Problem    `json:"problem,omitempty"`
}

// Impact answers an ImpactQuery: the decisions in force on the pricing
// dates the version covers that used an entry it changes, each re-priced
// under it, and the totals: how many decisions and clients, and the change
// in client fees and county costs per month, once and per year.
type Impact struct {
	Kind    VersionKind `json:"kind"`
	ID      string      `json:"id"`
	Version int         `json:"version"`
	// Status is the version's status (as known at KnownAt; left out when
	// the version did not exist then).
	Status    VersionStatus `json:"status,omitempty"`
	ValidFrom Date          `json:"valid_from,omitzero"`
	Corrects  int           `json:"corrects,omitempty"`
	// Published says the version was published (as known at KnownAt);
	// a draft's impact is the one it would have if published now.
	Published bool    `json:"published"`
	KnownAt   KnownAt `json:"known_at,omitzero"`
	// Covered is how many decisions in force were priced on a date the
	// version covers before it was published (all of them, for a draft):
	// the decisions it reaches. Decisions are those of them it changes.
	Covered int `json:"covered"`
	// Unpriced counts the decisions of Decisions the version cannot
	// price (each with its problem); the totals leave them out.
	Unpriced  int              `json:"unpriced,omitempty"`
	Clients   int              `json:"clients"`
	Monthly   Totals           `json:"monthly_change"`
	OneOff    Totals           `json:"one_off_change"`
	Yearly    Totals           `json:"yearly_change"`
	Decisions []DecisionImpact `json:"decisions"`
	// Anonymised says the decisions are listed without what names them
	// (estimate, decision number and dates), for a user who may not read
	// decisions.
	Anonymised bool `json:"anonymised,omitempty"`
	// Replaces is the version in effect on ValidFrom that this one took
	// (or would take) the place of; the sample cases of a tariff are
	// priced under both on ValidFrom.
	Replaces int            `json:"replaces,omitempty"`
	Samples  []SampleImpact `json:"samples,omitempty"`
	// SamplesMonthly and SamplesYearly add up the samples' changes.
	SamplesMonthly Totals `json:"samples_monthly_change"`
	SamplesYearly  Totals `json:"samples_yearly_change"`
}

// SampleImpact is one sample case priced under the version it replaces and
// under it, or the reason it could not be priced under one of them.
type SampleImpact struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	Compare *Comparison `json:"comparison,omitempty"`
	Problem *Problem    `json:"problem,omitempty"`
}

// Problem is why something could not be priced: the message and the field
// at fault.
type Problem struct {
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// impactBasis is what a version is compared and priced with.
type impactBasis struct {
	q        ImpactQuery
	tariff   *Tariff          // the tariff as the version found it (KindTariff)
	tv       TariffVersion    // the version (KindTariff)
	income   *IncomeCatalogue // (KindIncome)
	iv       IncomeVersion    // (KindIncome)
	services ServiceLookup
	covers   func(Date) bool
	// published is where the version was published (zero for a draft):
	// only decisions priced before it knew nothing of it.
	published Position
	// prevTariff and prevIncome are the version it replaced on its
	// valid-from (nil when none): what it changed is what differs.
	prevTariff *TariffVersion
	prevIncome *IncomeVersion
	// loaded keeps the tariffs and income-limit catalogues the decisions
	// name, loaded once per question.
	loaded map[string]aggregate
}

// loadOnce returns the aggregate of stream (as of the question's moment),
// loading it the first time.
func loadOnce[A aggregate](ctx context.Context, c *Commands, b impactBasis, a A, exists func(A) bool, missing string) (A, error) {
	if got, ok := b.loaded[a.Stream()]; ok {
		return got.(A), nil
	}
	if err := loadKnownAt(ctx, c.store, a, b.q.KnownAt); err != nil {
		return a, err
	}
	if !exists(a) {
		return a, &Error{Code: ENotFound, Message: missing}
	}
	b.loaded[a.Stream()] = a
	return a, nil
}

// VersionImpact answers q over the decisions list names.
func (c *Commands) VersionImpact(ctx context.Context, q ImpactQuery, list DecisionLister) (Impact, error) {
	b, out, err := c.impactBasis(ctx, q)
	if err != nil || b.covers == nil {
		return out, err
	}
	ids, err := list(ctx, q.Kind, q.ID, out.ValidFrom, q.KnownAt)
	if err != nil {
		return out, err
	}
	clients := map[string]bool{}
	for _, id := range ids {
		e := NewEstimate(id)
		if err := loadKnownAt(ctx, c.store, e, q.KnownAt); err != nil {
			return out, err
		}
		if e.decision == nil || e.quote == nil || !b.covers(e.quote.PricingDate) {
			continue
		}
		if !b.published.IsZero() && !e.cataloguePos.Less(b.published) {
			// Priced knowing the version (or a later one): it changes
			// nothing the decision did not already take.
			continue
		}
		out.Covered++
		d, hit, err := c.decisionImpact(ctx, b, e)
		if err != nil {
			return out, err
		}
		if !hit {
			continue
		}
		out.Decisions = append(out.Decisions, d)
		clients[e.personal.ClientRef] = true
		if d.Compare == nil {
			out.Unpriced++
			continue
		}
		out.Monthly = out.Monthly.Plus(d.Compare.Monthly.Change)
		out.OneOff = out.OneOff.Plus(d.Compare.OneOff.Change)
		out.Yearly = out.Yearly.Plus(d.Compare.Yearly.Change)
	}
	out.Clients = len(clients)
	if err := c.sampleImpacts(ctx, b, &out); err != nil {
		return out, err
	}
	slices.SortStableFunc(out.Decisions, func(a, b DecisionImpact) int {
		if c := b.DecisionDate.Compare(a.DecisionDate); c != 0 {
			return c
		}
		return compareStrings(a.EstimateID, b.EstimateID)
	})
	return out, nil
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// impactBasis loads the version q names and says which pricing dates it
// covers: for a published one, the dates on which it was the version in
// effect once published (as the log stood right after); for a draft, the
// dates on which it would be if published now.
func (c *Commands) impactBasis(ctx context.Context, q ImpactQuery) (impactBasis, Impact, error) {
	b := impactBasis{q: q, loaded: map[string]aggregate{}}
	out := Impact{Kind: q.Kind, ID: q.ID, Version: q.Version, KnownAt: q.KnownAt, Decisions: []DecisionImpact{}}
	cat, err := c.catalogueKnownAt(ctx, q.KnownAt)
	if err != nil {
		return b, out, err
	}
	b.services = cat.Service
	switch q.Kind {
	case KindTariff:
		t, v, done, err := impactVersion(ctx, c, q, &out, "tariff "+q.ID, func() *Tariff { return NewTariff(q.ID) }, (*Tariff).Exists,
			func(t *Tariff) error { return t.Publish(q.Version, q.ValidFrom, cat.Service) })
		if err != nil || done {
			return b, out, err
		}
		b.tariff, b.tv, b.published = t, v, v.Position
		b.covers = func(d Date) bool { w, ok := t.VersionAt(d); return ok && w.Number == q.Version }
		if p := t.versions.before(v.Number, v.ValidFrom); p != nil {
			pv, _ := t.Version(p.Number)
			b.prevTariff, out.Replaces = &pv, p.Number
		}
	case KindIncome:
		ic, v, done, err := impactVersion(ctx, c, q, &out, "income-limit catalogue "+q.ID, func() *IncomeCatalogue { return NewIncomeCatalogue(q.ID) },
			(*IncomeCatalogue).Exists, func(ic *IncomeCatalogue) error { return ic.Publish(q.Version, q.ValidFrom) })
		if err != nil || done {
			return b, out, err
		}
		b.income, b.iv, b.published = ic, v, v.Position
		b.covers = func(d Date) bool { w, ok := ic.VersionAt(d); return ok && w.Number == q.Version }
		if p := ic.versions.before(v.Number, v.ValidFrom); p != nil {
			pv, _ := ic.Version(p.Number)
			b.prevIncome, out.Replaces = &pv, p.Number
		}
	default:
		return b, out, Invalidf("kind", "%q is neither a tariff nor an income-limit catalogue", q.Kind)
	}
	return b, out, nil
}

// notYet reports whether a question asked as known at a past position is
// about a version that was not published then: it changed nothing yet.
func notYet(q ImpactQuery, exists bool, status VersionStatus) bool {
	return !q.KnownAt.IsZero() && (!exists || status != StatusPublished)
}

// decisionImpact compares decided estimate e with the version: hit says it
// used something the version changes.
func (c *Commands) decisionImpact(ctx context.Context, b impactBasis, e *Estimate) (DecisionImpact, bool, error) {
	dq := *e.quote
	d := DecisionImpact{EstimateID: e.id, DecisionNumber: e.decision.Number, DecisionDate: e.decision.Date,
		EffectiveFrom: e.decision.EffectiveFrom, PricingDate: dq.PricingDate, TariffVersion: dq.Tariff.Version}
	if dq.IncomeCatalogue != nil {
		d.IncomeVersion = dq.IncomeCatalogue.Version
	}
	pb := PriceBasis{Services: b.services}
	switch b.q.Kind {
	case KindTariff:
		d.Uses = changedByVersion(tariffChanges(dq, b.tv), b.prevTariff, b.tv)
		pb.Tariff = b.tv
		if dq.IncomeCatalogue != nil {
			ic, err := loadOnce(ctx, c, b, NewIncomeCatalogue(dq.IncomeCatalogue.ID), (*IncomeCatalogue).Exists,
				"there is no income-limit catalogue "+dq.IncomeCatalogue.ID)
			if err != nil {
				return d, false, err
			}
			iv, ok := ic.Version(dq.IncomeCatalogue.Version)
			if !ok {
				return d, false, &Error{Code: ENotFound, Message: "income-limit catalogue " + ic.id + " has no version " + itoa(dq.IncomeCatalogue.Version)}
			}
			pb.Income = &iv
		}
	case KindIncome:
		if dq.IncomeCatalogue == nil {
			return d, false, nil
		}
		used, ok := b.income.Version(dq.IncomeCatalogue.Version)
		changed := b.prevIncome == nil || !sameJSON(b.prevIncome.Table, b.iv.Table)
		if changed && usesIncome(dq) && (!ok || !sameJSON(used.Table, b.iv.Table)) {
			d.Uses = []EntryChange{{Changed: []string{"income_table"}}}
		}
		t, err := loadOnce(ctx, c, b, NewTariff(dq.Tariff.ID), (*Tariff).Exists, "there is no tariff "+dq.Tariff.ID)
		if err != nil {
			return d, false, err
		}
		tv, ok := t.Version(dq.Tariff.Version)
		if !ok {
			return d, false, &Error{Code: ENotFound, Message: "tariff " + t.id + " has no version " + itoa(dq.Tariff.Version)}
		}
		pb.Tariff, pb.Income = tv, &b.iv
	}
	if len(d.Uses) == 0 {
		return d, false, nil
	}
	after, err := e.priceWith(pb, dq.PricingDate)
	if err != nil {
		var pe *Error
		if !errors.As(err, &pe) {
			return d, false, err
		}
		// The version cannot price the decision (an entry it used is
		// gone): it is changed, and the answer says why it has no figures.
		d.Problem = &Problem{Field: pe.Field, Message: pe.Message}
		return d, true, nil
	}
	cmp := Compare(dq, after)
	d.Compare = &cmp
	return d, true, nil
}

// changedByVersion keeps of the changes a decision would see (uses) those
// that version v made: what differs between v and prev, the version it
// replaced (every entry, when it replaced none).
func changedByVersion(uses []EntryChange, prev *TariffVersion, v TariffVersion) []EntryChange {
	if prev == nil {
		return uses
	}
	var out []EntryChange
	for _, u := range uses {
		was, had := prev.Entry(u.Service, u.Mode)
		now, has := v.Entry(u.Service, u.Mode)
		var made []string
		for _, what := range u.Changed {
			switch what {
			case "weeks_per_month":
				if prev.WeeksPerMonth != v.WeeksPerMonth {
					made = append(made, what)
				}
			case "days_per_month":
				if prev.DaysPerMonth != v.DaysPerMonth {
					made = append(made, what)
				}
			case "removed":
				if had {
					made = append(made, what)
				}
			default:
				if !had || !has || slices.Contains(entryDiff(was, now), what) {
					made = append(made, what)
				}
			}
		}
		if len(made) > 0 {
			out = append(out, EntryChange{Service: u.Service, Mode: u.Mode, Changed: made})
		}
	}
	return out
}

// tariffChanges lists the entries decided quote q used that version v
// prices differently, and the month conversions its lines used that v
// changes.
func tariffChanges(q Quote, v TariffVersion) []EntryChange {
	var out []EntryChange
	seen := map[EntryKey]bool{}
	for _, l := range q.Lines {
		k := EntryKey{l.Service, l.Mode}
		if seen[k] {
			continue
		}
		seen[k] = true
		var what []string
		now, ok := v.Entry(l.Service, l.Mode)
		switch {
		case !ok:
			what = []string{"removed"}
		default:
			what = entryDiff(l.Entry, now)
		}
		if l.Frequency == PerWeek && q.WeeksPerMonth != v.WeeksPerMonth {
			what = append(what, "weeks_per_month")
		}
		if l.Frequency == PerDay && q.DaysPerMonth != v.DaysPerMonth {
			what = append(what, "days_per_month")
		}
		if len(what) > 0 {
			out = append(out, EntryChange{Service: l.Service, Mode: l.Mode, Changed: what})
		}
	}
	return out
}

// entryDiff names the parts of entry a that b has otherwise.
func entryDiff(a, b Entry) []string {
	var what []string
	if a.UnitCost != b.UnitCost {
		what = append(what, "unit_cost")
	}
	if a.Rule != b.Rule {
		what = append(what, "rule")
	}
	if !sameJSON(a.Fee, b.Fee) {
		what = append(what, "fee")
	}
	if !sameJSON(a.Tiers, b.Tiers) {
		what = append(what, "tiers")
	}
	if !sameJSON(a.ProviderPrice, b.ProviderPrice) {
		what = append(what, "provider_price")
	}
	if a.CountsTowardCeiling != b.CountsTowardCeiling {
		what = append(what, "counts_toward_ceiling")
	}
	return what
}

// usesIncome reports whether a quote's fees depend on the income table (the
// home-care and housing fees; an income_tiered entry keeps its own limits).
func usesIncome(q Quote) bool {
	return q.HomeCare != nil || q.Housing != nil ||
		slices.ContainsFunc(q.Lines, func(l LineResult) bool { return l.Rule.incomeBased() })
}

// sameJSON reports whether a and b encode to the same JSON.
func sameJSON(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && string(x) == string(y)
}

func (c *Commands) catalogueKnownAt(ctx context.Context, k KnownAt) (*Catalogue, error) {
	a := NewCatalogue()
	return a, loadKnownAt(ctx, c.store, a, k)
}

// sampleImpacts prices a tariff's sample cases on the version's valid-from
// under the version it replaces and under it.
func (c *Commands) sampleImpacts(ctx context.Context, b impactBasis, out *Impact) error {
	if b.q.Kind != KindTariff || !b.q.KnownAt.IsZero() {
		return nil
	}
	set, err := c.Samples(ctx, b.q.ID)
	if err != nil {
		return err
	}
	for _, sm := range set.samples {
		si := SampleImpact{ID: sm.ID, Name: sm.Name}
		if b.prevTariff == nil {
			si.Problem = &Problem{Field: "valid_from", Message: "no version of tariff " + b.q.ID + " is in effect on " +
				b.tv.ValidFrom.String() + " to set this version beside"}
			out.Samples = append(out.Samples, si)
			continue
		}
		before, err := c.priceSample(ctx, sm, *b.prevTariff, b)
		var after Quote
		if err == nil {
			after, err = c.priceSample(ctx, sm, b.tv, b)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) {
				return err
			}
			si.Problem = &Problem{Field: e.Field, Message: e.Message}
		} else {
			cmp := Compare(before, after)
			si.Compare = &cmp
			out.SamplesMonthly = out.SamplesMonthly.Plus(cmp.Monthly.Change)
			out.SamplesYearly = out.SamplesYearly.Plus(cmp.Yearly.Change)
		}
		out.Samples = append(out.Samples, si)
	}
	return nil
}

// priceSample prices sample sm with tariff version tv on its valid-from,
// with the income-limit catalogue version in effect then.
func (c *Commands) priceSample(ctx context.Context, sm Sample, tv TariffVersion, b impactBasis) (Quote, error) {
	date := b.tv.ValidFrom
	pb := PriceBasis{Tariff: tv, Services: b.services}
	if id := sm.Case.IncomeCatalogueID; id != "" {
		ic, err := c.IncomeCatalogue(ctx, id, Position{})
		if err != nil {
			return Quote{}, err
		}
		iv, ok := ic.VersionAt(date)
		if !ok {
			return Quote{}, Invalidf("income_catalogue", "income-limit catalogue %s has no version in effect on %s", id, date)
		}
		pb.Income = &iv
	}
	return Price(PriceInput{PricingDate: date, Maple: sm.Case.Maple, Household: sm.Case.Household, Lines: numberLines(sm.Case.Lines)}, pb)
}

// Anonymise leaves out of the decisions what names them: the estimate, the
// decision number and the decision's dates (the pricing date, the versions
// and the figures stay).
func (r *Impact) Anonymise() {
	for i := range r.Decisions {
		d := &r.Decisions[i]
		d.EstimateID, d.DecisionNumber, d.DecisionDate, d.EffectiveFrom = "", "", Date{}, Date{}
	}
	r.Anonymised = true
}

// impactVersion loads the tariff or income-limit catalogue an impact
// question names, as known at its moment, with the version it asks of: a
// published one as the log stood right after its publication, a draft
// published in memory (publish) as if now. done says the version was not
// published as known then: it changed nothing yet, and out says so.
func impactVersion[A interface {
	aggregate
	dated[V]
}, V interface{ info() VersionInfo }](ctx context.Context, c *Commands, q ImpactQuery, out *Impact, what string,
	empty func() A, exists func(A) bool, publish func(A) error) (a A, v V, done bool, err error) {
	a = empty()
	if err = loadKnownAt(ctx, c.store, a, q.KnownAt); err != nil {
		return a, v, false, err
	}
	if !exists(a) {
		if !q.KnownAt.IsZero() {
			return a, v, true, nil // not created yet: it changed nothing
		}
		return a, v, false, &Error{Code: ENotFound, Message: "there is no " + what}
	}
	v, ok := a.Version(q.Version)
	info := v.info()
	if notYet(q, ok, info.Status) {
		return a, v, true, nil
	}
	if !ok {
		return a, v, false, &Error{Code: ENotFound, Field: "version", Message: what + " has no version " + itoa(q.Version)}
	}
	out.Status, out.Corrects = info.Status, info.Corrects
	switch info.Status {
	case StatusPublished:
		if !q.ValidFrom.IsZero() && q.ValidFrom != info.ValidFrom {
			return a, v, false, Invalidf("valid_from", "version %d is published from %s; leave valid_from out", q.Version, info.ValidFrom)
		}
		out.Published, out.ValidFrom = true, info.ValidFrom
		a = empty()
		err = Load(ctx, c.store, a, info.Position)
		return a, v, false, err
	case StatusDraft:
		if err := publish(a); err != nil {
			return a, v, false, err
		}
		v, _ = a.Version(q.Version)
		out.ValidFrom = v.info().ValidFrom
		return a, v, false, nil
	}
	return a, v, false, Invalidf("version", "version %d of %s was withdrawn; it has no impact", q.Version, what)
}
