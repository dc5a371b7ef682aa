package projections_test

import (
	"errors"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/domain/memstore"
	"carecost/projections"
)

var operator = domain.Command{Actor: domain.Actor{ID: "ops-1", Role: "operations"}}

// Only the event a projection is stopped at can be skipped, with a reason;
// the skip is an event in the log with its actor; the projection then goes
// past exactly that event, and a runner started later honours the skip.
func TestSkipPassesExactlyThatEvent(t *testing.T) {
	store := memstore.New()
	evs := appendN(t, store, "s-1", 10)
	bad := evs[5]
	stillBad := func() *flaky { return newFlaky("flaky").failOn(bad.ID, failing{err: errors.New("flaky: no")}) }
	fl := stillBad()
	b := newBench(t, store, "", fl, newFlaky("healthy"))
	must(t, b.runner.CatchUp(ctx))

	for _, tc := range []struct {
		name  string
		req   projections.SkipRequest
		code  string
		field string
	}{
		{"OtherPosition", projections.SkipRequest{Projection: "flaky", Position: evs[6].Position, Reason: "x"}, domain.EInvalid, "position"},
		{"NoPosition", projections.SkipRequest{Projection: "flaky", Reason: "x"}, domain.EInvalid, "position"},
		{"BlankReason", projections.SkipRequest{Projection: "flaky", Position: bad.Position, Reason: " "}, domain.EInvalid, "reason"},
		{"ControlInReason", projections.SkipRequest{Projection: "flaky", Position: bad.Position, Reason: "a\x1bb"}, domain.EInvalid, "reason"},
		{"UnknownProjection", projections.SkipRequest{Projection: "nope", Position: bad.Position, Reason: "x"}, domain.ENotFound, "projection"},
		{"NotStopped", projections.SkipRequest{Projection: "healthy", Position: bad.Position, Reason: "x"}, domain.EConflict, ""},
	} {
		_, err := b.runner.Skip(ctx, operator, tc.req)
		if domain.ErrorCode(err) != tc.code || domain.ErrorField(err) != tc.field {
			t.Errorf("%s: %v (code %s, field %q)", tc.name, err, domain.ErrorCode(err), domain.ErrorField(err))
		}
	}
	if _, err := store.ReadStream(ctx, domain.ProjectionsStream, domain.ReadStreamOptions{}); !errors.Is(err, domain.ErrStreamNotFound) {
		t.Fatalf("a refused skip was recorded: %v", err)
	}

	res, err := b.runner.Skip(ctx, operator, projections.SkipRequest{Projection: "flaky", Position: bad.Position, Reason: "payload written by a faulty import"})
	must(t, err)
	if b.runner.Failure("flaky") != nil {
		t.Error("still stopped after the skip")
	}
	must(t, b.runner.CatchUp(ctx))
	fl.wantPositions(t, b.path, "[1 2 3 4 5 7 8 9 10 11]") // 11: the skip itself, an event like any other
	assertEq(t, "skip position", res.Position, domain.SeqPosition(11))
	must(t, b.runner.Ready(ctx))
	assertSkipRecorded(t, store, bad)

	fresh := stillBad()
	rebuilt := newBench(t, store, "", fresh)
	must(t, rebuilt.runner.CatchUp(ctx))
	fresh.wantPositions(t, rebuilt.path, "[1 2 3 4 5 7 8 9 10 11]")
	if rebuilt.runner.Failure("flaky") != nil {
		t.Error("a runner started after the skip stopped at the skipped event")
	}
}

// assertSkipRecorded checks the skip event: its name, schema, payload and
// actor.
func assertSkipRecorded(t *testing.T, store domain.EventStore, bad domain.RecordedEvent) {
	t.Helper()
	recs, err := store.ReadStream(ctx, domain.ProjectionsStream, domain.ReadStreamOptions{})
	must(t, err)
	if len(recs) != 1 || recs[0].Type != "carecost.projection.event_skipped" {
		t.Fatalf("the projections stream: %+v", recs)
	}
	want := `{"schema":1,"projection":"flaky","position":"` + bad.Position.String() + `","event_id":"` + bad.ID + `","reason":"payload written by a faulty import"}`
	assertEq(t, "payload", string(recs[0].Data), want)
	if !strings.Contains(string(recs[0].Metadata), `"actor_id":"ops-1","actor_role":"operations"`) {
		t.Errorf("metadata %s", recs[0].Metadata)
	}
}

// A skip recorded for an event the projection can apply changes nothing:
// a fixed build applies the event.
func TestSkipOnlyPassesAFailingEvent(t *testing.T) {
	store := memstore.New()
	evs := appendN(t, store, "s-1", 4)
	b := newBench(t, store, "", newFlaky("flaky").failOn(evs[1].ID, failing{err: errors.New("flaky: no")}))
	must(t, b.runner.CatchUp(ctx))
	_, err := b.runner.Skip(ctx, operator, projections.SkipRequest{Projection: "flaky", Position: evs[1].Position, Reason: "r"})
	must(t, err)
	fixed := newFlaky("flaky")
	again := newBench(t, store, "", fixed)
	must(t, again.runner.CatchUp(ctx))
	fixed.wantPositions(t, again.path, "[1 2 3 4 5]")
}
