package projections_test

import (
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// Decisions select by pricing date and income-limit catalogue: the
// decisions a version valid from a date would reach.
func TestDecisionsByPricingDate(t *testing.T) {
	f := newFixture(t)
	id := domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "P-1"))
	must(t, err)
	_, _, err = f.cmds.Decide(ctx, domain.Command{Actor: domain.Actor{ID: "cm-1", Role: "case_manager"}}, id,
		domain.Decision{Number: "D-1", Date: date(t, "2025-03-05"), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "decided at the meeting"})
	must(t, err)
	f.catchUp(t)
	for _, c := range []struct {
		name string
		flt  projections.DecisionFilter
		want int
	}{
		{"from the pricing date", projections.DecisionFilter{TariffID: "phhva", PricedFrom: date(t, "2025-03-01")}, 1},
		{"from the day after", projections.DecisionFilter{TariffID: "phhva", PricedFrom: date(t, "2025-03-02")}, 0},
		{"up to the pricing date", projections.DecisionFilter{PricedFrom: date(t, "2025-01-01"), PricedTo: date(t, "2025-03-01")}, 1},
		{"up to the day before", projections.DecisionFilter{PricedTo: date(t, "2025-02-28")}, 0},
		{"its income-limit catalogue", projections.DecisionFilter{IncomeCatalogueID: "statutory", InForce: new(true)}, 1},
		{"another income-limit catalogue", projections.DecisionFilter{IncomeCatalogueID: "other"}, 0},
	} {
		got, err := f.set.Decisions(ctx, c.flt)
		must(t, err)
		if len(got) != c.want {
			t.Errorf("%s: %d decisions, want %d", c.name, len(got), c.want)
		}
	}
}
