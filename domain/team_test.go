package domain_test

import (
	"testing"

	"carecost/domain"
)

func caseManager(team string) domain.Command {
	return domain.Command{Actor: domain.Actor{ID: "cm-" + team, Role: "case_manager", Roles: []string{"case_manager"}, Team: team}}
}

// An estimate belongs to the team of the case manager who opened it (a
// revision to the original's): a case manager of another team finds no
// such estimate, to change or to revise, also when they name a version; a
// case manager who is also a controller sees it but may not change it
// (forbidden); carecost itself is held to no team.
func TestEstimatesBelongToATeam(t *testing.T) {
	c, store := demoCommands(t)
	north, south := caseManager("north"), caseManager("south")
	id := domain.NewID()
	e, _, err := c.OpenEstimate(ctx, north, id, demoCase(t))
	must(t, err)
	if e.Team() != "north" {
		t.Fatalf("team %q", e.Team())
	}
	n := store.count(domain.EstimateStream(id))
	line := domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"}
	_, _, _, err = c.AddLine(ctx, south, id, line)
	wantErr(t, err, domain.ENotFound, "")
	_, _, err = c.Present(ctx, south, id)
	wantErr(t, err, domain.ENotFound, "")
	if store.count(domain.EstimateStream(id)) != n {
		t.Fatal("another team's case manager wrote to the estimate")
	}
	stale, absent := int64(0), domain.NewID()
	versioned := south
	versioned.Expected = &stale
	_, _, err = c.Present(ctx, versioned, id)
	wantErr(t, err, domain.ENotFound, "")
	_, _, err = c.Present(ctx, versioned, absent)
	wantErr(t, err, domain.ENotFound, "")
	both := south
	both.Actor.Roles = []string{"case_manager", "controller"}
	_, _, _, err = c.AddLine(ctx, both, id, line)
	wantErr(t, err, domain.EForbidden, "")
	if store.count(domain.EstimateStream(id)) != n {
		t.Fatal("a case manager and controller of another team wrote to the estimate")
	}
	system := domain.Command{Actor: domain.Actor{ID: "carecost"}}
	_, _, _, err = c.AddLine(ctx, system, id, line)
	must(t, err)
	_, _, err = c.Present(ctx, north, id)
	must(t, err)
	_, _, err = c.Decide(ctx, north, id, decision(t, "T-1"))
	must(t, err)
	rev := domain.NewID()
	_, _, err = c.Revise(ctx, south, id, rev, domain.Date{})
	wantErr(t, err, domain.ENotFound, "")
	r, _, err := c.Revise(ctx, north, id, rev, domain.Date{})
	must(t, err)
	if r.Team() != "north" {
		t.Errorf("revision's team %q", r.Team())
	}
}
