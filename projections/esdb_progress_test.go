package projections_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/prometheus/client_golang/prometheus"

	"carecost/domain"
	"carecost/eventstore/esdb"
	"carecost/eventstore/esdb/esdbtest"
	"carecost/eventstore/logsub"
	"carecost/projections"
)

// storedCheckpoint reads the checkpoint of name from the read-model file.
func storedCheckpoint(t *testing.T, path, name string) domain.Position {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	must(t, err)
	defer db.Close()
	var p domain.Position
	must(t, db.QueryRow(`SELECT commit_pos, prepare_pos FROM checkpoints WHERE name = ?`, name).Scan(&p.Commit, &p.Prepare))
	return p
}

// live is a runner with its router on the log subscriber, as serve runs
// them; stop ends it and writes its checkpoints.
type live struct {
	runner *projections.Runner
	stop   func()
}

func startLive(t *testing.T, store domain.EventStore, path string, projs ...projections.Projection) *live {
	t.Helper()
	db, err := projections.OpenDB(path)
	must(t, err)
	runner := projections.NewRunner(store, db, slog.New(slog.NewTextHandler(io.Discard, nil)), projs...)
	runner.Retry = projections.RetryPolicy{Attempts: 2, Delay: time.Millisecond}
	must(t, runner.Init(ctx))
	must(t, runner.CatchUp(ctx))
	sub := logsub.New(logsub.Config{Store: store, Resume: runner.Resume, Backoff: 10 * time.Millisecond, ProgressEvery: 50 * time.Millisecond})
	router, err := runner.NewRouter(sub, prometheus.NewRegistry(), watermill.NopLogger{})
	must(t, err)
	go router.Run(context.Background())
	<-router.Running()
	l := &live{runner: runner}
	var stopped bool
	l.stop = func() {
		if stopped {
			return
		}
		stopped = true
		router.Close()
		sub.Close()
		must(t, runner.Flush(ctx))
		db.Close()
	}
	t.Cleanup(l.stop)
	return l
}

// On EventStoreDB, a long stretch of other applications' events moves the
// checkpoint of every projection that is up to date past it (to the
// server's last checkpoint in it), live and in catch-up, so a restart
// subscribes after the stretch; an event written after it is applied once;
// a stopped projection's checkpoint stays before the event it stopped at.
func TestEsdbCheckpointsPassForeignStretches(t *testing.T) {
	srv := esdbtest.Start(t)
	store, err := esdb.Open(srv.URL())
	must(t, err)
	t.Cleanup(func() { store.Close() })
	path := filepath.Join(t.TempDir(), "read.db")
	const typ = "carecost.test.event"
	a := appendRaw(t, store, "s-1", typ, `{"i":1}`)
	b := appendRaw(t, store, "s-1", typ, `{"i":2}`)
	c := appendRaw(t, store, "s-1", typ, `{"i":3}`)
	healthy := newFlaky("healthy")
	stopped := newFlaky("stopped").failOn(c.ID, failing{err: errors.New("stopped: cannot apply")})

	l := startLive(t, store, path, healthy, stopped)
	if f := l.runner.Failure("stopped"); f == nil || f.Position != c.Position {
		t.Fatalf("stopped: failure %+v, want one at %v", f, c.Position)
	}
	// A stretch of 200 foreign events: the server checkpoints after each 32
	// it passes over, the last after the 192nd.
	var stretch []esdbtest.Position
	for i := range 200 {
		stretch = append(stretch, srv.Write(fmt.Sprint("billing-", i), "billing.invoice_sent", []byte(`{}`)))
	}
	want := pos(stretch[191])
	waitUntil(t, func() bool { return storedCheckpoint(t, path, "healthy") == want })
	time.Sleep(300 * time.Millisecond) // nothing moves it further, nor the stopped one
	assertEq(t, "healthy after the live stretch", storedCheckpoint(t, path, "healthy"), want)
	assertEq(t, "stopped after the live stretch", storedCheckpoint(t, path, "stopped"), b.Position)
	assertEq(t, "stopped in memory", l.runner.Checkpoint("stopped"), b.Position)
	l.stop()

	// A second stretch while carecost is away: catch-up reads it and
	// records where it looked up to.
	var stretch2 []esdbtest.Position
	for i := range 100 {
		stretch2 = append(stretch2, srv.Write(fmt.Sprint("billing-x", i), "billing.invoice_sent", []byte(`{}`)))
	}
	end := pos(stretch2[len(stretch2)-1])
	before := len(srv.Starts())
	l = startLive(t, store, path, healthy, stopped)
	assertEq(t, "healthy after catch-up", storedCheckpoint(t, path, "healthy"), end)
	assertEq(t, "stopped after catch-up", storedCheckpoint(t, path, "stopped"), b.Position)
	waitUntil(t, func() bool { return len(srv.Starts()) >= before+2 })
	starts := map[domain.Position]bool{}
	for _, p := range srv.Starts()[before:] {
		starts[pos(p)] = true
	}
	if !starts[end] || !starts[b.Position] || len(starts) != 2 {
		t.Fatalf("subscriptions after the restart began after %v; want after the stretch (%v) and the stopped one's checkpoint (%v)", starts, end, b.Position)
	}

	d := appendRaw(t, store, "s-1", typ, `{"i":4}`)
	waitUntil(t, func() bool { return storedCheckpoint(t, path, "healthy") == d.Position })
	healthy.wantPositions(t, path, fmt.Sprint([]uint64{a.Position.Commit, b.Position.Commit, c.Position.Commit, d.Position.Commit}))
	stopped.wantPositions(t, path, fmt.Sprint([]uint64{a.Position.Commit, b.Position.Commit}))
	assertEq(t, "stopped at the end", storedCheckpoint(t, path, "stopped"), b.Position)
}

func pos(p esdbtest.Position) domain.Position {
	return domain.Position{Commit: p.Commit, Prepare: p.Prepare}
}
