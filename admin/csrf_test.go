package admin_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Attack: cross-site request forgery. A change a session authenticates
// needs the session's CSRF token: without it, or with a wrong one or
// another session's, the answer is 403 and nothing is written; with it in
// the header (or the form field) it goes through.
func TestCSRFRequiredForSessionChanges(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	other := e.browser()
	other.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	before := e.store.count()
	for name, headers := range map[string][]string{
		"no token":              nil,
		"a wrong token":         {"X-Csrf-Token", "forged"},
		"another session's":     {"X-Csrf-Token", other.csrf()},
		"the token in the body": nil,
	} {
		body := demoCase
		if name == "the token in the body" {
			body = `{"_csrf": "` + b.csrf() + `",` + demoCase[1:]
		}
		b.do("POST", "/api/v1/estimates", body, nil, headers...).wantError(t, http.StatusForbidden, "forbidden", "X-Csrf-Token")
	}
	b.do("POST", "/api/v1/estimates", demoCase, nil, "X-Csrf-Token", b.csrf()+"x").wantStatus(t, http.StatusForbidden)
	b.do("POST", "/logout", "", url.Values{"_csrf": {"forged"}}).wantStatus(t, http.StatusForbidden)
	if got := e.store.count(); got != before {
		t.Fatalf("refused requests appended %d events", got-before)
	}
	r := b.do("POST", "/api/v1/estimates", demoCase, nil, "X-Csrf-Token", b.csrf()).wantStatus(t, http.StatusCreated)
	var est struct{ ID string }
	r.decode(t, &est)
	var events []struct {
		Meta struct {
			ID   string `json:"actor_id"`
			Name string `json:"actor_name"`
			Team string `json:"actor_team"`
			Via  string `json:"actor_via"`
		} `json:"metadata"`
	}
	b.do("GET", "/api/v1/estimates/"+est.ID+"/events", "", nil).wantStatus(t, http.StatusOK).decode(t, &events)
	if len(events) == 0 || events[0].Meta.ID != "anna" || events[0].Meta.Name != "Anna Virtanen" || events[0].Meta.Team != "north" || events[0].Meta.Via != "session:password" {
		raw, _ := json.Marshal(events)
		t.Fatalf("events %s", raw)
	}
	// Reads need no token; a form post with the field does.
	b.do("GET", "/api/v1/estimates/"+est.ID, "", nil).wantStatus(t, http.StatusOK)
	b.do("POST", "/logout", "", url.Values{"_csrf": {b.csrf()}}).wantStatus(t, http.StatusSeeOther)
}

// A token in the query string is not read: a URL ends up in logs.
func TestCSRFNotFromQuery(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	r := b.do("POST", "/logout?_csrf="+b.csrf(), "", nil)
	if r.status == http.StatusSeeOther {
		t.Fatal("a token in the query string signed out")
	}
}

// A request with an API token needs no CSRF token, even with a session
// cookie beside it: a browser never adds an Authorization header by
// itself, and the token decides who asks.
func TestBearerNeedsNoCSRF(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	b.signIn("ville", password("ville")).wantStatus(t, http.StatusSeeOther)
	r := b.do("POST", "/api/v1/estimates", demoCase, nil)
	r.wantStatus(t, http.StatusForbidden) // ville is a controller, and sent no token
	req := b.do("POST", "/api/v1/estimates", demoCase, nil, "Authorization", as("cm", "north", "case_manager")[1])
	req.wantStatus(t, http.StatusCreated)
}

// Attack: login CSRF. A sign-in form posted without the token of the
// page's session (from another site, say) signs nobody in.
func TestLoginCSRFRefused(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	for _, token := range []string{"", "forged"} {
		r := b.do("POST", "/login", "", url.Values{"name": {"anna"}, "password": {password("anna")}, "_csrf": {token}})
		r.wantStatus(t, http.StatusSeeOther)
		if loc := r.header.Get("Location"); loc != "/login" {
			t.Fatalf("Location %q", loc)
		}
		b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)
	}
	if page, _ := b.loginPage("?lang=en"); !strings.Contains(page, "The form has expired") {
		t.Errorf("the page does not say why:\n%s", page)
	}
}
