package projections_test

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"carecost/domain"
	"carecost/domain/memstore"
	"carecost/projections"
)

// twoPart is a store whose positions are (commit, prepare) pairs with holes
// between them, as EventStoreDB's are: the memory store's n is (2n, 2n-1).
// It counts the reads of more than one event.
type twoPart struct {
	*memstore.Store
	bigReads atomic.Int64
}

func toPair(p domain.Position) domain.Position {
	if p.IsZero() {
		return p
	}
	return domain.Position{Commit: 2 * p.Commit, Prepare: 2*p.Commit - 1}
}

func fromPair(p domain.Position) domain.Position { return domain.SeqPosition(p.Commit / 2) }

// DensePositions reports that positions have holes.
func (s *twoPart) DensePositions() bool { return false }

func (s *twoPart) Head(ctx context.Context) (domain.Position, error) {
	h, err := s.Store.Head(ctx)
	return toPair(h), err
}

func (s *twoPart) ReadAll(ctx context.Context, o domain.ReadAllOptions) ([]domain.RecordedEvent, error) {
	if o.Limit != 1 {
		s.bigReads.Add(1)
	}
	evs, err := s.Store.ReadAll(ctx, domain.ReadAllOptions{After: fromPair(o.After), AsOf: fromPair(o.AsOf), Limit: o.Limit})
	for i := range evs {
		evs[i].Position = toPair(evs[i].Position)
	}
	return evs, err
}

// The lag metrics read at most one event per projection: the lag in events
// is a difference of positions on a dense log, and left out (unknown) on a
// log with holes in its positions.
func TestLagMetricsReadNoLog(t *testing.T) {
	mem := memstore.New()
	appendN(t, mem, "s-1", 3)
	store := &twoPart{Store: mem}
	b := newBench(t, mem, "", newFlaky("flaky"))
	must(t, b.runner.CatchUp(ctx))
	appendN(t, mem, "s-1", 4)
	gather(t, b, `carecost_projection_lag_events{projection="flaky"} 4`)

	db, err := projections.OpenDB(b.path + "-2")
	must(t, err)
	defer db.Close()
	r := projections.NewRunner(store, db, slog.New(slog.DiscardHandler), newFlaky("flaky"))
	must(t, r.Init(ctx))
	must(t, r.CatchUp(ctx))
	appendN(t, mem, "s-1", 4)
	store.bigReads.Store(0)
	reg := prometheus.NewRegistry()
	reg.MustRegister(r.Collector())
	n, err := testutil.GatherAndCount(reg, "carecost_projection_lag_events", "carecost_projection_checkpoint_position", "carecost_projection_lag_seconds")
	must(t, err)
	assertEq(t, "series without the lag in events", n, 2)
	assertEq(t, "reads of more than one event while scraping", store.bigReads.Load(), 0)
}

// gather fails unless the runner's lag in events is want.
func gather(t *testing.T, b *bench, want string) {
	t.Helper()
	reg := prometheus.NewRegistry()
	reg.MustRegister(b.runner.Collector())
	must(t, testutil.GatherAndCompare(reg, strings.NewReader(`
# HELP carecost_projection_lag_events Events in the log not yet applied to each projection (stores with dense positions only).
# TYPE carecost_projection_lag_events gauge
`+want+"\n"), "carecost_projection_lag_events"))
}
