package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

func TestServices(t *testing.T) {
	e := newEnv(t)
	var svcs []projections.ServiceView
	e.do("GET", "/api/v1/services", "").wantStatus(t, http.StatusOK).decode(t, &svcs)
	if len(svcs) < 13 {
		t.Fatalf("%d services, want the 13 of the demo catalogue", len(svcs))
	}
	body := `{"names": {"fi": "Saattajapalvelu", "en": "Escort service"}, "category": "support", "unit": "hour", "modes": ["own", "purchased"]}`
	var sv projections.ServiceView
	r := e.do("PUT", "/api/v1/services/escort", body, as("aino", "", "admin")...).wantStatus(t, http.StatusOK)
	r.decode(t, &sv)
	if sv.ID != "escort" || sv.Names.EN != "Escort service" || sv.Retired || r.header.Get("X-Carecost-Position") == "" {
		t.Errorf("defined service = %+v", sv)
	}
	e.do("PUT", "/api/v1/services/escort", `{"id": "other",`+body[1:]).wantError(t, 400, "invalid", "id")
	e.do("PUT", "/api/v1/services/escort", strings.Replace(body, `"hour"`, `"fortnight"`, 1)).wantError(t, 400, "invalid", "unit")
	e.do("POST", "/api/v1/services/escort/retire", "").wantStatus(t, http.StatusOK).decode(t, &sv)
	if !sv.Retired {
		t.Error("the service is not retired")
	}
}

func TestTariffVersioning(t *testing.T) {
	e := newEnv(t)
	var tv projections.TariffView
	r := e.do("POST", "/api/v1/tariffs", `{"id": "test-2027", "name": "Testihinnasto 2027"}`).wantStatus(t, http.StatusCreated)
	r.decode(t, &tv)
	if tv.ID != "test-2027" || tv.WeeksPerMonth.String() != "52/12" || r.header.Get("Location") != "/api/v1/tariffs/test-2027" {
		t.Errorf("created tariff = %+v, Location %q", tv, r.header.Get("Location"))
	}
	e.do("POST", "/api/v1/tariffs", `{"id": "test-2027", "name": "again"}`).wantError(t, 409, "conflict", "id")
	if r := e.do("GET", "/api/v1/tariffs/test-2027/history", "").wantStatus(t, http.StatusOK); string(r.body) != "[]" {
		t.Errorf("history of a tariff without publications = %s, want []", r.body)
	}

	var draft struct {
		Version int `json:"version"`
		projections.TariffView
	}
	e.do("POST", "/api/v1/tariffs/test-2027/versions", `{"note": "luonnos"}`).wantStatus(t, http.StatusCreated).decode(t, &draft)
	if draft.Version != 1 || len(draft.Versions) != 1 || draft.Versions[0].Status != domain.StatusDraft {
		t.Fatalf("draft = %+v", draft)
	}
	v1 := "/api/v1/tariffs/test-2027/versions/1"
	entry := `{"unit_cost": "31.00", "rule": "flat", "fee": "9.20"}`
	var ver domain.TariffVersion
	r = e.do("PUT", v1+"/entries/bathing/own", entry, "If-Match", etagOf(t, e, "/api/v1/tariffs/test-2027")).wantStatus(t, http.StatusOK)
	r.decode(t, &ver)
	if len(ver.Entries) != 1 || ver.Entries[0].Fee.String() != "9.20" || ver.Entries[0].Service != "bathing" {
		t.Errorf("entries = %+v", ver.Entries)
	}
	e.do("PUT", v1+"/entries/bathing/own", `{"unit_cost": "-1.00", "rule": "flat", "fee": "9.20"}`).wantError(t, 400, "invalid", "unit_cost")
	e.do("PUT", v1+"/entries/bathing/own", `{"unit_cost": 31, "rule": "flat", "fee": "9.20"}`).wantError(t, 400, "invalid", "unit_cost")
	e.do("PUT", v1+"/entries/bathing/voucher", entry).wantError(t, 400, "invalid", "mode")
	e.do("PUT", v1+"/entries/bathing/own", `{"service": "cleaning",`+entry[1:]).wantError(t, 400, "invalid", "service")
	e.do("PUT", v1+"/entries/errands/own", `{"unit_cost": "33.00", "rule": "free"}`).wantStatus(t, http.StatusOK)
	e.do("DELETE", v1+"/entries/errands/own", "").wantStatus(t, http.StatusOK).decode(t, &ver)
	if len(ver.Entries) != 1 {
		t.Errorf("after removing: %d entries", len(ver.Entries))
	}
	e.do("PATCH", v1, `{"weeks_per_month": "4"}`).wantStatus(t, http.StatusOK).decode(t, &ver)
	if ver.WeeksPerMonth.String() != "4" || ver.Note != "luonnos" {
		t.Errorf("settings = %s, note %q", ver.WeeksPerMonth, ver.Note)
	}
	e.do("POST", v1+"/publish", `{}`).wantError(t, 400, "invalid", "valid_from")
	e.do("POST", v1+"/publish", `{"valid_from": "2027-01-01"}`).wantStatus(t, http.StatusOK).decode(t, &ver)
	if ver.Status != domain.StatusPublished || ver.ValidFrom.String() != "2027-01-01" {
		t.Errorf("published = %s from %s", ver.Status, ver.ValidFrom)
	}
	e.do("PUT", v1+"/entries/bathing/own", entry).wantError(t, 409, "conflict", "version")

	var p projections.PricePoint
	e.do("GET", "/api/v1/tariffs/test-2027/prices?service=bathing&mode=own&valid_at=2027-03-01&known_at=2026-01-31T12:00:00%2B02:00", "").
		wantStatus(t, http.StatusOK).decode(t, &p)
	e.do("GET", "/api/v1/tariffs/test-2027/prices?service=bathing&mode=own&valid_at=2027-03-01&known_at=2099-01-31T12:00:00%2B02:00", "").
		wantError(t, http.StatusBadRequest, "invalid", "known_at")
	e.do("GET", "/api/v1/tariffs/test-2027/prices?service=bathing&mode=own&valid_at=2027-03-01&valid_at=2027-03-02", "").
		wantError(t, http.StatusBadRequest, "invalid", "valid_at")
	if p.Version != 1 || p.Entry.UnitCost.String() != "31.00" || e.reads.priceQuery.KnownAtTime.IsZero() {
		t.Errorf("price = %+v, query %+v", p, e.reads.priceQuery)
	}
	var changes []projections.TariffChange
	e.do("GET", "/api/v1/tariffs/phhva/history", "").wantStatus(t, http.StatusOK).decode(t, &changes)
	if len(changes) != 3 || changes[2].Corrects != 2 {
		t.Errorf("history = %+v", changes)
	}
}

// etagOf returns the ETag of a GET of path.
func etagOf(t *testing.T, e *env, path string) string {
	t.Helper()
	return e.do("GET", path, "").wantStatus(t, http.StatusOK).header.Get("ETag")
}

// metricLine returns the line of /metrics that starts with prefix.
func metricLine(t *testing.T, e *env, prefix string) string {
	t.Helper()
	for _, l := range strings.Split(string(e.do("GET", "/metrics", "").body), "\n") {
		if strings.HasPrefix(l, prefix) {
			return l
		}
	}
	return ""
}
