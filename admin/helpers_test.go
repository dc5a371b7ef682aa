package admin_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"

	"carecost/admin"
	"carecost/domain"
	"carecost/domain/demo"
	"carecost/domain/memstore"
	"carecost/projections"
)

// nowait is a Waiter whose projections are always caught up.
type nowait struct{}

func (nowait) WaitFor(context.Context, domain.Position) error { return nil }

// neverCaughtUp is a Waiter whose projections never catch up.
type neverCaughtUp struct{}

func (neverCaughtUp) WaitFor(ctx context.Context, _ domain.Position) error {
	<-ctx.Done()
	return ctx.Err()
}

// health is a Health answering from its fields.
type health struct {
	ready  error
	status []projections.Status
}

func (h health) Ready(context.Context) error                          { return h.ready }
func (h health) Status(context.Context) ([]projections.Status, error) { return h.status, nil }

// syncBuffer is a log destination safe for concurrent requests.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// store is the in-memory event store with what the tests ask of it.
type store struct{ *memstore.Store }

// count returns the number of events in the log.
func (s *store) count() int {
	head, _ := s.Head(context.Background())
	return int(head.Commit)
}

// estimateIDs returns the id of every estimate, in order of opening.
func (s *store) estimateIDs() []string { return s.streamIDs("estimate-") }

// streamIDs returns the id of every stream named prefix+id, in order of
// creation.
func (s *store) streamIDs(prefix string) []string {
	all, _ := s.ReadAll(context.Background(), domain.ReadAllOptions{})
	var ids []string
	for _, e := range all {
		if id, ok := strings.CutPrefix(e.Stream, prefix); ok && e.Version == 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// testAuth authenticates the credentials of these tests,
// "Authorization: Bearer test:<user>:<team>:<role>[,<role>]"; any other
// credentials are wrong. It reads straight from the request's reused
// buffers, as a careless authenticator would: the actor must copy them
// (TestCaseManagersSeeTheirTeam fails when it does not).
type testAuth struct{}

func (testAuth) Authenticate(c *fiber.Ctx) (admin.Identity, bool, error) {
	h := c.Get(fiber.HeaderAuthorization)
	if h == "" || strings.HasPrefix(h, "Bearer cct_") { // none, or a real token for another authenticator
		return admin.Identity{}, false, nil
	}
	parts := strings.Split(strings.TrimPrefix(h, "Bearer test:"), ":")
	if !strings.HasPrefix(h, "Bearer test:") || len(parts) != 3 {
		return admin.Identity{}, false, &domain.Error{Code: domain.EUnauthenticated, Message: "the token is not valid"}
	}
	return admin.Identity{User: parts[0], DisplayName: "Test " + parts[0], Team: parts[1], Roles: strings.Split(parts[2], ",")}, true, nil
}

// as returns the header that authenticates a request as user of team with
// roles (comma-separated).
func as(user, team, roles string) []string {
	return []string{fiber.HeaderAuthorization, "Bearer test:" + user + ":" + team + ":" + roles}
}

// everyRole is the identity of a request that names none: a user holding
// every role, so a test of what a route does need not say who asks.
var everyRole = as("tester", "north", "case_manager,admin,controller,operations")

// anonymous marks a request sent without credentials.
var anonymous = []string{fiber.HeaderAuthorization, ""}

// env is a Server over an in-memory store holding the demo catalogue.
type env struct {
	t     *testing.T
	srv   *admin.Server
	store *store
	reads *fakeReads
	reg   *prometheus.Registry
	log   *syncBuffer
}

// newEnv returns a Server over the demo catalogue; change adjusts the
// configuration before the Server is built.
func newEnv(t *testing.T, change ...func(*admin.Config)) *env {
	t.Helper()
	store := &store{memstore.New()}
	cmds := domain.NewCommands(store)
	set, err := demo.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cmds.ImportCatalogue(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, set); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, store: store, reads: &fakeReads{cmds: cmds, store: store}, reg: prometheus.NewRegistry(), log: &syncBuffer{}}
	cfg := admin.Config{Commands: cmds, Reads: e.reads, Waiter: nowait{}, Health: health{}, Registry: e.reg,
		Logger: slog.New(slog.NewJSONHandler(e.log, nil)), Auth: testAuth{}}
	for _, f := range change {
		f(&cfg)
	}
	e.srv = admin.New(cfg)
	return e
}

// listen serves the API on a free local port until the test ends and
// returns its base URL.
func (e *env) listen() string {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- e.srv.Listener(ln) }()
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := e.srv.Shutdown(ctx); err != nil {
			e.t.Errorf("shutdown: %v", err)
		}
		if err := <-done; err != nil {
			e.t.Errorf("listener: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// response is an answer of the API.
type response struct {
	status int
	header http.Header
	body   []byte
}

// errorDetail is the error of an error answer.
type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field"`
}

// do sends a request with a JSON body (none when body is "") and headers
// given as name, value pairs.
func (e *env) do(method, path, body string, headers ...string) response {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return e.send(req)
}

// send sends req and reads the whole answer. A request without an
// Authorization header is sent as everyRole; one with an empty one is sent
// without credentials.
func (e *env) send(req *http.Request) response {
	e.t.Helper()
	if _, named := req.Header[fiber.HeaderAuthorization]; !named {
		req.Header.Set(fiber.HeaderAuthorization, everyRole[1])
	} else if req.Header.Get(fiber.HeaderAuthorization) == "" {
		req.Header.Del(fiber.HeaderAuthorization)
	}
	resp, err := e.srv.App().Test(req, -1)
	if err != nil {
		e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// decode decodes the answer's body into v.
func (r response) decode(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// apiError returns the error of an error answer.
func (r response) apiError(t *testing.T) errorDetail {
	t.Helper()
	var b struct {
		Error errorDetail `json:"error"`
	}
	r.decode(t, &b)
	return b.Error
}

// wantStatus fails the test unless the answer has status want.
func (r response) wantStatus(t *testing.T, want int) response {
	t.Helper()
	if r.status != want {
		t.Fatalf("status = %d, want %d; body %s", r.status, want, r.body)
	}
	return r
}

// wantError fails the test unless the answer is an error with the given
// status, code and field.
func (r response) wantError(t *testing.T, status int, code, field string) errorDetail {
	t.Helper()
	r.wantStatus(t, status)
	got := r.apiError(t)
	if got.Code != code || got.Field != field {
		t.Fatalf("error = %+v, want code %q field %q", got, code, field)
	}
	if got.Message == "" {
		t.Fatalf("error %+v has no message", got)
	}
	return got
}

// demoCase is a case priced on 2025-03-01 against the demo catalogue:
// regular home care 20 h a month and meals 5 a week for one person with a
// gross income of 1 800.00 a month.
const demoCase = `{
  "client_ref": "A-123", "maple": 3, "segment": "continuous",
  "tariff": "phhva", "income_catalogue": "statutory", "pricing_date": "2025-03-01",
  "household": {"size": 1, "gross_income": "1800.00", "net_income": "1500.00"},
  "lines": [
    {"service": "regular-home-care", "mode": "own", "quantity": 20, "frequency": "month"},
    {"service": "meal-service", "mode": "own", "quantity": "5", "frequency": "week"}
  ]
}`

// estimate is the part of an estimate answer the tests look at.
type estimate struct {
	ID             string        `json:"id"`
	Status         string        `json:"status"`
	LineCount      int           `json:"line_count"`
	Monthly        domain.Totals `json:"monthly"`
	DecisionNumber string        `json:"decision_number"`
	Version        int64         `json:"version"`
	RevisionOf     string        `json:"revision_of"`
	Quote          domain.Quote  `json:"quote"`
}

// open opens the demo case and returns the estimate.
func (e *env) open() estimate {
	e.t.Helper()
	var est estimate
	e.do("POST", "/api/v1/estimates", demoCase).wantStatus(e.t, http.StatusCreated).decode(e.t, &est)
	return est
}

// day returns the Helsinki date n days from today (2026-03-05): a decision
// date for an estimate opened today is day(0), or up to the commands'
// clock.
func day(n int) string { return domain.DateOf(time.Now()).AddDays(n).String() }

// fiDay returns day(n) the Finnish way (5.3.2026).
func fiDay(n int) string {
	d := domain.DateOf(time.Now()).AddDays(n).Time()
	return fmt.Sprintf("%d.%d.%d", d.Day(), int(d.Month()), d.Year())
}

// clockAhead sets the commands' clock n days ahead, so decisions of
// estimates opened today can be dated up to day(n).
func clockAhead(n int) func(*admin.Config) {
	return func(c *admin.Config) { c.Commands.Clock = func() time.Time { return time.Now().AddDate(0, 0, n) } }
}
