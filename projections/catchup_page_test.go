package projections_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// Catch-up applies a page to the read models in one transaction and leaves
// the processes (revisions) to be fed on their own: after it, every one of
// them, processes included, stands at the head, and a rebuild ends the same.
func TestCatchUpBringsEveryConsumerToTheHead(t *testing.T) {
	f := newFixture(t)
	for i := range 3 {
		id := domain.NewID()
		_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "C-"+string(rune('A'+i))))
		must(t, err)
	}
	db, err := projections.OpenDB(filepath.Join(t.TempDir(), "read.db"))
	must(t, err)
	t.Cleanup(func() { db.Close() })
	set := projections.NewSet(db, f.store)
	calls := 0
	rev := projections.NewRevisions(func(context.Context, string, string) error { calls++; return nil })
	r := projections.NewRunner(f.store, db, slog.New(slog.NewTextHandler(io.Discard, nil)), append(set.All(), rev)...)
	r.PageSize = 2 // several pages
	must(t, r.Init(ctx))
	head, err := f.store.Head(ctx)
	must(t, err)
	check := func(when string) {
		t.Helper()
		for _, name := range r.Projections() {
			if cp := r.Checkpoint(name); cp != head {
				t.Errorf("%s: %s stands at %s, the head is %s", when, name, cp, head)
			}
		}
	}
	must(t, r.CatchUp(ctx))
	check("after catch-up")
	must(t, r.Rebuild(ctx))
	check("after a rebuild")
}
