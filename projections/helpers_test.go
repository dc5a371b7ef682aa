package projections_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"carecost/domain"
	"carecost/domain/demo"
	"carecost/domain/memstore"
	"carecost/projections"
)

var ctx = context.Background()

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// fixture is a store with the demo catalogue, commands over it, and a
// read-model database with every projection.
type fixture struct {
	store  *memstore.Store
	cmds   *domain.Commands
	db     *projections.DB
	runner *projections.Runner
	set    *projections.Set
	est    *projections.EstimateTotals
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{store: memstore.New()}
	f.cmds = domain.NewCommands(f.store)
	set, err := demo.Catalogue()
	must(t, err)
	_, err = f.cmds.ImportCatalogue(ctx, domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, set)
	must(t, err)
	f.open(t, filepath.Join(t.TempDir(), "read.db"))
	return f
}

// open opens the read-model database at path with every projection.
func (f *fixture) open(t testing.TB, path string) {
	t.Helper()
	db, err := projections.OpenDB(path)
	must(t, err)
	t.Cleanup(func() { db.Close() })
	f.db = db
	f.set = projections.NewSet(db, f.store)
	f.est = f.set.EstimateTotals
	f.runner = projections.NewRunner(f.store, db, slog.New(slog.NewTextHandler(io.Discard, nil)), f.set.All()...)
	must(t, f.runner.Init(ctx))
}

func (f *fixture) catchUp(t testing.TB) {
	t.Helper()
	must(t, f.runner.CatchUp(ctx))
}

func date(t testing.TB, s string) domain.Date {
	d, err := domain.ParseDate(s)
	must(t, err)
	return d
}

func money(t testing.TB, s string) domain.Money {
	m, err := domain.ParseMoney(s)
	must(t, err)
	return m
}

func homeCareCase(t testing.TB, ref string) domain.CaseInput {
	return domain.CaseInput{ClientRef: ref, Maple: 3, Segment: domain.SegContinuous,
		Household: domain.Household{Size: 1, GrossIncome: new(money(t, "1800")), NetIncome: new(money(t, "1500"))},
		Basis:     domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: date(t, "2025-03-01")},
		Lines:     []domain.Line{{Service: "regular-home-care", Mode: "own", Quantity: 20000, Frequency: "month"}}}
}

// today is the Helsinki date now: a decision date the domain takes for an
// estimate opened today.
func today() domain.Date { return domain.DateOf(time.Now()) }
