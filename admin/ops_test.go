package admin_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"carecost/admin"
	"carecost/domain"
	"carecost/domain/demo"
	"carecost/domain/memstore"
	"carecost/projections"
)

func TestErrorMapping(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name, method, path string
		status             int
		code               string
	}{
		{"UnknownEstimate", "GET", "/api/v1/estimates/" + domain.NewID(), 404, "not_found"},
		{"EstimateIDNotAUUID", "GET", "/api/v1/estimates/nope", 404, "not_found"},
		{"UnknownEstimateEvents", "GET", "/api/v1/estimates/" + domain.NewID() + "/events", 404, "not_found"},
		{"UnknownEstimateCommand", "POST", "/api/v1/estimates/" + domain.NewID() + "/present", 404, "not_found"},
		{"UnknownTariff", "GET", "/api/v1/tariffs/no-such-tariff", 404, "not_found"},
		{"UnknownTariffHistory", "GET", "/api/v1/tariffs/no-such-tariff/history", 404, "not_found"},
		{"UnknownTariffVersion", "GET", "/api/v1/tariffs/phhva/versions/99", 404, "not_found"},
		{"TariffVersionNotANumber", "GET", "/api/v1/tariffs/phhva/versions/first", 404, "not_found"},
		{"UnknownIncomeCatalogue", "GET", "/api/v1/income-catalogues/none", 404, "not_found"},
		{"UnknownService", "GET", "/api/v1/services/space-travel", 404, "not_found"},
		{"RetireUnknownService", "POST", "/api/v1/services/space-travel/retire", 404, "not_found"},
		{"UnknownDecision", "GET", "/api/v1/decisions/" + domain.NewID(), 404, "not_found"},
		{"UnknownRoute", "GET", "/api/v1/nothing-here", 404, "not_found"},
		{"WrongMethod", "DELETE", "/api/v1/estimates", 405, "method_not_allowed"},
		{"PublishedIsNotADraft", "POST", "/api/v1/tariffs/phhva/versions/1/withdraw", 409, "conflict"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(tc.method, tc.path, "")
			r.wantStatus(t, tc.status)
			if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("Content-Type = %q, want JSON", ct)
			}
			if got := r.apiError(t); got.Code != tc.code || got.Message == "" {
				t.Errorf("error = %+v, want code %s", got, tc.code)
			}
		})
	}
}

// failingReads fails every service query with an internal error.
type failingReads struct{ *fakeReads }

func (failingReads) Services(context.Context) ([]projections.ServiceView, error) {
	return nil, errors.New("projections: disk on fire")
}

func (failingReads) Tariffs(context.Context) ([]projections.TariffView, error) {
	panic("projections: index out of range")
}

func TestInternalErrorsAreHidden(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) { c.Reads = failingReads{c.Reads.(*fakeReads)} })
	r := e.do("GET", "/api/v1/services", "", "X-Request-ID", "req-500")
	got := r.wantError(t, http.StatusInternalServerError, "internal", "")
	if got.Message != "internal error" || strings.Contains(string(r.body), "disk") {
		t.Errorf("body = %s, want the detail hidden", r.body)
	}
	log := e.log.String()
	if !strings.Contains(log, "disk on fire") || !strings.Contains(log, `"request_id":"req-500"`) {
		t.Errorf("log lacks the detail or the request id:\n%s", log)
	}
	r = e.do("GET", "/api/v1/tariffs", "")
	if got := r.wantError(t, http.StatusInternalServerError, "internal", ""); got.Message != "internal error" {
		t.Errorf("a panic answered %s", r.body)
	}
	if !strings.Contains(e.log.String(), "index out of range") {
		t.Error("the panic is not in the log")
	}
}

func TestRequestIDIsEchoedAndLogged(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/healthz", "", "X-Request-ID", "abc-123")
	if got := r.header.Get("X-Request-ID"); got != "abc-123" {
		t.Errorf("X-Request-ID = %q, want abc-123", got)
	}
	generated := e.do("GET", "/healthz", "").header.Get("X-Request-ID")
	if err := domain.ValidUUID("id", generated); err != nil {
		t.Errorf("generated id %q: %v", generated, err)
	}
	if bad := e.do("GET", "/healthz", "", "X-Request-ID", "no spaces <b>").header.Get("X-Request-ID"); bad == "no spaces <b>" {
		t.Error("an id with spaces and markup was echoed")
	}
	e.do("GET", "/api/v1/estimates/"+domain.NewID(), "", "X-Request-ID", "abc-404")
	for _, want := range []string{`"request_id":"abc-123"`, `"request_id":"` + generated + `"`,
		`"route":"/api/v1/estimates/:id","path":"/api/v1/estimates/`, `"status":404`, `"method":"GET"`, `"duration":`} {
		if !strings.Contains(e.log.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, e.log.String())
		}
	}
}

func TestMetrics(t *testing.T) {
	tally := domain.NewUsageTally()
	e := newEnv(t, func(c *admin.Config) { c.Usage = tally })
	est := e.open()
	e.do("POST", "/api/v1/estimates/"+est.ID+"/present", "", "Idempotency-Key", "present-1").wantStatus(t, http.StatusOK)
	e.do("POST", "/api/v1/estimates/"+est.ID+"/present", "", "Idempotency-Key", "present-1").wantStatus(t, http.StatusOK)
	e.do("POST", "/api/v1/estimates/"+est.ID+"/decide", `{"decision_number": "D-1", "decision_date": "`+day(0)+`", "effective_from": "2025-04-01"}`).
		wantStatus(t, http.StatusOK)
	e.do("POST", "/api/v1/quote", demoCase).wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/estimates?limit=0", "")
	e.do("GET", "/no/such/route", "")
	body := string(e.do("GET", "/metrics", "").wantStatus(t, http.StatusOK).body)
	for _, want := range []string{
		`carecost_http_requests_total{code="201",method="POST",route="/api/v1/estimates"} 1`,
		`carecost_http_requests_total{code="200",method="POST",route="/api/v1/estimates/:id/decide"} 1`,
		`carecost_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`carecost_http_request_duration_seconds_count{method="POST",route="/api/v1/quote"} 1`,
		"carecost_commands_repeated_total 1", `carecost_errors_total{code="invalid"} 1`, `carecost_errors_total{code="not_found"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if regexp.MustCompile(`route="/api/v1/estimates/[0-9a-f]{8}`).MatchString(body) {
		t.Error("a raw path is used as a route label")
	}
	problems, err := testutil.GatherAndLint(e.reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
	// Usage that no command records is tallied, for carecost to record
	// in the log: the quote, the what-if, who was served under which role.
	e.do("GET", "/api/v1/estimates/"+est.ID+"/whatif?tariff_version=1", "").wantStatus(t, http.StatusOK)
	ctx := context.Background()
	if wrote, err := e.reads.cmds.RecordUsage(ctx, tally, "test"); err != nil || !wrote {
		t.Fatalf("record the tally: %v %v", wrote, err)
	}
	recs, err := e.store.ReadStream(ctx, domain.UsageStreamPrefix+"test", domain.ReadStreamOptions{})
	if err != nil || len(recs) != 1 {
		t.Fatalf("tally events %d, %v", len(recs), err)
	}
	ev, err := domain.DecodeEvent(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	got := ev.Payload.(*domain.UsageTallied)
	if got.Quotes != 1 || got.WhatIfs != 1 || !slices.Contains(got.Active, domain.ActiveActor{ID: "tester", Role: "case_manager"}) {
		t.Errorf("tally %+v", got)
	}
}

func TestHealthAndStatus(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) {
		c.Health = health{ready: errors.New("projection estimates is 12 events behind"),
			status: []projections.Status{{Name: "estimates", Version: 1, CaughtUp: false}}}
	})
	r := e.do("GET", "/healthz", "").wantStatus(t, http.StatusOK)
	if string(r.body) != `{"status":"ok"}` {
		t.Errorf("/healthz = %s", r.body)
	}
	r = e.do("GET", "/readyz", "").wantStatus(t, http.StatusServiceUnavailable)
	if !strings.Contains(string(r.body), "12 events behind") {
		t.Errorf("/readyz = %s, want the reason", r.body)
	}
	ready := newEnv(t)
	ready.do("GET", "/readyz", "").wantStatus(t, http.StatusOK)
	var st struct {
		Projections []projections.Status `json:"projections"`
	}
	e.do("GET", "/api/v1/status", "").wantStatus(t, http.StatusOK).decode(t, &st)
	if len(st.Projections) != 1 || st.Projections[0].Name != "estimates" {
		t.Errorf("status = %+v", st)
	}
}

func TestHomePage(t *testing.T) {
	e := newEnv(t)
	r := e.do("GET", "/", "", anonymous...).wantStatus(t, http.StatusOK)
	page := string(r.body)
	if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("Content-Type = %q", ct)
	}
	for _, want := range []string{`<html lang="fi">`, `lang="en"`, `href="/api/openapi.json"`, `href="/login"`, "asiakasmaksu ja hyvinvointialueen kustannus"} {
		if !strings.Contains(page, want) {
			t.Errorf("the front page lacks %s", want)
		}
	}
	en := string(e.do("GET", "/?lang=en", "", anonymous...).wantStatus(t, http.StatusOK).body)
	if !strings.Contains(en, `<html lang="en">`) || !strings.Contains(en, "client fee") {
		t.Errorf("the English front page:\n%s", en)
	}
}

func TestShutdownWithAnIdleConnection(t *testing.T) {
	e := newEnv(t)
	base := e.listen()
	resp, err := http.Get(base + "/healthz") // the client keeps the connection open
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	start := time.Now()
	if err := e.srv.Shutdown(ctx); err != nil {
		t.Fatalf("shutdown: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("shutdown took %s", d)
	}
}

// unreachable is a store that cannot be reached for appends.
type unreachable struct{ *store }

func (unreachable) Append(context.Context, string, domain.ExpectedVersion, ...domain.EventData) (domain.AppendResult, error) {
	return domain.AppendResult{}, fmt.Errorf("append: %w", domain.ErrUnavailable)
}

// A command while the store cannot be reached answers 503 with Retry-After
// and a sentence a person can act on; nothing is written.
func TestUnreachableStoreAnswers503(t *testing.T) {
	st := &store{memstore.New()}
	set, err := demo.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := domain.NewCommands(st).ImportCatalogue(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, set); err != nil {
		t.Fatal(err)
	}
	before := st.count()
	e := newEnv(t, func(c *admin.Config) { c.Commands = domain.NewCommands(unreachable{st}) })
	r := e.do("POST", "/api/v1/estimates", demoCase)
	got := r.wantError(t, http.StatusServiceUnavailable, "unavailable", "")
	if r.header.Get("Retry-After") != "5" || !strings.Contains(got.Message, "Idempotency-Key") {
		t.Errorf("Retry-After %q, message %q", r.header.Get("Retry-After"), got.Message)
	}
	if st.count() != before {
		t.Error("a refused command wrote to the store")
	}
}
