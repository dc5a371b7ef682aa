package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"carecost/domain"
)

// caseWithout is the demo case without the fields named.
func caseWithout(fields ...string) string {
	c := demoCase
	for _, f := range fields {
		switch f {
		case "tariff":
			c = strings.Replace(c, `"tariff": "phhva", `, "", 1)
		case "income_catalogue":
			c = strings.Replace(c, `"income_catalogue": "statutory", `, "", 1)
		}
	}
	return c
}

// A case may leave the tariff and the income-limit catalogue out when the
// catalogue has exactly one of each (docs/case-format.md), in the API as in
// carecost quote; with several, the tariff is required, by name.
func TestCaseTakesTheOnlyTariffAndIncomeCatalogue(t *testing.T) {
	e := newEnv(t)
	body := caseWithout("tariff", "income_catalogue")
	if body == demoCase || strings.Contains(body, "phhva") || strings.Contains(body, "statutory") {
		t.Fatalf("the case still names its basis: %s", body)
	}
	var q domain.Quote
	e.do("POST", "/api/v1/quote", body).wantStatus(t, http.StatusOK).decode(t, &q)
	if q.Tariff.ID != "phhva" || q.IncomeCatalogue == nil || q.IncomeCatalogue.ID != "statutory" {
		t.Errorf("quote priced with tariff %+v, income %+v", q.Tariff, q.IncomeCatalogue)
	}
	wantTotals(t, "quote", q.Monthly, "1452.33", "406.55", "1045.78")
	var est estimate
	e.do("POST", "/api/v1/estimates", body).wantStatus(t, http.StatusCreated).decode(t, &est)
	if est.Quote.Tariff.ID != "phhva" || est.Quote.IncomeCatalogue == nil || est.Quote.IncomeCatalogue.ID != "statutory" {
		t.Errorf("estimate priced with tariff %+v, income %+v", est.Quote.Tariff, est.Quote.IncomeCatalogue)
	}

	// A tariff without a published version prices nothing: the only one
	// that does still applies.
	e.do("POST", "/api/v1/tariffs", `{"id": "other", "name": "Toinen hinnasto"}`).wantStatus(t, http.StatusCreated)
	e.do("POST", "/api/v1/quote", caseWithout("tariff")).wantStatus(t, http.StatusOK).decode(t, &q)
	if q.Tariff.ID != "phhva" {
		t.Errorf("with an empty tariff beside it, priced with %+v", q.Tariff)
	}
	e.do("POST", "/api/v1/tariffs/other/versions", `{}`).wantStatus(t, http.StatusCreated)
	e.do("PUT", "/api/v1/tariffs/other/versions/1/entries/meal-service/own", `{"unit_cost":"9.80","rule":"flat","fee":"5.00"}`).wantStatus(t, http.StatusOK)
	e.do("POST", "/api/v1/tariffs/other/versions/1/publish", `{"valid_from": "2025-01-01"}`).wantStatus(t, http.StatusOK)
	before := e.store.count()
	for _, path := range []string{"/api/v1/quote", "/api/v1/estimates"} {
		got := e.do("POST", path, caseWithout("tariff")).wantError(t, http.StatusBadRequest, "invalid", "tariff")
		if !strings.Contains(got.Message, "required") || !strings.Contains(got.Message, "phhva") || strings.Contains(got.Message, `""`) {
			t.Errorf("POST %s: message %q", path, got.Message)
		}
	}
	got := e.do("PUT", "/api/v1/estimates/"+est.ID+"/basis", `{"pricing_date": "2025-03-01"}`).wantError(t, http.StatusBadRequest, "invalid", "tariff")
	if !strings.Contains(got.Message, "required") {
		t.Errorf("PUT basis: message %q", got.Message)
	}
	if n := e.store.count(); n != before {
		t.Errorf("refused requests appended %d events", n-before)
	}
	// With the tariff named, the only income-limit catalogue still applies.
	e.do("POST", "/api/v1/quote", caseWithout("income_catalogue")).wantStatus(t, http.StatusOK).decode(t, &q)
	if q.IncomeCatalogue == nil || q.IncomeCatalogue.ID != "statutory" {
		t.Errorf("income catalogue %+v", q.IncomeCatalogue)
	}
}

// The id of a new tariff or income-limit catalogue is the body's field id.
func TestCreateErrorsNameTheIDField(t *testing.T) {
	e := newEnv(t)
	before := e.store.count()
	for _, path := range []string{"/api/v1/tariffs", "/api/v1/income-catalogues"} {
		e.do("POST", path, `{"id": "Bad Id", "name": "x"}`).wantError(t, http.StatusBadRequest, "invalid", "id")
		got := e.do("POST", path, `{"name": "x"}`).wantError(t, http.StatusBadRequest, "invalid", "id")
		if !strings.Contains(got.Message, "required") {
			t.Errorf("POST %s without id: %q", path, got.Message)
		}
	}
	if n := e.store.count(); n != before {
		t.Errorf("refused requests appended %d events", n-before)
	}
}
