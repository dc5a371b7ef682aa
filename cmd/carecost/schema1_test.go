package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"maps"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"carecost/admin"
	"carecost/domain"
	"carecost/domain/memstore"
	"carecost/projections"
)

// answer is one answer recorded over the schema-1 log: a GET of the API, or
// ("aggregate <id>") an estimate as the domain loads it.
type answer struct {
	Path   string          `json:"path"`
	Status int             `json:"status"`
	Body   json.RawMessage `json:"body"`
}

// A log written by schema 1 of the pricing events (testdata/schema1: home
// care, 24-hour housing with a spouse, hints, a decided revision) reads as
// it did: the read models built from it and the API answer with the same
// figures as schema 1 did, and the domain loads the same estimates. Only
// the hints gain their code, threshold and value, a voucher line's
// co-payment moves from its client fee to its voucher_copay (copayApart),
// and the event history shows each pricing in the shape of schema 3.
func TestSchema1LogReadsTheSame(t *testing.T) {
	ctx := t.Context()
	data, err := os.ReadFile("../../testdata/schema1/log.json")
	must(t, err)
	log, err := memstore.ReadLog(data)
	must(t, err)
	st, err := memstore.FromLog(log)
	must(t, err)
	db, err := projections.OpenDB(t.TempDir() + "/read.db")
	must(t, err)
	defer db.Close()
	set := projections.NewSet(db, st)
	runner := projections.NewRunner(st, db, slog.New(slog.NewTextHandler(io.Discard, nil)), set.All()...)
	must(t, runner.Init(ctx))
	must(t, runner.CatchUp(ctx))
	cmds := domain.NewCommands(st)
	srv := admin.New(admin.Config{Commands: cmds, Reads: set, Waiter: runner, Health: runner, Registry: prometheus.NewRegistry(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Auth: admin.BearerTokens{Commands: cmds}})
	controller := "Bearer " + grant(t, cmds, "carl", "", domain.RoleController)

	data, err = os.ReadFile("../../testdata/schema1/answers.json")
	must(t, err)
	var answers []answer
	must(t, json.Unmarshal(data, &answers))
	for _, want := range answers {
		got := answer{Path: want.Path, Status: 200}
		if id, ok := strings.CutPrefix(want.Path, "aggregate "); ok {
			e, err := cmds.Estimate(ctx, id)
			must(t, err)
			got.Body, err = json.Marshal(map[string]any{"personal": e.Personal(), "quote": e.Quote(), "status": e.Status(), "superseded_by": e.SupersededBy()})
			must(t, err)
		} else {
			req := httptest.NewRequest("GET", want.Path, nil)
			req.Header.Set("Authorization", controller)
			resp, err := srv.App().Test(req, -1)
			must(t, err)
			got.Status = resp.StatusCode
			got.Body, err = io.ReadAll(resp.Body)
			must(t, err)
			resp.Body.Close()
		}
		if got.Status != want.Status {
			t.Errorf("%s: status %d, schema 1 answered %d", want.Path, got.Status, want.Status)
			continue
		}
		if strings.HasSuffix(want.Path, "/events") {
			sameHistory(t, want.Path, got.Body, want.Body)
		} else if g, w := withoutHintCodes(t, got.Body), copayApart(t, withoutHintCodes(t, want.Body)); !covers(g, w) {
			t.Errorf("%s answers differently:\n got %s\nwant %s", want.Path, got.Body, want.Body)
		}
	}
}

// covers reports whether got holds every value of want: the same values,
// lists of the same length, objects with at least want's fields (an answer
// may gain fields, such as a detail's county_gross, never change one).
// Totals that schema 1 answered without a voucher co-payment are covered by
// totals whose client fee and co-payment add up to schema 1's client fee
// (the totals of a list or a summary, beside no lines to tell the
// co-payment by; copayApart moves it where the lines tell it).
func covers(got, want any) bool {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return false
		}
		if _, ok := w["voucher_copay"]; !ok && g["voucher_copay"] != nil && w["county_net"] != nil && w["client_fee"] != nil {
			fee, copay, was := money(g["client_fee"]), money(g["voucher_copay"]), money(w["client_fee"])
			if fee+copay != was {
				return false
			}
			w = maps.Clone(w)
			delete(w, "client_fee")
		}
		for k, v := range w {
			if gv, ok := g[k]; !ok || !covers(gv, v) {
				return false
			}
		}
		return true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return false
		}
		for i := range w {
			if !covers(g[i], w[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(got, want)
}

// money reads a decimal string of an answer (-1 for anything else).
func money(v any) domain.Money {
	s, _ := v.(string)
	m, err := domain.ParseMoney(s)
	if err != nil {
		return -1
	}
	return m
}

// copayApart turns an answer as schema 1 gave it, a voucher line's
// co-payment as its client fee, into what the co-payments kept apart give:
// in every quote (an object with lines), a voucher line's client_fee and
// fee_per_unit become its voucher_copay and voucher_copay_per_unit and its
// client fee 0.00, and the quote's totals move the co-payments from their
// client_fee to their voucher_copay (a year: 12 x monthly + one-off). The
// county's net cost stays.
func copayApart(t *testing.T, v any) any {
	var walk func(any)
	walk = func(n any) {
		switch n := n.(type) {
		case map[string]any:
			if lines, ok := n["lines"].([]any); ok {
				var monthly, once domain.Money
				for _, l := range lines {
					l := l.(map[string]any)
					if l["rule"] != "voucher" {
						continue
					}
					c := money(l["client_fee"])
					if c < 0 {
						t.Fatalf("a voucher line's client fee %v", l["client_fee"])
					}
					l["voucher_copay"], l["client_fee"] = l["client_fee"], "0.00"
					if f, ok := l["fee_per_unit"]; ok {
						l["voucher_copay_per_unit"] = f
						delete(l, "fee_per_unit")
					}
					if l["frequency"] == "one_off" {
						once += c
					} else {
						monthly += c
					}
				}
				for key, c := range map[string]domain.Money{"monthly": monthly, "one_off": once, "yearly": 12*monthly + once} {
					if tot, ok := n[key].(map[string]any); ok {
						tot["client_fee"], tot["voucher_copay"] = (money(tot["client_fee"]) - c).String(), c.String()
					}
				}
			}
			for _, c := range n {
				walk(c)
			}
		case []any:
			for _, c := range n {
				walk(c)
			}
		}
	}
	walk(v)
	return v
}

// withoutHintCodes decodes an answer and drops what hints gained in schema
// 2 (code, threshold, value) after checking each hint has them.
func withoutHintCodes(t *testing.T, body []byte) any {
	var v any
	must(t, json.Unmarshal(body, &v))
	var walk func(any)
	walk = func(n any) {
		switch n := n.(type) {
		case map[string]any:
			if _, hint := n["message"]; hint && n["line_id"] != nil {
				delete(n, "code")
				delete(n, "threshold")
				delete(n, "value")
			}
			for _, c := range n {
				walk(c)
			}
		case []any:
			for _, c := range n {
				walk(c)
			}
		}
	}
	walk(v)
	return v
}

// sameHistory compares two answers of an estimate's event history: the same
// events, each payload decoding to the same figures.
func sameHistory(t *testing.T, path string, got, want []byte) {
	var g, w []map[string]json.RawMessage
	must(t, json.Unmarshal(got, &g))
	must(t, json.Unmarshal(want, &w))
	if len(g) != len(w) {
		t.Fatalf("%s: %d events, schema 1 had %d", path, len(g), len(w))
	}
	for i := range g {
		var typ string
		must(t, json.Unmarshal(g[i]["type"], &typ))
		gp, err := domain.DecodePayload(typ, g[i]["payload"])
		must(t, err)
		wp, err := domain.DecodePayload(typ, w[i]["payload"])
		must(t, err)
		if !reflect.DeepEqual(gp, wp) {
			t.Errorf("%s: event %d (%s) reads %+v, schema 1 read %+v", path, i, typ, gp, wp)
		}
		delete(g[i], "payload")
		delete(w[i], "payload")
		ge, _ := json.Marshal(g[i])
		we, _ := json.Marshal(w[i])
		if !reflect.DeepEqual(withoutHintCodes(t, ge), withoutHintCodes(t, we)) {
			t.Errorf("%s: event %d is %s, schema 1 had %s", path, i, ge, we)
		}
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
