package projections

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"carecost/domain"
)

const checkpointSchema = `CREATE TABLE IF NOT EXISTS checkpoints (
	name TEXT PRIMARY KEY, version INTEGER NOT NULL, commit_pos INTEGER NOT NULL,
	prepare_pos INTEGER NOT NULL, updated_at INTEGER NOT NULL)`

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
// when catch-up ends). A checkpoint in memory never passes an event its
// projection did not apply or skip, so neither does the one Flush writes.
func (r *Runner) Flush(ctx context.Context) error {
	r.mu.Lock()
	names := make([]string, 0, len(r.unsaved))
	for n := range r.unsaved {
		names = append(names, n)
	}
	r.mu.Unlock()
	for _, n := range names {
		if err := r.flushOne(ctx, n); err != nil {
			return err
		}
	}
	return nil
}

// flushOne writes the checkpoint of the named projection when it moved in
// memory only, with its batches held: a rebuild's switch, which moves the
// checkpoint too, never runs between the reading and the writing.
func (r *Runner) flushOne(ctx context.Context, n string) error {
	r.serial[n].Lock()
	defer r.serial[n].Unlock()
	r.mu.Lock()
	unsaved := r.unsaved[n]
	r.mu.Unlock()
	if !unsaved {
		return nil
	}
	pos := r.Checkpoint(n)
	err := r.db.write(ctx, func(tx *sql.Tx) error { return r.db.writeCheckpoint(ctx, tx, n, r.tablesVersion(r.byName[n]), pos) })
	if err != nil {
		return err
	}
	r.markSaved(n)
	return nil
}

// Progress moves the checkpoint of the named projection to pos, a position
// the store read the log up to past events that are not the application's
// (domain.ProgressSubscription), so that a restart does not read that
// stretch again. The caller has handed every event before pos to Handle
// first, so the projection has applied everything before it. A stopped
// projection keeps its checkpoint at the event it stopped before (Progress
// returns its *StoppedError), and a checkpoint at or after pos stays. The
// checkpoint is written at once, in a transaction of its own.
func (r *Runner) Progress(ctx context.Context, name string, pos domain.Position) error {
	p, ok := r.byName[name]
	if !ok {
		return fmt.Errorf("projections: no projection %q", name)
	}
	r.serial[name].Lock()
	defer r.serial[name].Unlock()
	if f := r.Failure(name); f != nil {
		return &StoppedError{Failures: []Failure{*f}}
	}
	if !r.Checkpoint(name).Less(pos) {
		return nil
	}
	err := r.db.write(ctx, func(tx *sql.Tx) error { return r.db.writeCheckpoint(ctx, tx, name, r.tablesVersion(p), pos) })
	if err != nil {
		return err
	}
	r.setPos(name, pos)
	r.markSaved(name)
	return nil
}

// passStretch moves the checkpoint, in memory, of every projection that
// has applied the log up to after and is not stopped, to through: the
// store's read looked up to through and found none of the application's
// events after after. Flush writes it.
func (r *Runner) passStretch(after, through domain.Position) {
	for _, p := range r.projs {
		name := p.Name()
		r.serial[name].Lock()
		if cp := r.Checkpoint(name); r.Failure(name) == nil && !cp.Less(after) && cp.Less(through) {
			r.setPos(name, through)
			r.markUnsaved(name)
		}
		r.serial[name].Unlock()
	}
}
