package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carecost/admin"
	"carecost/domain"
	"carecost/domain/demo"
	"carecost/eventstore/esdb"
	"carecost/eventstore/esdb/esdbtest"
)

// carecost started while its EventStoreDB store is down waits for it and
// serves once it is up; while the store is away later, /readyz says not
// ready and a command answers 503 with Retry-After; when it is back, both
// answer again by themselves and nothing acknowledged is lost.
func TestServeOutagesOfEventStoreDB(t *testing.T) {
	srv := esdbtest.Start(t)
	seed, err := esdb.Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	set, err := demo.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := domain.NewCommands(seed).ImportCatalogue(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, set); err != nil {
		t.Fatal(err)
	}
	seed.Close()
	srv.Stop()

	quiet := &env{stdout: io.Discard, stderr: logTo, getenv: func(string) string { return "" }}
	cfg := config{data: filepath.Join(t.TempDir(), "d"), store: srv.URL(), addr: "127.0.0.1:0", metricsAddr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second,
		outageGrace: admin.DefaultOutageGrace}
	type started struct {
		s   *server
		err error
	}
	done := make(chan started, 1)
	go func() {
		s, err := startServer(context.Background(), cfg, quiet)
		done <- started{s, err}
	}()
	select {
	case st := <-done:
		t.Fatalf("carecost started while its store was down: %v", st.err)
	case <-time.After(1500 * time.Millisecond):
	}
	srv.Restart(t)
	var st started
	select {
	case st = <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("carecost did not come up after its store did")
	}
	if st.err != nil {
		t.Fatal(st.err)
	}
	t.Cleanup(func() { st.s.stop() })
	a := st.s.client(t)
	// /metrics on an address of its own asks no token, so it answers while
	// the store (which holds the tokens) is away.
	metrics := &api{t: t, base: "http://" + st.s.metricsAddr, c: &http.Client{Timeout: 10 * time.Second}}
	a.do("GET", "/readyz", nil).want(t, http.StatusOK)
	body := `{"client_ref": "O-1", "maple": 3, "segment": "continuous", "tariff": "phhva", "income_catalogue": "statutory", "pricing_date": "2025-03-01",
		"household": {"size": 1}, "lines": [{"service": "meal-service", "mode": "own", "quantity": "5", "frequency": "week"}]}`
	var first struct {
		ID string `json:"id"`
	}
	a.do("POST", "/api/v1/estimates", body).want(t, http.StatusCreated).into(t, &first)

	srv.Stop()
	r := a.do("POST", "/api/v1/estimates", body)
	if r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Errorf("a command while the store is away: %d, Retry-After %q: %s", r.status, r.header.Get("Retry-After"), r.body)
	}
	deadline := time.Now().Add(10 * time.Second)
	for a.do("GET", "/readyz", nil).status != http.StatusServiceUnavailable {
		if time.Now().After(deadline) {
			t.Fatal("/readyz stayed ready while the store was away")
		}
		time.Sleep(100 * time.Millisecond)
	}

	// Reads of the read models go on for a token checked against the log a
	// moment ago (admin.OutageGrace); an estimate's detail, which reads its
	// priced quote from the log, says the store is away (not an internal
	// error).
	a.do("GET", "/api/v1/estimates", nil).want(t, http.StatusOK)
	// Where the projections stand: from the last head read, saying so.
	var status struct {
		Projections []struct{ Name string } `json:"projections"`
		StoreAway   bool                    `json:"store_away"`
	}
	a.do("GET", "/api/v1/status", nil).want(t, http.StatusOK).into(t, &status)
	if !status.StoreAway || len(status.Projections) == 0 {
		t.Errorf("/api/v1/status while the store is away: %+v; want the projections and store_away", status)
	}
	if r := a.do("GET", "/api/v1/estimates/"+first.ID, nil); r.status != http.StatusServiceUnavailable || r.header.Get("Retry-After") == "" {
		t.Errorf("an estimate's detail while the store is away: %d, Retry-After %q: %s", r.status, r.header.Get("Retry-After"), r.body)
	}

	if m := metrics.do("GET", "/metrics", nil).body; !strings.Contains(string(m), "carecost_event_store_up 0") {
		t.Errorf("/metrics does not say the store is away (carecost_event_store_up 0): %.300s", m)
	}

	srv.Restart(t)
	deadline = time.Now().Add(15 * time.Second)
	for {
		r := a.do("POST", "/api/v1/estimates", body)
		if r.status == http.StatusCreated {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("commands did not come back with the store: %d %s", r.status, r.body)
		}
		time.Sleep(200 * time.Millisecond)
	}
	for a.do("GET", "/readyz", nil).status != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("/readyz did not come back with the store")
		}
		time.Sleep(100 * time.Millisecond)
	}
	a.do("GET", "/api/v1/estimates/"+first.ID, nil).want(t, http.StatusOK)
	if m := metrics.do("GET", "/metrics", nil).body; !strings.Contains(string(m), "carecost_event_store_up 1") {
		t.Error("/metrics does not say the store is back (carecost_event_store_up 1)")
	}
}

var logTo io.Writer = io.Discard

func init() {
	if os.Getenv("OUTAGE_LOG") != "" {
		logTo = os.Stderr
	}
}

// Stopped while it waits for its store, serve says so and ends without an
// error.
func TestServeStoppedWhileWaitingForTheStore(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	time.AfterFunc(700*time.Millisecond, cancel) // as SIGTERM does
	var errs strings.Builder
	e := &env{stdout: io.Discard, stderr: &errs, getenv: func(string) string { return "" }}
	err := runServe(ctx, e, []string{"--data", t.TempDir(), "--store", "esdb://127.0.0.1:1?tls=false", "--addr", "127.0.0.1:0", "--log-format", "json"})
	if err != nil || !strings.Contains(errs.String(), "stopped before it started serving") {
		t.Errorf("serve stopped while waiting: %v\n%s", err, errs.String())
	}
}
