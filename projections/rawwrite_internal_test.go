package projections

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// Many-row writes run on the writer's connection itself inside writeThen's
// transaction: the rows are there after the commit, gone after a rollback,
// every bound type reads back as database/sql writes it (an empty text is
// not NULL), and a value of another type goes through database/sql. Fails
// when the driver's connection handle can no longer be read (the writes
// would still land, through database/sql, more slowly).
func TestRawWritesAreUsed(t *testing.T) {
	ctx := context.Background()
	db, err := OpenDB(filepath.Join(t.TempDir(), "read.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER, s TEXT, b BLOB, f INTEGER, z)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	yes := true
	rows := []any{"a", int64(-7), "héllo", []byte{0, 1}, true, nil, "b", int64(1 << 40), "", []byte{}, &yes, (*bool)(nil)}
	if err := db.write(ctx, func(tx *sql.Tx) error {
		return db.execRows(ctx, tx, `INSERT INTO t VALUES (?,?,?,?,?,?),(?,?,?,?,?,?)`, rows...)
	}); err != nil {
		t.Fatal(err)
	}
	if n := db.RawWrites(); n != 1 {
		t.Fatalf("%d statements ran on the connection itself, want 1", n)
	}
	// A rolled-back transaction keeps none of them.
	_ = db.write(ctx, func(tx *sql.Tx) error {
		if err := db.execRows(ctx, tx, `INSERT INTO t VALUES (?,?,?,?,?,?)`, "c", int64(3), "x", nil, false, nil); err != nil {
			t.Fatal(err)
		}
		return context.Canceled
	})
	// An int is not bound here: database/sql writes it.
	if err := db.write(ctx, func(tx *sql.Tx) error {
		return db.execRows(ctx, tx, `INSERT INTO t VALUES (?,?,?,?,?,?)`, "d", 4, "y", nil, false, nil)
	}); err != nil {
		t.Fatal(err)
	}
	if n := db.RawWrites(); n != 2 {
		t.Errorf("%d statements ran on the connection itself, want 2", n)
	}
	got := map[string]string{}
	r, err := db.r.QueryContext(ctx, `SELECT k, quote(n), quote(s), quote(b), quote(f), quote(z), typeof(s) FROM t`)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for r.Next() {
		var k, n, s, b, f, z, ts string
		if err := r.Scan(&k, &n, &s, &b, &f, &z, &ts); err != nil {
			t.Fatal(err)
		}
		got[k] = n + " " + s + " " + b + " " + f + " " + z + " " + ts
	}
	want := map[string]string{
		"a": "-7 'héllo' X'0001' 1 NULL text",
		"b": "1099511627776 '' X'' 1 NULL text",
		"d": "4 'y' NULL 0 NULL text",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("row %s: %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("rows %v, want %v", got, want)
	}
}
