package main

import (
	"context"
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
	"carecost/eventstore/esdb/esdbtest"
)

// Two carecost instances serve one EventStoreDB store (the in-process
// server), each with a data folder of its own: an estimate opened and
// decided through one is read, with its decision, through the other; a
// tariff correction published through one prices at once on the other; the
// audit answers agree.
func TestServeTwoInstancesOnEventStoreDB(t *testing.T) {
	srv := esdbtest.Start(t, esdbtest.WithNoise(5))
	start := func(name string) *api {
		s := startTestServerWith(t, config{data: filepath.Join(t.TempDir(), name), store: srv.URL(), addr: "127.0.0.1:0", logFormat: "json",
			waitTimeout: 5 * time.Second})
		return s.client(t)
	}
	one := start("one")
	set, err := demo.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := one.cmds.ImportCatalogue(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, set); err != nil {
		t.Fatal(err)
	}
	two := start("two")

	body := `{"client_ref": "E-1", "maple": 3, "segment": "continuous", "tariff": "phhva", "income_catalogue": "statutory", "pricing_date": "2025-03-01",
		"household": {"size": 1, "gross_income": "1800.00", "net_income": "1500.00"},
		"lines": [{"service": "meal-service", "mode": "own", "quantity": "5", "frequency": "week"}]}`
	var est struct {
		ID string `json:"id"`
	}
	one.do("POST", "/api/v1/estimates", body).want(t, http.StatusCreated).into(t, &est)
	one.do("POST", "/api/v1/estimates/"+est.ID+"/present", nil).want(t, http.StatusOK)
	today := domain.DateOf(time.Now()).String()
	r := one.do("POST", "/api/v1/estimates/"+est.ID+"/decide", `{"decision_number": "ESDB-1", "decision_date": "`+today+`", "effective_from": "`+today+`"}`).want(t, http.StatusOK)
	pos := r.header.Get("X-Carecost-Position")
	var d1, d2 map[string]any
	one.do("GET", "/api/v1/decisions/"+est.ID, nil, "X-Carecost-Position", pos).want(t, http.StatusOK).into(t, &d1)
	two.do("GET", "/api/v1/decisions/"+est.ID, nil, "X-Carecost-Position", pos).want(t, http.StatusOK).into(t, &d2)
	if d1["decision_number"] != "ESDB-1" || d2["decision_number"] != "ESDB-1" || d1["monthly"].(map[string]any)["client_fee"] != d2["monthly"].(map[string]any)["client_fee"] {
		t.Errorf("the instances answer the decision differently:\n%v\n%v", d1, d2)
	}

	var q1, q2 struct {
		Monthly struct {
			ClientFee string `json:"client_fee"`
		} `json:"monthly"`
	}
	one.do("POST", "/api/v1/quote", body).want(t, http.StatusOK).into(t, &q1)
	var draft struct {
		Version int `json:"version"`
	}
	two.do("POST", "/api/v1/tariffs/phhva/versions", `{"based_on": 1, "corrects": 1}`).want(t, http.StatusCreated).into(t, &draft)
	v := "/api/v1/tariffs/phhva/versions/" + itoaTest(int64(draft.Version))
	two.do("PUT", v+"/entries/meal-service/own", `{"unit_cost": "9.80", "rule": "flat", "fee": "6.00"}`).want(t, http.StatusOK)
	two.do("POST", v+"/publish", nil).want(t, http.StatusOK)
	one.do("POST", "/api/v1/quote", body).want(t, http.StatusOK).into(t, &q2)
	// 5 meals a week, 65/3 a month: 5.00 -> 6.00 is 108.33 -> 130.00.
	if q1.Monthly.ClientFee != "108.33" || q2.Monthly.ClientFee != "130.00" {
		t.Errorf("instance one quotes %s then %s after the other published; want 108.33 then 130.00", q1.Monthly.ClientFee, q2.Monthly.ClientFee)
	}
	// The same decision number through the other instance is refused.
	var other struct {
		ID string `json:"id"`
	}
	two.do("POST", "/api/v1/estimates", body).want(t, http.StatusCreated).into(t, &other)
	two.do("POST", "/api/v1/estimates/"+other.ID+"/present", nil).want(t, http.StatusOK)
	r = two.do("POST", "/api/v1/estimates/"+other.ID+"/decide", `{"decision_number": "esdb-1", "decision_date": "`+today+`", "effective_from": "`+today+`"}`)
	if r.status != http.StatusUnprocessableEntity || r.errField(t) != "decision_number" {
		t.Errorf("a number used through the other instance: %d %s", r.status, r.body)
	}
	// The impact of the correction: the same answer from both.
	var i1, i2 map[string]any
	one.do("GET", v+"/impact", nil).want(t, http.StatusOK).into(t, &i1)
	two.do("GET", v+"/impact", nil).want(t, http.StatusOK).into(t, &i2)
	if i1["monthly_change"].(map[string]any)["client_fee"] != "21.67" || i2["monthly_change"].(map[string]any)["client_fee"] != "21.67" {
		t.Errorf("the impact answers: %v / %v", i1["monthly_change"], i2["monthly_change"])
	}
}
