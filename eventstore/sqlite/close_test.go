package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"carecost/domain"
)

// TestCloseDuringAppends closes the store under load: every Append returns
// either its result or ErrClosed, and every result is in the store after a
// restart.
func TestCloseDuringAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	s := mustOpen(t, path)
	l := startLoad(t, s, 16)
	l.waitAcked(t, 500)
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	acked := l.wait()
	s = mustOpen(t, path)
	defer s.Close()
	all, err := s.ReadAll(context.Background(), domain.ReadAllOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stored := map[string]domain.Position{}
	for _, e := range all {
		stored[e.ID] = e.Position
	}
	for id, res := range acked {
		if stored[id] != res.Position {
			t.Errorf("acknowledged %s at %v: stored at %v", id, res.Position, stored[id])
		}
	}
	t.Logf("%d appends acknowledged before Close, %d stored", len(acked), len(all))
}

func TestAppendCancelled(t *testing.T) {
	s := openTemp(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Append(ctx, "s", domain.NoStream, events("a")...); !errors.Is(err, context.Canceled) {
		t.Errorf("Append with a cancelled context: got %v, want context.Canceled", err)
	}
	if head, _ := s.Head(context.Background()); !head.IsZero() {
		t.Errorf("head: got %v, want zero", head)
	}
}

func TestRecordedAtFollowsPosition(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 20 {
				if _, err := s.Append(ctx, fmt.Sprint("w", w), domain.AnyVersion, events(fmt.Sprint(w, "-", i))...); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	all, _ := s.ReadAll(ctx, domain.ReadAllOptions{})
	for i := 1; i < len(all); i++ {
		if all[i].RecordedAt.Before(all[i-1].RecordedAt) {
			t.Errorf("event at %v recorded at %v, before the one at %v (%v)", all[i].Position, all[i].RecordedAt, all[i-1].Position, all[i-1].RecordedAt)
		}
	}
}
