package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// With --metrics-addr, /metrics is served there only: the API's address
// answers 404, and the API document does not list it.
func TestMetricsOnTheirOwnAddressOnly(t *testing.T) {
	s := startTestServerWith(t, config{data: t.TempDir(), addr: "127.0.0.1:0", metricsAddr: "127.0.0.1:0",
		logFormat: "json", waitTimeout: 5 * time.Second})
	c := &http.Client{Timeout: 10 * time.Second}
	served := &api{t: t, base: "http://" + s.addr, c: c}
	metrics := &api{t: t, base: "http://" + s.metricsAddr, c: c}
	if s.metricsAddr == "" || s.metricsAddr == s.addr {
		t.Fatalf("metrics address %q, API address %q", s.metricsAddr, s.addr)
	}
	served.do("GET", "/healthz", nil).want(t, http.StatusOK)
	r := served.do("GET", "/metrics", nil).want(t, http.StatusNotFound)
	if !strings.Contains(string(r.body), `"not_found"`) {
		t.Errorf("GET /metrics on the API address: %s", r.body)
	}
	r = metrics.do("GET", "/metrics", nil).want(t, http.StatusOK)
	if !strings.Contains(string(r.body), "carecost_http_requests_total") {
		t.Errorf("the metrics address serves no carecost metrics:\n%.500s", r.body)
	}
	if doc := served.do("GET", "/api/openapi.json", nil).want(t, http.StatusOK); strings.Contains(string(doc.body), `"/metrics"`) {
		t.Error("the API document lists /metrics, which the API address does not serve")
	}

	// Without it, /metrics is on the API's address.
	a := startTestServer(t, t.TempDir(), false)
	a.do("GET", "/metrics", nil).want(t, http.StatusOK)
}
