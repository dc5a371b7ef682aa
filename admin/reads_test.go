package admin_test

import (
	"context"
	"encoding/json"
	"sync"

	"carecost/domain"
	"carecost/projections"
)

// fakeReads answers the queries straight from the aggregates, as a
// projection that is always caught up would. It remembers the last filters
// and price query it was given.
type fakeReads struct {
	cmds  *domain.Commands
	store *store

	mu             sync.Mutex
	estimateFilter projections.EstimateFilter
	decisionFilter projections.DecisionFilter
	priceQuery     projections.PriceQuery
}

func (f *fakeReads) Estimates(ctx context.Context, flt projections.EstimateFilter) ([]projections.EstimateSummary, error) {
	f.mu.Lock()
	f.estimateFilter = flt
	f.mu.Unlock()
	var out []projections.EstimateSummary
	for _, id := range f.store.estimateIDs() {
		d, err := f.Estimate(ctx, id)
		if err != nil {
			return nil, err
		}
		if (flt.Status == "" || flt.Status == d.Status) && (!flt.Scoped || d.Team == "" || d.Team == flt.Team) {
			out = append(out, d.EstimateSummary)
		}
	}
	return out, nil
}

func (f *fakeReads) Estimate(ctx context.Context, id string) (projections.EstimateDetail, error) {
	e, err := f.cmds.Estimate(ctx, id)
	if err != nil {
		return projections.EstimateDetail{}, err
	}
	maple, seg := e.Assessment()
	b := e.Basis()
	d := projections.EstimateDetail{EstimateSummary: projections.EstimateSummary{ID: e.ID(), Status: string(e.Status()),
		ClientRef: e.Personal().ClientRef, Maple: maple, Segment: string(seg), Team: e.Team(), TariffID: b.TariffID,
		IncomeCatalogueID: b.IncomeCatalogueID, PricingDate: b.PricingDate, LineCount: len(e.Lines()),
		RevisionOf: e.RevisionOf(), SupersededBy: e.SupersededBy(), Version: e.Version(), Position: e.Position()},
		Household: e.Personal().Household, Revisions: e.Revisions()}
	if q := e.Quote(); q != nil {
		d.Monthly, d.OneOff, d.Yearly, d.TariffVersion = q.Monthly, q.OneOff, q.Yearly, q.Tariff.Version
		d.Quote, _ = json.Marshal(q)
	}
	if dec := e.Decision(); dec != nil {
		d.DecisionNumber, d.DecisionDate, d.EffectiveFrom = dec.Number, dec.Date, dec.EffectiveFrom
	}
	return d, nil
}

func (f *fakeReads) Decisions(ctx context.Context, flt projections.DecisionFilter) ([]projections.DecisionRecord, error) {
	f.mu.Lock()
	f.decisionFilter = flt
	f.mu.Unlock()
	var out []projections.DecisionRecord
	for _, id := range f.store.estimateIDs() {
		if r, err := f.Decision(ctx, id); err == nil {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeReads) Decision(ctx context.Context, id string) (projections.DecisionRecord, error) {
	d, err := f.Estimate(ctx, id)
	if err != nil || d.DecisionNumber == "" {
		return projections.DecisionRecord{}, &domain.Error{Code: domain.ENotFound, Message: "there is no decision on estimate " + id}
	}
	return projections.DecisionRecord{EstimateID: d.ID, DecisionNumber: d.DecisionNumber, DecisionDate: d.DecisionDate,
		EffectiveFrom: d.EffectiveFrom, PricingDate: d.PricingDate, TariffID: d.TariffID, TariffVersion: d.TariffVersion, IncomeCatalogueID: d.IncomeCatalogueID,
		Monthly: d.Monthly, Quote: d.Quote, TouchedBy: []projections.Touch{}, Position: d.Position}, nil
}

func (f *fakeReads) Services(ctx context.Context) ([]projections.ServiceView, error) {
	cat, err := f.cmds.Catalogue(ctx)
	if err != nil {
		return nil, err
	}
	var out []projections.ServiceView
	for _, s := range cat.Services() {
		out = append(out, projections.ServiceView{Service: s, Retired: cat.Retired(s.ID)})
	}
	return out, nil
}

func (f *fakeReads) Service(ctx context.Context, id string) (projections.ServiceView, error) {
	cat, err := f.cmds.Catalogue(ctx)
	if err != nil {
		return projections.ServiceView{}, err
	}
	s := cat.Service(id)
	if s == nil {
		return projections.ServiceView{}, &domain.Error{Code: domain.ENotFound, Message: "there is no service " + id}
	}
	return projections.ServiceView{Service: *s, Retired: cat.Retired(id)}, nil
}

func (f *fakeReads) Tariffs(ctx context.Context) ([]projections.TariffView, error) {
	var out []projections.TariffView
	for _, id := range f.store.streamIDs(domain.TariffStream("")) {
		t, err := f.Tariff(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

func (f *fakeReads) Tariff(ctx context.Context, id string) (projections.TariffView, error) {
	t, err := f.cmds.Tariff(ctx, id, domain.Position{})
	if err != nil {
		return projections.TariffView{}, err
	}
	file := domain.TariffFileOf(t)
	v := projections.TariffView{ID: t.ID(), Name: t.Name(), WeeksPerMonth: file.WeeksPerMonth, DaysPerMonth: file.DaysPerMonth,
		Version: t.StreamVersion(), Position: t.Position()}
	for _, vi := range t.Versions() {
		tv, _ := t.Version(vi.Number)
		v.Versions = append(v.Versions, tv)
	}
	return v, nil
}

func (f *fakeReads) IncomeCatalogues(ctx context.Context) ([]projections.IncomeCatalogueView, error) {
	var out []projections.IncomeCatalogueView
	for _, id := range f.store.streamIDs(domain.IncomeStream("")) {
		ic, err := f.IncomeCatalogue(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, ic)
	}
	return out, nil
}

func (f *fakeReads) IncomeCatalogue(ctx context.Context, id string) (projections.IncomeCatalogueView, error) {
	ic, err := f.cmds.IncomeCatalogue(ctx, id, domain.Position{})
	if err != nil {
		return projections.IncomeCatalogueView{}, err
	}
	v := projections.IncomeCatalogueView{ID: ic.ID(), Name: ic.Name(), Version: ic.StreamVersion(), Position: ic.Position()}
	for _, vi := range ic.Versions() {
		iv, _ := ic.Version(vi.Number)
		v.Versions = append(v.Versions, iv)
	}
	return v, nil
}

func (f *fakeReads) PriceAt(ctx context.Context, q projections.PriceQuery) (projections.PricePoint, error) {
	f.mu.Lock()
	f.priceQuery = q
	f.mu.Unlock()
	t, err := f.cmds.Tariff(ctx, q.TariffID, q.KnownAt)
	if err != nil {
		return projections.PricePoint{}, err
	}
	v, ok := t.VersionAt(q.ValidAt)
	e, found := v.Entry(q.Service, q.Mode)
	if !ok || !found {
		return projections.PricePoint{}, &domain.Error{Code: domain.ENotFound, Message: "no price"}
	}
	return projections.PricePoint{TariffID: q.TariffID, Version: v.Number, ValidFrom: v.ValidFrom, Corrects: v.Corrects,
		RecordedAt: v.PublishedAt, Position: v.Position, Entry: e}, nil
}

// TariffChanges answers as the projection does: an unknown tariff has no
// changes.
func (f *fakeReads) TariffChanges(ctx context.Context, id string) ([]projections.TariffChange, error) {
	t, err := f.cmds.Tariff(ctx, id, domain.Position{})
	if domain.ErrorCode(err) == domain.ENotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []projections.TariffChange
	for _, vi := range t.Published() {
		out = append(out, projections.TariffChange{Version: vi.Number, ValidFrom: vi.ValidFrom, Corrects: vi.Corrects,
			Note: vi.Note, PublishedAt: vi.PublishedAt, Position: vi.Position})
	}
	return out, nil
}

// InForce lists every decided estimate not superseded; the domain checks
// the rest (which pricing dates a version covers, as known when).
func (f *fakeReads) InForce(ctx context.Context, kind domain.VersionKind, id string, from domain.Date, asOf domain.KnownAt) ([]string, error) {
	var out []string
	for _, eid := range f.store.estimateIDs() {
		if d, err := f.Estimate(ctx, eid); err == nil && d.DecisionNumber != "" && d.SupersededBy == "" {
			out = append(out, eid)
		}
	}
	return out, nil
}
