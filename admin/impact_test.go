package admin_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

// The impact of a correction through the API: a draft previewed with a
// sample case, then published, answers the same euros; asked as known
// before the publication (a position or a time) it answers none; a time
// to come is refused.
func TestImpactAPI(t *testing.T) {
	e := newEnv(t)
	est := e.open().ID
	e.do("POST", "/api/v1/estimates/"+est+"/present", "").wantStatus(t, http.StatusOK)
	today := domain.DateOf(time.Now()).String() // the product dates decisions in Helsinki
	e.do("POST", "/api/v1/estimates/"+est+"/decide", `{"decision_number": "D-1", "decision_date": "`+today+`", "effective_from": "`+today+`"}`).wantStatus(t, http.StatusOK)
	sample := `{"name": "Meals five times a week", "case": {"household": {"size": 1}, "lines": [{"service": "meal-service", "mode": "own", "quantity": "5", "frequency": "week"}]}}`
	e.do("PUT", "/api/v1/tariffs/phhva/samples/meals", sample).wantStatus(t, http.StatusOK)
	e.do("POST", "/api/v1/tariffs/phhva/versions", `{"based_on": 1, "corrects": 1}`).wantStatus(t, http.StatusCreated)
	e.do("PUT", "/api/v1/tariffs/phhva/versions/4/entries/meal-service/own", `{"unit_cost": "9.80", "rule": "flat", "fee": "5.50"}`).wantStatus(t, http.StatusOK)
	type impact struct {
		Published bool
		Covered   int
		Clients   int
		Monthly   struct {
			ClientFee string `json:"client_fee"`
			CountyNet string `json:"county_net"`
		} `json:"monthly_change"`
		Decisions []struct {
			DecisionNumber string `json:"decision_number"`
		}
		Samples []struct {
			ID      string
			Compare struct {
				Monthly struct {
					Change struct {
						ClientFee string `json:"client_fee"`
					} `json:"change"`
				}
			} `json:"comparison"`
		}
	}
	var preview, published, then impact
	e.do("GET", "/api/v1/tariffs/phhva/versions/4/impact", "").wantStatus(t, http.StatusOK).decode(t, &preview)
	// Meals 5 a week: 65/3 a month; the fee 5.00 -> 5.50: 108.33 -> 119.17.
	if preview.Published || preview.Covered != 1 || preview.Clients != 1 || len(preview.Decisions) != 1 ||
		preview.Monthly.ClientFee != "10.84" || preview.Monthly.CountyNet != "-10.84" {
		t.Fatalf("preview %+v", preview)
	}
	if len(preview.Samples) != 1 || preview.Samples[0].Compare.Monthly.Change.ClientFee != "10.84" {
		t.Errorf("preview samples %+v", preview.Samples)
	}
	e.do("POST", "/api/v1/tariffs/phhva/versions/4/publish", "").wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/tariffs/phhva/versions/4/impact", "").wantStatus(t, http.StatusOK).decode(t, &published)
	if !published.Published || published.Monthly != preview.Monthly || len(published.Decisions) != 1 {
		t.Errorf("published %+v, preview %+v", published, preview)
	}
	past := time.Now().Add(-time.Hour).Format(time.RFC3339)
	e.do("GET", "/api/v1/tariffs/phhva/versions/4/impact?known_at="+past, "").wantStatus(t, http.StatusOK).decode(t, &then)
	if then.Published || len(then.Decisions) != 0 {
		t.Errorf("as known an hour ago: %+v; want nothing published", then)
	}
	future := time.Now().Add(time.Hour).Format(time.RFC3339)
	e.do("GET", "/api/v1/tariffs/phhva/versions/4/impact?known_at="+strings.ReplaceAll(future, "+", "%2B"), "").wantError(t, http.StatusBadRequest, "invalid", "known_at")
	e.do("GET", "/api/v1/tariffs/phhva/versions/4/impact?known_at=yesterday", "").wantError(t, http.StatusBadRequest, "invalid", "known_at")
	e.do("GET", "/api/v1/tariffs/phhva/versions/99/impact", "").wantError(t, http.StatusNotFound, "not_found", "version")
	e.do("GET", "/api/v1/tariffs/phhva/versions/4/impact", "", as("cm", "north", "case_manager")...).wantStatus(t, http.StatusForbidden)
}

// What-if through the API: another team's case manager does not find the
// estimate; a bad version is refused naming the field.
func TestWhatIfAPI(t *testing.T) {
	e := newEnv(t)
	est := e.open().ID
	path := "/api/v1/estimates/" + est + "/whatif"
	var w struct {
		Decided bool
		After   struct{ Tariff struct{ Version int } }
	}
	e.do("GET", path+"?tariff_version=2&pricing_date=2026-03-01", "").wantStatus(t, http.StatusOK).decode(t, &w)
	if w.Decided || w.After.Tariff.Version != 2 {
		t.Errorf("what-if %+v", w)
	}
	e.do("GET", path+"?tariff_version=99", "").wantError(t, http.StatusBadRequest, "invalid", "tariff_version")
	e.do("GET", path+"?pricing_date=1990-01-01", "").wantError(t, http.StatusBadRequest, "invalid", "pricing_date")
	e.do("GET", path, "", as("sam", "south", "case_manager")...).wantError(t, http.StatusNotFound, "not_found", "")
	e.do("GET", path, "", as("carl", "", "controller")...).wantStatus(t, http.StatusOK)
}

// A sample that cannot be priced is refused naming the field, and writes
// nothing; a removed sample is gone.
func TestSamplesAPI(t *testing.T) {
	e := newEnv(t)
	before := e.store.count()
	e.do("PUT", "/api/v1/tariffs/phhva/samples/bad", `{"name": "x", "case": {"household": {"size": 1}, "lines": [{"service": "meal-service", "mode": "nope", "quantity": "5", "frequency": "week"}]}}`).
		wantError(t, http.StatusBadRequest, "invalid", "case.lines[0].mode")
	e.do("PUT", "/api/v1/tariffs/phhva/samples/bad", `{"name": "x", "case": {"household": {"size": 1}, "lines": []}}`).
		wantError(t, http.StatusBadRequest, "invalid", "case.lines")
	e.do("PUT", "/api/v1/tariffs/phhva/samples/Bad_Id", `{"name": "x", "case": {"household": {"size": 1}, "lines": [{"service": "meal-service", "mode": "own", "quantity": "5", "frequency": "week"}]}}`).
		wantError(t, http.StatusBadRequest, "invalid", "sample")
	if n := e.store.count(); n != before {
		t.Fatalf("refused samples appended %d events", n-before)
	}
	e.do("PUT", "/api/v1/tariffs/phhva/samples/meals", `{"name": "Meals", "case": {"household": {"size": 1}, "lines": [{"service": "meal-service", "mode": "own", "quantity": "5", "frequency": "week"}]}}`).wantStatus(t, http.StatusOK)
	var list struct{ Samples []struct{ ID string } }
	e.do("DELETE", "/api/v1/tariffs/phhva/samples/meals", "").wantStatus(t, http.StatusOK).decode(t, &list)
	if len(list.Samples) != 0 {
		t.Errorf("after removing: %+v", list)
	}
	e.do("DELETE", "/api/v1/tariffs/phhva/samples/meals", "").wantError(t, http.StatusNotFound, "not_found", "")
	e.do("GET", "/api/v1/tariffs/nope/samples", "").wantError(t, http.StatusNotFound, "not_found", "")
}

// A correction that removes an entry a decision used lists that decision
// with the problem and no figures; an admin sees the decisions unnamed; a
// published version's own valid-from is the only one it takes.
func TestImpactOfARemovedEntry(t *testing.T) {
	e := newEnv(t)
	est := e.open().ID
	e.do("POST", "/api/v1/estimates/"+est+"/present", "").wantStatus(t, http.StatusOK)
	today := domain.DateOf(time.Now()).String() // the product dates decisions in Helsinki
	e.do("POST", "/api/v1/estimates/"+est+"/decide", `{"decision_number": "D-1", "decision_date": "`+today+`", "effective_from": "`+today+`"}`).wantStatus(t, http.StatusOK)
	e.do("POST", "/api/v1/tariffs/phhva/versions", `{"based_on": 1, "corrects": 1}`).wantStatus(t, http.StatusCreated)
	e.do("DELETE", "/api/v1/tariffs/phhva/versions/4/entries/meal-service/own", "").wantStatus(t, http.StatusOK)
	type answer struct {
		Anonymised bool `json:"anonymised"`
		Unpriced   int  `json:"unpriced"`
		Decisions  []struct {
			EstimateID     string          `json:"estimate_id"`
			DecisionNumber string          `json:"decision_number"`
			Uses           []any           `json:"uses"`
			Comparison     json.RawMessage `json:"comparison"`
			Problem        *struct{ Field, Message string }
		}
	}
	var r answer
	e.do("GET", "/api/v1/tariffs/phhva/versions/4/impact", "", as("carl", "", "controller")...).wantStatus(t, http.StatusOK).decode(t, &r)
	if r.Anonymised || r.Unpriced != 1 || len(r.Decisions) != 1 || r.Decisions[0].EstimateID != est || r.Decisions[0].Problem == nil || r.Decisions[0].Comparison != nil {
		t.Fatalf("a removed entry: %+v", r)
	}
	var anon answer
	e.do("GET", "/api/v1/tariffs/phhva/versions/4/impact", "", as("aino", "", "admin")...).wantStatus(t, http.StatusOK).decode(t, &anon)
	if !anon.Anonymised || len(anon.Decisions) != 1 || anon.Decisions[0].EstimateID != "" || anon.Decisions[0].DecisionNumber != "" {
		t.Errorf("the admin's answer names the decision: %+v", anon)
	}
	e.do("GET", "/api/v1/tariffs/phhva/versions/1/impact?valid_from=2027-01-01", "").wantError(t, http.StatusBadRequest, "invalid", "valid_from")
	e.do("GET", "/api/v1/tariffs/phhva/versions/1/impact?valid_from=2025-01-01", "").wantStatus(t, http.StatusOK)
	// What-if under the version without the entry names the version.
	e.do("GET", "/api/v1/estimates/"+est+"/whatif?tariff_version=4", "").wantError(t, http.StatusBadRequest, "invalid", "tariff_version")
}

// Saving a sample exactly as it is writes nothing.
func TestSampleSavedTwiceWritesOnce(t *testing.T) {
	e := newEnv(t)
	body := `{"name": "Meals", "case": {"household": {"size": 1}, "lines": [{"service": "meal-service", "mode": "own", "quantity": "5", "frequency": "week"}]}}`
	e.do("PUT", "/api/v1/tariffs/phhva/samples/meals", body).wantStatus(t, http.StatusOK)
	n := e.store.count()
	e.do("PUT", "/api/v1/tariffs/phhva/samples/meals", body).wantStatus(t, http.StatusOK)
	if got := e.store.count(); got != n {
		t.Errorf("the same sample again wrote %d events", got-n)
	}
}
