package projections_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"carecost/domain"
	"carecost/domain/memstore"
	"carecost/projections"
)

// One event a projection cannot apply stops that projection before it:
// everything before it (in the same batch) is applied, the checkpoint stays
// before it, the others go on, and readiness, the status, the metrics, one
// error in the log and a row of the failures table say where and why,
// without the payload.
func TestFailingEventStopsItsProjection(t *testing.T) {
	store := memstore.New()
	evs := appendN(t, store, "s-1", 10)
	bad := evs[5]
	fl := newFlaky("flaky").failOn(bad.ID, failing{err: fmt.Errorf("flaky: client %q has no row", "SECRET-REF-5")})
	ok := newFlaky("healthy")
	b := newBench(t, store, "", fl, ok)
	must(t, b.runner.CatchUp(ctx))

	fl.wantPositions(t, b.path, "[1 2 3 4 5]")
	ok.wantPositions(t, b.path, "[1 2 3 4 5 6 7 8 9 10]")
	assertEq(t, "checkpoint", b.runner.Checkpoint("flaky"), domain.SeqPosition(5))
	if n := fl.triesOf(bad.ID); n > 2 {
		t.Errorf("a deterministic failure was tried %d times (once in its batch, once alone at most)", n)
	}
	f := b.runner.Failure("flaky")
	if f == nil || f.Position != bad.Position || f.EventID != bad.ID || f.EventType != "test.event" || !strings.Contains(f.Error, "has no row") {
		t.Fatalf("failure: %+v", f)
	}
	ready := b.runner.Ready(ctx)
	for _, w := range []string{"flaky", "position 6", bad.ID, "has no row"} {
		if ready == nil || !strings.Contains(ready.Error(), w) {
			t.Errorf("Ready = %v, want it to name %q", ready, w)
		}
	}
	assertEq(t, "Ready code", domain.ErrorCode(ready), domain.EUnavailable)
	st, err := b.runner.Status(ctx)
	must(t, err)
	assertEq(t, "state", st[0].State, projections.StateStopped)
	assertEq(t, "other state", st[1].State, projections.StateRunning)
	if st[0].Failure == nil || st[0].Failure.EventID != bad.ID {
		t.Errorf("status: %+v", st[0])
	}
	errorLines := b.log.lines(`"level":"ERROR"`)
	if len(errorLines) != 1 || !strings.Contains(errorLines[0], `"position":"6"`) || !strings.Contains(errorLines[0], bad.ID) {
		t.Errorf("error log lines: %q", errorLines)
	}
	assertNoSecret(t, b)
	assertEq(t, "failure rows", fmt.Sprint(column(t, b.path, `SELECT commit_pos FROM projection_failures WHERE projection = 'flaky' AND event_id = '`+bad.ID+`'`)), "[6]")
	reg := prometheus.NewRegistry()
	reg.MustRegister(b.runner.Collector())
	must(t, testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP carecost_projection_stopped 1 while a projection is stopped before an event it cannot apply, else 0.
# TYPE carecost_projection_stopped gauge
carecost_projection_stopped{projection="flaky"} 1
carecost_projection_stopped{projection="healthy"} 0
# HELP carecost_projection_failures_total Times a projection stopped before an event it cannot apply.
# TYPE carecost_projection_failures_total counter
carecost_projection_failures_total{projection="flaky"} 1
carecost_projection_failures_total{projection="healthy"} 0
`), "carecost_projection_stopped", "carecost_projection_failures_total"))
}

// assertNoSecret fails when the payloads' client references are in the log
// or the read-model files.
func assertNoSecret(t *testing.T, b *bench) {
	t.Helper()
	if strings.Contains(b.log.String(), "SECRET") {
		t.Errorf("the log holds payload content:\n%s", b.log.String())
	}
	for _, suffix := range []string{"", "-wal"} {
		data, _ := os.ReadFile(b.path + suffix)
		if strings.Contains(string(data), "SECRET") {
			t.Errorf("the read models (%s) hold payload content", suffix)
		}
	}
	var cols []string
	for _, c := range []string{"batch", "payload", "data"} {
		if n := column(t, b.path, `SELECT count(*) FROM pragma_table_info('projection_failures') WHERE name = '`+c+`'`); n[0] != 0 {
			cols = append(cols, c)
		}
	}
	if len(cols) > 0 {
		t.Errorf("projection_failures has columns %v", cols)
	}
}

// Read-your-writes that needs a stopped projection answers at once, naming
// it; a position it reached is answered as before.
func TestWaitForAStoppedProjection(t *testing.T) {
	store := memstore.New()
	evs := appendN(t, store, "s-1", 4)
	b := newBench(t, store, "", newFlaky("flaky").failOn(evs[2].ID, failing{err: errors.New("flaky: no")}), newFlaky("healthy"))
	must(t, b.runner.CatchUp(ctx))
	long, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()
	err := b.runner.WaitFor(long, evs[3].Position)
	if !errors.Is(err, projections.ErrStopped) || domain.ErrorCode(err) != domain.EUnavailable || !strings.Contains(domain.ErrorMessage(err), "flaky") {
		t.Errorf("WaitFor past the stop: %v", err)
	}
	must(t, b.runner.WaitFor(long, evs[1].Position))
}

// A stopped projection's checkpoint does not move: not with later batches,
// not through the filter path (batches it does not want), not by Flush,
// and not across a restart.
func TestStoppedCheckpointHolds(t *testing.T) {
	store := memstore.New()
	want := appendN(t, store, "want-1", 3)
	other := appendN(t, store, "other-1", 3)
	p := picky{newFlaky("picky").failOn(want[1].ID, failing{err: errors.New("picky: no")})}
	b := newBench(t, store, "", p)
	must(t, b.runner.CatchUp(ctx))
	assertEq(t, "checkpoint", b.runner.Checkpoint("picky"), want[0].Position)
	err := b.runner.Handle(ctx, "picky", other)
	if !errors.Is(err, projections.ErrStopped) {
		t.Errorf("a batch after the stop: %v", err)
	}
	must(t, b.runner.CatchUp(ctx))
	must(t, b.runner.Flush(ctx))
	assertEq(t, "checkpoint after more batches", b.runner.Checkpoint("picky"), want[0].Position)
	b.db.Close()
	again := newBench(t, store, b.path, picky{newFlaky("picky")})
	assertEq(t, "checkpoint after a restart", again.runner.Checkpoint("picky"), want[0].Position)
}

// A transient failure (a busy database) is tried again, and passes; one
// that lasts stops the projection after a bounded number of tries; a panic
// stops it like an error.
func TestTransientFailuresAndPanics(t *testing.T) {
	busy := errors.New("database is locked (5) (SQLITE_BUSY)")
	for _, tc := range []struct {
		name    string
		how     failing
		stopped bool
	}{
		{"BusyTwice", failing{err: busy, times: 2}, false},
		{"BusyAlways", failing{err: busy}, true},
		{"Panic", failing{}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store := memstore.New()
			evs := appendN(t, store, "s-1", 5)
			fl := newFlaky("flaky").failOn(evs[2].ID, tc.how)
			b := newBench(t, store, "", fl)
			must(t, b.runner.CatchUp(ctx))
			if got := b.runner.Failure("flaky") != nil; got != tc.stopped {
				t.Fatalf("stopped = %v, want %v", got, tc.stopped)
			}
			if n := fl.triesOf(evs[2].ID); n > 2*b.runner.Retry.Attempts {
				t.Errorf("tried %d times", n)
			}
			if !tc.stopped {
				fl.wantPositions(t, b.path, "[1 2 3 4 5]")
			}
		})
	}
}

// Rebuild ends with an error naming the stopped projection and the event.
func TestRebuildReportsAStop(t *testing.T) {
	store := memstore.New()
	evs := appendN(t, store, "s-1", 3)
	b := newBench(t, store, "", newFlaky("flaky").failOn(evs[1].ID, failing{err: errors.New("flaky: no")}), newFlaky("healthy"))
	err := b.runner.Rebuild(ctx)
	if !errors.Is(err, projections.ErrStopped) || !strings.Contains(err.Error(), "flaky") || !strings.Contains(err.Error(), "position 2") {
		t.Errorf("Rebuild: %v", err)
	}
}

// A build that applies the event goes on from the checkpoint the stop
// kept.
func TestFixedBuildAppliesTheEvent(t *testing.T) {
	store := memstore.New()
	evs := appendN(t, store, "s-1", 6)
	b := newBench(t, store, "", newFlaky("flaky").failOn(evs[3].ID, failing{err: errors.New("flaky: no")}))
	must(t, b.runner.CatchUp(ctx))
	b.db.Close()
	fixed := newFlaky("flaky")
	again := newBench(t, store, b.path, fixed)
	must(t, again.runner.CatchUp(ctx))
	fixed.wantPositions(t, again.path, "[1 2 3 4 5 6]")
	must(t, again.runner.Ready(ctx))
}

// An event of a schema newer than the build reads stops the projection
// before it without being applied or tried again.
func TestNewerSchemaStops(t *testing.T) {
	store := memstore.New()
	evs := appendN(t, store, "s-1", 2)
	newer := appendRaw(t, store, "estimate-x", domain.EvEstimateCancelled, `{"schema":2,"reason":"x"}`)
	fl := newFlaky("flaky")
	b := newBench(t, store, "", fl)
	must(t, b.runner.CatchUp(ctx))
	f := b.runner.Failure("flaky")
	if f == nil || f.EventID != newer.ID || !strings.Contains(f.Error, "schema 2, newer than this build knows (1)") {
		t.Fatalf("failure: %+v", f)
	}
	assertEq(t, "checkpoint", b.runner.Checkpoint("flaky"), evs[1].Position)
	assertEq(t, "applies of the newer event", fl.triesOf(newer.ID), 0)
}
