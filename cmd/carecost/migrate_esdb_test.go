package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/esdb/esdbtest"
	"carecost/projections"
)

// The demo's eighteen months copied from SQLite into EventStoreDB (the
// in-process server, with other applications' events between ours): read
// models built on the copy answer the audit's questions as those built on
// the source do, every position in the answers being the same event's
// position in the copy. Touched decisions, each correction's impact, and
// prices as known at a decision's catalogue position depend on comparing
// positions the events name with positions of the copy: they hold only
// because migrate carried those positions over.
func TestMigratedToEventStoreDBAnswersAlike(t *testing.T) {
	src, token := demoSource(t)
	srv := esdbtest.Start(t, esdbtest.WithNoise(7))
	if code, out, errOut := runCLI(t, "migrate", "--data", src, "--to", srv.URL(), "--batch", "64"); code != 0 ||
		!strings.Contains(out, "name log positions (catalogue positions, skipped events), carried over to the target's numbering") {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errOut)
	}
	a := startTestServerWith(t, config{data: src, addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second})
	b := startTestServerWith(t, config{data: filepath.Join(t.TempDir(), "models"), store: srv.URL(), addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second})
	positions := pairLogs(t, a.cmds.Store(), b.cmds.Store())
	if positions.Identical() {
		t.Fatal("the copy numbers its positions as the source does: the test proves nothing")
	}
	carry := func(p domain.Position) domain.Position {
		q, err := positions.Carry(p)
		if err != nil {
			t.Fatal(err)
		}
		return q
	}
	onA := &api{t: t, base: "http://" + a.addr, c: &http.Client{Timeout: 10 * time.Second}, token: token}
	onB := &api{t: t, base: "http://" + b.addr, c: &http.Client{Timeout: 10 * time.Second}, token: token}
	alike := func(pathA, pathB string) reply {
		t.Helper()
		ra, rb := onA.do("GET", pathA, nil).want(t, 200), onB.do("GET", pathB, nil).want(t, 200)
		var va, vb any
		if err := json.Unmarshal(ra.body, &va); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(rb.body, &vb); err != nil {
			t.Fatal(err)
		}
		ja, _ := json.Marshal(carryPositions(t, va, carry))
		jb, _ := json.Marshal(vb)
		if !bytes.Equal(ja, jb) {
			t.Errorf("GET %s: the answers differ:\nsource %.600s\ntarget %.600s", pathB, ja, jb)
		}
		return ra
	}
	same := func(path string) reply { t.Helper(); return alike(path, path) }

	var decisions []projections.DecisionRecord
	same("/api/v1/decisions?limit=500").into(t, &decisions)
	var touched []projections.DecisionRecord
	same("/api/v1/decisions?touched=true&limit=500").into(t, &touched)
	if len(decisions) < 20 || len(touched) == 0 {
		t.Fatalf("%d decisions, %d touched: want the demo's many, some touched", len(decisions), len(touched))
	}
	d := touched[0]
	same("/api/v1/decisions/" + d.EstimateID)
	prices := "/api/v1/tariffs/" + d.TariffID + "/prices?service=errands&mode=own&valid_at=" + d.PricingDate.String()
	same(prices + "&known_at=" + url.QueryEscape(d.DecidedAt.Format(time.RFC3339Nano)))
	alike(prices+"&known_at="+d.CataloguePosition.String(), prices+"&known_at="+url.QueryEscape(carry(d.CataloguePosition).String()))
	same(prices)
	same("/api/v1/tariffs/" + d.TariffID + "/history")
	same("/api/v1/estimates?limit=500")

	// Each correction's impact: the decisions it changes, re-priced.
	var tariff struct {
		Versions []domain.VersionInfo `json:"versions"`
	}
	same("/api/v1/tariffs/"+d.TariffID).into(t, &tariff)
	changed := 0
	for _, v := range tariff.Versions {
		if v.Corrects == 0 || v.Status != domain.StatusPublished {
			continue
		}
		var impact struct {
			Decisions []json.RawMessage `json:"decisions"`
		}
		same(fmt.Sprintf("/api/v1/tariffs/%s/versions/%d/impact", d.TariffID, v.Number)).into(t, &impact)
		changed += len(impact.Decisions)
	}
	if changed == 0 {
		t.Error("no correction of the demo's changes a decision: the impact answers prove nothing")
	}
}

// pairLogs reads two logs holding the same events and pairs their
// positions.
func pairLogs(t *testing.T, from, to domain.EventStore) *domain.PositionMap {
	t.Helper()
	ctx := context.Background()
	pm := &domain.PositionMap{}
	ca, cb := newLogCursor(from, 500), newLogCursor(to, 500)
	for {
		ea, okA, err := ca.next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		eb, okB, err := cb.next(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if okA != okB {
			t.Fatalf("the logs differ in length")
		}
		if !okA {
			return pm
		}
		if ea.ID != eb.ID {
			t.Fatalf("the logs differ: %s and %s", describeEvent(ea), describeEvent(eb))
		}
		if err := pm.Add(ea.Position, eb.Position); err != nil {
			t.Fatal(err)
		}
	}
}

// carryPositions returns v (a decoded JSON answer) with every position in
// it (the values of fields named position or ending in _position) carried
// over by carry.
func carryPositions(t *testing.T, v any, carry func(domain.Position) domain.Position) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if s, ok := e.(string); ok && (k == "position" || strings.HasSuffix(k, "_position")) {
				p, err := domain.ParsePosition(s)
				if err != nil {
					t.Fatalf("%s %q is not a position", k, s)
				}
				x[k] = carry(p).String()
				continue
			}
			x[k] = carryPositions(t, e, carry)
		}
	case []any:
		for i, e := range x {
			x[i] = carryPositions(t, e, carry)
		}
	}
	return v
}

// serve --demo on EventStoreDB: the history is copied in as migrate copies
// a log, so each decision's catalogue position is the position, in this
// store, of a catalogue event (of the catalogue, a tariff or an
// income-limit table), and the audit finds what a later version touched.
func TestDemoOnEventStoreDB(t *testing.T) {
	srv := esdbtest.Start(t, esdbtest.WithNoise(5))
	s := startTestServerWith(t, config{data: t.TempDir(), store: srv.URL(), demo: true, addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second})
	c := s.client(t)
	stream := map[domain.Position]string{}
	cur := newLogCursor(s.cmds.Store(), 500)
	for {
		e, ok, err := cur.next(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		stream[e.Position] = e.Stream
	}
	var decisions, touched []projections.DecisionRecord
	c.do("GET", "/api/v1/decisions?limit=500", nil).want(t, 200).into(t, &decisions)
	c.do("GET", "/api/v1/decisions?touched=true&limit=500", nil).want(t, 200).into(t, &touched)
	if len(decisions) < 20 || len(touched) == 0 {
		t.Fatalf("%d decisions, %d touched: want the demo's many, some touched", len(decisions), len(touched))
	}
	for _, d := range decisions {
		st := stream[d.CataloguePosition]
		if st != domain.CatalogueStream && st != domain.TariffStream(d.TariffID) && st != domain.IncomeStream(d.IncomeCatalogueID) {
			t.Fatalf("decision %s names catalogue position %s, which is %q in this store", d.DecisionNumber, d.CataloguePosition, st)
		}
	}
}
