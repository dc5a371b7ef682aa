package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	_ "modernc.org/sqlite"

	"carecost/admin"
	"carecost/domain"
	"carecost/domain/demo"
	"carecost/domain/memstore"
	"carecost/projections"
)

// TestRecordSchema1Log records the log of a few estimates (home care,
// 24-hour housing with a spouse, hints, a decided revision, a cancelled and
// a presented draft) as this build writes it, and the API's answers over
// it (log.json and answers.json, kept in testdata/schema1): the fixture of
// the schema-1 pricing events. It runs only when CARECOST_RECORD_SCHEMA1
// names the folder to write to.
func TestRecordSchema1Log(t *testing.T) {
	dir := os.Getenv("CARECOST_RECORD_SCHEMA1")
	if dir == "" {
		t.Skip("CARECOST_RECORD_SCHEMA1 is not set")
	}
	ctx := context.Background()
	st := memstore.New()
	cmds := domain.NewCommands(st)
	set, err := demo.Catalogue()
	must(t, err)
	_, err = cmds.ImportCatalogue(ctx, domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, set)
	must(t, err)
	ids := recordScenario(t, cmds)

	all, err := st.ReadAll(ctx, domain.ReadAllOptions{})
	must(t, err)
	var log bytes.Buffer
	log.WriteString("[\n")
	for i, e := range all {
		line, err := json.Marshal(map[string]any{"id": e.ID, "stream": e.Stream, "type": e.Type, "version": e.Version,
			"position": e.Position, "data": json.RawMessage(e.Data), "metadata": json.RawMessage(e.Metadata), "recorded_at": e.RecordedAt})
		must(t, err)
		log.Write(line)
		if i < len(all)-1 {
			log.WriteString(",")
		}
		log.WriteString("\n")
	}
	log.WriteString("]\n")
	must(t, os.WriteFile(filepath.Join(dir, "log.json"), log.Bytes(), 0o644))

	db, err := projections.OpenDB(filepath.Join(t.TempDir(), "read.db"))
	must(t, err)
	defer db.Close()
	ps := projections.NewSet(db, st)
	runner := projections.NewRunner(st, db, slog.New(slog.NewTextHandler(io.Discard, nil)), ps.All()...)
	must(t, runner.Init(ctx))
	must(t, runner.CatchUp(ctx))
	srv := admin.New(admin.Config{Commands: cmds, Reads: ps, Waiter: runner, Health: runner, Registry: prometheus.NewRegistry(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	paths := []string{"/api/v1/estimates", "/api/v1/decisions"}
	for _, id := range ids {
		paths = append(paths, "/api/v1/estimates/"+id, "/api/v1/estimates/"+id+"/events", "/api/v1/decisions/"+id)
	}
	var answers []map[string]any
	for _, p := range paths {
		resp, err := srv.App().Test(httptest.NewRequest("GET", p, nil), -1)
		must(t, err)
		body, err := io.ReadAll(resp.Body)
		must(t, err)
		resp.Body.Close()
		answers = append(answers, map[string]any{"path": p, "status": resp.StatusCode, "body": json.RawMessage(body)})
	}
	for _, id := range ids {
		est, err := cmds.Estimate(ctx, id)
		must(t, err)
		answers = append(answers, map[string]any{"path": "aggregate " + id, "status": http.StatusOK,
			"body": map[string]any{"personal": est.Personal(), "quote": est.Quote(), "status": est.Status(), "superseded_by": est.SupersededBy()}})
	}
	out, err := json.MarshalIndent(answers, "", " ")
	must(t, err)
	must(t, os.WriteFile(filepath.Join(dir, "answers.json"), append(out, '\n'), 0o644))
}

// recordScenario runs the commands of the schema-1 log and returns the ids
// of its estimates.
func recordScenario(t *testing.T, cmds *domain.Commands) []string {
	ctx := context.Background()
	cm := domain.Command{Actor: domain.Actor{ID: "cm-1", Role: "case_manager"}}
	m := func(s string) *domain.Money {
		v, err := domain.ParseMoney(s)
		must(t, err)
		return &v
	}
	d := func(s string) domain.Date {
		v, err := domain.ParseDate(s)
		must(t, err)
		return v
	}
	basis := domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: d("2025-03-01")}
	home, house, draft, capped, rev := domain.NewID(), domain.NewID(), domain.NewID(), domain.NewID(), domain.NewID()

	// Home care with both hints (MAPLe below the usual minimum, gross income
	// above the safety phone's usual maximum), changed step by step, decided,
	// then revised and the revision decided.
	_, _, err := cmds.OpenEstimate(ctx, cm, home, domain.CaseInput{ClientRef: "S1-HOME-7", Maple: 2, Segment: domain.SegContinuous,
		Household: domain.Household{Size: 2, GrossIncome: m("2456.78"), NetIncome: m("1987.65")}, Basis: basis,
		Lines: []domain.Line{{Service: "regular-home-care", Mode: "own", Quantity: 30000, Frequency: "month"},
			{Service: "safety-phone", Mode: "own", Quantity: 1000, Frequency: "month"},
			{Service: "meal-service", Mode: "own", Quantity: 5000, Frequency: "week"}}})
	must(t, err)
	lineID, _, _, err := cmds.AddLine(ctx, cm, home, domain.Line{Service: "bathing", Mode: "own", Quantity: 2000, Frequency: "week"})
	must(t, err)
	_, _, err = cmds.ChangeLine(ctx, cm, home, domain.Line{ID: lineID, Service: "bathing", Mode: "own", Quantity: 1000, Frequency: "week"})
	must(t, err)
	_, _, err = cmds.RemoveLine(ctx, cm, home, lineID)
	must(t, err)
	_, _, err = cmds.ChangeHousehold(ctx, cm, home, domain.Personal{ClientRef: "S1-HOME-7", Household: domain.Household{Size: 2, GrossIncome: m("2567.89"), NetIncome: m("1987.65")}})
	must(t, err)
	_, _, err = cmds.ChangeAssessment(ctx, cm, home, 2, domain.SegMultiSector)
	must(t, err)
	_, _, err = cmds.Present(ctx, cm, home)
	must(t, err)
	_, _, err = cmds.Decide(ctx, cm, home, domain.Decision{Number: "S1-D-1", Date: d("2025-03-05"), EffectiveFrom: d("2025-04-01")})
	must(t, err)
	_, _, err = cmds.Revise(ctx, cm, home, rev, d("2025-05-01"))
	must(t, err)
	_, _, err = cmds.ChangeHousehold(ctx, cm, rev, domain.Personal{ClientRef: "S1-HOME-7", Household: domain.Household{Size: 2, GrossIncome: m("2678.90"), NetIncome: m("2012.34")}})
	must(t, err)
	_, _, err = cmds.Decide(ctx, cm, rev, domain.Decision{Number: "S1-D-2", Date: d("2025-05-03"), EffectiveFrom: d("2025-05-01")})
	must(t, err)

	// 24-hour housing with a spouse who earns less (the spouse rule), and a
	// short stay that accrues the payment ceiling.
	_, _, err = cmds.OpenEstimate(ctx, cm, house, domain.CaseInput{ClientRef: "S1-HOUSE-3", Maple: 4, Segment: domain.SegContinuous,
		Household: domain.Household{Size: 2, NetIncome: m("1876.54"), GrossIncome: m("2345.67"),
			Deductions: []domain.Deduction{{Kind: "housing", Amount: *m("234.56")}, {Kind: "medicines", Amount: *m("45.67")}},
			Spouse:     &domain.Spouse{NetIncome: m("987.65"), Deductions: []domain.Deduction{{Kind: "other", Amount: *m("12.34")}}}},
		Basis: basis, Lines: []domain.Line{{Service: "housing-24h", Mode: "own", Quantity: 30000, Frequency: "month"},
			{Service: "short-term-care", Mode: "own", Quantity: 2000, Frequency: "month"}}})
	must(t, err)
	_, _, err = cmds.Decide(ctx, cm, house, domain.Decision{Number: "S1-D-3", Date: d("2025-03-06"), EffectiveFrom: d("2025-04-01")})
	must(t, err)

	// Vouchers and a MAPLe hint, the basis changed, then cancelled.
	_, _, err = cmds.OpenEstimate(ctx, cm, draft, domain.CaseInput{ClientRef: "S1-DRAFT-1", Maple: 1, Segment: domain.SegOccasional,
		Household: domain.Household{Size: 1, GrossIncome: m("1234.56")}, Basis: basis,
		Lines: []domain.Line{{Service: "meal-service", Mode: "voucher", Quantity: 3000, Frequency: "week", ProviderPrice: m("11.20")},
			{Service: "cleaning", Mode: "voucher", Quantity: 2000, Frequency: "month"}}})
	must(t, err)
	_, _, err = cmds.ChangeBasis(ctx, cm, draft, domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: d("2025-06-01")})
	must(t, err)
	_, _, err = cmds.Cancel(ctx, cm, draft, "moved away")
	must(t, err)

	// 24-hour housing capped at the cost of the days, alone, presented.
	_, _, err = cmds.OpenEstimate(ctx, cm, capped, domain.CaseInput{ClientRef: "S1-CAP-2", Maple: 5, Segment: domain.SegAnticipated,
		Household: domain.Household{Size: 1, NetIncome: m("4321.09")}, Basis: basis,
		Lines: []domain.Line{{Service: "housing-24h", Mode: "purchased", Quantity: 10000, Frequency: "month"}}})
	must(t, err)
	_, _, err = cmds.Present(ctx, cm, capped)
	must(t, err)
	return []string{home, rev, house, draft, capped}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
