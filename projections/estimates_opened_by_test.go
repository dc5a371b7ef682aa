package projections_test

import (
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// The estimates keep who opened them (the case manager, with the display
// name they had then), and a list filters by them; a revision is opened
// by whoever revised.
func TestEstimatesByCaseManager(t *testing.T) {
	f := newFixture(t)
	as := func(user, name string) domain.Command {
		return domain.Command{Actor: domain.Actor{ID: user, Name: name, Role: "case_manager", Roles: []string{"case_manager"}, Team: "north"}}
	}
	open := func(user, name string) string {
		id := domain.NewID()
		_, _, err := f.cmds.OpenEstimate(ctx, as(user, name), id, homeCareCase(t, "K-"+user))
		must(t, err)
		return id
	}
	anna, anna2, pekka := open("anna", "Anna Virtanen"), open("anna", "Anna Virtanen"), open("pekka", "Pekka Laine")
	_, _, err := f.cmds.Decide(ctx, as("anna", "Anna Virtanen"), anna, domain.Decision{Number: "D-9", Date: today(),
		EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "at the meeting"})
	must(t, err)
	revision := domain.NewID()
	_, _, err = f.cmds.Revise(ctx, as("pekka", "Pekka Laine"), anna, revision, domain.Date{})
	must(t, err)
	f.catchUp(t)

	for user, want := range map[string][]string{"anna": {anna, anna2}, "pekka": {pekka, revision}, "nobody": nil} {
		list, err := f.est.Estimates(ctx, projections.EstimateFilter{OpenedBy: user})
		must(t, err)
		got := map[string]bool{}
		for _, e := range list {
			got[e.ID] = true
			if e.OpenedBy != user {
				t.Errorf("%s lists %s opened by %q", user, e.ID, e.OpenedBy)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s: %d estimates, want %d", user, len(got), len(want))
		}
		for _, id := range want {
			if !got[id] {
				t.Errorf("%s: %s missing", user, id)
			}
		}
	}
	d, err := f.est.Estimate(ctx, pekka)
	must(t, err)
	if d.OpenedBy != "pekka" || d.OpenedByName != "Pekka Laine" {
		t.Errorf("detail: opened by %q %q", d.OpenedBy, d.OpenedByName)
	}
}
