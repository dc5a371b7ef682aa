package admin_test

import (
	"net/http"
	"testing"
)

// A case manager sees and changes their team's estimates only: another
// team's is not found (404), to read, to list, to change, also when the
// request names a version (If-Match), exactly as for an estimate that does
// not exist; a controller sees every team's; a case manager who is also a
// controller sees another team's estimate but may not change it (403).
func TestCaseManagersSeeTheirTeam(t *testing.T) {
	e := newEnv(t)
	north, south := as("anna", "north", "case_manager"), as("sven", "south", "case_manager")
	var est estimate
	e.do("POST", "/api/v1/estimates", demoCase, north...).wantStatus(t, http.StatusCreated).decode(t, &est)
	path := "/api/v1/estimates/" + est.ID
	e.do("GET", path, "", north...).wantStatus(t, http.StatusOK)
	before := e.store.count()
	for _, r := range []struct{ method, path, body string }{
		{"GET", path, ""}, {"GET", path + "/events", ""},
		{"POST", path + "/lines", `{"service":"bathing","mode":"own","quantity":1,"frequency":"week"}`},
		{"POST", path + "/present", ""}, {"POST", path + "/cancel", ""},
	} {
		e.do(r.method, r.path, r.body, south...).wantError(t, http.StatusNotFound, "not_found", "")
	}
	if n := e.store.count(); n != before {
		t.Errorf("another team's requests appended %d events", n-before)
	}
	for _, who := range [][]string{south, as("tia", "", "case_manager")} {
		var list []estimate
		e.do("GET", "/api/v1/estimates", "", who...).wantStatus(t, http.StatusOK).decode(t, &list)
		for _, x := range list {
			if x.ID == est.ID {
				t.Errorf("%s lists north's estimate", who[1])
			}
		}
	}
	e.do("GET", path, "", as("tia", "", "case_manager")...).wantError(t, http.StatusNotFound, "not_found", "")
	e.do("GET", path, "", as("carl", "", "controller")...).wantStatus(t, http.StatusOK)

	absent := "/api/v1/estimates/0193a5c4-7d2e-7000-8000-000000000000"
	for _, p := range []string{path, absent} {
		got := e.do("POST", p+"/present", "", append(south, "If-Match", `"0"`)...).wantError(t, http.StatusNotFound, "not_found", "")
		if want := "there is no estimate " + p[len("/api/v1/estimates/"):]; got.Message != want {
			t.Errorf("message %q, want %q", got.Message, want)
		}
	}
	both := as("sven", "south", "case_manager,controller")
	e.do("GET", path, "", both...).wantStatus(t, http.StatusOK)
	for _, r := range []struct{ method, path, body string }{
		{"POST", path + "/lines", `{"service":"bathing","mode":"own","quantity":1,"frequency":"week"}`},
		{"POST", path + "/present", ""}, {"POST", path + "/cancel", ""},
	} {
		e.do(r.method, r.path, r.body, both...).wantError(t, http.StatusForbidden, "forbidden", "")
	}
	if n := e.store.count(); n != before {
		t.Errorf("a case manager and controller of another team appended %d events", n-before)
	}
}
