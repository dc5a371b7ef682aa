package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"carecost/domain"
)

// Only the roles carecost knows reach the audit trail; the user is
// printable text of bounded length.
func TestActorHeadersAreChecked(t *testing.T) {
	e := newEnv(t)
	before := e.store.count()
	for _, tc := range []struct{ name, header, value string }{
		{"UnknownRole", "X-Carecost-Role", "root"},
		{"RoleInCapitals", "X-Carecost-Role", "ADMIN"},
		{"RoleWithInjection", "X-Carecost-Role", "admin; drop"},
		{"UserWithTab", "X-Carecost-User", "anna\tadmin"},
		{"UserWithControl", "X-Carecost-User", "anna\x01"},
		{"UserWithDelete", "X-Carecost-User", "anna\x7f"},
		{"UserNotUTF8", "X-Carecost-User", "anna\xff"},
		{"UserTooLong", "X-Carecost-User", strings.Repeat("u", 201)},
		{"CorrelationWithControl", "X-Correlation-ID", "c\x02"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e.do("POST", "/api/v1/estimates", demoCase, tc.header, tc.value).wantError(t, http.StatusBadRequest, "invalid", tc.header)
			e.do("POST", "/api/v1/services/bathing/retire", "", tc.header, tc.value).wantError(t, http.StatusBadRequest, "invalid", tc.header)
		})
	}
	if n := e.store.count(); n != before {
		t.Fatalf("refused commands appended %d events", n-before)
	}

	for _, role := range []string{"case_manager", "admin", "controller", "operations", ""} {
		var est estimate
		e.do("POST", "/api/v1/estimates", demoCase, "X-Carecost-Role", role, "X-Carecost-User", "Äijälä, Anna").
			wantStatus(t, http.StatusCreated).decode(t, &est)
		var events []struct {
			Metadata domain.Meta `json:"metadata"`
		}
		e.do("GET", "/api/v1/estimates/"+est.ID+"/events", "").wantStatus(t, http.StatusOK).decode(t, &events)
		want := role
		if want == "" {
			want = "case_manager"
		}
		if m := events[0].Metadata; m.ActorRole != want || m.ActorID != "Äijälä, Anna" {
			t.Errorf("role %q: recorded %q by %q", role, m.ActorRole, m.ActorID)
		}
	}
}
