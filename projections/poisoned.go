package projections

import (
	"context"
	"database/sql"
	"fmt"

	"carecost/domain"
)

// dropPoisoned removes the table "poisoned" of earlier versions, which kept
// whole batches (payloads included) that a projection had passed over
// without applying them. Every projection named in it missed events, so it
// is reset here and rebuilt by the next CatchUp; the table is dropped. It
// reports whether there was such a table (the caller then vacuums the
// database, so the payloads leave the file).
func (r *Runner) dropPoisoned(ctx context.Context, tx *sql.Tx) (bool, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'poisoned'`).Scan(&n); err != nil {
		return false, fmt.Errorf("projections: look for the poisoned table: %w", err)
	}
	if n == 0 {
		return false, nil
	}
	names, err := poisonedProjections(ctx, tx)
	if err != nil {
		return false, err
	}
	var rebuilt []string
	for _, name := range names {
		if p, ok := r.byName[name]; ok {
			if err := r.reset(ctx, tx, p); err != nil {
				return false, err
			}
			r.setPos(name, domain.Position{})
			rebuilt = append(rebuilt, name)
		}
	}
	if _, err := tx.ExecContext(ctx, `DROP TABLE poisoned`); err != nil {
		return false, fmt.Errorf("projections: drop the poisoned table: %w", err)
	}
	r.log.Warn("dropped the poisoned table of an earlier version (it held event payloads); the projections that passed over batches are rebuilt",
		"rebuilt", rebuilt)
	return true, nil
}

// poisonedProjections returns the projections named in the poisoned table.
func poisonedProjections(ctx context.Context, tx *sql.Tx) ([]string, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT projection FROM poisoned ORDER BY projection`)
	if err != nil {
		return nil, fmt.Errorf("projections: read the poisoned table: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("projections: read the poisoned table: %w", err)
		}
		names = append(names, n)
	}
	return names, rows.Err()
}

// vacuum rewrites the database file, so dropped rows leave it.
func (db *DB) vacuum(ctx context.Context) error {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	for _, stmt := range []string{`VACUUM`, `PRAGMA wal_checkpoint(TRUNCATE)`} {
		if _, err := db.w.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("projections: %s: %w", stmt, err)
		}
	}
	return nil
}
