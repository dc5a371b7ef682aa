package projections

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// The writer keeps its statements' temporary files in memory (the
// statement journals of a replay's many-row writes), and a rebuild's
// switch, whose copy sorts whole indexes, keeps them in files; after the
// switch the writer is back to memory.
func TestWriterTemporaryFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := OpenDB(filepath.Join(dir, "read.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	shadow, err := OpenDB(filepath.Join(dir, "shadow.db"))
	if err != nil {
		t.Fatal(err)
	}
	shadow.Close()
	tempStore := func(tx *sql.Tx) int {
		var n int
		if err := tx.QueryRowContext(ctx, `PRAGMA temp_store`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	// PRAGMA temp_store: 1 files, 2 memory.
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.write(ctx, func(tx *sql.Tx) error {
		if n := tempStore(tx); n != 2 {
			t.Errorf("the writer's temp_store is %d, want 2 (memory)", n)
		}
		return nil
	}))
	_, err = db.writeAttached(ctx, filepath.Join(dir, "shadow.db"), func(tx *sql.Tx) error {
		if n := tempStore(tx); n != 1 {
			t.Errorf("during the switch temp_store is %d, want 1 (files)", n)
		}
		return nil
	})
	must(err)
	must(db.write(ctx, func(tx *sql.Tx) error {
		if n := tempStore(tx); n != 2 {
			t.Errorf("after the switch the writer's temp_store is %d, want 2 (memory)", n)
		}
		return nil
	}))
}
