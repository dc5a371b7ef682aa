package admin_test

import (
	"net/http"
	"testing"
)

// A case manager sees and changes their team's estimates only: another
// team's is not found (404), to read, to list, to change; a controller
// sees every team's.
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
	var list []estimate
	e.do("GET", "/api/v1/estimates", "", south...).wantStatus(t, http.StatusOK).decode(t, &list)
	for _, x := range list {
		if x.ID == est.ID {
			t.Error("south lists north's estimate")
		}
	}
	e.do("GET", path, "", as("carl", "", "controller")...).wantStatus(t, http.StatusOK)
}
