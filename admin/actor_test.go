package admin_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"carecost/domain"
)

// Who runs a command comes from authentication: the old actor headers are
// refused, naming them, also when empty, and write nothing, and so is a
// request with two Authorization headers; the events record the
// authenticated user, their name, every role they hold, the role the
// route ran under and their team; and the request's id as the correlation
// id when the client names none.
func TestActorComesFromAuthentication(t *testing.T) {
	e := newEnv(t)
	before := e.store.count()
	for _, h := range []string{"X-Carecost-Role", "X-Carecost-User"} {
		e.do("POST", "/api/v1/estimates", demoCase, h, "admin").wantError(t, http.StatusBadRequest, "invalid", h)
		e.do("POST", "/api/v1/services/bathing/retire", "", h, "admin").wantError(t, http.StatusBadRequest, "invalid", h)
	}
	for _, h := range []string{"X-Carecost-Role", "X-Carecost-User"} {
		req := httptest.NewRequest("POST", "/api/v1/estimates", strings.NewReader(demoCase))
		req.Header.Set("Content-Type", "application/json")
		req.Header[h] = []string{""}
		e.send(req).wantError(t, http.StatusBadRequest, "invalid", h)
	}
	two := httptest.NewRequest("GET", "/api/v1/estimates", nil)
	two.Header["Authorization"] = []string{as("anna", "north", "case_manager")[1], everyRole[1]}
	e.send(two).wantError(t, http.StatusBadRequest, "invalid", "Authorization")
	e.do("POST", "/api/v1/estimates", demoCase, "X-Correlation-ID", "c\x02").wantError(t, http.StatusBadRequest, "invalid", "X-Correlation-ID")
	if n := e.store.count(); n != before {
		t.Fatalf("refused commands appended %d events", n-before)
	}
	var est estimate
	r := e.do("POST", "/api/v1/estimates", demoCase, as("anna", "north", "case_manager,operations")...).wantStatus(t, http.StatusCreated)
	r.decode(t, &est)
	var events []struct {
		Metadata domain.Meta `json:"metadata"`
	}
	e.do("GET", "/api/v1/estimates/"+est.ID+"/events", "").wantStatus(t, http.StatusOK).decode(t, &events)
	m := events[0].Metadata
	if m.ActorID != "anna" || m.ActorName != "Test anna" || m.ActorRole != "case_manager" || m.ActorTeam != "north" ||
		len(m.ActorRoles) != 2 || m.ActorRoles[1] != "operations" || m.CorrelationID != r.header.Get("X-Request-ID") {
		t.Errorf("recorded %+v", m)
	}
}
