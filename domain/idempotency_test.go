package domain_test

import (
	"testing"

	"carecost/domain"
)

// A command with a key whose first run changed nothing is remembered (a
// no-op event): its retry answers as that run, and never writes later when
// the command would now change something.
func TestNoopRetryAnswersAsFirstRun(t *testing.T) {
	c, store := demoCommands(t)
	id := domain.NewID()
	_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	_, _, err = c.Present(ctx, domain.Command{}, id)
	must(t, err)
	present := domain.Command{ID: "present-again", Fingerprint: "present"}
	e1, r1, err := c.Present(ctx, present, id)
	must(t, err)
	if got := store.types(domain.EstimateStream(id)); got[len(got)-1] != "command.noop" {
		t.Fatalf("events after a keyed no-op: %v", got)
	}
	if e1.Status() != domain.EstPresented || r1.Replayed {
		t.Errorf("first run: %s, %+v", e1.Status(), r1)
	}
	// The estimate changes back to a draft; the retry must not present it.
	_, _, _, err = c.AddLine(ctx, domain.Command{}, id, domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"})
	must(t, err)
	n := store.count(domain.EstimateStream(id))
	e2, r2, err := c.Present(ctx, present, id)
	must(t, err)
	if !r2.Replayed || r2.Version != r1.Version || r2.Position != r1.Position || e2.Status() != domain.EstPresented || len(e2.Lines()) != 2 {
		t.Errorf("retry: %+v, %s with %d lines; first %+v", r2, e2.Status(), len(e2.Lines()), r1)
	}
	if got := store.count(domain.EstimateStream(id)); got != n {
		t.Errorf("the retry wrote %d events", got-n)
	}
	now, err := c.Estimate(ctx, id)
	must(t, err)
	if now.Status() != domain.EstDraft {
		t.Errorf("estimate is %s after the retry, want draft", now.Status())
	}
	// Refused now, the retry still answers as the first run.
	_, _, err = c.Cancel(ctx, domain.Command{}, id, "moved")
	must(t, err)
	if _, r3, err := c.Present(ctx, present, id); err != nil || r3.Position != r1.Position {
		t.Errorf("retry after cancel: %+v, %v", r3, err)
	}
	// A no-op without a key writes nothing.
	id2 := domain.NewID()
	_, _, err = c.OpenEstimate(ctx, domain.Command{}, id2, demoCase(t))
	must(t, err)
	_, _, err = c.Present(ctx, domain.Command{}, id2)
	must(t, err)
	n = store.count(domain.EstimateStream(id2))
	_, _, err = c.Present(ctx, domain.Command{}, id2)
	must(t, err)
	if store.count(domain.EstimateStream(id2)) != n {
		t.Error("a no-op without a key wrote an event")
	}
}

// Every command answer carries the times the store recorded, as a read of
// the estimate does.
func TestAnswersCarryRecordedTimes(t *testing.T) {
	c, _ := demoCommands(t)
	id := domain.NewID()
	e, _, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	if o, u, _ := e.Times(); o.IsZero() || !u.Equal(o) {
		t.Errorf("open: opened %v, updated %v", o, u)
	}
	_, _, err = c.Present(ctx, domain.Command{}, id)
	must(t, err)
	e, _, err = c.Decide(ctx, domain.Command{}, id, decision(t, "D-1"))
	must(t, err)
	read, err := c.Estimate(ctx, id)
	must(t, err)
	o1, u1, d1 := e.Times()
	o2, u2, d2 := read.Times()
	if d1.IsZero() || !o1.Equal(o2) || !u1.Equal(u2) || !d1.Equal(d2) {
		t.Errorf("answer times %v %v %v, read %v %v %v", o1, u1, d1, o2, u2, d2)
	}
}

// A retried line addition names the line its first run added, also when
// lines were added since.
func TestRetriedAddLineNamesItsLine(t *testing.T) {
	c, _ := demoCommands(t)
	id := domain.NewID()
	_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	line := domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"}
	add := domain.Command{ID: "add-once", Fingerprint: "add bathing"}
	first, _, _, err := c.AddLine(ctx, add, id, line)
	must(t, err)
	_, _, _, err = c.AddLine(ctx, domain.Command{}, id, line)
	must(t, err)
	again, _, r, err := c.AddLine(ctx, add, id, line)
	must(t, err)
	if !r.Replayed || again != first {
		t.Errorf("retry named line %q (replayed %v), the first run added %q", again, r.Replayed, first)
	}
}
