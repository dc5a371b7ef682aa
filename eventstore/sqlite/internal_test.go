package sqlite

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

func openInternal(t *testing.T, opts ...Option) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "events.db"), opts...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestPragmas(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		name string
		opts []Option
		sync string
	}{
		{"default is FULL", nil, "2"},
		{"NORMAL on request", []Option{WithSync(SyncNormal)}, "1"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := openInternal(t, c.opts...)
			writer := map[string]string{
				"journal_mode": "wal", "synchronous": c.sync, "foreign_keys": "1",
				"busy_timeout": "5000", "user_version": "1", "page_size": "1024",
			}
			for name, want := range writer {
				var got string
				if err := s.w.conn.QueryRowContext(ctx, "PRAGMA "+name).Scan(&got); err != nil || got != want {
					t.Errorf("writer PRAGMA %s: got %q, %v; want %q", name, got, err, want)
				}
			}
			var got string
			if err := s.rdb.QueryRowContext(ctx, "PRAGMA query_only").Scan(&got); err != nil || got != "1" {
				t.Errorf("reader PRAGMA query_only: got %q, %v; want 1", got, err)
			}
		})
	}
}

func TestSchemaVersion(t *testing.T) {
	if SchemaVersion != len(migrations) {
		t.Errorf("SchemaVersion: got %d, want the number of migrations %d", SchemaVersion, len(migrations))
	}
}

// TestQueryPlans checks that reads use an index, not a scan of the log.
func TestQueryPlans(t *testing.T) {
	s := openInternal(t)
	for _, c := range []struct {
		query string
		want  string
	}{
		{"SELECT " + eventColumns + " FROM events WHERE stream = 's' AND version >= 0 AND position <= 9 ORDER BY version LIMIT -1", "USING INDEX"},
		{"SELECT position FROM events WHERE stream = 's' AND version = 0", "USING COVERING INDEX"},
		{"SELECT " + eventColumns + " FROM events WHERE position > 0 AND position <= 9 ORDER BY position LIMIT 10", "USING INTEGER PRIMARY KEY"},
		{"SELECT max(version) FROM events WHERE stream = 's'", "USING COVERING INDEX"},
		{lastEventQuery, "USING INTEGER PRIMARY KEY (rowid=?)"},
		{"SELECT coalesce(max(position), 0) FROM events", "SEARCH events"},
		{"SELECT position, stream, version FROM events WHERE event_id = 'x'", "USING INDEX"},
	} {
		rows, err := s.rdb.Query("EXPLAIN QUERY PLAN " + c.query)
		if err != nil {
			t.Fatalf("EXPLAIN %s: %v", c.query, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		got := strings.Join(plan, "; ")
		if !strings.Contains(got, c.want) || strings.Contains(got, "SCAN") || strings.Contains(got, "TEMP B-TREE") {
			t.Errorf("plan of %s:\n got %s\nwant %s, no scan and no temporary b-tree", c.query, got, c.want)
		}
	}
}

// A subscription waiting for a commit ends with ErrClosed when the store
// closes.
func TestCloseEndsWaitingSubscription(t *testing.T) {
	s := openInternal(t)
	sub, err := s.Subscribe(context.Background(), domain.Position{})
	if err != nil {
		t.Fatal(err)
	}
	ended := make(chan error, 1)
	go func() {
		_, err := sub.Next(context.Background())
		ended <- err
	}()
	for deadline := time.Now().Add(5 * time.Second); s.waiting.Load() == 0; time.Sleep(100 * time.Microsecond) {
		if time.Now().After(deadline) {
			t.Fatal("Next did not wait")
		}
	}
	s.Close()
	select {
	case err := <-ended:
		if !errors.Is(err, domain.ErrClosed) {
			t.Errorf("Next: got %v, want ErrClosed", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Next still blocked 5s after Close")
	}
}

// ReadAll's connections are lent again until they have read the mapping
// budget, then closed (which unmaps the pages they touched); without a
// budget they are kept.
func TestRawReadersReopenAfterTheirBudget(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		budget int64
		kept   bool
	}{{budget: 64 << 20, kept: true}, {budget: 1, kept: false}} {
		s, err := Open(filepath.Join(t.TempDir(), "events.db"), WithMmapSize(c.budget))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Append(ctx, "s-1", domain.NoStream, domain.EventData{ID: domain.NewID(), Type: "t", Data: []byte(`{"a":1}`)}); err != nil {
			t.Fatal(err)
		}
		if evs, err := s.ReadAll(ctx, domain.ReadAllOptions{}); err != nil || len(evs) != 1 {
			t.Fatalf("read %d events: %v", len(evs), err)
		}
		s.raw.mu.Lock()
		idle := len(s.raw.idle)
		s.raw.mu.Unlock()
		if kept := idle == 1; kept != c.kept {
			t.Errorf("budget %d: %d idle readers after a read", c.budget, idle)
		}
		s.Close()
	}
}

// TestArenaCopies: what the arena hands out are copies, whole, that later
// copies (into the same block or a new one, of any size) leave as they are.
func TestArenaCopies(t *testing.T) {
	var a arena
	var srcs, got [][]byte
	for i, n := range []int{10, 0, 40 << 10, 30 << 10, 100 << 10, 1, 64 << 10, 5} {
		src := []byte(strings.Repeat(string(rune('a'+i)), n))
		c := a.copy(src)
		if len(c) != n || cap(c) != n {
			t.Fatalf("copy %d: len %d cap %d, want %d", i, len(c), cap(c), n)
		}
		src2 := append([]byte(nil), src...)
		clear(src) // the copy does not share the source's memory
		srcs, got = append(srcs, src2), append(got, c)
	}
	for i := range got {
		if string(got[i]) != string(srcs[i]) {
			t.Fatalf("copy %d changed: %.20q..., want %.20q...", i, got[i], srcs[i])
		}
	}
}
