package projections_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"carecost/domain"
	"carecost/domain/memstore"
)

// A read-model file of an earlier version with a poisoned table (batches
// passed over, payloads included): the table goes, payloads leave the file,
// and the projections named in it are rebuilt, so they get the events they
// missed.
func TestOldPoisonedTable(t *testing.T) {
	store := memstore.New()
	appendN(t, store, "s-1", 4)
	path := filepath.Join(t.TempDir(), "read.db")
	first := newBench(t, store, path, newFlaky("flaky"), newFlaky("healthy"))
	must(t, first.runner.CatchUp(ctx))
	first.db.Close()
	old, err := sql.Open("sqlite", "file:"+path)
	must(t, err)
	for _, stmt := range []string{
		`CREATE TABLE poisoned (id INTEGER PRIMARY KEY, projection TEXT NOT NULL, first_position TEXT NOT NULL, last_position TEXT NOT NULL,
			reason TEXT NOT NULL, batch BLOB NOT NULL, at INTEGER NOT NULL)`,
		`INSERT INTO poisoned (projection, first_position, last_position, reason, batch, at) VALUES ('flaky', '2', '3', 'x', '{"client_ref":"SECRET-REF-2"}', 0)`,
		`DELETE FROM flaky_applied WHERE pos IN (2, 3)`,
	} {
		_, err := old.Exec(stmt)
		must(t, err)
	}
	must(t, old.Close())

	fl := newFlaky("flaky")
	b := newBench(t, store, path, fl, newFlaky("healthy"))
	assertEq(t, "checkpoint of the poisoned projection", b.runner.Checkpoint("flaky"), domain.Position{})
	assertEq(t, "checkpoint of the other", b.runner.Checkpoint("healthy"), domain.SeqPosition(4))
	assertEq(t, "poisoned tables", column(t, path, `SELECT count(*) FROM sqlite_master WHERE name = 'poisoned'`)[0], 0)
	assertNoSecret(t, b)
	must(t, b.runner.CatchUp(ctx))
	fl.wantPositions(t, path, "[1 2 3 4]")
}
