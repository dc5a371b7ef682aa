package projections

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
)

// DB is the read-model database, a SQLite file of its own beside the event
// log: one writer connection (every projection writes through it, each batch
// in one transaction with its checkpoint) and a pool of readers for queries.
// The "sqlite" database/sql driver (modernc.org/sqlite) must be linked in by
// the program.
type DB struct {
	w, r *sql.DB
}

// OpenDB opens or creates the read-model database at path. Read models can
// always be rebuilt from the log, so commits are not flushed to disk one by
// one (synchronous=NORMAL in WAL mode: a crash loses no consistency, at most
// the last commits, which the projections apply again from their
// checkpoints).
func OpenDB(path string) (*DB, error) {
	dsn := func(extra string) string {
		return "file:" + url.PathEscape(path) + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(0)" + extra
	}
	w, err := sql.Open("sqlite", dsn("&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("projections: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", dsn("&_pragma=query_only(1)"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("projections: open %s: %w", path, err)
	}
	r.SetMaxOpenConns(4)
	db := &DB{w: w, r: r}
	if err := w.PingContext(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("projections: open %s: %w", path, err)
	}
	return db, nil
}

// Close closes both connection pools.
func (db *DB) Close() error {
	errR := db.r.Close()
	if err := db.w.Close(); err != nil {
		return err
	}
	return errR
}

// write runs fn in one write transaction.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("projections: begin: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("projections: commit: %w", err)
	}
	return nil
}
