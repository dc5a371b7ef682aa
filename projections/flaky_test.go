package projections_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"carecost/domain"
	"carecost/domain/memstore"
	"carecost/projections"
)

// flaky is a test projection: it keeps the positions it applied in a table
// of its own and fails on the events it is told to.
type flaky struct {
	name  string
	mu    sync.Mutex
	fails map[string]failing // by event id
	tries map[string]int     // attempts to apply each event
}

// failing is how an event fails: err, the first times attempts (all of
// them when times is 0), or a panic when err is nil.
type failing struct {
	err   error
	times int
}

func newFlaky(name string) *flaky {
	return &flaky{name: name, fails: map[string]failing{}, tries: map[string]int{}}
}

// failOn makes the event with id fail.
func (f *flaky) failOn(id string, how failing) *flaky {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.fails[id] = how
	return f
}

// triesOf returns how often the event with id was attempted.
func (f *flaky) triesOf(id string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.tries[id]
}

func (f *flaky) Name() string  { return f.name }
func (f *flaky) Version() int  { return 1 }
func (f *flaky) table() string { return strings.ReplaceAll(f.name, "-", "_") + "_applied" }
func (f *flaky) Schema() []string {
	return []string{`CREATE TABLE IF NOT EXISTS ` + f.table() + ` (pos INTEGER PRIMARY KEY)`}
}
func (f *flaky) Reset(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM `+f.table())
	return err
}
func (f *flaky) applied(t *testing.T, db string) []uint64 {
	return column(t, db, `SELECT pos FROM `+f.table()+` ORDER BY pos`)
}
func (f *flaky) positions(t *testing.T, db string) string { return fmt.Sprint(f.applied(t, db)) }
func (f *flaky) wantPositions(t *testing.T, db, want string) {
	t.Helper()
	assertEq(t, f.name+" applied", f.positions(t, db), want)
}
func (f *flaky) apply1(ctx context.Context, tx *sql.Tx, e domain.RecordedEvent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO `+f.table()+` (pos) VALUES (?)`, e.Position.Commit)
	return err
}

// Apply implements projections.Projection.
func (f *flaky) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	for _, e := range events {
		f.mu.Lock()
		f.tries[e.ID]++
		how, bad := f.fails[e.ID]
		n := f.tries[e.ID]
		f.mu.Unlock()
		if bad && (how.times == 0 || n <= how.times) {
			if how.err == nil {
				panic("flaky: " + e.ID)
			}
			return how.err
		}
		if err := f.apply1(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

// picky is a flaky projection that only wants the events of streams named
// want-*, so it takes the runner's filter path.
type picky struct{ *flaky }

// Wants implements projections.Filter.
func (picky) Wants(e domain.RecordedEvent) bool { return strings.HasPrefix(e.Stream, "want-") }

// bench is a runner over a store and a read-model file, with its log kept.
type bench struct {
	store  *memstore.Store
	path   string
	db     *projections.DB
	runner *projections.Runner
	log    *syncBuffer
}

// newBench opens the read models at path (a new file when empty) over
// store with projs, quick retries and a log kept in memory.
func newBench(t *testing.T, store *memstore.Store, path string, projs ...projections.Projection) *bench {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "read.db")
	}
	db, err := projections.OpenDB(path)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	b := &bench{store: store, path: path, db: db, log: &syncBuffer{}}
	b.runner = projections.NewRunner(store, db, slog.New(slog.NewJSONHandler(b.log, nil)), projs...)
	b.runner.Retry = projections.RetryPolicy{Attempts: 3, Delay: time.Millisecond}
	must(t, b.runner.Init(ctx))
	return b
}

// appendRaw appends one event as given (no payload checks) and returns it
// as recorded.
func appendRaw(t *testing.T, s domain.EventStore, stream, typ, data string) domain.RecordedEvent {
	t.Helper()
	id := domain.NewID()
	res, err := s.Append(ctx, stream, domain.AnyVersion, domain.EventData{ID: id, Type: typ, Data: []byte(data), Metadata: []byte(`{}`)})
	must(t, err)
	return domain.RecordedEvent{ID: id, Stream: stream, Type: typ, Position: res.Position, Version: res.Version, Data: []byte(data)}
}

// appendN appends n test events to stream and returns them.
func appendN(t *testing.T, s domain.EventStore, stream string, n int) []domain.RecordedEvent {
	t.Helper()
	var out []domain.RecordedEvent
	for i := range n {
		out = append(out, appendRaw(t, s, stream, "test.event", fmt.Sprintf(`{"i":%d,"client_ref":"SECRET-REF-%d"}`, i, i)))
	}
	return out
}

// column reads one integer column from the read-model file at path.
func column(t *testing.T, path, query string) []uint64 {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=query_only(1)")
	must(t, err)
	defer db.Close()
	rows, err := db.Query(query)
	must(t, err)
	defer rows.Close()
	out := []uint64{}
	for rows.Next() {
		var v uint64
		must(t, rows.Scan(&v))
		out = append(out, v)
	}
	must(t, rows.Err())
	return out
}

func assertEq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s: got %v, want %v", what, got, want)
	}
}

// syncBuffer is a log destination safe for concurrent writers.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// lines returns the log lines that hold every one of words.
func (b *syncBuffer) lines(words ...string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return slices.DeleteFunc(strings.Split(b.buf.String(), "\n"), func(l string) bool {
		return slices.ContainsFunc(words, func(w string) bool { return !strings.Contains(l, w) })
	})
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
