package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"carecost/domain"
)

func testEvents(ids ...string) []domain.EventData {
	evs := make([]domain.EventData, len(ids))
	for i, id := range ids {
		evs[i] = domain.EventData{ID: id, Type: "test.happened", Data: []byte(`{}`)}
	}
	return evs
}

// TestGroupCommitManyCallers has 64 goroutines append to a stream of their
// own, with exact versions, and to one shared stream, with AnyVersion: each
// must get its own right answer, while the writer commits them in fewer
// transactions than there are appends.
func TestGroupCommitManyCallers(t *testing.T) {
	const callers, rounds = 64, 5
	s := openInternal(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	var mu sync.Mutex
	shared := map[string]domain.AppendResult{} // event id -> result
	for c := range callers {
		wg.Go(func() {
			own := fmt.Sprintf("own-%d", c)
			for i := range rounds {
				id := fmt.Sprintf("own-%d-%d", c, i)
				res, err := s.Append(ctx, own, domain.ExpectedVersion(i-1), testEvents(id)...)
				if err != nil || res.Version != uint64(i) {
					t.Errorf("caller %d, own append %d: got version %d, %v; want %d, nil", c, i, res.Version, err, i)
					return
				}
				id = fmt.Sprintf("shared-%d-%d", c, i)
				if res, err = s.Append(ctx, "shared", domain.AnyVersion, testEvents(id)...); err != nil {
					t.Errorf("caller %d, shared append %d: %v", c, i, err)
					return
				}
				mu.Lock()
				shared[id] = res
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	checkShared(t, s, shared, callers*rounds)
	appends, commits := 2*callers*rounds, s.w.commits.Load()
	if commits >= uint64(appends)/2 {
		t.Errorf("commits: got %d for %d appends, want fewer than half (appends grouped)", commits, appends)
	}
	t.Logf("%d appends in %d commits", appends, commits)
}

// checkShared checks that the shared stream holds each event once, at the
// version and position its append returned, versions without holes.
func checkShared(t *testing.T, s *Store, results map[string]domain.AppendResult, want int) {
	t.Helper()
	got, err := s.ReadStream(context.Background(), "shared", domain.ReadStreamOptions{})
	if err != nil || len(got) != want {
		t.Fatalf("shared stream: got %d events, %v; want %d", len(got), err, want)
	}
	for i, e := range got {
		res, ok := results[e.ID]
		if e.Version != uint64(i) || !ok || res.Version != e.Version || res.Position != e.Position {
			t.Errorf("shared event %d %q: stored version %d at %v, append returned %+v (known %v)", i, e.ID, e.Version, e.Position, res, ok)
		}
		delete(results, e.ID)
	}
	if len(results) != 0 {
		t.Errorf("appended but not stored: %v", results)
	}
}

// TestGroupCommitConflictInBatch puts requests that conflict, repeat and
// succeed into one batch: each gets its own answer and only the conflicts
// write nothing.
func TestGroupCommitConflictInBatch(t *testing.T) {
	s := openInternal(t)
	ctx := context.Background()
	if _, err := s.Append(ctx, "c", domain.NoStream, testEvents("c0")...); err != nil {
		t.Fatal(err)
	}
	calls := batchCalls()
	commits, begun := s.w.commits.Load(), s.w.begun.Load()
	results := make([]chan error, len(calls))
	got := make([]domain.AppendResult, len(calls))
	release := holdWriteLock(t, s)
	plug := asyncAppend(s, "plug", domain.NoStream, testEvents("plug"), new(domain.AppendResult))
	for deadline := time.Now().Add(5 * time.Second); s.w.begun.Load() == begun; time.Sleep(100 * time.Microsecond) {
		if time.Now().After(deadline) {
			t.Fatal("the writer did not take the plug")
		}
	} // the writer formed the plug's batch and waits for the lock
	for i, c := range calls {
		results[i] = asyncAppend(s, c.stream, c.expected, testEvents(c.ids...), &got[i])
		waitQueued(t, s, i+1)
	}
	release()
	if err := <-plug; err != nil {
		t.Fatalf("plug: %v", err)
	}
	var batchTime time.Time
	for i, c := range calls {
		err := <-results[i]
		if err == nil {
			// One transaction, one recorded time.
			if batchTime.IsZero() {
				batchTime = got[i].RecordedAt
			}
			if got[i].RecordedAt.IsZero() || !got[i].RecordedAt.Equal(batchTime) {
				t.Errorf("%s: recorded at %v, want the batch's time %v", c.name, got[i].RecordedAt, batchTime)
			}
			got[i].RecordedAt = time.Time{}
		}
		if !errors.Is(err, c.wantErr) || (c.wantErr == nil && got[i] != c.want) {
			t.Errorf("%s: got %+v, %v; want %+v, %v", c.name, got[i], err, c.want, c.wantErr)
		}
	}
	if n := s.w.commits.Load() - commits; n != 2 {
		t.Errorf("commits: got %d, want 2 (the plug, then all the calls together)", n)
	}
	for _, missing := range []string{"x-late", "z0", "c-late"} {
		var n int
		s.rdb.QueryRow("SELECT count(*) FROM events WHERE event_id = ?", missing).Scan(&n)
		if n != 0 {
			t.Errorf("event %s of a rejected append: stored %d times, want 0", missing, n)
		}
	}
}

// batchCall is one Append of TestGroupCommitConflictInBatch and its answer.
type batchCall struct {
	name     string
	stream   string
	expected domain.ExpectedVersion
	ids      []string
	want     domain.AppendResult // when wantErr is nil
	wantErr  error
}

// batchCalls are appends that succeed, conflict and repeat, in the order
// they join one batch.
func batchCalls() []batchCall {
	pos := domain.SeqPosition // c0 is at 1 and the plug will be at 2
	return []batchCall{
		{"creates x", "x", domain.NoStream, []string{"x0", "x1"}, domain.AppendResult{Version: 1, Position: pos(4)}, nil},
		{"x exists now", "x", domain.NoStream, []string{"x-late"}, domain.AppendResult{}, domain.ErrConcurrency},
		{"creates y", "y", domain.NoStream, []string{"y0"}, domain.AppendResult{Version: 0, Position: pos(5)}, nil},
		{"follows x", "x", domain.ExactVersion(1), []string{"x2"}, domain.AppendResult{Version: 2, Position: pos(6)}, nil},
		{"repeats the creation of x", "x", domain.NoStream, []string{"x0", "x1"}, domain.AppendResult{Version: 1, Position: pos(4)}, nil},
		{"reuses y0 in z", "z", domain.NoStream, []string{"z0", "y0"}, domain.AppendResult{}, domain.ErrConcurrency},
		{"stale c", "c", domain.NoStream, []string{"c-late"}, domain.AppendResult{}, domain.ErrConcurrency},
		{"follows c", "c", domain.ExactVersion(0), []string{"c1"}, domain.AppendResult{Version: 1, Position: pos(7)}, nil},
	}
}

// holdWriteLock takes the database's write lock from a connection of its
// own, so the writer blocks at its next BEGIN; the returned func releases it.
func holdWriteLock(t *testing.T, s *Store) func() {
	t.Helper()
	db, err := sql.Open("sqlite", s.cfg.writerDSN(s.path))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	return func() {
		tx.Rollback()
		db.Close()
	}
}

func asyncAppend(s *Store, stream string, expected domain.ExpectedVersion, evs []domain.EventData, res *domain.AppendResult) chan error {
	done := make(chan error, 1)
	go func() {
		var err error
		*res, err = s.Append(context.Background(), stream, expected, evs...)
		done <- err
	}()
	return done
}

// waitQueued waits until n requests wait for the writer.
func waitQueued(t *testing.T, s *Store, n int) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); len(s.reqs) < n; time.Sleep(100 * time.Microsecond) {
		if time.Now().After(deadline) {
			t.Fatalf("queued requests: got %d, want %d", len(s.reqs), n)
		}
	}
}

// TestLockedElsewhereIsUnavailable holds the write lock from another
// connection past the busy timeout: Append reports ErrUnavailable, and works
// again once the lock is gone.
func TestLockedElsewhereIsUnavailable(t *testing.T) {
	s := openInternal(t, WithBusyTimeout(50*time.Millisecond))
	release := holdWriteLock(t, s)
	_, err := s.Append(context.Background(), "s", domain.NoStream, testEvents("a")...)
	release()
	if !errors.Is(err, domain.ErrUnavailable) {
		t.Errorf("Append while locked: got %v, want ErrUnavailable", err)
	}
	res, err := s.Append(context.Background(), "s", domain.NoStream, testEvents("a")...)
	if err != nil || res.Version != 0 {
		t.Errorf("Append once released: got %+v, %v; want version 0, nil", res, err)
	}
}
