package admin_test

import (
	"net/http"
	"testing"
)

// A weak entity tag never matches under If-Match (RFC 9110): the
// precondition fails with 412 and nothing is written.
func TestWeakETagInIfMatchIs412(t *testing.T) {
	e := newEnv(t)
	est := e.open()
	path := "/api/v1/estimates/" + est.ID
	tag := etagOf(t, e, path)
	before := e.store.count()
	line := `{"service": "bathing", "mode": "own", "quantity": 1, "frequency": "week"}`
	got := e.do("POST", path+"/lines", line, "If-Match", "W/"+tag).
		wantError(t, http.StatusPreconditionFailed, "precondition_failed", "If-Match")
	if got.Message == "" {
		t.Error("no message")
	}
	e.do("POST", path+"/present", "", "If-Match", "W/"+tag).wantError(t, http.StatusPreconditionFailed, "precondition_failed", "If-Match")
	e.do("POST", "/api/v1/tariffs/phhva/versions", "", "If-Match", `W/"0"`).wantError(t, http.StatusPreconditionFailed, "precondition_failed", "If-Match")
	e.do("POST", path+"/present", "", "If-Match", `W/"x"`).wantError(t, http.StatusBadRequest, "invalid", "If-Match")
	if n := e.store.count(); n != before {
		t.Errorf("the store grew from %d to %d events", before, n)
	}
	e.do("POST", path+"/present", "", "If-Match", tag).wantStatus(t, http.StatusOK)

	doc, _ := fetchOpenAPI(t, e)
	resp, _ := doc.Paths["/api/v1/estimates/{id}/present"]["post"]["responses"].(map[string]any)
	if resp["412"] == nil {
		t.Error("the OpenAPI document does not name the 412 of a weak If-Match")
	}
}
