package projections_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

func TestEstimatesProjection(t *testing.T) {
	f := newFixture(t)
	id := domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "A-1"))
	must(t, err)
	_, _, _, err = f.cmds.AddLine(ctx, domain.Command{}, id, domain.Line{Service: "meal-service", Mode: "own", Quantity: 5000, Frequency: "week"})
	must(t, err)
	_, _, err = f.cmds.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "D-1", Date: today(), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "decided at the meeting"})
	must(t, err)
	f.catchUp(t)

	d, err := f.est.Estimate(ctx, id)
	must(t, err)
	// 298.22 home care + 108.33 meals (65/3 x 5.00).
	if d.Status != "decided" || d.Monthly.ClientFee != money(t, "406.55") || d.LineCount != 2 || d.DecisionNumber != "D-1" {
		t.Fatalf("row: %+v", d.EstimateSummary)
	}
	if d.TariffVersion != 1 || d.IncomeVersion != 3 || d.DecidedAt == nil || d.ClientRef != "A-1" {
		t.Errorf("versions %d %d, decided %v, client %q", d.TariffVersion, d.IncomeVersion, d.DecidedAt, d.ClientRef)
	}
	var q domain.Quote
	must(t, json.Unmarshal(d.Quote, &q))
	if len(q.Lines) != 2 || q.Lines[0].ClientFee != money(t, "298.22") {
		t.Errorf("quote: %+v", q.Lines)
	}
	list, err := f.est.Estimates(ctx, projections.EstimateFilter{Status: "decided"})
	must(t, err)
	if len(list) != 1 || list[0].ID != id {
		t.Errorf("list: %+v", list)
	}
	none, err := f.est.Estimates(ctx, projections.EstimateFilter{Status: "draft"})
	must(t, err)
	if len(none) != 0 {
		t.Errorf("draft list: %+v", none)
	}
	_, err = f.est.Estimate(ctx, domain.NewID())
	if domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("missing estimate: %v", err)
	}
}

// Applying the log event by event gives the same rows as one big batch,
// and a batch delivered twice changes nothing.
func TestEstimatesBatchEqualsSingle(t *testing.T) {
	f := newFixture(t)
	for i := range 5 {
		id := domain.NewID()
		_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "C"))
		must(t, err)
		_, _, _, err = f.cmds.AddLine(ctx, domain.Command{}, id, domain.Line{Service: "bathing", Mode: "own", Quantity: 1000, Frequency: "week"})
		must(t, err)
		if i%2 == 0 {
			_, _, err = f.cmds.Present(ctx, domain.Command{}, id)
			must(t, err)
		}
	}
	f.catchUp(t)
	batch, err := f.est.Estimates(ctx, projections.EstimateFilter{})
	must(t, err)

	g := &fixture{store: f.store, cmds: f.cmds}
	g.open(t, t.TempDir()+"/single.db")
	all, err := f.store.ReadAll(ctx, domain.ReadAllOptions{})
	must(t, err)
	for _, e := range all {
		must(t, g.runner.Handle(ctx, "estimates", []domain.RecordedEvent{e}))
	}
	must(t, g.runner.Handle(ctx, "estimates", all)) // redelivered: skipped
	single, err := g.est.Estimates(ctx, projections.EstimateFilter{})
	must(t, err)
	if len(batch) != 5 || !reflect.DeepEqual(batch, single) {
		t.Errorf("batch and single differ:\n%+v\n%+v", batch, single)
	}
}

// The estimates keep their team; a list for a team holds the team's
// estimates and those recorded without a team; one for a case manager
// without a team, only those; one not scoped, all.
func TestEstimatesByTeam(t *testing.T) {
	f := newFixture(t)
	open := func(team string) string {
		id := domain.NewID()
		cmd := domain.Command{Actor: domain.Actor{ID: "cm", Role: "case_manager", Roles: []string{"case_manager"}, Team: team}}
		_, _, err := f.cmds.OpenEstimate(ctx, cmd, id, homeCareCase(t, "T-"+team))
		must(t, err)
		return id
	}
	north, south, none := open("north"), open("south"), open("")
	f.catchUp(t)
	list, err := f.est.Estimates(ctx, projections.EstimateFilter{Scoped: true, Team: "north"})
	must(t, err)
	got := map[string]string{}
	for _, e := range list {
		got[e.ID] = e.Team
	}
	if len(got) != 2 || got[north] != "north" || got[none] != "" {
		t.Errorf("north sees %v", got)
	}
	if _, seen := got[south]; seen {
		t.Error("north sees south's estimate")
	}
	for filter, want := range map[projections.EstimateFilter]int{{Scoped: true}: 1, {Team: "north"}: 3, {}: 3} {
		list, err := f.est.Estimates(ctx, filter)
		must(t, err)
		if len(list) != want || want == 1 && list[0].ID != none {
			t.Errorf("%+v lists %d estimates, want %d", filter, len(list), want)
		}
	}
	d, err := f.est.Estimate(ctx, south)
	must(t, err)
	if d.Team != "south" {
		t.Errorf("detail's team %q", d.Team)
	}
}
