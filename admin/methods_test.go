package admin_test

import (
	"net/http"
	"strings"
	"testing"

	"carecost/domain"
)

// HEAD answers like GET, without the body, on every GET route.
func TestHeadAnswersLikeGet(t *testing.T) {
	e := newEnv(t)
	est := e.open()
	doc, _ := fetchOpenAPI(t, e)
	fill := strings.NewReplacer("{id}", "phhva", "{version}", "1", "{estimate_id}", est.ID)
	n := 0
	for path, ops := range doc.Paths {
		if ops["get"] == nil {
			continue
		}
		if strings.HasPrefix(path, "/api/v1/estimates/{id}") {
			path = strings.Replace(path, "{id}", est.ID, 1)
		} else if strings.HasPrefix(path, "/api/v1/income-catalogues/{id}") {
			path = strings.Replace(path, "{id}", "statutory", 1)
		}
		path = fill.Replace(path)
		if strings.HasSuffix(path, "/prices") {
			path += "?service=bathing&mode=own&valid_at=2025-06-01"
		}
		get := e.do("GET", path, "")
		head := e.do("HEAD", path, "")
		n++
		if head.status != get.status || len(head.body) != 0 {
			t.Errorf("HEAD %s = %d with %d bytes; GET = %d", path, head.status, len(head.body), get.status)
		}
		for _, h := range []string{"Content-Type", "ETag"} {
			if head.header.Get(h) != get.header.Get(h) {
				t.Errorf("HEAD %s: %s = %q, GET says %q", path, h, head.header.Get(h), get.header.Get(h))
			}
		}
	}
	if n < 20 {
		t.Errorf("checked %d GET routes", n)
	}
	if r := e.do("HEAD", "/api/v1/tariffs/no-such-tariff", ""); r.status != http.StatusNotFound || len(r.body) != 0 {
		t.Errorf("HEAD of a missing tariff = %d, %q", r.status, r.body)
	}
	r := e.do("DELETE", "/api/v1/estimates", "").wantStatus(t, http.StatusMethodNotAllowed)
	if got := r.header.Get("Allow"); !strings.Contains(got, "HEAD") {
		t.Errorf("Allow = %q, want HEAD among them", got)
	}
}

// A method carecost does not know is answered with the JSON error body: 405
// with Allow where the path exists, else 501.
func TestUnknownMethodIsAJSONError(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/api/v1/estimates", "/api/v1/estimates/", "/api/v1/tariffs/phhva/versions/2"} {
		r := e.do("FOO", path, "")
		got := r.wantError(t, http.StatusMethodNotAllowed, "method_not_allowed", "")
		if !strings.Contains(got.Message, `"FOO"`) {
			t.Errorf("FOO %s: message %q", path, got.Message)
		}
		if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Errorf("FOO %s: Content-Type %q", path, ct)
		}
		if r.header.Get("X-Request-ID") == "" {
			t.Errorf("FOO %s: no request id", path)
		}
	}
	// Allow lists the methods as the router does for a known method.
	for _, path := range []string{"/api/v1/estimates", "/api/v1/tariffs/phhva/versions/1", "/api/v1/estimates/" + domain.NewID() + "/lines/l1"} {
		r := e.do("CONNECT", path, "")
		want := r.wantStatus(t, http.StatusMethodNotAllowed).header.Get("Allow")
		if got := r.wantError(t, http.StatusMethodNotAllowed, "method_not_allowed", ""); !strings.Contains(got.Message, `"CONNECT"`) {
			t.Errorf("CONNECT %s: message %q", path, got.Message)
		}
		if got := e.do("FOO", path, "").header.Get("Allow"); got != want {
			t.Errorf("FOO %s: Allow = %q, the router says %q", path, got, want)
		}
	}
	if got := e.do("PROPFIND", "/api/v1/income-catalogues/statutory/versions/2", "").header.Get("Allow"); got != "GET, HEAD, PUT" {
		t.Errorf("Allow = %q", got)
	}
	e.do("FOO", "/api/v1/nothing-here", "").wantError(t, http.StatusNotImplemented, "not_implemented", "")
	e.do("FOO", "/api/v1/estimates/x/y/z", "").wantError(t, http.StatusNotImplemented, "not_implemented", "")
	if got := metricLine(t, e, `carecost_http_requests_total{code="405",method="OTHER",route="unmatched"}`); got == "" {
		t.Error("the refused method is not counted")
	}
	if got := metricLine(t, e, `carecost_errors_total{code="not_implemented"}`); got == "" {
		t.Error("the refused method's error is not counted")
	}
}
