package projections

import (
	"context"
	"database/sql"
	"fmt"
	"sync"
)

// stmts caches prepared statements by their SQL: preparing is a large part
// of a small query's cost, and the projections run the same few statements
// for every batch. The writer pool has one connection, held by the
// transaction while a batch is applied, so a write statement seen for the
// first time runs unprepared and is prepared after the commit (wanted).
type stmts struct {
	mu     sync.Mutex
	w      map[string]*sql.Stmt
	r      map[string]*sql.Stmt
	wanted map[string]bool
}

func (db *DB) prepared(ctx context.Context, pool *sql.DB, cache map[string]*sql.Stmt, query string) (*sql.Stmt, error) {
	db.st.mu.Lock()
	defer db.st.mu.Unlock()
	if s := cache[query]; s != nil {
		return s, nil
	}
	s, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("projections: prepare: %w", err)
	}
	cache[query] = s
	return s, nil
}

// writeStmt returns the prepared write statement for query bound to tx, or
// nil (and notes the query to prepare after the commit).
func (db *DB) writeStmt(ctx context.Context, tx *sql.Tx, query string) *sql.Stmt {
	db.st.mu.Lock()
	defer db.st.mu.Unlock()
	if s := db.st.w[query]; s != nil {
		return tx.StmtContext(ctx, s)
	}
	db.st.wanted[query] = true
	return nil
}

// prepareWanted prepares the write statements first seen in the last
// transaction. It runs under the write lock, after the commit, so the writer
// connection is free.
func (db *DB) prepareWanted(ctx context.Context) {
	db.st.mu.Lock()
	var qs []string
	for q := range db.st.wanted {
		qs = append(qs, q)
		delete(db.st.wanted, q)
	}
	db.st.mu.Unlock()
	for _, q := range qs {
		s, err := db.w.PrepareContext(ctx, q)
		if err != nil {
			continue
		}
		db.st.mu.Lock()
		db.st.w[q] = s
		db.st.mu.Unlock()
	}
}

// exec runs a write statement inside tx.
func (db *DB) exec(ctx context.Context, tx *sql.Tx, query string, args ...any) error {
	var err error
	if s := db.writeStmt(ctx, tx, query); s != nil {
		_, err = s.ExecContext(ctx, args...)
	} else {
		_, err = tx.ExecContext(ctx, query, args...)
	}
	return err
}

// txQueryRow runs a query inside tx.
func (db *DB) txQueryRow(ctx context.Context, tx *sql.Tx, query string, args ...any) *sql.Row {
	if s := db.writeStmt(ctx, tx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return tx.QueryRowContext(ctx, query, args...)
}

// queryRow runs a read query on the reader pool, prepared once.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	s, err := db.prepared(ctx, db.r, db.st.r, query)
	if err != nil {
		return db.r.QueryRowContext(ctx, query, args...)
	}
	return s.QueryRowContext(ctx, args...)
}
