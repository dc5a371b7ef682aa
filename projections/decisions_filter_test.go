package projections_test

import (
	"path/filepath"
	"slices"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// The audit trail filters by tariff version, service, who decided and
// segment, alone and together, and a rebuilt read model answers the same.
func TestDecisionFilters(t *testing.T) {
	f := newFixture(t)
	admin := domain.Command{Actor: domain.Actor{ID: "admin-1", Role: "admin"}}
	decide := func(id, by string, c domain.CaseInput) {
		t.Helper()
		_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{Actor: domain.Actor{ID: by, Role: "case_manager"}}, id, c)
		must(t, err)
		_, _, err = f.cmds.Decide(ctx, domain.Command{Actor: domain.Actor{ID: by, Role: "case_manager"}}, id,
			domain.Decision{Number: "F-" + id[24:], Date: today(), EffectiveFrom: date(t, "2025-04-01"),
				Presented: new(false), NotPresentedReason: "decided at the meeting"})
		must(t, err)
	}
	homeOnly, withMeals, corrected := domain.NewID(), domain.NewID(), domain.NewID()
	decide(homeOnly, "cm-1", homeCareCase(t, "F-1"))
	meals := homeCareCase(t, "F-2")
	meals.Segment = domain.SegOccasional
	meals.Lines = append(meals.Lines, domain.Line{Service: "meal-service", Mode: "own", Quantity: 5000, Frequency: "week"})
	decide(withMeals, "cm-2", meals)

	// A correction of version 1; the next decision is priced with it.
	n, _, err := f.cmds.CreateTariffDraft(ctx, admin, "phhva", 0, 1, "home care cost corrected")
	must(t, err)
	_, err = f.cmds.PublishTariff(ctx, admin, "phhva", n, domain.Date{})
	must(t, err)
	decide(corrected, "cm-1", homeCareCase(t, "F-3"))
	f.catchUp(t)

	check := func(set *projections.Set) {
		t.Helper()
		for name, c := range map[string]struct {
			f    projections.DecisionFilter
			want []string
		}{
			"all":              {projections.DecisionFilter{}, []string{homeOnly, withMeals, corrected}},
			"tariff version 1": {projections.DecisionFilter{TariffID: "phhva", TariffVersion: 1}, []string{homeOnly, withMeals}},
			"tariff version n": {projections.DecisionFilter{TariffID: "phhva", TariffVersion: n}, []string{corrected}},
			"meals":            {projections.DecisionFilter{Service: "meal-service"}, []string{withMeals}},
			"home care":        {projections.DecisionFilter{Service: "regular-home-care"}, []string{homeOnly, withMeals, corrected}},
			"no such service":  {projections.DecisionFilter{Service: "laundry"}, nil},
			"cm-1":             {projections.DecisionFilter{DecidedBy: "cm-1"}, []string{homeOnly, corrected}},
			"occasional":       {projections.DecisionFilter{Segment: string(domain.SegOccasional)}, []string{withMeals}},
			"cm-1 continuous v1": {projections.DecisionFilter{DecidedBy: "cm-1", Segment: string(domain.SegContinuous), TariffID: "phhva", TariffVersion: 1},
				[]string{homeOnly}},
			"touched by cm-1": {projections.DecisionFilter{DecidedBy: "cm-1", Touched: new(true)}, []string{homeOnly}},
		} {
			got, err := set.Decisions(ctx, c.f)
			must(t, err)
			var ids []string
			for _, r := range got {
				ids = append(ids, r.EstimateID)
			}
			slices.Sort(ids)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(ids, want) {
				t.Errorf("%s: got %v, want %v", name, ids, want)
			}
		}
	}
	check(f.set)
	f.open(t, filepath.Join(t.TempDir(), "rebuilt.db"))
	f.catchUp(t)
	check(f.set)
}

// Decisions select by pricing date and income-limit catalogue: the
// decisions a version valid from a date would reach.
func TestDecisionsByPricingDate(t *testing.T) {
	f := newFixture(t)
	id := domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "P-1"))
	must(t, err)
	_, _, err = f.cmds.Decide(ctx, domain.Command{Actor: domain.Actor{ID: "cm-1", Role: "case_manager"}}, id,
		domain.Decision{Number: "D-1", Date: today(), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "decided at the meeting"})
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
