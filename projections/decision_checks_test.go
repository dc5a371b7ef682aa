package projections_test

import (
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// The audit trail shows a decision's version warning and the totals
// presented to the client, flags a decision whose totals differ from them,
// and filters by both.
//
// The case: 5 meals a week, own production, under phhva version 1 (9.80 a
// meal, a flat fee of 5.00, 52/12 weeks a month): 21 2/3 meals a month,
// presented gross 212.33, fee 108.33, net 104.00. A correction sets the fee
// to 6.00 before the decision: decided fee 130.00, net 82.33.
func TestDecisionChecks(t *testing.T) {
	f := newFixture(t)
	admin := domain.Command{Actor: domain.Actor{ID: "admin-1", Role: "admin"}}
	meals := func(ref string) domain.CaseInput {
		c := homeCareCase(t, ref)
		c.Lines = []domain.Line{{Service: "meal-service", Mode: "own", Quantity: 5000, Frequency: "week"}}
		return c
	}
	plain, warned, changed := domain.NewID(), domain.NewID(), domain.NewID()
	for _, id := range []string{plain, warned, changed} {
		_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, meals("C-"+id[24:]))
		must(t, err)
		_, _, err = f.cmds.Present(ctx, domain.Command{}, id)
		must(t, err)
	}
	decide := func(id, number, effective string) {
		t.Helper()
		_, _, err := f.cmds.Decide(ctx, domain.Command{}, id, domain.Decision{Number: number, Date: today(), EffectiveFrom: date(t, effective)})
		must(t, err)
	}
	decide(plain, "C-1", "2025-04-01")
	decide(warned, "C-2", "2026-02-01") // tariff version 3, income version 4 then
	n, _, err := f.cmds.CreateTariffDraft(ctx, admin, "phhva", 1, 1, "")
	must(t, err)
	_, err = f.cmds.SetTariffEntry(ctx, admin, "phhva", n, domain.Entry{Service: "meal-service", Mode: "own", UnitCost: money(t, "9.80"), Rule: domain.RuleFlat, Fee: new(money(t, "6.00"))})
	must(t, err)
	_, err = f.cmds.PublishTariff(ctx, admin, "phhva", n, domain.Date{})
	must(t, err)
	decide(changed, "C-3", "2025-04-01")
	f.catchUp(t)

	presented := domain.QuoteTotals{
		Monthly: domain.Totals{CountyGross: money(t, "212.33"), ClientFee: money(t, "108.33"), CountyNet: money(t, "104.00")},
		Yearly:  domain.Totals{CountyGross: money(t, "2547.96"), ClientFee: money(t, "1299.96"), CountyNet: money(t, "1248.00")},
	}
	p, err := f.set.Decision(ctx, plain)
	must(t, err)
	if p.VersionWarning != nil || p.PresentedTotals == nil || *p.PresentedTotals != presented || p.TotalsChanged {
		t.Errorf("plain: warning %+v, presented %+v, changed %v", p.VersionWarning, p.PresentedTotals, p.TotalsChanged)
	}
	w, err := f.set.Decision(ctx, warned)
	must(t, err)
	want := domain.VersionWarning{EffectiveFrom: date(t, "2026-02-01"), TariffVersion: 3, IncomeVersion: 4}
	if w.VersionWarning == nil || *w.VersionWarning != want || w.TotalsChanged {
		t.Errorf("warned: warning %+v, want %+v; changed %v", w.VersionWarning, want, w.TotalsChanged)
	}
	c, err := f.set.Decision(ctx, changed)
	must(t, err)
	if !c.TotalsChanged || c.PresentedTotals == nil || *c.PresentedTotals != presented ||
		c.Monthly.ClientFee != money(t, "130.00") || c.Monthly.CountyNet != money(t, "82.33") {
		t.Errorf("changed: presented %+v, decided %+v, changed %v", c.PresentedTotals, c.Monthly, c.TotalsChanged)
	}

	for _, tc := range []struct {
		name string
		f    projections.DecisionFilter
		want []string
	}{
		{"warned", projections.DecisionFilter{VersionWarning: new(true)}, []string{warned}},
		{"not warned", projections.DecisionFilter{VersionWarning: new(false)}, []string{plain, changed}},
		{"changed", projections.DecisionFilter{TotalsChanged: new(true)}, []string{changed}},
		{"unchanged", projections.DecisionFilter{TotalsChanged: new(false)}, []string{plain, warned}},
		{"both", projections.DecisionFilter{TotalsChanged: new(true), VersionWarning: new(true)}, nil},
	} {
		got, err := f.set.Decisions(ctx, tc.f)
		must(t, err)
		ids := map[string]bool{}
		for _, r := range got {
			ids[r.EstimateID] = true
		}
		if len(got) != len(tc.want) {
			t.Errorf("%s: %d decisions, want %d", tc.name, len(got), len(tc.want))
		}
		for _, id := range tc.want {
			if !ids[id] {
				t.Errorf("%s: %s missing", tc.name, id)
			}
		}
	}
}
