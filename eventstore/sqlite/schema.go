package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// migrations build the schema step by step; PRAGMA user_version records how
// many have run. Append new steps at the end, never edit a released one.
//
// The first step creates the event log. position is the rowid, so it is the
// global sequence. UNIQUE(stream, version) guards optimistic concurrency and
// doubles as the head index: max(version) of a stream is one seek at the end
// of its range, so no separate table of stream heads has to be written on
// every commit. recorded_at is in Unix nanoseconds and set by the store.
var migrations = []string{
	`CREATE TABLE events (
		position    INTEGER PRIMARY KEY,
		event_id    TEXT    NOT NULL UNIQUE,
		stream      TEXT    NOT NULL,
		version     INTEGER NOT NULL,
		type        TEXT    NOT NULL,
		data        BLOB,
		metadata    BLOB,
		recorded_at INTEGER NOT NULL,
		UNIQUE (stream, version)
	)`,
}

// SchemaVersion is the schema version this package writes: the number of
// migrations, stored in PRAGMA user_version.
const SchemaVersion = 1

// migrate brings the schema of db up to SchemaVersion in one transaction.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var have int
	if err := tx.QueryRowContext(ctx, "PRAGMA user_version").Scan(&have); err != nil {
		return err
	}
	if have > len(migrations) {
		return fmt.Errorf("schema version %d is newer than this program's %d", have, len(migrations))
	}
	for i := have; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("migration %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations))); err != nil {
		return err
	}
	return tx.Commit()
}

// statement names a prepared statement field and its SQL.
type statement struct {
	stmt  **sql.Stmt
	query string
}

// preparer is a *sql.DB or a *sql.Conn.
type preparer interface {
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// prepareAll prepares every statement of list; when one fails it closes the
// ones before it.
func prepareAll(ctx context.Context, p preparer, list []statement) error {
	for i, st := range list {
		var err error
		if *st.stmt, err = p.PrepareContext(ctx, st.query); err != nil {
			closeAll(list[:i])
			return fmt.Errorf("prepare %q: %w", st.query, err)
		}
	}
	return nil
}

// closeAll closes the prepared statements of list.
func closeAll(list []statement) error {
	var errs []error
	for _, st := range list {
		if *st.stmt != nil {
			errs = append(errs, (*st.stmt).Close())
			*st.stmt = nil
		}
	}
	return errors.Join(errs...)
}
