package main

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"carecost/domain"
)

// The whole story over HTTP against the real program: an admin publishes a
// tariff, a case manager builds and decides an estimate, the admin publishes
// a retroactive correction; the audit trail still shows the original prices
// of the decision and flags it as touched by the correction. The same story
// runs on each store: SQLite and an EventStoreDB server.
func TestEndToEndStory(t *testing.T) { onEachStore(t, endToEndStory) }

func endToEndStory(t *testing.T, store string) {
	a := startTestServerOn(t, t.TempDir(), store, false)
	admin := a.as("anna.admin", "", domain.RoleAdmin)
	cm := a.as("kalle.cm", "north", domain.RoleCaseManager)

	// The admin builds the catalogue: a service, a tariff, income limits.
	a.do("PUT", "/api/v1/services/home-care", `{"id":"home-care","names":{"fi":"Kotihoito","en":"Home care"},"category":"home_care","unit":"hour","modes":["own"]}`, admin...).want(t, http.StatusOK)
	a.do("PUT", "/api/v1/services/meals", `{"id":"meals","names":{"fi":"Ateria"},"category":"support","unit":"meal","modes":["own"]}`, admin...).want(t, http.StatusOK)
	a.do("POST", "/api/v1/tariffs", `{"id":"hva","name":"Hinnasto"}`, admin...).want(t, http.StatusCreated)
	a.do("POST", "/api/v1/tariffs/hva/versions", `{"note":"2025"}`, admin...).want(t, http.StatusCreated)
	a.do("PUT", "/api/v1/tariffs/hva/versions/1/entries/home-care/own", `{"unit_cost":"60.00","rule":"home_care_income"}`, admin...).want(t, http.StatusOK)
	a.do("PUT", "/api/v1/tariffs/hva/versions/1/entries/meals/own", `{"unit_cost":"9.80","rule":"flat","fee":"5.00"}`, admin...).want(t, http.StatusOK)
	a.do("POST", "/api/v1/tariffs/hva/versions/1/publish", `{"valid_from":"2025-01-01"}`, admin...).want(t, http.StatusOK)
	a.do("POST", "/api/v1/income-catalogues", `{"id":"law","name":"Statutory"}`, admin...).want(t, http.StatusCreated)
	a.do("POST", "/api/v1/income-catalogues/law/versions", `{"table":`+lawTable2024+`}`, admin...).want(t, http.StatusCreated)
	a.do("POST", "/api/v1/income-catalogues/law/versions/1/publish", `{"valid_from":"2024-01-01"}`, admin...).want(t, http.StatusOK)

	// The case manager builds and decides an estimate.
	var est struct {
		ID       string `json:"id"`
		Position string `json:"position"`
		Monthly  struct {
			ClientFee   string `json:"client_fee"`
			CountyGross string `json:"county_gross"`
		} `json:"monthly"`
	}
	a.do("POST", "/api/v1/estimates", `{"client_ref":"A-1","maple":3,"segment":"continuous","tariff":"hva","income_catalogue":"law",
		"pricing_date":"2025-03-01","household":{"size":1,"gross_income":"1800.00"},
		"lines":[{"service":"home-care","mode":"own","quantity":20,"frequency":"month"}]}`, cm...).want(t, http.StatusCreated).into(t, &est)
	// (1 800 - 653) x 26 % = 298.22 (DOMAIN.md B 2.7).
	if est.Monthly.ClientFee != "298.22" {
		t.Fatalf("opened with fee %s, want 298.22", est.Monthly.ClientFee)
	}
	a.do("POST", "/api/v1/estimates/"+est.ID+"/lines", `{"service":"meals","mode":"own","quantity":5,"frequency":"week"}`, cm...).want(t, http.StatusCreated).into(t, &est)
	// + 65/3 meals x 5.00 = 108.33.
	if est.Monthly.ClientFee != "406.55" {
		t.Fatalf("with meals: %s, want 406.55", est.Monthly.ClientFee)
	}
	a.do("POST", "/api/v1/estimates/"+est.ID+"/present", nil, cm...).want(t, http.StatusOK)
	r := a.do("POST", "/api/v1/estimates/"+est.ID+"/decide", `{"decision_number":"D-2025-1","decision_date":"`+todayText()+`","effective_from":"2025-04-01"}`, cm...).want(t, http.StatusOK)
	decidedAt := r.header.Get("X-Carecost-Position")

	// The admin corrects the meal fee retroactively (same valid-from).
	a.do("POST", "/api/v1/tariffs/hva/versions", `{"corrects":1,"note":"meal fee was wrong"}`, admin...).want(t, http.StatusCreated)
	a.do("PUT", "/api/v1/tariffs/hva/versions/2/entries/meals/own", `{"unit_cost":"9.80","rule":"flat","fee":"4.50"}`, admin...).want(t, http.StatusOK)
	pub := a.do("POST", "/api/v1/tariffs/hva/versions/2/publish", `{}`, admin...).want(t, http.StatusOK)

	// The audit trail keeps the decision's prices and flags the correction.
	var dec struct {
		TariffVersion int    `json:"tariff_version"`
		ActorID       string `json:"actor_id"`
		Monthly       struct {
			ClientFee string `json:"client_fee"`
		} `json:"monthly"`
		Quote struct {
			Lines []struct {
				Entry struct {
					Fee string `json:"fee"`
				} `json:"entry"`
			} `json:"lines"`
		} `json:"quote"`
		TouchedBy []struct {
			Version, Corrects int
		} `json:"touched_by"`
	}
	a.do("GET", "/api/v1/decisions/"+est.ID, nil, "X-Carecost-Position", pub.header.Get("X-Carecost-Position")).want(t, http.StatusOK).into(t, &dec)
	if dec.TariffVersion != 1 || dec.Monthly.ClientFee != "406.55" || dec.Quote.Lines[1].Entry.Fee != "5.00" || dec.ActorID != "kalle.cm" {
		t.Errorf("decision: version %d fee %s meal entry %s actor %s", dec.TariffVersion, dec.Monthly.ClientFee, dec.Quote.Lines[1].Entry.Fee, dec.ActorID)
	}
	if len(dec.TouchedBy) != 1 || dec.TouchedBy[0].Version != 2 || dec.TouchedBy[0].Corrects != 1 {
		t.Errorf("touched by %+v, want version 2 correcting 1", dec.TouchedBy)
	}
	var touched []struct {
		EstimateID string `json:"estimate_id"`
	}
	a.do("GET", "/api/v1/decisions?touched=true", nil).want(t, http.StatusOK).into(t, &touched)
	if len(touched) != 1 || touched[0].EstimateID != est.ID {
		t.Errorf("touched decisions: %+v", touched)
	}

	// Price history: as known at the decision, and as known now.
	var then, now struct {
		Version int `json:"version"`
		Entry   struct {
			Fee string `json:"fee"`
		} `json:"entry"`
	}
	a.do("GET", "/api/v1/tariffs/hva/prices?service=meals&mode=own&valid_at=2025-03-01&known_at="+decidedAt, nil).want(t, http.StatusOK).into(t, &then)
	a.do("GET", "/api/v1/tariffs/hva/prices?service=meals&mode=own&valid_at=2025-03-01", nil).want(t, http.StatusOK).into(t, &now)
	if then.Version != 1 || then.Entry.Fee != "5.00" || now.Version != 2 || now.Entry.Fee != "4.50" {
		t.Errorf("price then %+v, now %+v", then, now)
	}
	// A moment past the end of the log has no answer yet, far past it or
	// just past the last event written (the publication's), which itself
	// answers. On SQLite positions count events, and just past is the next
	// number; on EventStoreDB they are (commit, prepare) offsets in the log,
	// not dense, and just past is the publication's commit with the next
	// prepare, where no event of ours is (the server's own events and
	// another application's may come later in the log: they do not count).
	if f := a.do("GET", "/api/v1/tariffs/hva/prices?service=meals&mode=own&valid_at=2025-03-01&known_at=999999", nil).want(t, http.StatusBadRequest).errField(t); f != "known_at" {
		t.Errorf("known_at past the log: field %q", f)
	}
	last, err := domain.ParsePosition(pub.header.Get("X-Carecost-Position"))
	if err != nil {
		t.Fatal(err)
	}
	next := domain.Position{Commit: last.Commit, Prepare: last.Prepare + 1}
	if last.Commit == last.Prepare {
		next = domain.SeqPosition(last.Commit + 1)
	}
	var atLast struct {
		Version int `json:"version"`
	}
	a.do("GET", "/api/v1/tariffs/hva/prices?service=meals&mode=own&valid_at=2025-03-01&known_at="+last.String(), nil).want(t, http.StatusOK).into(t, &atLast)
	if atLast.Version != 2 {
		t.Errorf("price as known at the publication (%s): version %d, want 2", last, atLast.Version)
	}
	if f := a.do("GET", "/api/v1/tariffs/hva/prices?service=meals&mode=own&valid_at=2025-03-01&known_at="+next.String(), nil).want(t, http.StatusBadRequest).errField(t); f != "known_at" {
		t.Errorf("known_at just past the log (%s): field %q", next, f)
	}

	// The estimate's history names who did what.
	events := a.do("GET", "/api/v1/estimates/"+est.ID+"/events", nil).want(t, http.StatusOK)
	for _, want := range []string{"carecost.estimate.opened", "carecost.estimate.decided", "kalle.cm"} {
		if !strings.Contains(string(events.body), want) {
			t.Errorf("history lacks %s", want)
		}
	}
}

// lawTable2024 is the statutory income-limit table of 2024 (DOMAIN.md B 2.1,
// 2.2), shortened to the rows the story needs.
const lawTable2024 = `{"limits":["653","1205","1891","2338","2830","3251"],"extra_person":"389",
	"percentages":[{"max_hours":19,"by_household":["25.5","21.5","17.5","16","14","12"]},
		{"max_hours":20,"by_household":["26","22","18","16","14","12"]},
		{"max_hours":null,"by_household":["35","24","19","16","14","12"]}],
	"kayttovara":"195","annual_ceiling":"762"}`

// Two clients change the same estimate at the same version: exactly one
// wins, the other gets 409, and nothing is lost; on each store.
func TestConcurrentEditsOverHTTP(t *testing.T) { onEachStore(t, concurrentEditsOverHTTP) }

func concurrentEditsOverHTTP(t *testing.T, store string) {
	a := startTestServerOn(t, t.TempDir(), store, true)
	var est struct {
		ID      string `json:"id"`
		Version int64  `json:"version"`
	}
	a.do("POST", "/api/v1/estimates", `{"client_ref":"C","maple":2,"segment":"occasional","tariff":"phhva","pricing_date":"2026-02-01",
		"household":{"size":1},"lines":[]}`).want(t, http.StatusCreated).into(t, &est)
	var last reply
	for round := range 5 {
		etag := `"` + itoaTest(est.Version) + `"`
		var wg sync.WaitGroup
		replies := make([]reply, 2)
		for i := range 2 {
			wg.Go(func() {
				replies[i] = a.do("POST", "/api/v1/estimates/"+est.ID+"/lines", `{"service":"bathing","mode":"own","quantity":1,"frequency":"week"}`, "If-Match", etag)
			})
		}
		wg.Wait()
		win, lose := replies[0], replies[1]
		if win.status != http.StatusCreated {
			win, lose = lose, win
		}
		if win.status != http.StatusCreated || lose.status != http.StatusConflict {
			t.Fatalf("round %d: codes %d and %d, want one 201 and one 409", round, replies[0].status, replies[1].status)
		}
		var after struct {
			Version   int64 `json:"version"`
			LineCount int   `json:"line_count"`
		}
		win.into(t, &after)
		if after.LineCount != round+1 || after.Version != est.Version+2 { // the winner's line and its pricing
			t.Fatalf("round %d: winner answered %+v, want %d lines at version %d", round, after, round+1, est.Version+2)
		}
		est.Version, last = after.Version, win
	}
	// A client that reads after its write names the position it wrote.
	var got struct {
		LineCount int   `json:"line_count"`
		Version   int64 `json:"version"`
	}
	a.do("GET", "/api/v1/estimates/"+est.ID, nil, "X-Carecost-Position", last.header.Get("X-Carecost-Position")).want(t, http.StatusOK).into(t, &got)
	if got.LineCount != 5 || got.Version != est.Version {
		t.Errorf("read model: %d lines at version %d, want 5 (one per round) at %d", got.LineCount, got.Version, est.Version)
	}
}

func itoaTest(n int64) string { return strconv.FormatInt(n, 10) }
