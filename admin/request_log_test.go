package admin_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// requestLines returns the request log lines of e, decoded.
func requestLines(t *testing.T, e *env) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(e.log.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == "request" {
			out = append(out, m)
		}
	}
	return out
}

// Each request's log line says who (the authenticated user) read or
// changed which record (the path), never the query string, where a client
// reference may stand; a path past 200 bytes is cut.
func TestRequestLogSaysWhoAndWhat(t *testing.T) {
	e := newEnv(t)
	var est estimate
	e.do("POST", "/api/v1/estimates", demoCase, as("anna", "north", "case_manager")...).wantStatus(t, http.StatusCreated).decode(t, &est)
	e.do("GET", "/api/v1/estimates/"+est.ID, "", as("carl", "", "controller")...).wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/estimates?client_ref=A-123", "", as("carl", "", "controller")...).wantStatus(t, http.StatusOK)
	e.do("GET", "/healthz", "", anonymous...).wantStatus(t, http.StatusOK)
	e.do("GET", "/"+strings.Repeat("x", 300), "", anonymous...)
	lines := requestLines(t, e)
	want := []struct{ user, path string }{
		{"anna", "/api/v1/estimates"}, {"carl", "/api/v1/estimates/" + est.ID}, {"carl", "/api/v1/estimates"}, {"", "/healthz"},
		{"", "/" + strings.Repeat("x", 199) + "..."},
	}
	if len(lines) != len(want) {
		t.Fatalf("%d request lines, want %d:\n%s", len(lines), len(want), e.log.String())
	}
	for i, w := range want {
		if lines[i]["user"] != w.user || lines[i]["path"] != w.path {
			t.Errorf("line %d: user %v path %v; want %q %q", i, lines[i]["user"], lines[i]["path"], w.user, w.path)
		}
	}
	if strings.Contains(e.log.String(), "A-123") {
		t.Errorf("the client reference is in the log:\n%s", e.log.String())
	}
}
