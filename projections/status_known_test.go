package projections_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// headAway is a store whose head can be made to answer as away.
type headAway struct {
	domain.EventStore
	away bool
}

func (s *headAway) Head(ctx context.Context) (domain.Position, error) {
	if s.away {
		return domain.Position{}, domain.ErrUnavailable
	}
	return s.EventStore.Head(ctx)
}

// While the store is away, StatusKnown answers where each projection
// stands against the head last read, and says the store is away; Status
// and Ready say the store does not answer.
func TestStatusKnownWhileTheStoreIsAway(t *testing.T) {
	f := newFixture(t)
	st := &headAway{EventStore: f.store}
	db, err := projections.OpenDB(filepath.Join(t.TempDir(), "read.db"))
	must(t, err)
	t.Cleanup(func() { db.Close() })
	set := projections.NewSet(db, st)
	r := projections.NewRunner(st, db, slog.New(slog.NewTextHandler(io.Discard, nil)), set.All()...)
	must(t, r.Init(ctx))
	must(t, r.CatchUp(ctx))
	head, err := f.store.Head(ctx)
	must(t, err)
	if _, away, err := r.StatusKnown(ctx); away || err != nil {
		t.Fatalf("the store answering: away %v, %v", away, err)
	}
	st.away = true
	if _, err := r.Status(ctx); !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Status while away: %v", err)
	}
	if err := r.Ready(ctx); err == nil {
		t.Error("ready while the store is away")
	}
	got, away, err := r.StatusKnown(ctx)
	if err != nil || !away || len(got) == 0 {
		t.Fatalf("StatusKnown while away: %d projections, away %v, %v", len(got), away, err)
	}
	for _, s := range got {
		if s.Head != head || !s.CaughtUp {
			t.Errorf("%s: head %v caught up %v; want the last head read, %v", s.Name, s.Head, s.CaughtUp, head)
		}
	}
}
