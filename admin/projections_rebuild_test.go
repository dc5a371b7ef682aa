package admin_test

import (
	"net/http"
	"testing"
	"time"

	"carecost/admin"
	"carecost/domain"
	"carecost/projections"
)

// rebuilder is a Rebuilder that keeps the names it was asked for and
// answers with err.
type rebuilder struct {
	names []string
	err   error
}

func (r *rebuilder) StartRebuild(name string) (projections.RebuildProgress, error) {
	r.names = append(r.names, name)
	return projections.RebuildProgress{State: projections.RebuildBuilding, StartedAt: time.Now()}, r.err
}

// The rebuild route takes the operations role only and no body (or an
// empty object), answers 202 with the projection's status and its
// progress, 404 for an unknown projection, 409 while one runs, and 503
// when this carecost runs no projections.
func TestProjectionRebuildRoute(t *testing.T) {
	rb := &rebuilder{}
	started := time.Date(2026, 3, 2, 9, 15, 4, 0, time.UTC)
	e := newEnv(t, func(c *admin.Config) {
		c.Rebuilder = rb
		c.Health = health{status: []projections.Status{{Name: "catalogue", State: projections.StateRunning, Rebuildable: true},
			{Name: "estimates", State: projections.StateRunning, Rebuildable: true, Rebuilding: true,
				Rebuild: &projections.RebuildProgress{State: projections.RebuildBuilding, StartedAt: started, Events: 1200, EventsPerSecond: 400}}}}
	})
	const path = "/api/v1/projections/estimates/rebuild"
	ops := as("ops-1", "", "operations")
	// The API document names the refusals.
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]any `json:"responses"`
		} `json:"paths"`
	}
	e.do("GET", "/api/openapi.json", "").wantStatus(t, http.StatusOK).decode(t, &doc)
	for _, code := range []string{"202", "404", "409", "503"} {
		if _, ok := doc.Paths["/api/v1/projections/{name}/rebuild"]["post"].Responses[code]; !ok {
			t.Errorf("the API document lacks the rebuild's %s", code)
		}
	}
	e.do("POST", path, "", as("anna", "north", "case_manager,admin,controller")...).wantStatus(t, http.StatusForbidden)
	e.do("POST", path, "", anonymous...).wantStatus(t, http.StatusUnauthorized)
	if len(rb.names) != 0 {
		t.Fatalf("started without the role: %v", rb.names)
	}
	e.do("POST", path, `{"force": true}`, ops...).wantStatus(t, http.StatusBadRequest)
	for _, body := range []string{"", "{}"} {
		r := e.do("POST", path, body, ops...).wantStatus(t, http.StatusAccepted)
		var st projections.Status
		r.decode(t, &st)
		if st.Name != "estimates" || !st.Rebuilding || st.Rebuild == nil || st.Rebuild.State != "building" || st.Rebuild.Events != 1200 ||
			!st.Rebuild.StartedAt.Equal(started) {
			t.Errorf("answer %s", r.body)
		}
	}
	if len(rb.names) != 2 || rb.names[0] != "estimates" {
		t.Errorf("asked for %v", rb.names)
	}
	rb.err = domain.Errorf(domain.EConflict, "projection estimates is being rebuilt already")
	if r := e.do("POST", path, "", ops...).wantStatus(t, http.StatusConflict); r.apiError(t).Code != domain.EConflict {
		t.Errorf("a second rebuild: %s", r.body)
	}
	rb.err = &domain.Error{Code: domain.ENotFound, Field: "projection", Message: `there is no projection "nope"`}
	e.do("POST", "/api/v1/projections/nope/rebuild", "", ops...).wantStatus(t, http.StatusNotFound)

	none := newEnv(t)
	none.do("POST", path, "", ops...).wantStatus(t, http.StatusServiceUnavailable)
}
