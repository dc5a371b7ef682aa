package projections

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync"
)

// DB is the read-model database, a SQLite file of its own beside the event
// log: one writer connection (every projection writes through it, each batch
// in one transaction with its checkpoint) and a pool of readers for queries.
// The "sqlite" database/sql driver (modernc.org/sqlite) must be linked in by
// the program.
type DB struct {
	path string
	w, r *sql.DB
	st   stmts
	wmu  sync.Mutex // serialises write transactions and the preparing after them
	// wconn and wtx are the writer's connection and transaction while
	// writeThen runs one (under wmu), for execRows.
	wconn *sql.Conn
	wtx   *sql.Tx
	raw   rawWriter
}

// OpenDB opens or creates the read-model database at path. Read models can
// always be rebuilt from the log, so commits are not flushed to disk one by
// one (synchronous=NORMAL in WAL mode: a crash loses no consistency, at most
// the last commits, which the projections apply again from their
// checkpoints).
func OpenDB(path string) (*DB, error) {
	// The read models hold personal data: a new file is its owner's only
	// (SQLite gives its -wal and -shm files the same permissions).
	if f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err == nil {
		f.Close()
	}
	dsn := func(extra string) string {
		return "file:" + url.PathEscape(path) + "?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(0)&_pragma=cache_size(-32768)" + extra
	}
	// The writer keeps its temporary files in memory: a statement that
	// writes many rows keeps the pages it changes in a statement journal,
	// which SQLite spills to a temporary file past 64 KiB (7 % of a
	// replay's time went to writing and reading them back). The switch of
	// a rebuild, whose copy sorts whole indexes, goes back to files
	// (attached).
	w, err := sql.Open("sqlite", dsn("&_txlock=immediate&_pragma=temp_store(MEMORY)"))
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
	r.SetMaxIdleConns(4) // keep the connections, and their prepared statements
	db := &DB{path: path, w: w, r: r, st: stmts{w: map[string]*sql.Stmt{}, r: map[string]*sql.Stmt{}, wanted: map[string]bool{}}}
	if err := w.PingContext(context.Background()); err != nil {
		db.Close()
		return nil, fmt.Errorf("projections: open %s: %w", path, err)
	}
	return db, nil
}

// Close closes both connection pools.
func (db *DB) Close() error {
	db.st.mu.Lock()
	for _, m := range []map[string]*sql.Stmt{db.st.w, db.st.r} {
		for _, s := range m {
			s.Close()
		}
	}
	db.st.mu.Unlock()
	db.raw.close()
	errR := db.r.Close()
	if err := db.w.Close(); err != nil {
		return err
	}
	return errR
}

// write runs fn in one write transaction.
func (db *DB) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	return db.writeThen(ctx, fn, nil)
}

// writeThen runs fn in one write transaction, then after (when not nil) with
// whether it committed, before the next write transaction starts.
func (db *DB) writeThen(ctx context.Context, fn func(tx *sql.Tx) error, after func(ok bool)) error {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	err := db.transact(ctx, fn)
	if after != nil {
		after(err == nil)
	}
	return err
}

func (db *DB) transact(ctx context.Context, fn func(tx *sql.Tx) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("projections: begin: %w", err)
	}
	err = inTx(ctx, conn, func(tx *sql.Tx) error {
		db.wconn, db.wtx = conn, tx
		defer func() { db.wconn, db.wtx = nil, nil }()
		return fn(tx)
	})
	conn.Close()
	if err != nil {
		return err
	}
	db.prepareWanted(ctx)
	return nil
}

// txBeginner is what a transaction is begun on: the writer pool, or one
// connection of it (*sql.Conn).
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// inTx runs fn in one transaction begun on b: committed when fn returns
// nil, else rolled back.
func inTx(ctx context.Context, b txBeginner, fn func(tx *sql.Tx) error) error {
	tx, err := b.BeginTx(ctx, nil)
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
