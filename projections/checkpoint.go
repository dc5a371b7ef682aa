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
		pos := r.Checkpoint(n)
		err := r.db.write(ctx, func(tx *sql.Tx) error { return r.db.writeCheckpoint(ctx, tx, n, r.byName[n].Version(), pos) })
		if err != nil {
			return err
		}
		r.markSaved(n)
	}
	return nil
}
