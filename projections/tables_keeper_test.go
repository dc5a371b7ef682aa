package projections_test

import (
	"context"
	"database/sql"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// tally counts the events of the log, weight each: a projection whose
// version 2 counts otherwise than version 1 in the same table.
type tally struct {
	version, weight, since int
}

func (*tally) Name() string   { return "tally" }
func (t *tally) Version() int { return t.version }
func (*tally) Schema() []string {
	return []string{`CREATE TABLE IF NOT EXISTS tally (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)`}
}
func (*tally) Reset(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM tally`)
	return err
}
func (t *tally) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO tally (id, n) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET n = n + excluded.n`, t.weight*len(events))
	return err
}

// keepingTally is tally declaring its tables those of earlier versions.
type keepingTally struct{ tally }

func (t *keepingTally) TablesSince() int { return t.since }

// A new version whose tables are the old version's is not emptied at
// start: the old rows answer (and take the live events) while the new
// version is built beside them; its switch writes the new version. Until
// then the stored version stays the old one, so a stop before the switch
// builds it again at the next start.
func TestNewVersionBuiltBesideItsOldRows(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "tally.db")
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	open := func(p projections.Projection) (*projections.DB, *projections.Runner) {
		db, err := projections.OpenDB(path)
		must(t, err)
		r := projections.NewRunner(f.store, db, quiet, p)
		r.Shadows = func(name string, sdb *projections.DB) projections.Projection {
			return &keepingTally{tally{version: 2, weight: 2, since: 1}}
		}
		must(t, r.Init(ctx))
		must(t, r.CatchUp(ctx))
		return db, r
	}
	count := func() uint64 { return column(t, path, `SELECT n FROM tally`)[0] }
	stored := func() uint64 { return column(t, path, `SELECT version FROM checkpoints WHERE name = 'tally'`)[0] }
	head, err := f.store.Head(ctx)
	must(t, err)
	n := head.Commit // the memory store numbers its events from 1

	db, r := open(&tally{version: 1, weight: 1})
	if count() != n || stored() != 1 {
		t.Fatalf("version 1: %d events counted, version %d", count(), stored())
	}
	db.Close()

	// Version 2 keeps the tables: nothing emptied, the rebuild pending.
	for range 2 { // the second start is a stop before the switch
		db, r = open(&keepingTally{tally{version: 2, weight: 2, since: 1}})
		if got := r.PendingRebuilds(); !slices.Equal(got, []string{"tally"}) {
			t.Fatalf("pending %v", got)
		}
		if count() < n || stored() != 1 {
			t.Fatalf("version 2 at start: %d counted (the old rows: at least %d), version %d stored", count(), n, stored())
		}
		_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, domain.NewID(), homeCareCase(t, "K-1"))
		must(t, err)
		must(t, r.CatchUp(ctx))
		must(t, r.Flush(ctx))
		if stored() != 1 {
			t.Fatalf("the live events stored version %d before the switch", stored())
		}
		db.Close()
	}
	db, r = open(&keepingTally{tally{version: 2, weight: 2, since: 1}})
	defer db.Close()
	_, err = r.StartRebuild("tally")
	must(t, err)
	p, err := r.WaitRebuild(ctx, "tally")
	must(t, err)
	head, err = f.store.Head(ctx)
	must(t, err)
	if p.State != projections.RebuildSwitched || count() != 2*head.Commit || stored() != 2 || len(r.PendingRebuilds()) != 0 {
		t.Errorf("after the switch: %s, %d counted (want %d), version %d, pending %v", p.State, count(), 2*head.Commit, stored(), r.PendingRebuilds())
	}

	// A version whose tables changed is emptied and rebuilt at start.
	other := filepath.Join(t.TempDir(), "other.db")
	db2, err := projections.OpenDB(other)
	must(t, err)
	r2 := projections.NewRunner(f.store, db2, quiet, &tally{version: 1, weight: 1})
	must(t, r2.Init(ctx))
	must(t, r2.CatchUp(ctx))
	db2.Close()
	db2, err = projections.OpenDB(other)
	must(t, err)
	defer db2.Close()
	r2 = projections.NewRunner(f.store, db2, quiet, &tally{version: 2, weight: 2})
	must(t, r2.Init(ctx))
	must(t, r2.CatchUp(ctx))
	if got := column(t, other, `SELECT n FROM tally`)[0]; got != 2*head.Commit || len(r2.PendingRebuilds()) != 0 {
		t.Errorf("a version with other tables: %d counted, want %d; pending %v", got, 2*head.Commit, r2.PendingRebuilds())
	}
}
