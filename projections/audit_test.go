package projections_test

import (
	"encoding/json"
	"slices"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// A decision keeps the prices it was computed with; a retroactive
// correction published later shows as touching it, and the price history
// answers both "as known then" and "as known now".
func TestRetroactiveCorrection(t *testing.T) {
	f := newFixture(t)
	admin := domain.Command{Actor: domain.Actor{ID: "admin-1", Role: "admin"}}
	id := domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "A-9"))
	must(t, err)
	_, dec, err := f.cmds.Decide(ctx, domain.Command{Actor: domain.Actor{ID: "cm-7", Role: "case_manager"}}, id,
		domain.Decision{Number: "D-9", Date: today(), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "decided at the meeting"})
	must(t, err)

	n, _, err := f.cmds.CreateTariffDraft(ctx, admin, "phhva", 0, 1, "home care cost corrected")
	must(t, err)
	fee := money(t, "6.00")
	_, err = f.cmds.SetTariffEntry(ctx, admin, "phhva", n, domain.Entry{Service: "meal-service", Mode: "own", UnitCost: money(t, "9.80"), Rule: domain.RuleFlat, Fee: &fee})
	must(t, err)
	_, err = f.cmds.PublishTariff(ctx, admin, "phhva", n, domain.Date{})
	must(t, err)
	f.catchUp(t)

	rec, err := f.set.Decision(ctx, id)
	must(t, err)
	if rec.TariffVersion != 1 || rec.Monthly.ClientFee != money(t, "298.22") || rec.ActorID != "cm-7" || rec.ClientRef != "A-9" {
		t.Fatalf("decision: %+v", rec)
	}
	if len(rec.TouchedBy) != 1 || rec.TouchedBy[0].Version != n || rec.TouchedBy[0].Corrects != 1 {
		t.Fatalf("touched by %+v, want version %d correcting 1", rec.TouchedBy, n)
	}
	var q domain.Quote
	must(t, json.Unmarshal(rec.Quote, &q))
	if e := q.Lines[0].Entry; e.UnitCost != money(t, "62.00") {
		t.Errorf("the decision's entry changed: %+v", e)
	}
	touched, err := f.set.Decisions(ctx, projections.DecisionFilter{Touched: new(true)})
	must(t, err)
	if len(touched) != 1 || touched[0].EstimateID != id {
		t.Errorf("touched decisions: %+v", touched)
	}

	then, err := f.set.PriceAt(ctx, projections.PriceQuery{TariffID: "phhva", Service: "meal-service", Mode: "own", ValidAt: date(t, "2025-03-01"), KnownAt: dec.Position})
	must(t, err)
	now, err := f.set.PriceAt(ctx, projections.PriceQuery{TariffID: "phhva", Service: "meal-service", Mode: "own", ValidAt: date(t, "2025-03-01")})
	must(t, err)
	if then.Version != 1 || *then.Entry.Fee != money(t, "5.00") || now.Version != n || *now.Entry.Fee != fee {
		t.Errorf("then %d %s, now %d %s", then.Version, then.Entry.Fee, now.Version, now.Entry.Fee)
	}
	changes, err := f.set.TariffChanges(ctx, "phhva")
	must(t, err)
	last := changes[len(changes)-1]
	if last.Version != n || last.Replaces != 1 || len(last.Changes) != 1 || last.Changes[0].Service != "meal-service" {
		t.Errorf("last change: %+v", last)
	}
}

func TestCatalogueViews(t *testing.T) {
	f := newFixture(t)
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, domain.NewID(), homeCareCase(t, "X"))
	must(t, err)
	_, err = f.cmds.RetireService(ctx, domain.Command{}, "bathing")
	must(t, err)
	f.catchUp(t)
	tv, err := f.set.Tariff(ctx, "phhva")
	must(t, err)
	if len(tv.Versions) != 3 || tv.Versions[2].Corrects != 2 || tv.Versions[0].Status != domain.StatusPublished {
		t.Errorf("tariff view: %d versions", len(tv.Versions))
	}
	svcs, err := f.set.Services(ctx)
	must(t, err)
	if len(svcs) != 13 || !svcs[1].Retired || svcs[1].ID != "bathing" {
		t.Errorf("%d services, second %+v", len(svcs), svcs[1])
	}
	ic, err := f.set.IncomeCatalogue(ctx, "statutory")
	must(t, err)
	if len(ic.Versions) != 4 {
		t.Errorf("%d income versions", len(ic.Versions))
	}
	_, err = f.set.Tariff(ctx, "nope")
	if domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("missing tariff: %v", err)
	}
}

// Every link of a chain of corrections, and a version inserted before the
// pricing date, shows on the decisions it touched, in the order published;
// a version valid only after the pricing date touches none.
func TestTouchesOfAChain(t *testing.T) {
	f := newFixture(t)
	admin := domain.Command{Actor: domain.Actor{ID: "admin-1", Role: "admin"}}
	decide := func(ref, pricing string) string {
		id := domain.NewID()
		in := homeCareCase(t, ref)
		in.PricingDate = date(t, pricing)
		_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, in)
		must(t, err)
		_, _, err = f.cmds.Decide(ctx, domain.Command{}, id, domain.Decision{Number: ref, Date: today(), EffectiveFrom: date(t, pricing), Presented: new(false), NotPresentedReason: "decided at the meeting"})
		must(t, err)
		return id
	}
	publish := func(basedOn, corrects int, validFrom, fee string) int {
		n, _, err := f.cmds.CreateTariffDraft(ctx, admin, "phhva", basedOn, corrects, "")
		must(t, err)
		m := money(t, fee)
		_, err = f.cmds.SetTariffEntry(ctx, admin, "phhva", n, domain.Entry{Service: "meal-service", Mode: "own", UnitCost: money(t, "9.80"), Rule: domain.RuleFlat, Fee: &m})
		must(t, err)
		var from domain.Date
		if validFrom != "" {
			from = date(t, validFrom)
		}
		_, err = f.cmds.PublishTariff(ctx, admin, "phhva", n, from)
		must(t, err)
		return n
	}
	d1 := decide("D1", "2025-03-01")           // under version 1
	c1 := publish(0, 1, "", "6.00")            // corrects 1
	d2 := decide("D2", "2025-03-01")           // under c1
	c2 := publish(0, c1, "", "6.50")           // corrects c1
	_ = publish(1, 0, "2025-06-01", "7.00")    // valid after the pricing date: touches neither
	ins := publish(1, 0, "2025-02-01", "5.50") // inserted before the pricing date
	d3 := decide("D3", "2026-02-01")           // under the 2026 versions, untouched
	f.catchUp(t)

	for id, want := range map[string][]int{d1: {c1, c2, ins}, d2: {c2, ins}, d3: {}} {
		rec, err := f.set.Decision(ctx, id)
		must(t, err)
		var got []int
		for _, tb := range rec.TouchedBy {
			got = append(got, tb.Version)
		}
		if len(got) != len(want) || (len(want) > 0 && !slices.Equal(got, want)) {
			t.Errorf("%s: touched by versions %v, want %v", rec.DecisionNumber, got, want)
		}
	}
	untouched, err := f.set.Decisions(ctx, projections.DecisionFilter{Touched: new(false)})
	must(t, err)
	if len(untouched) != 1 || untouched[0].EstimateID != d3 {
		t.Errorf("untouched decisions: %d, want D3 only", len(untouched))
	}
}

// A decision replaced by a decided revision is no longer in force, and the
// two name each other.
func TestDecisionRevisionLinks(t *testing.T) {
	f := newFixture(t)
	id, rev := domain.NewID(), domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "L-1"))
	must(t, err)
	dec := domain.Decision{Number: "L-1", Date: today(), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "decided at the meeting"}
	_, _, err = f.cmds.Decide(ctx, domain.Command{}, id, dec)
	must(t, err)
	_, _, err = f.cmds.Revise(ctx, domain.Command{}, id, rev, domain.Date{})
	must(t, err)
	dec.Number = "L-2"
	_, _, err = f.cmds.Decide(ctx, domain.Command{}, rev, dec)
	must(t, err)
	f.catchUp(t)
	old, err := f.set.Decision(ctx, id)
	must(t, err)
	now, err := f.set.Decision(ctx, rev)
	must(t, err)
	if old.InForce || old.SupersededBy != rev || !now.InForce || now.RevisionOf != id {
		t.Errorf("old: in force %v, superseded by %q; revision: in force %v, revision of %q", old.InForce, old.SupersededBy, now.InForce, now.RevisionOf)
	}
	for want, filter := range map[string]bool{rev: true, id: false} {
		got, err := f.set.Decisions(ctx, projections.DecisionFilter{InForce: new(filter)})
		must(t, err)
		if len(got) != 1 || got[0].EstimateID != want {
			t.Errorf("in_force=%v: %d decisions", filter, len(got))
		}
	}
}

// The audit trail shows whether each decision was presented to the client
// first, and why not when it was not.
func TestDecisionShowsPresentation(t *testing.T) {
	f := newFixture(t)
	shown, unshown := domain.NewID(), domain.NewID()
	for _, id := range []string{shown, unshown} {
		_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "P-"+id[:4]))
		must(t, err)
	}
	_, _, err := f.cmds.Present(ctx, domain.Command{}, shown)
	must(t, err)
	d := domain.Decision{Number: "P-1", Date: today(), EffectiveFrom: date(t, "2025-04-01")}
	_, _, err = f.cmds.Decide(ctx, domain.Command{}, shown, d)
	must(t, err)
	d.Number, d.Presented, d.NotPresentedReason = "P-2", new(false), "the client was in hospital care"
	_, _, err = f.cmds.Decide(ctx, domain.Command{}, unshown, d)
	must(t, err)
	f.catchUp(t)
	a, err := f.set.Decision(ctx, shown)
	must(t, err)
	b, err := f.set.Decision(ctx, unshown)
	must(t, err)
	if a.Presented == nil || !*a.Presented || a.NotPresentedReason != "" {
		t.Errorf("presented decision: %v %q", a.Presented, a.NotPresentedReason)
	}
	if b.Presented == nil || *b.Presented || b.NotPresentedReason != d.NotPresentedReason {
		t.Errorf("decision without presenting: %v %q", b.Presented, b.NotPresentedReason)
	}
}
