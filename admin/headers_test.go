package admin_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"carecost/admin"
)

// wantSecurityHeaders are on every answer.
var wantSecurityHeaders = map[string]string{
	"Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
	"X-Content-Type-Options": "nosniff",
	"Referrer-Policy":        "no-referrer",
	"X-Frame-Options":        "DENY",
}

func checkSecurityHeaders(t *testing.T, what string, r response, https bool) {
	t.Helper()
	for h, want := range wantSecurityHeaders {
		if got := r.header.Get(h); got != want {
			t.Errorf("%s (%d): %s = %q, want %q", what, r.status, h, got, want)
		}
	}
	if got := r.header.Get("Strict-Transport-Security"); (got != "") != https {
		t.Errorf("%s (%d): Strict-Transport-Security = %q", what, r.status, got)
	}
}

// Every route of the table answers with the security headers, for anyone
// and for a user; so do the answers that come from no route: an unknown
// path, a method a route does not take, a method carecost does not know,
// a body over the limit. Over plain HTTP there is no HSTS.
func TestSecurityHeadersOnEveryAnswer(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) { c.BodyLimit = 64 })
	doc, _ := fetchOpenAPI(t, e)
	n := 0
	for path, ops := range doc.Paths {
		for method := range ops {
			path := pathParamRE.ReplaceAllString(path, "x1")
			m := strings.ToUpper(method)
			checkSecurityHeaders(t, m+" "+path, e.do(m, path, "", anonymous...), false)
			checkSecurityHeaders(t, m+" "+path, e.do(m, path, ""), false)
			n++
		}
	}
	if n < 40 {
		t.Errorf("checked %d routes", n)
	}
	big := `{"client_ref": "` + strings.Repeat("x", 100) + `"}`
	for what, r := range map[string]response{
		"unknown path":        e.do("GET", "/no/such/page", ""),
		"method not taken":    e.do("DELETE", "/healthz", ""),
		"unknown method":      e.do("FOO", "/healthz", ""),
		"unknown method, 501": e.do("FOO", "/no/such/page", ""),
		"body over the limit": rawPost(t, e.listen(), "/api/v1/quote", big),
		"wrong credentials":   e.do("GET", "/api/v1/estimates", "", "Authorization", "Bearer nonsense"),
		"HEAD":                e.do("HEAD", "/", ""),
	} {
		checkSecurityHeaders(t, what, r, false)
	}
}

// The front page renders under the Content-Security-Policy: no inline
// script or style, no event handler attributes, and every style sheet and
// script it loads is carecost's own, served with its type.
func TestHomePageUnderCSP(t *testing.T) {
	e := newEnv(t)
	page := string(e.do("GET", "/", "", anonymous...).wantStatus(t, http.StatusOK).body)
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`(?i)<style`), regexp.MustCompile(`(?i)<script(\s[^>]*)?>\s*[^<\s]`),
		regexp.MustCompile(`(?i)\sstyle\s*=`), regexp.MustCompile(`(?i)\son[a-z]+\s*=`), regexp.MustCompile(`(?i)javascript:`),
	} {
		if loc := bad.FindStringIndex(page); loc != nil {
			t.Errorf("the front page has %q, which the policy blocks", page[loc[0]:min(loc[1]+20, len(page))])
		}
	}
	links := regexp.MustCompile(`<link rel="stylesheet" href="([^"]+)">|<script src="([^"]+)">`).FindAllStringSubmatch(page, -1)
	if len(links) == 0 {
		t.Fatal("the front page has no style sheet")
	}
	for _, l := range links {
		href, typ := l[1], "text/css"
		if href == "" {
			href, typ = l[2], "text/javascript"
		}
		if !strings.HasPrefix(href, "/") || strings.HasPrefix(href, "//") {
			t.Errorf("the front page loads %s from elsewhere", href)
			continue
		}
		r := e.do("GET", href, "", anonymous...).wantStatus(t, http.StatusOK)
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, typ) || len(r.body) == 0 {
			t.Errorf("%s: Content-Type %q, %d bytes", href, ct, len(r.body))
		}
	}
	e.do("GET", "/static/nothing.css", "", anonymous...).wantError(t, http.StatusNotFound, "not_found", "")
	e.do("GET", "/static/..", "", anonymous...).wantError(t, http.StatusNotFound, "not_found", "")
}
