package projections

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
)

// writeAttached runs fn in one write transaction on the writer connection,
// with the SQLite file at path attached as schema "shadow" (ATTACH cannot
// run inside a transaction, so it runs on the connection just before). It
// returns how long it held the writer, from taking it to the commit.
func (db *DB) writeAttached(ctx context.Context, path string, fn func(tx *sql.Tx) error) (time.Duration, error) {
	db.wmu.Lock()
	defer db.wmu.Unlock()
	start := time.Now()
	err := db.attached(ctx, path, fn)
	held := time.Since(start)
	if err == nil {
		db.prepareWanted(ctx)
	}
	return held, err
}

func (db *DB) attached(ctx context.Context, path string, fn func(tx *sql.Tx) error) error {
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("projections: the writer: %w", err)
	}
	defer conn.Close()
	// The copy sorts whole indexes: in temporary files, not in memory (the
	// writer's setting for its small statements, OpenDB).
	if _, err := conn.ExecContext(ctx, `PRAGMA temp_store = FILE`); err != nil {
		return fmt.Errorf("projections: the writer: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `PRAGMA temp_store = MEMORY`)
	if _, err := conn.ExecContext(ctx, `ATTACH DATABASE ? AS shadow`, path); err != nil {
		return fmt.Errorf("projections: attach the rebuilt tables: %w", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `DETACH DATABASE shadow`)
	return inTx(ctx, conn, fn)
}

// copyAttached copies every row of the attached schema "shadow"'s tables
// (a rebuilt projection's, beside its checkpoint) into the main tables of
// the same names, column by column; it returns the rows copied.
func copyAttached(ctx context.Context, tx *sql.Tx) (int64, error) {
	tables, err := column(ctx, tx, `SELECT name FROM shadow.sqlite_master WHERE type = 'table'
		AND name NOT LIKE 'sqlite%' AND name NOT IN ('checkpoints', 'projection_failures') ORDER BY name`)
	if err != nil {
		return 0, fmt.Errorf("projections: the rebuilt tables: %w", err)
	}
	var total int64
	for _, t := range tables {
		cols, err := column(ctx, tx, `SELECT name FROM pragma_table_info(?, 'shadow')`, t)
		if err != nil || len(cols) == 0 {
			return 0, fmt.Errorf("projections: the columns of the rebuilt %s: %v", t, err)
		}
		list := make([]string, len(cols))
		for i, c := range cols {
			list[i] = quoteIdent(c)
		}
		l := strings.Join(list, ", ")
		res, err := tx.ExecContext(ctx, `INSERT INTO main.`+quoteIdent(t)+` (`+l+`) SELECT `+l+` FROM shadow.`+quoteIdent(t))
		if err != nil {
			return 0, fmt.Errorf("projections: copy the rebuilt %s: %w", t, err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, nil
}

// column returns the first column of a query's rows.
func column(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
