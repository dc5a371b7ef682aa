package projections_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"sync/atomic"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// cutStore fails the appends to one stream while cut is set.
type cutStore struct {
	domain.EventStore
	cut atomic.Value // string: the stream whose appends fail
}

func (s *cutStore) Append(ctx context.Context, stream string, exp domain.ExpectedVersion, evs ...domain.EventData) (domain.AppendResult, error) {
	if c, _ := s.cut.Load().(string); c == stream {
		return domain.AppendResult{}, errors.New("injected store failure")
	}
	return s.EventStore.Append(ctx, stream, exp, evs...)
}

// A revision decided while the original's stream could not be written:
// the revisions process, run from the log, writes the missing superseded
// event, once, however often it runs.
func TestRevisionsProcessCompletesThePair(t *testing.T) {
	f := newFixture(t)
	store := &cutStore{EventStore: f.store}
	cmds := domain.NewCommands(store)
	id, rev := domain.NewID(), domain.NewID()
	dec := domain.Decision{Number: "R-1", Date: today(), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "by phone"}
	_, _, err := cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "R-1"))
	must(t, err)
	_, _, err = cmds.Decide(ctx, domain.Command{}, id, dec)
	must(t, err)
	_, _, err = cmds.Revise(ctx, domain.Command{}, id, rev, domain.Date{})
	must(t, err)
	store.cut.Store(domain.EstimateStream(id))
	dec.Number = "R-2"
	_, _, err = cmds.Decide(ctx, domain.Command{}, rev, dec)
	must(t, err)
	store.cut.Store("")
	if got := superseded(t, f.store, id); got != 0 {
		t.Fatalf("the follow-up was written (%d superseded events)", got)
	}
	complete := func(ctx context.Context, r, o string) error {
		return cmds.CompleteRevision(ctx, domain.Command{}, r, o)
	}
	db, err := projections.OpenDB(filepath.Join(t.TempDir(), "process.db"))
	must(t, err)
	t.Cleanup(func() { db.Close() })
	for range 2 {
		runner := projections.NewRunner(f.store, db, slog.New(slog.NewTextHandler(io.Discard, nil)), projections.NewRevisions(complete))
		must(t, runner.Init(ctx))
		must(t, runner.Rebuild(ctx))
	}
	if got := superseded(t, f.store, id); got != 1 {
		t.Errorf("%d superseded events on the original, want 1", got)
	}
}

func superseded(t *testing.T, s domain.EventStore, id string) int {
	t.Helper()
	evs, err := s.ReadStream(ctx, domain.EstimateStream(id), domain.ReadStreamOptions{})
	must(t, err)
	n := 0
	for _, e := range evs {
		if e.Type == domain.EvEstimateSuperseded {
			n++
		}
	}
	return n
}

// The revisions process keeps no read model: a query waiting for its own
// writes does not wait for it, even when it is stopped; readiness reports it.
func TestReadYourWritesDoesNotWaitForTheProcess(t *testing.T) {
	f := newFixture(t)
	id := domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "P-1"))
	must(t, err)
	_, r, err := f.cmds.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "P-1", Date: today(),
		EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "by phone"})
	must(t, err)
	process := projections.NewRevisions(func(context.Context, string, string) error { return nil })
	corrupt := appendRaw(t, f.store, "estimate-"+domain.NewID(), domain.EvEstimateDecided, `{"schema":1,"revision_of":`)
	runner := projections.NewRunner(f.store, f.db, slog.New(slog.NewTextHandler(io.Discard, nil)), append(f.set.All(), process)...)
	must(t, runner.Init(ctx))
	runner.CatchUp(ctx)
	if fl := runner.Failure("revisions"); fl == nil || fl.Position != corrupt.Position {
		t.Fatalf("the process did not stop at the corrupt decision: %+v", fl)
	}
	if err := runner.WaitFor(ctx, r.Position); err != nil {
		t.Errorf("waiting for a position the read models have: %v", err)
	}
	if runner.Ready(ctx) == nil {
		t.Error("ready with the revisions process stopped")
	}
}

// A keyed command that changed nothing records a no-op in its stream: the
// catalogue views and the price history pass over it.
func TestNoopInTheCatalogueStream(t *testing.T) {
	f := newFixture(t)
	cat, err := f.cmds.Catalogue(ctx)
	must(t, err)
	keyed := domain.Command{ID: "define-again", Actor: domain.Actor{ID: "admin-1", Role: "admin"}}
	_, err = f.cmds.DefineService(ctx, keyed, *cat.Service("meal-service"))
	must(t, err)
	evs, err := f.store.ReadStream(ctx, "catalogue", domain.ReadStreamOptions{})
	must(t, err)
	if last := evs[len(evs)-1]; last.Type != domain.EvCommandNoop {
		t.Fatalf("the last event of the catalogue is %s, want a no-op", last.Type)
	}
	f.catchUp(t)
	for _, name := range []string{"catalogue", "history"} {
		if fl := f.runner.Failure(name); fl != nil {
			t.Errorf("%s stopped: %v", name, fl)
		}
	}
	if _, err := f.set.Service(ctx, "meal-service"); err != nil {
		t.Errorf("the service after a no-op: %v", err)
	}
}
