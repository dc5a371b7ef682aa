package projections

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"carecost/domain"
)

// Runner keeps the projections up to date: it creates their tables, rebuilds
// a projection whose version changed, catches them up with the log in large
// batches, applies live batches (from the Watermill router) and lets queries
// wait until a position is applied (read-your-writes).
type Runner struct {
	store  domain.EventStore
	db     *DB
	projs  []Projection
	byName map[string]Projection
	log    *slog.Logger
	m      *metrics

	mu       sync.Mutex
	pos      map[string]domain.Position
	moved    map[string]time.Time // when each checkpoint last moved
	unsaved  map[string]bool      // checkpoints moved in memory only
	caughtUp bool                 // the first CatchUp finished
	changed  chan struct{}        // closed and replaced whenever a checkpoint moves
	// PageSize is the number of events read per page during catch-up.
	PageSize int
}

// NewRunner returns a runner of projs over the store and the read-model db.
func NewRunner(store domain.EventStore, db *DB, log *slog.Logger, projs ...Projection) *Runner {
	r := &Runner{store: store, db: db, projs: projs, byName: map[string]Projection{}, log: log,
		pos: map[string]domain.Position{}, moved: map[string]time.Time{}, unsaved: map[string]bool{}, changed: make(chan struct{}), PageSize: 5000}
	for _, p := range projs {
		r.byName[p.Name()] = p
	}
	r.m = newMetrics(r)
	return r
}

// Projections returns the names of the projections, in order.
func (r *Runner) Projections() []string {
	names := make([]string, len(r.projs))
	for i, p := range r.projs {
		names[i] = p.Name()
	}
	return names
}

const checkpointSchema = `CREATE TABLE IF NOT EXISTS checkpoints (
	name TEXT PRIMARY KEY, version INTEGER NOT NULL, commit_pos INTEGER NOT NULL,
	prepare_pos INTEGER NOT NULL, updated_at INTEGER NOT NULL)`

// Init creates the tables, resets every projection whose stored version
// differs from its code's version (it is then rebuilt by CatchUp), and loads
// the checkpoints.
func (r *Runner) Init(ctx context.Context) error {
	return r.db.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, checkpointSchema); err != nil {
			return fmt.Errorf("projections: create checkpoints: %w", err)
		}
		for _, p := range r.projs {
			if err := r.initOne(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
}

func (r *Runner) initOne(ctx context.Context, tx *sql.Tx, p Projection) error {
	for _, stmt := range p.Schema() {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("projections: %s schema: %w", p.Name(), err)
		}
	}
	version, pos, found, err := r.db.readCheckpoint(ctx, tx, p.Name())
	if err != nil {
		return err
	}
	if !found || version != p.Version() {
		if found {
			r.log.Info("projection version changed: rebuilding", "projection", p.Name(), "from", version, "to", p.Version())
		}
		if err := r.reset(ctx, tx, p); err != nil {
			return err
		}
		pos = domain.Position{}
	}
	r.setPos(p.Name(), pos)
	return nil
}

func (r *Runner) reset(ctx context.Context, tx *sql.Tx, p Projection) error {
	if err := p.Reset(ctx, tx); err != nil {
		return fmt.Errorf("projections: reset %s: %w", p.Name(), err)
	}
	return r.db.writeCheckpoint(ctx, tx, p.Name(), p.Version(), domain.Position{})
}

func (db *DB) readCheckpoint(ctx context.Context, tx *sql.Tx, name string) (int, domain.Position, bool, error) {
	var v int
	var c, p uint64
	err := db.txQueryRow(ctx, tx, `SELECT version, commit_pos, prepare_pos FROM checkpoints WHERE name = ?`, name).Scan(&v, &c, &p)
	if err == sql.ErrNoRows {
		return 0, domain.Position{}, false, nil
	}
	if err != nil {
		return 0, domain.Position{}, false, fmt.Errorf("projections: read checkpoint %s: %w", name, err)
	}
	return v, domain.Position{Commit: c, Prepare: p}, true, nil
}

func (db *DB) writeCheckpoint(ctx context.Context, tx *sql.Tx, name string, version int, pos domain.Position) error {
	err := db.exec(ctx, tx, `INSERT INTO checkpoints (name, version, commit_pos, prepare_pos, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT(name) DO UPDATE SET version = excluded.version, commit_pos = excluded.commit_pos,
		prepare_pos = excluded.prepare_pos, updated_at = excluded.updated_at`, name, version, pos.Commit, pos.Prepare, time.Now().UnixNano())
	if err != nil {
		return fmt.Errorf("projections: write checkpoint %s: %w", name, err)
	}
	return nil
}

// Handle applies a batch of events in log order to the named projection, in
// one transaction with its checkpoint. Events at or before the checkpoint are
// skipped, so at-least-once delivery applies each event exactly once. The
// runner's checkpoints are the truth while it runs: one process owns the
// read models (the data folder's lock).
func (r *Runner) Handle(ctx context.Context, name string, events []domain.RecordedEvent) error {
	p, ok := r.byName[name]
	if !ok {
		return fmt.Errorf("projections: no projection %q", name)
	}
	cp := r.Checkpoint(name)
	i := slices.IndexFunc(events, func(e domain.RecordedEvent) bool { return cp.Less(e.Position) })
	if i < 0 {
		return nil
	}
	fresh, start := events[i:], time.Now()
	last := fresh[len(fresh)-1].Position
	if f, ok := p.(Filter); ok && !slices.ContainsFunc(fresh, f.Wants) {
		r.setPos(name, last)
		r.markUnsaved(name)
		return nil
	}
	var after func(bool)
	if c, ok := p.(Committer); ok {
		after = c.Committed
	}
	err := r.db.writeThen(ctx, func(tx *sql.Tx) error {
		if err := p.Apply(ctx, tx, fresh); err != nil {
			return fmt.Errorf("projections: %s: %w", name, err)
		}
		return r.db.writeCheckpoint(ctx, tx, name, p.Version(), last)
	}, after)
	if err != nil {
		return err
	}
	r.m.applied(name, len(fresh), time.Since(start))
	r.setPos(name, last)
	r.markSaved(name)
	return nil
}

// markUnsaved notes a checkpoint moved in memory only.
func (r *Runner) markUnsaved(name string) {
	r.mu.Lock()
	r.unsaved[name] = true
	r.mu.Unlock()
}

func (r *Runner) markSaved(name string) {
	r.mu.Lock()
	delete(r.unsaved, name)
	r.mu.Unlock()
}

// Flush writes the checkpoints that moved in memory only (at shutdown, and
// when catch-up ends).
func (r *Runner) Flush(ctx context.Context) error {
	r.mu.Lock()
	names := make([]string, 0, len(r.unsaved))
	for n := range r.unsaved {
		names = append(names, n)
	}
	r.mu.Unlock()
	for _, n := range names {
		pos := r.Checkpoint(n)
		err := r.db.write(ctx, func(tx *sql.Tx) error { return r.db.writeCheckpoint(ctx, tx, n, r.byName[n].Version(), pos) })
		if err != nil {
			return err
		}
		r.markSaved(n)
	}
	return nil
}

func (r *Runner) setPos(name string, pos domain.Position) {
	r.mu.Lock()
	r.pos[name], r.moved[name] = pos, time.Now()
	close(r.changed)
	r.changed = make(chan struct{})
	r.mu.Unlock()
}

// Checkpoint returns the position up to which the named projection applied
// the log.
func (r *Runner) Checkpoint(name string) domain.Position {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.pos[name]
}

// lowest returns the lowest checkpoint of all projections.
func (r *Runner) lowest() domain.Position {
	r.mu.Lock()
	defer r.mu.Unlock()
	var low domain.Position
	for i, p := range r.projs {
		if pos := r.pos[p.Name()]; i == 0 || pos.Less(low) {
			low = pos
		}
	}
	return low
}

// WaitFor returns once every projection has applied the log up to pos, or an
// EUnavailable error when ctx ends first.
func (r *Runner) WaitFor(ctx context.Context, pos domain.Position) error {
	for {
		r.mu.Lock()
		ch, done := r.changed, true
		for _, p := range r.projs {
			if r.pos[p.Name()].Less(pos) {
				done = false
			}
		}
		r.mu.Unlock()
		if done {
			return nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return domain.Errorf(domain.EUnavailable, "the read models have not caught up with position %s yet", pos)
		}
	}
}
