package admin_test

import (
	"net/http"
	"slices"
	"testing"

	"carecost/domain"
)

// wantTotals compares monthly totals to the cent.
func wantTotals(t *testing.T, what string, got domain.Totals, gross, fee, net string) {
	t.Helper()
	if got.CountyGross.String() != gross || got.ClientFee.String() != fee || got.CountyNet.String() != net {
		t.Errorf("%s = gross %s fee %s net %s, want gross %s fee %s net %s", what,
			got.CountyGross, got.ClientFee, got.CountyNet, gross, fee, net)
	}
}

func TestEstimateFlowOpenAddLineDecide(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/estimates", demoCase, as("anna", "north", "case_manager")...).
		wantStatus(t, http.StatusCreated)
	var est estimate
	r.decode(t, &est)
	if got, want := r.header.Get("Location"), "/api/v1/estimates/"+est.ID; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	if got := r.header.Get("ETag"); got != `"1"` {
		t.Errorf("ETag = %q, want \"1\" (opened, priced)", got)
	}
	if got := r.header.Get("X-Carecost-Position"); got == "" || r.header.Get("X-Carecost-Stale") != "" {
		t.Errorf("position %q, stale %q", got, r.header.Get("X-Carecost-Stale"))
	}
	// Tariff 2025: home care 20 h x 62.00 = 1240.00, fee (1800 - 653) x 26 % = 298.22;
	// meals 5 x 52/12 = 21.667 x 9.80 = 212.33, fee x 5.00 = 108.33.
	wantTotals(t, "opened", est.Monthly, "1452.33", "406.55", "1045.78")

	// Safety phone: 74.00 a month, fee 66.74 (income above the 1 393.00 tier).
	r = e.do("POST", "/api/v1/estimates/"+est.ID+"/lines", `{"service": "safety-phone", "mode": "own", "quantity": 1, "frequency": "month"}`,
		"If-Match", `"1"`).wantStatus(t, http.StatusCreated)
	r.decode(t, &est)
	if got, want := r.header.Get("Location"), "/api/v1/estimates/"+est.ID+"/lines/l3"; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}
	if est.LineCount != 3 || est.Quote.Lines[2].ClientFee.String() != "66.74" {
		t.Fatalf("after adding: %d lines, quote %+v", est.LineCount, est.Quote.Lines)
	}
	wantTotals(t, "with the phone", est.Monthly, "1526.33", "473.29", "1053.04")

	e.do("POST", "/api/v1/estimates/"+est.ID+"/present", "").wantStatus(t, http.StatusOK)
	r = e.do("POST", "/api/v1/estimates/"+est.ID+"/decide",
		`{"decision_number": "D-2025-17", "decision_date": "`+day(0)+`", "effective_from": "2025-04-01"}`).wantStatus(t, http.StatusOK)
	r.decode(t, &est)
	if est.Status != "decided" || est.DecisionNumber != "D-2025-17" {
		t.Fatalf("after deciding: status %q, decision %q", est.Status, est.DecisionNumber)
	}
	wantTotals(t, "decided", est.Monthly, "1526.33", "473.29", "1053.04")

	// A decided estimate does not change.
	e.do("POST", "/api/v1/estimates/"+est.ID+"/lines", `{"service": "bathing", "mode": "own", "quantity": 1, "frequency": "week"}`).
		wantError(t, http.StatusConflict, "conflict", "")

	var dec struct {
		DecisionNumber string        `json:"decision_number"`
		Monthly        domain.Totals `json:"monthly"`
	}
	e.do("GET", "/api/v1/decisions/"+est.ID, "").wantStatus(t, http.StatusOK).decode(t, &dec)
	if dec.DecisionNumber != "D-2025-17" || dec.Monthly.ClientFee.String() != "473.29" {
		t.Errorf("decision record = %+v", dec)
	}

	var events []struct {
		Type     string      `json:"type"`
		Version  int         `json:"version"`
		Metadata domain.Meta `json:"metadata"`
	}
	e.do("GET", "/api/v1/estimates/"+est.ID+"/events", "").wantStatus(t, http.StatusOK).decode(t, &events)
	var types []string
	for _, ev := range events {
		types = append(types, ev.Type)
	}
	want := []string{domain.EvEstimateOpened, domain.EvEstimatePriced, domain.EvEstimateLineAdded, domain.EvEstimatePriced,
		domain.EvEstimatePresented, domain.EvEstimateDecided}
	if !slices.Equal(types, want) {
		t.Errorf("events = %v, want %v", types, want)
	}
	if events[0].Metadata.ActorID != "anna" || events[0].Metadata.ActorRole != "case_manager" || events[4].Metadata.ActorID != "tester" {
		t.Errorf("actors = %+v, %+v", events[0].Metadata, events[4].Metadata)
	}
}

func TestEstimateReviseOpensANewEstimate(t *testing.T) {
	e := newEnv(t)
	est := e.open()
	e.do("POST", "/api/v1/estimates/"+est.ID+"/decide",
		`{"decision_number": "D-1", "decision_date": "`+day(0)+`", "effective_from": "2025-04-01", "presented": false, "not_presented_reason": "decided at the meeting"}`).wantStatus(t, http.StatusOK)
	var rev estimate
	r := e.do("POST", "/api/v1/estimates/"+est.ID+"/revise", `{"pricing_date": "2026-02-01"}`).wantStatus(t, http.StatusCreated)
	r.decode(t, &rev)
	if rev.ID == est.ID || rev.RevisionOf != est.ID || rev.Status != "draft" || rev.Quote.Tariff.Version != 3 {
		t.Errorf("revision = id %s of %s, %s, tariff version %d", rev.ID, rev.RevisionOf, rev.Status, rev.Quote.Tariff.Version)
	}
	if r.header.Get("Location") != "/api/v1/estimates/"+rev.ID {
		t.Errorf("Location = %q", r.header.Get("Location"))
	}
}

func TestEstimateChangesAndCancel(t *testing.T) {
	e := newEnv(t)
	est := e.open()
	base := "/api/v1/estimates/" + est.ID
	e.do("PUT", base+"/lines/l2", `{"service": "meal-service", "mode": "own", "quantity": 7, "frequency": "week"}`).
		wantStatus(t, http.StatusOK).decode(t, &est)
	// Meals 7 x 52/12 = 30.333 x 5.00 = 151.67; home care fee 298.22.
	if got := est.Monthly.ClientFee.String(); got != "449.89" {
		t.Errorf("fee with 7 meals = %s, want 449.89", got)
	}
	e.do("DELETE", base+"/lines/l2", "").wantStatus(t, http.StatusOK).decode(t, &est)
	if est.LineCount != 1 || est.Monthly.ClientFee.String() != "298.22" {
		t.Errorf("after removing: %d lines, fee %s", est.LineCount, est.Monthly.ClientFee)
	}
	e.do("PUT", base+"/assessment", `{"maple": 4, "segment": "multi_sector"}`).wantStatus(t, http.StatusOK)
	e.do("PUT", base+"/household", `{"client_ref": "A-123", "household": {"size": 2, "gross_income": "1800.00", "net_income": "1500.00"}}`).
		wantStatus(t, http.StatusOK).decode(t, &est)
	// Two people: (1800 - 1205) x 22 % = 130.90 (DOMAIN.md B 2.2, 20 h).
	if got := est.Monthly.ClientFee.String(); got != "130.90" {
		t.Errorf("fee for two = %s, want 130.90", got)
	}
	e.do("PUT", base+"/basis", `{"tariff": "phhva", "income_catalogue": "statutory", "pricing_date": "2026-02-01"}`).wantStatus(t, http.StatusOK)
	e.do("POST", base+"/reprice", "").wantStatus(t, http.StatusOK)
	e.do("POST", base+"/cancel", `{"reason": "the client moved"}`).wantStatus(t, http.StatusOK).decode(t, &est)
	if est.Status != "cancelled" {
		t.Errorf("status = %q, want cancelled", est.Status)
	}
	var list []estimate
	e.do("GET", "/api/v1/estimates?status=cancelled&limit=10", "").wantStatus(t, http.StatusOK).decode(t, &list)
	if len(list) != 1 || list[0].ID != est.ID {
		t.Errorf("cancelled estimates = %+v", list)
	}
}

func TestQuoteStoresNothing(t *testing.T) {
	e := newEnv(t)
	before := e.store.count()
	var q domain.Quote
	e.do("POST", "/api/v1/quote", demoCase).wantStatus(t, http.StatusOK).decode(t, &q)
	wantTotals(t, "quote", q.Monthly, "1452.33", "406.55", "1045.78")
	// Without a pricing date the quote is priced today.
	body := `{"tariff": "phhva", "household": {"size": 1, "gross_income": "0", "net_income": "0"},
		"lines": [{"service": "bathing", "mode": "own", "quantity": 1, "frequency": "week"}]}`
	e.do("POST", "/api/v1/quote", body).wantStatus(t, http.StatusOK).decode(t, &q)
	if q.PricingDate.IsZero() {
		t.Error("a quote without a pricing date has none")
	}
	if got := e.store.count(); got != before {
		t.Errorf("the store grew from %d to %d events", before, got)
	}
}
