package projections_test

import (
	"strings"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// The real projections fed a malformed decision: the decision audit trail
// and the estimates stop before it and say so without quoting the payload,
// the decisions before it stay, the catalogue and the price history go on;
// skipping the event lets the later decisions in.
func TestMalformedDecision(t *testing.T) {
	f := newFixture(t)
	decide := func(ref string) string {
		id := domain.NewID()
		_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, ref))
		must(t, err)
		_, _, err = f.cmds.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "D-" + ref, Date: today(), EffectiveFrom: date(t, "2025-04-01"),
			Presented: new(false), NotPresentedReason: "decided at the meeting"})
		must(t, err)
		return id
	}
	before := decide("A-1")
	broken := domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, broken, homeCareCase(t, "B-2"))
	must(t, err)
	bad := appendRaw(t, f.store, "estimate-"+broken, domain.EvEstimateDecided,
		`{"schema":1,"decision_number":20251234,"decision_date":"2025-03-05","quote":{"pricing_date":"2025-03-01"}}`)
	after := decide("C-3")
	f.catchUp(t)

	head, err := f.store.Head(ctx)
	must(t, err)
	for _, name := range []string{"decisions", "estimates"} {
		fl := f.runner.Failure(name)
		if fl == nil || fl.Position != bad.Position || fl.EventID != bad.ID {
			t.Fatalf("%s: failure %+v, want one at %s", name, fl, bad.Position)
		}
		if strings.Contains(fl.Error, "20251234") || !strings.Contains(fl.Error, "wrong type") {
			t.Errorf("%s: the error %q quotes the payload or says nothing", name, fl.Error)
		}
		assertEq(t, name+" checkpoint", f.runner.Checkpoint(name), domain.SeqPosition(bad.Position.Commit-1))
	}
	for _, name := range []string{"catalogue", "history"} {
		assertEq(t, name+" checkpoint", f.runner.Checkpoint(name), head)
	}
	if _, err := f.set.Decision(ctx, before); err != nil {
		t.Errorf("the decision before the malformed one: %v", err)
	}
	if _, err := f.set.Decision(ctx, after); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("the decision after the malformed one is there before the skip: %v", err)
	}

	for _, name := range []string{"decisions", "estimates"} {
		_, err := f.runner.Skip(ctx, operator, projections.SkipRequest{Projection: name, Position: bad.Position, Reason: "decision number written as a number"})
		must(t, err)
	}
	f.catchUp(t)
	must(t, f.runner.Ready(ctx))
	if rec, err := f.set.Decision(ctx, after); err != nil || rec.DecisionNumber != "D-C-3" {
		t.Errorf("the decision after the skipped one: %+v %v", rec, err)
	}
}
