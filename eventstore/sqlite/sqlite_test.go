package sqlite_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/eventstore/sqlite"
	"carecost/eventstore/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (domain.EventStore, storetest.Reopen) {
		path := filepath.Join(t.TempDir(), "events.db")
		return mustOpen(t, path), func(t *testing.T) domain.EventStore { return mustOpen(t, path) }
	}, storetest.DensePositions())
}

// TestConformanceTight runs the suite again with the smallest settings:
// subscriptions catch up two events at a time, batches hold at most three
// appends and one connection serves every read.
func TestConformanceTight(t *testing.T) {
	opts := []sqlite.Option{sqlite.WithCatchUpPage(2), sqlite.WithMaxBatch(3), sqlite.WithReaders(1)}
	storetest.Run(t, func(t *testing.T) (domain.EventStore, storetest.Reopen) {
		path := filepath.Join(t.TempDir(), "events.db")
		return mustOpen(t, path, opts...), func(t *testing.T) domain.EventStore { return mustOpen(t, path, opts...) }
	}, storetest.DensePositions())
}

// mustOpen opens the store at path; the caller closes it.
func mustOpen(tb testing.TB, path string, opts ...sqlite.Option) *sqlite.Store {
	tb.Helper()
	s, err := sqlite.Open(path, opts...)
	if err != nil {
		tb.Fatalf("Open(%q): %v", path, err)
	}
	return s
}

// openTemp opens a store in a new temporary directory and closes it when tb
// ends.
func openTemp(tb testing.TB, opts ...sqlite.Option) *sqlite.Store {
	tb.Helper()
	s := mustOpen(tb, filepath.Join(tb.TempDir(), "events.db"), opts...)
	tb.Cleanup(func() { s.Close() })
	return s
}

func events(ids ...string) []domain.EventData {
	evs := make([]domain.EventData, len(ids))
	for i, id := range ids {
		evs[i] = domain.EventData{ID: id, Type: "test.happened", Data: []byte(`{"id":"` + id + `"}`)}
	}
	return evs
}

func TestOpen(t *testing.T) {
	t.Run("an empty store has a zero head", func(t *testing.T) {
		s := openTemp(t)
		head, err := s.Head(context.Background())
		if err != nil || !head.IsZero() {
			t.Errorf("Head: got %v, %v; want zero, nil", head, err)
		}
	})
	t.Run("first event is at position 1", func(t *testing.T) {
		s := openTemp(t)
		res, err := s.Append(context.Background(), "s", domain.NoStream, events("a")...)
		if want := (domain.AppendResult{Version: 0, Position: domain.SeqPosition(1)}); err != nil || res.Version != want.Version || res.Position != want.Position || res.RecordedAt.IsZero() {
			t.Errorf("Append: got %+v, %v; want %+v, nil", res, err, want)
		}
	})
	t.Run("a missing directory is unavailable", func(t *testing.T) {
		_, err := sqlite.Open(filepath.Join(t.TempDir(), "no", "such", "dir", "events.db"))
		if !errors.Is(err, domain.ErrUnavailable) {
			t.Errorf("Open: got error %v, want ErrUnavailable", err)
		}
	})
	t.Run("rejects a bad option", func(t *testing.T) {
		_, err := sqlite.Open(filepath.Join(t.TempDir(), "events.db"), sqlite.WithSync("OFF"))
		if err == nil {
			t.Errorf("Open with sync OFF: got no error")
		}
	})
	t.Run("second Close returns ErrClosed", func(t *testing.T) {
		s := mustOpen(t, filepath.Join(t.TempDir(), "events.db"))
		if err := s.Close(); err != nil {
			t.Fatalf("first Close: %v", err)
		}
		if err := s.Close(); !errors.Is(err, domain.ErrClosed) {
			t.Errorf("second Close: got %v, want ErrClosed", err)
		}
	})
}

func TestAppendInvalid(t *testing.T) {
	s := openTemp(t)
	ctx := context.Background()
	for _, c := range []struct {
		name     string
		stream   string
		expected domain.ExpectedVersion
		evs      []domain.EventData
		field    string
	}{
		{"empty stream", "", domain.NoStream, events("a"), "stream"},
		{"bad expected version", "s", -3, events("a"), "expected"},
		{"no events", "s", domain.NoStream, nil, "events"},
		{"empty id", "s", domain.NoStream, events("a", ""), "events[1].id"},
		{"empty type", "s", domain.NoStream, []domain.EventData{{ID: "a"}}, "events[0].type"},
		{"id twice", "s", domain.NoStream, events("a", "b", "a"), "events[2].id"},
	} {
		_, err := s.Append(ctx, c.stream, c.expected, c.evs...)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.EInvalid || de.Field != c.field {
			t.Errorf("%s: got error %v, want invalid %s", c.name, err, c.field)
		}
	}
	if head, _ := s.Head(ctx); !head.IsZero() {
		t.Errorf("head after invalid appends: got %v, want zero", head)
	}
}

// TestNextDoneReadsAcrossPages gathers a batch the way a consumer does: with
// a done context, Next keeps reading pages until it has caught up.
func TestNextDoneReadsAcrossPages(t *testing.T) {
	s := openTemp(t, sqlite.WithCatchUpPage(2))
	ctx := context.Background()
	if _, err := s.Append(ctx, "s", domain.NoStream, events("a", "b", "c", "d", "e")...); err != nil {
		t.Fatal(err)
	}
	sub, err := s.Subscribe(ctx, domain.Position{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	done, cancel := context.WithCancel(ctx)
	cancel()
	var got []string
	for {
		e, err := sub.Next(done)
		if err != nil {
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Next once caught up: got %v, want context.Canceled", err)
			}
			break
		}
		got = append(got, e.ID)
	}
	if want := "a b c d e"; strings.Join(got, " ") != want {
		t.Errorf("events: got %q, want %q", strings.Join(got, " "), want)
	}
}

// A new log is readable by its owner only: it holds personal data and
// credential hashes.
func TestNewLogIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.db")
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, p := range []string{path, path + "-wal"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s has mode %v", filepath.Base(p), info.Mode().Perm())
		}
	}
}
