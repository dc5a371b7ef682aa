package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"carecost/domain"
)

// A rebuild beside the live read model (StartRebuild) builds a fresh
// instance of one projection over a database file of its own in the data
// folder (readmodel.rebuild-NAME.db), caught up with the log by the
// catch-up machinery while the live projection keeps answering every query
// and applying live batches. Once the new tables have caught up, the
// switch holds the projection's serial lock (its live batches wait),
// catches the new tables up to the head, and in one write transaction of
// the live database replaces the live tables with their rows (Reset, then
// a copy of every table of the new file), reloads what the live instance
// keeps in memory (Reloader) and moves the checkpoint; readers see the old
// rows until the commit, then the new. A live projection stopped before an
// event the new tables applied runs again.
// The file is removed after the switch, after a failure and when carecost
// stops; one left by a crash is removed at the next start
// (RemoveRebuildFiles).

// States of a rebuild (RebuildProgress.State).
const (
	// RebuildBuilding: the new tables are catching up with the log.
	RebuildBuilding = "building"
	// RebuildSwitching: the new tables replace the live ones.
	RebuildSwitching = "switching"
	// RebuildSwitched: the new tables are the live ones.
	RebuildSwitched = "switched"
	// RebuildFailed: the new tables were dropped; the live ones stay.
	RebuildFailed = "failed"
	// RebuildCancelled: carecost stopped first; the live tables stay.
	RebuildCancelled = "cancelled"
)

// Factory makes a fresh instance of the named projection over db, or nil
// when it has none by that name (NewProjection).
type Factory func(name string, db *DB) Projection

// RebuildProgress is where a rebuild beside the live read model stands:
// the one running, or the last one since carecost started.
type RebuildProgress struct {
	// State is building, switching, switched, failed or cancelled.
	State     string    `json:"state"`
	StartedAt time.Time `json:"started_at"`
	// FinishedAt is when it switched, failed or was cancelled.
	FinishedAt *time.Time `json:"finished_at,omitempty"`
	// Events is the number of events of the log read into the new tables.
	Events uint64 `json:"events"`
	// Checkpoint is the position up to which the new tables applied the
	// log.
	Checkpoint domain.Position `json:"checkpoint"`
	// EventsPerSecond is the mean rate since the start.
	EventsPerSecond int64 `json:"events_per_second"`
	// RemainingSeconds is the time left while it builds, from the rate so
	// far and the distance to the head of the log (absent before the
	// first page is applied, and once it has finished).
	RemainingSeconds *int64 `json:"remaining_seconds,omitempty"`
	// SwitchMillis is how long the switch held the read-model writer, in
	// milliseconds (once switched).
	SwitchMillis *int64 `json:"switch_ms,omitempty"`
	// Error says why it failed.
	Error string `json:"error,omitempty"`
}

// Running reports whether the rebuild is still building or switching.
func (p RebuildProgress) Running() bool {
	return p.State == RebuildBuilding || p.State == RebuildSwitching
}

// rebuilds are a runner's rebuilds; jobs and closed are guarded by the
// runner's mu.
type rebuilds struct {
	jobs   map[string]*rebuildJob
	closed bool
	wg     sync.WaitGroup
}

// rebuildJob is one rebuild; prog and err are guarded by the runner's mu.
type rebuildJob struct {
	name   string
	cancel context.CancelFunc
	done   chan struct{}
	prog   RebuildProgress
	err    error
}

// rebuildable reports whether p can be rebuilt beside its live read model.
// readModels names the projections that keep a read model (not the
// processes), in order.
func (r *Runner) readModels() []string {
	var names []string
	for _, p := range r.projs {
		if _, isProcess := p.(process); !isProcess {
			names = append(names, p.Name())
		}
	}
	return names
}

func (r *Runner) rebuildable(p Projection) bool {
	_, isProcess := p.(process)
	return r.Shadows != nil && !isProcess
}

// StartRebuild starts rebuilding the named projection beside its live read
// model and returns at once with the progress. An unknown projection is
// ENotFound, one that keeps no read model (a process) EInvalid, one being
// rebuilt already, or any while another is, EConflict; while carecost is starting or stopping, or
// cannot build beside the live read models (no Shadows), EUnavailable.
func (r *Runner) StartRebuild(name string) (RebuildProgress, error) {
	p, ok := r.byName[name]
	if !ok {
		return RebuildProgress{}, &domain.Error{Code: domain.ENotFound, Field: "projection",
			Message: fmt.Sprintf("there is no projection %q; the read models to rebuild are %s", name, strings.Join(r.readModels(), ", "))}
	}
	if r.Shadows == nil {
		return RebuildProgress{}, domain.Errorf(domain.EUnavailable, "this carecost cannot rebuild a projection while it serves")
	}
	if !r.rebuildable(p) {
		return RebuildProgress{}, domain.Invalidf("projection", "%s keeps no read model of its own: there is nothing to rebuild", name)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.rebuilds.closed:
		return RebuildProgress{}, domain.Errorf(domain.EUnavailable, "carecost is stopping")
	case !r.caughtUp:
		return RebuildProgress{}, domain.Errorf(domain.EUnavailable, "the projections are catching up with the log since start; start the rebuild once they have")
	}
	if j := r.rebuilds.jobs[name]; j != nil && j.prog.Running() {
		return j.prog, domain.Errorf(domain.EConflict, "projection %s is being rebuilt already (started %s); wait until it has switched or failed",
			name, j.prog.StartedAt.Format(time.RFC3339))
	}
	// One rebuild at a time: two would each hold the read models' writer
	// for their switch, and build beside each other at half the speed.
	for other, j := range r.rebuilds.jobs {
		if j.prog.Running() {
			return RebuildProgress{}, domain.Errorf(domain.EConflict, "projection %s is being rebuilt (started %s); one rebuild runs at a time: start this one once it has switched or failed",
				other, j.prog.StartedAt.Format(time.RFC3339))
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	j := &rebuildJob{name: name, cancel: cancel, done: make(chan struct{}),
		prog: RebuildProgress{State: RebuildBuilding, StartedAt: time.Now().UTC()}}
	if r.rebuilds.jobs == nil {
		r.rebuilds.jobs = map[string]*rebuildJob{}
	}
	r.rebuilds.jobs[name] = j
	r.rebuilds.wg.Add(1)
	go r.runRebuild(ctx, p, j)
	r.log.Info("projection rebuild started beside the live read model", "projection", name)
	return j.prog, nil
}

// WaitRebuild waits until the running rebuild of the named projection has
// switched, failed or been cancelled, or ctx ends; it returns the last
// rebuild's progress and its error. With no rebuild since start it returns
// ENotFound.
func (r *Runner) WaitRebuild(ctx context.Context, name string) (RebuildProgress, error) {
	r.mu.Lock()
	j := r.rebuilds.jobs[name]
	r.mu.Unlock()
	if j == nil {
		return RebuildProgress{}, domain.Errorf(domain.ENotFound, "projection %s has not been rebuilt since carecost started", name)
	}
	select {
	case <-j.done:
	case <-ctx.Done():
		return RebuildProgress{}, ctx.Err()
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return j.prog, j.err
}

// StopRebuilds cancels the running rebuilds and waits until each has
// removed its file; no rebuild starts afterwards. carecost calls it when it
// stops, before it closes the read models.
func (r *Runner) StopRebuilds() {
	r.mu.Lock()
	r.rebuilds.closed = true
	for _, j := range r.rebuilds.jobs {
		j.cancel()
	}
	r.mu.Unlock()
	r.rebuilds.wg.Wait()
}

// rebuildProgress returns the named projection's last rebuild, with its
// rate and time left against head.
func (r *Runner) rebuildProgress(name string, head domain.Position) (RebuildProgress, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	j := r.rebuilds.jobs[name]
	if j == nil {
		return RebuildProgress{}, false
	}
	p := j.prog
	if !p.Running() {
		return p, true
	}
	elapsed := time.Since(p.StartedAt)
	if elapsed > 0 {
		p.EventsPerSecond = int64(float64(p.Events) / elapsed.Seconds())
	}
	// The new tables read the log from its start: the time left is the
	// time so far scaled by how much of the log, in positions, is left.
	switch {
	case p.State == RebuildSwitching || !p.Checkpoint.Less(head):
		p.RemainingSeconds = new(int64(0))
	case p.Checkpoint.Commit > 0 && head.Commit > p.Checkpoint.Commit:
		left := elapsed.Seconds() * float64(head.Commit-p.Checkpoint.Commit) / float64(p.Checkpoint.Commit)
		p.RemainingSeconds = new(int64(left + 0.5))
	}
	return p, true
}

// runRebuild builds, switches and records the outcome.
func (r *Runner) runRebuild(ctx context.Context, live Projection, j *rebuildJob) {
	defer r.rebuilds.wg.Done()
	defer close(j.done)
	defer j.cancel()
	stopLog := r.logRebuildProgress(j)
	held, err := r.buildBeside(ctx, live, j)
	stopLog()
	now := time.Now().UTC()
	r.mu.Lock()
	j.err = err
	j.prog.FinishedAt = &now
	j.prog.RemainingSeconds = nil
	if took := now.Sub(j.prog.StartedAt); took > 0 {
		j.prog.EventsPerSecond = int64(float64(j.prog.Events) / took.Seconds())
	}
	switch {
	case err == nil:
		j.prog.State = RebuildSwitched
		j.prog.SwitchMillis = new(held.Milliseconds())
	case ctx.Err() != nil:
		j.prog.State = RebuildCancelled
		j.prog.Error = "carecost stopped before the new tables replaced the live ones"
		j.err = domain.Errorf(domain.EUnavailable, "%s", j.prog.Error)
	default:
		j.prog.State = RebuildFailed
		j.prog.Error = safeText(err)
		if stopped := (*StoppedError)(nil); errors.As(err, &stopped) {
			j.prog.Error = stopped.words() // safe words already, each failure whole
		}
	}
	p := j.prog
	r.mu.Unlock()
	took := now.Sub(p.StartedAt).Round(time.Millisecond).String()
	switch p.State {
	case RebuildSwitched:
		r.log.Info("projection rebuilt beside the live read model and switched", "projection", j.name, "events", p.Events,
			"took", took, "switch_held_writer", held.Round(time.Microsecond).String())
	case RebuildCancelled:
		r.log.Warn("projection rebuild cancelled: carecost stops; the live read model stays", "projection", j.name, "events", p.Events)
	default:
		r.log.Error("projection rebuild failed; the live read model stays as it was", "projection", j.name, "events", p.Events,
			"took", took, "error", p.Error)
	}
}

// logRebuildProgress logs the progress of j every RebuildLogEvery until
// the returned function is called.
func (r *Runner) logRebuildProgress(j *rebuildJob) (stop func()) {
	every := r.RebuildLogEvery
	if every <= 0 {
		return func() {}
	}
	quit, done := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-t.C:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			head, err := r.store.Head(ctx)
			cancel()
			if err != nil {
				continue
			}
			p, _ := r.rebuildProgress(j.name, head)
			left := "unknown"
			if p.RemainingSeconds != nil {
				left = (time.Duration(*p.RemainingSeconds) * time.Second).String()
			}
			r.log.Info("projection rebuild progress", "projection", j.name, "state", p.State, "events", p.Events,
				"events_per_second", p.EventsPerSecond, "time_left", left, "checkpoint", p.Checkpoint.String(), "head", head.String())
		}
	}()
	return func() { close(quit); <-done }
}

// advanced notes that the new tables of j applied n more events, up to cp.
func (r *Runner) advanced(j *rebuildJob, n int, cp domain.Position) {
	r.mu.Lock()
	j.prog.Events += uint64(n)
	j.prog.Checkpoint = cp
	r.mu.Unlock()
	r.m.rebuildEvents.WithLabelValues(j.name).Add(float64(n))
}

func (r *Runner) eventsOf(j *rebuildJob) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return j.prog.Events
}

func (r *Runner) setRebuildState(j *rebuildJob, state string) {
	r.mu.Lock()
	j.prog.State = state
	r.mu.Unlock()
}

// maxPasses bounds the catch-up passes before the switch: each pass
// applies what was appended during the one before; the switch applies the
// rest with the live projection's batches waiting.
const maxPasses = 20

// buildBeside builds a fresh instance of live in a file of its own, caught
// up with the log, then switches; it returns how long the switch held the
// writer. The file is removed whatever happens.
func (r *Runner) buildBeside(ctx context.Context, live Projection, j *rebuildJob) (held time.Duration, err error) {
	name := live.Name()
	path := r.db.rebuildPath(name)
	if err := removeDBFiles(path); err != nil {
		return 0, err
	}
	sdb, err := OpenDB(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if sdb != nil {
			sdb.Close()
		}
		if rerr := removeDBFiles(path); rerr != nil {
			r.log.Warn("the rebuild's file was not removed; it is removed at the next start", "projection", name, "error", rerr.Error())
		}
	}()
	fresh := r.Shadows(name, sdb)
	if fresh == nil || fresh.Name() != name {
		return 0, fmt.Errorf("projections: no fresh instance of %s to rebuild", name)
	}
	sh := NewRunner(r.store, sdb, r.log.With("rebuild_of", name), fresh)
	sh.PageSize, sh.Retry = r.PageSize, r.Retry
	sh.pageDone = func(n int) { r.advanced(j, n, sh.Checkpoint(name)) }
	if err := sh.Init(ctx); err != nil {
		return 0, err
	}
	for pass := 1; ; pass++ {
		before := r.eventsOf(j)
		if err := sh.CatchUp(ctx); err != nil {
			return 0, err
		}
		if err := sh.stoppedErr(); err != nil {
			return 0, err
		}
		if r.eventsOf(j)-before < uint64(max(sh.PageSize, 1)) || pass >= maxPasses {
			break
		}
	}
	return r.switchTo(ctx, live, sh, &sdb, path, j)
}

// switchTo replaces the live tables of live with those of the caught-up
// runner sh over *sdb (at path), with the projection's live batches
// waiting; it returns how long it held the writer.
func (r *Runner) switchTo(ctx context.Context, live Projection, sh *Runner, sdb **DB, path string, j *rebuildJob) (time.Duration, error) {
	name := live.Name()
	r.serial[name].Lock()
	defer r.serial[name].Unlock()
	r.setRebuildState(j, RebuildSwitching)
	if err := sh.CatchUp(ctx); err != nil {
		return 0, err
	}
	if err := sh.stoppedErr(); err != nil {
		return 0, err
	}
	pos := sh.Checkpoint(name)
	if live := r.Checkpoint(name); pos.Less(live) {
		return 0, fmt.Errorf("projections: the new %s tables stand at %s, behind the live ones at %s", name, pos, live)
	}
	if err := (*sdb).Close(); err != nil {
		return 0, fmt.Errorf("projections: close the new %s tables: %w", name, err)
	}
	*sdb = nil
	var rows int64
	held, err := r.db.writeAttached(ctx, path, func(tx *sql.Tx) error {
		if err := live.Reset(ctx, tx); err != nil {
			return fmt.Errorf("projections: reset %s: %w", name, err)
		}
		n, err := copyAttached(ctx, tx)
		if err != nil {
			return err
		}
		rows = n
		if rl, ok := live.(Reloader); ok {
			if err := rl.Reload(ctx, tx); err != nil {
				return fmt.Errorf("projections: reload %s from its rebuilt tables: %w", name, err)
			}
		}
		return r.db.writeCheckpoint(ctx, tx, name, live.Version(), pos)
	})
	if err != nil {
		return held, err
	}
	r.mu.Lock()
	delete(r.oldTables, name) // the rows are this version's now
	r.mu.Unlock()
	r.setPos(name, pos)
	r.markSaved(name)
	if r.clearFailure(name) {
		r.log.Info("projection resumes: its rebuilt tables applied the event it was stopped at", "projection", name)
	}
	r.log.Info("projection rebuild switched", "projection", name, "checkpoint", pos.String(), "rows", rows,
		"held_writer", held.Round(time.Microsecond).String())
	return held, nil
}

// clearFailure lets the named projection run again when it is stopped; it
// reports whether it was.
func (r *Runner) clearFailure(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failed[name] == nil {
		return false
	}
	r.resumeLocked(name)
	return true
}

// resumeLocked lets stopped projection name go on (r.mu held): its failure
// is forgotten and what waits for it is woken.
func (r *Runner) resumeLocked(name string) {
	delete(r.failed, name)
	close(r.resume[name])
	delete(r.resume, name)
	r.wakeLocked()
}

// rebuildPath is where a rebuild of the named projection builds its
// tables: beside the read-model file, readmodel.rebuild-NAME.db.
func (db *DB) rebuildPath(name string) string {
	return filepath.Join(filepath.Dir(db.path), rebuildPrefix(db.path)+name+".db")
}

func rebuildPrefix(readModel string) string {
	return strings.TrimSuffix(filepath.Base(readModel), ".db") + ".rebuild-"
}

// removeDBFiles removes a SQLite file with its -wal and -shm files.
func removeDBFiles(path string) error {
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return err
		}
	}
	return nil
}

// RemoveRebuildFiles removes the files of rebuilds a crash left beside the
// read-model file at readModel (readmodel.rebuild-*.db and their -wal and
// -shm files) and returns their names. Call it only while holding the
// data folder's lock: a serving carecost's rebuild builds in such a file.
func RemoveRebuildFiles(readModel string) ([]string, error) {
	dir, prefix := filepath.Dir(readModel), rebuildPrefix(readModel)
	entries, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var removed []string
	for _, e := range entries {
		if e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !os.IsNotExist(err) {
			return removed, err
		}
		removed = append(removed, e.Name())
	}
	return removed, nil
}
