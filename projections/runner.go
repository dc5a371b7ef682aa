package projections

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"carecost/domain"
)

// Runner keeps the projections up to date: it creates their tables, rebuilds
// a projection whose version changed, catches them up with the log in large
// batches, applies live batches (from the Watermill router) and lets queries
// wait until a position is applied (read-your-writes). A projection that
// cannot apply an event stops before it (see Handle) until an operator skips
// that event or a build that applies it starts.
type Runner struct {
	store  domain.EventStore
	db     *DB
	projs  []Projection
	byName map[string]Projection
	log    *slog.Logger
	m      *metrics
	// serial holds one lock per projection: its batches are applied one
	// at a time, whoever delivers them.
	serial map[string]*sync.Mutex

	mu       sync.Mutex
	pos      map[string]domain.Position
	moved    map[string]time.Time // when each checkpoint last moved
	unsaved  map[string]bool      // checkpoints moved in memory only
	caughtUp bool                 // the first CatchUp finished
	lastHead domain.Position      // the head Status last read
	changed  chan struct{}        // closed and replaced whenever a checkpoint moves or a projection stops or resumes
	failed   map[string]*Failure  // the stopped projections
	resume   map[string]chan struct{}
	skips    map[skipKey]string // the event id of each skip recorded in the log
	// oldTables holds, for a projection whose rows are an earlier
	// version's, that version (TablesKeeper).
	oldTables map[string]int
	// PageSize is the number of events read per page during catch-up.
	PageSize int
	// Retry bounds the retries of an event that fails with a transient
	// error (a busy database) before its projection stops.
	Retry RetryPolicy
	// Shadows makes a fresh instance of a projection over another
	// database: what a rebuild beside the live read model builds
	// (StartRebuild). Nil: no rebuild while serving.
	Shadows Factory
	// RebuildLogEvery is how often a running rebuild logs its progress.
	RebuildLogEvery time.Duration
	// rebuilds are the rebuilds beside the live read models (rebuild_online.go).
	rebuilds rebuilds
	// pageDone, when set, is told the size of each page CatchUp applied
	// (a rebuild's progress).
	pageDone func(events int)
}

// RetryPolicy is how often, and after which pauses, a transient failure is
// tried again: Attempts tries in all, the first pause Delay, each next one
// four times longer.
type RetryPolicy struct {
	Attempts int
	Delay    time.Duration
}

// NewRunner returns a runner of projs over the store and the read-model db.
func NewRunner(store domain.EventStore, db *DB, log *slog.Logger, projs ...Projection) *Runner {
	r := &Runner{store: store, db: db, projs: projs, byName: map[string]Projection{}, serial: map[string]*sync.Mutex{}, log: log,
		pos: map[string]domain.Position{}, moved: map[string]time.Time{}, unsaved: map[string]bool{}, changed: make(chan struct{}),
		failed: map[string]*Failure{}, resume: map[string]chan struct{}{}, skips: map[skipKey]string{}, oldTables: map[string]int{},
		PageSize: 5000, Retry: RetryPolicy{Attempts: 4, Delay: 50 * time.Millisecond}, RebuildLogEvery: 5 * time.Second}
	for _, p := range projs {
		r.byName[p.Name()] = p
		r.serial[p.Name()] = &sync.Mutex{}
	}
	r.m = newMetrics(r)
	r.m.served(r.Projections())
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

// Init creates the tables, resets every projection whose stored version
// differs from its code's version (it is then rebuilt by CatchUp), loads the
// checkpoints and the skips recorded in the log.
func (r *Runner) Init(ctx context.Context) error {
	var dropped bool
	err := r.db.write(ctx, func(tx *sql.Tx) error {
		for _, stmt := range []string{checkpointSchema, failureSchema} {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("projections: create tables: %w", err)
			}
		}
		for _, p := range r.projs {
			if err := r.initOne(ctx, tx, p); err != nil {
				return err
			}
		}
		var err error
		dropped, err = r.dropPoisoned(ctx, tx)
		return err
	})
	if err != nil {
		return err
	}
	if dropped {
		if err := r.db.vacuum(ctx); err != nil {
			return err
		}
	}
	return r.loadSkips(ctx)
}

// initOne makes the tables of p and rebuilds it when its version changed.
// A changed projection is reset before its schema runs, so the tables of
// the old version are made again (Reset) before an index on a column only
// the new version has.
func (r *Runner) initOne(ctx context.Context, tx *sql.Tx, p Projection) error {
	version, pos, found, err := r.db.readCheckpoint(ctx, tx, p.Name())
	if err != nil {
		return err
	}
	changed := found && version != p.Version()
	if changed && keepsTables(p, version) {
		r.log.Info("projection version changed, its tables did not: the old rows answer while the new version is built beside them",
			"projection", p.Name(), "from", version, "to", p.Version())
		r.mu.Lock()
		r.oldTables[p.Name()] = version
		r.mu.Unlock()
		changed = false
	}
	if changed {
		r.log.Info("projection version changed: rebuilding", "projection", p.Name(), "from", version, "to", p.Version())
		if err := r.reset(ctx, tx, p); err != nil {
			return err
		}
	}
	for _, stmt := range p.Schema() {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("projections: %s schema: %w", p.Name(), err)
		}
	}
	if !found {
		if err := r.reset(ctx, tx, p); err != nil {
			return err
		}
	}
	if !found || changed {
		pos = domain.Position{}
	}
	r.setPos(p.Name(), pos)
	return nil
}

func (r *Runner) reset(ctx context.Context, tx *sql.Tx, p Projection) error {
	if err := p.Reset(ctx, tx); err != nil {
		return fmt.Errorf("projections: reset %s: %w", p.Name(), err)
	}
	r.mu.Lock()
	delete(r.oldTables, p.Name())
	r.mu.Unlock()
	return r.db.writeCheckpoint(ctx, tx, p.Name(), p.Version(), domain.Position{})
}

// keepsTables reports whether p's tables are those of the stored version.
func keepsTables(p Projection, stored int) bool {
	k, ok := p.(TablesKeeper)
	return ok && stored >= k.TablesSince() && stored < p.Version()
}

// tablesVersion is the version a checkpoint of p records: the stored one
// while p's rows are an earlier version's, kept until its rebuild beside
// them switches (TablesKeeper), else p's own.
func (r *Runner) tablesVersion(p Projection) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := r.oldTables[p.Name()]; ok {
		return v
	}
	return p.Version()
}

// PendingRebuilds names the projections whose rows are an earlier
// version's (TablesKeeper): serve rebuilds each beside them once it
// serves.
func (r *Runner) PendingRebuilds() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var names []string
	for _, p := range r.projs {
		if _, ok := r.oldTables[p.Name()]; ok {
			names = append(names, p.Name())
		}
	}
	return names
}

// setPos moves the checkpoint of name in memory and wakes the waiters.
func (r *Runner) setPos(name string, pos domain.Position) {
	r.mu.Lock()
	r.pos[name], r.moved[name] = pos, time.Now()
	r.wakeLocked()
	r.mu.Unlock()
}

// wakeLocked wakes everyone waiting for a change; r.mu is held.
func (r *Runner) wakeLocked() {
	close(r.changed)
	r.changed = make(chan struct{})
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
