package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"carecost/domain"
)

// consoleUser is a person signed in to the console in a browser, with the
// session's CSRF token for forms.
type consoleUser struct {
	*browser
	token string
}

// signedIn signs user in (anna: a case manager of north; ville: a
// controller).
func signedIn(t *testing.T, e *signInEnv, user string) *consoleUser {
	t.Helper()
	b := e.browser()
	b.signIn(user, password(user)).wantStatus(t, http.StatusSeeOther)
	return &consoleUser{browser: b, token: b.csrf()}
}

// get fetches a console page.
func (u *consoleUser) get(path string, headers ...string) response {
	u.t.Helper()
	return u.do("GET", path, "", nil, headers...)
}

// post sends a form with the session's CSRF token.
func (u *consoleUser) post(path string, form url.Values, headers ...string) response {
	u.t.Helper()
	f := url.Values{"_csrf": {u.token}}
	for k, v := range form {
		f[k] = v
	}
	return u.do("POST", path, "", f, headers...)
}

// htmx marks a request as htmx's partial update.
var htmx = []string{"HX-Request", "true"}

// newEstimateForm is a valid new estimate: a single person with incomes,
// MAPLe 3, continuous need, the demo tariff and income limits, priced on
// a date the demo catalogue covers.
func newEstimateForm() url.Values {
	return url.Values{"client_ref": {"K-100"}, "maple": {"3"}, "segment": {"continuous"}, "size": {"1"},
		"gross_income": {"1 800,00"}, "net_income": {"1500"}, "tariff": {"phhva"}, "income_catalogue": {"statutory"},
		"pricing_date": {"2025-03-01"}}
}

var estimatePath = regexp.MustCompile(`^/estimates/([0-9a-f-]{36})$`)

// openEstimate opens an estimate through the console form and returns its
// id; the form carries a new key, as the form of the page does.
func (u *consoleUser) openEstimate(form url.Values) string {
	u.t.Helper()
	f := url.Values{"form_key": {domain.NewID()}}
	for k, v := range form {
		f[k] = v
	}
	r := u.post("/estimates", f).wantStatus(u.t, http.StatusSeeOther)
	m := estimatePath.FindStringSubmatch(r.header.Get("Location"))
	if m == nil {
		u.t.Fatalf("opened to %q", r.header.Get("Location"))
	}
	return m[1]
}

// addLine adds a line through the builder's row (a plain form).
func (u *consoleUser) addLine(id, service, mode, quantity, frequency string) {
	u.t.Helper()
	v := u.version(id)
	u.post("/estimates/"+id+"/lines", url.Values{"service": {service}, "mode": {mode}, "quantity": {quantity},
		"frequency": {frequency}, "expected_version": {v}}).wantStatus(u.t, http.StatusSeeOther)
}

var versionField = regexp.MustCompile(`name="expected_version" value="(\d+)"`)

// version returns the expected_version the builder's forms carry.
func (u *consoleUser) version(id string) string {
	u.t.Helper()
	page := string(u.get("/estimates/"+id).wantStatus(u.t, http.StatusOK).body)
	m := versionField.FindStringSubmatch(page)
	if m == nil {
		u.t.Fatalf("no expected_version in the builder:\n%s", page)
	}
	return m[1]
}

// text returns the page's text content between the tags, spaces joined.
func text(page []byte) string {
	s := regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(string(page), " ")
	s = strings.NewReplacer("&nbsp;", " ", "\u00a0", " ", "&#43;", "+", "&#39;", "'", "&amp;", "&", "&quot;", `"`).Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// contains fails the test unless page holds each of wants.
func contains(t *testing.T, what string, page []byte, wants ...string) {
	t.Helper()
	s := strings.ReplaceAll(string(page), "\u00a0", " ")
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("%s lacks %q", what, w)
		}
	}
}

// lacks fails the test when page holds any of unwanted.
func lacks(t *testing.T, what string, page []byte, unwanted ...string) {
	t.Helper()
	s := strings.ReplaceAll(string(page), "\u00a0", " ")
	for _, w := range unwanted {
		if strings.Contains(s, w) {
			t.Errorf("%s holds %q", what, w)
		}
	}
}
