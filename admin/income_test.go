package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// incomeTable is a complete income-limit table (DOMAIN.md B 2.1 limits, a
// short percentage table).
const incomeTable = `{"limits": ["653.00", "1205.00", "1891.00"], "extra_person": "389.00",
	"percentages": [{"max_hours": 10, "by_household": ["20", "15", "12"]}, {"max_hours": null, "by_household": ["35", "24", "19"]}],
	"kayttovara": "195.00", "annual_ceiling": "762.00"}`

func TestIncomeCatalogueVersioning(t *testing.T) {
	e := newEnv(t)
	var ic projections.IncomeCatalogueView
	e.do("POST", "/api/v1/income-catalogues", `{"id": "local", "name": "Paikalliset tulorajat"}`).
		wantStatus(t, http.StatusCreated).decode(t, &ic)
	if ic.ID != "local" || ic.Version != 0 {
		t.Errorf("created = %+v", ic)
	}
	var draft struct {
		Version int `json:"version"`
	}
	e.do("POST", "/api/v1/income-catalogues/local/versions", `{"table": `+incomeTable+`}`).
		wantStatus(t, http.StatusCreated).decode(t, &draft)
	if draft.Version != 1 {
		t.Fatalf("draft version = %d, want 1", draft.Version)
	}
	v1 := "/api/v1/income-catalogues/local/versions/1"
	e.do("PUT", v1, `{"table": `+strings.Replace(incomeTable, `"653.00"`, `"-1.00"`, 1)+`}`).wantError(t, 400, "invalid", "table.limits[0]")
	e.do("PUT", v1, `{"note": "no table"}`).wantError(t, 400, "invalid", "table")
	var v domain.IncomeVersion
	e.do("PUT", v1, `{"table": `+strings.Replace(incomeTable, `"653.00"`, `"700.00"`, 1)+`, "note": "uusi"}`).
		wantStatus(t, http.StatusOK).decode(t, &v)
	if v.Table.Limits[0].String() != "700.00" || v.Note != "uusi" || v.Table.HousingRate.String() != "85.00" {
		t.Errorf("draft = %+v", v)
	}
	tag := etagOf(t, e, "/api/v1/income-catalogues/local")
	e.do("POST", v1+"/publish", `{"valid_from": "2027-01-01"}`, "If-Match", `"0"`).wantError(t, 409, "conflict", "expected_version")
	e.do("POST", v1+"/publish", `{"valid_from": "2027-01-01"}`, "If-Match", tag).wantStatus(t, http.StatusOK).decode(t, &v)
	if v.Status != domain.StatusPublished {
		t.Errorf("status = %s", v.Status)
	}
	e.do("POST", "/api/v1/income-catalogues/local/versions", ``).wantStatus(t, http.StatusCreated)
	e.do("POST", "/api/v1/income-catalogues/local/versions/2/withdraw", "").wantStatus(t, http.StatusOK).decode(t, &v)
	if v.Status != domain.StatusWithdrawn {
		t.Errorf("status = %s, want withdrawn", v.Status)
	}
	e.do("GET", "/api/v1/income-catalogues/local/versions/2", "").wantStatus(t, http.StatusOK)
}

func TestListFiltersReachTheProjections(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/api/v1/estimates?status=draft&segment=continuous&maple=3&client_ref=A-123&tariff=phhva&opened_from=2025-01-01&opened_to=2025-12-31&limit=20&offset=40", "").
		wantStatus(t, http.StatusOK)
	f := e.reads.estimateFilter
	if f.Status != "draft" || f.Segment != "continuous" || f.Maple != 3 || f.ClientRef != "A-123" || f.TariffID != "phhva" ||
		f.OpenedFrom.String() != "2025-01-01" || f.OpenedTo.String() != "2025-12-31" || f.Limit != 20 || f.Offset != 40 {
		t.Errorf("estimate filter = %+v", f)
	}
	r := e.do("GET", "/api/v1/estimates", "").wantStatus(t, http.StatusOK)
	if string(r.body) != "[]" || e.reads.estimateFilter.Limit != 50 {
		t.Errorf("empty list = %s, limit %d", r.body, e.reads.estimateFilter.Limit)
	}
	e.do("GET", "/api/v1/decisions?tariff=phhva&decided_from=2025-01-01&decided_to=2025-06-30&touched=true&limit=5", "").
		wantStatus(t, http.StatusOK)
	d := e.reads.decisionFilter
	if d.TariffID != "phhva" || d.Touched == nil || !*d.Touched || d.DecidedFrom.String() != "2025-01-01" || d.DecidedTo.String() != "2025-06-30" || d.Limit != 5 {
		t.Errorf("decision filter = %+v", d)
	}
	e.do("GET", "/api/v1/tariffs/phhva/prices?service=bathing&mode=own&valid_at=2026-03-01&known_at=1000", "").wantStatus(t, http.StatusOK)
	if q := e.reads.priceQuery; q.KnownAt != domain.SeqPosition(1000) || q.Service != "bathing" || q.Mode != domain.ModeOwn {
		t.Errorf("price query = %+v", q)
	}
}
