package main

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"

	"carecost/domain"
)

// Every estimate command answers with the estimate exactly as a read of it
// shows at the position the command names (X-Carecost-Position): the same
// fields, times included, and the same entity tag.
func TestCommandAnswersMatchReads(t *testing.T) {
	a := startTestServer(t, t.TempDir(), true)
	var est struct {
		ID string `json:"id"`
	}
	open := a.do("POST", "/api/v1/estimates", `{"client_ref":"C-1","maple":3,"segment":"continuous","tariff":"phhva","income_catalogue":"statutory",
		"pricing_date":"2026-02-01","household":{"size":1,"gross_income":"1800.00","net_income":"1500.00"},
		"lines":[{"service":"regular-home-care","mode":"own","quantity":20,"frequency":"month"}]}`, "Idempotency-Key", "open-c1").want(t, http.StatusCreated)
	open.into(t, &est)
	path := "/api/v1/estimates/" + est.ID
	checkAnswer(t, a, open)
	steps := []struct{ method, path, body string }{
		{"POST", path + "/lines", `{"service":"meal-service","mode":"own","quantity":5,"frequency":"week"}`},
		{"PUT", path + "/lines/l2", `{"service":"meal-service","mode":"own","quantity":6,"frequency":"week"}`},
		{"PUT", path + "/household", `{"client_ref":"C-1","household":{"size":1,"gross_income":"1900.00","net_income":"1550.00"}}`},
		{"PUT", path + "/assessment", `{"maple":4,"segment":"multi_sector"}`},
		{"POST", path + "/reprice", ``},
		{"POST", path + "/present", ``},
		{"POST", path + "/present", ``},
		{"POST", path + "/decide", `{"decision_number":"D-1","decision_date":"` + todayText() + `","effective_from":"2026-03-01"}`},
		{"POST", path + "/revise", `{}`},
	}
	var last reply
	for i, s := range steps {
		last = a.do(s.method, s.path, s.body, "Idempotency-Key", "step-"+itoaTest(int64(i)))
		if last.status >= 300 {
			t.Fatalf("%s %s: %d %s", s.method, s.path, last.status, last.body)
		}
		checkAnswer(t, a, last)
	}
	var rev struct {
		ID string `json:"id"`
	}
	last.into(t, &rev)
	decided := a.do("POST", "/api/v1/estimates/"+rev.ID+"/decide", `{"decision_number":"D-2","decision_date":"`+todayText()+`","effective_from":"2026-03-01",
		"presented":false,"not_presented_reason":"only the pricing was checked"}`).want(t, http.StatusOK)
	checkAnswer(t, a, decided)
	// The revision's decision answers at its own position, where the read
	// of the original already shows it replaced.
	var o struct {
		Status       string `json:"status"`
		SupersededBy string `json:"superseded_by"`
	}
	a.do("GET", path, nil, "X-Carecost-Position", decided.header.Get("X-Carecost-Position")).want(t, http.StatusOK).into(t, &o)
	if o.Status != "superseded" || o.SupersededBy != rev.ID {
		t.Errorf("original at the revision's decision: %s by %q", o.Status, o.SupersededBy)
	}
}

// checkAnswer compares a command's answer about an estimate with a read of
// it at the answer's position.
func checkAnswer(t *testing.T, a *api, answer reply) {
	t.Helper()
	pos := answer.header.Get("X-Carecost-Position")
	var got, want map[string]any
	answer.into(t, &got)
	id, _ := got["id"].(string)
	read := a.do("GET", "/api/v1/estimates/"+id, nil, "X-Carecost-Position", pos).want(t, http.StatusOK)
	read.into(t, &want)
	if !reflect.DeepEqual(got, want) || answer.header.Get("ETag") != read.header.Get("ETag") {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("answer at %s (ETag %s) differs from the read (ETag %s):\n%s\nread:\n%s", pos, answer.header.Get("ETag"), read.header.Get("ETag"), g, w)
	}
}

// A retried catalogue command answers as its first run did, body and ETag,
// also when the record changed since.
func TestCatalogueRetriesAnswerAsFirstRun(t *testing.T) {
	a := startTestServer(t, t.TempDir(), false)
	admin := a.as("anna.admin", "", domain.RoleAdmin)
	keyed := func(key string) []string { return append([]string{"Idempotency-Key", key}, admin...) }
	steps := []struct{ method, path, body, key string }{
		{"PUT", "/api/v1/services/meals", `{"id":"meals","names":{"fi":"Ateria"},"category":"support","unit":"meal","modes":["own"]}`, "svc"},
		{"POST", "/api/v1/tariffs", `{"id":"t1","name":"Hinnasto"}`, "tariff"},
		{"POST", "/api/v1/tariffs/t1/versions", `{"note":"2025"}`, "draft"},
		{"PUT", "/api/v1/tariffs/t1/versions/1/entries/meals/own", `{"unit_cost":"9.80","rule":"flat","fee":"5.00"}`, "entry"},
		{"POST", "/api/v1/tariffs/t1/versions/1/publish", `{"valid_from":"2025-01-01"}`, "publish"},
		{"POST", "/api/v1/income-catalogues", `{"id":"law","name":"Statutory"}`, "income"},
	}
	first := make([]reply, len(steps))
	for i, s := range steps {
		first[i] = a.do(s.method, s.path, s.body, keyed(s.key)...)
		if first[i].status >= 300 {
			t.Fatalf("%s %s: %d %s", s.method, s.path, first[i].status, first[i].body)
		}
	}
	// Everything changes after the first runs.
	a.do("PUT", "/api/v1/services/meals", `{"id":"meals","names":{"fi":"Ateriapalvelu"},"category":"support","unit":"meal","modes":["own"]}`, admin...).want(t, http.StatusOK)
	a.do("POST", "/api/v1/tariffs/t1/versions", `{"note":"2026"}`, admin...).want(t, http.StatusCreated)
	a.do("POST", "/api/v1/income-catalogues/law/versions", `{"table":`+lawTable2024+`}`, admin...).want(t, http.StatusCreated)
	for i, s := range steps {
		again := a.do(s.method, s.path, s.body, keyed(s.key)...)
		if again.status != first[i].status || string(again.body) != string(first[i].body) || again.header.Get("ETag") != first[i].header.Get("ETag") {
			t.Errorf("retried %s %s: %d %s (ETag %s); first %d %s (ETag %s)", s.method, s.path, again.status, again.body, again.header.Get("ETag"),
				first[i].status, first[i].body, first[i].header.Get("ETag"))
		}
	}
}
