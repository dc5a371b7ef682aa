package admin_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/admin"
	"carecost/admin/abuse"
	"carecost/domain"
)

// claimingAuth is testAuth that names the user of its credentials before
// checking them; "Bearer wrong:<user>" are wrong credentials of user.
type claimingAuth struct{ testAuth }

func (claimingAuth) Claim(c *fiber.Ctx) admin.Claim {
	h := c.Get(fiber.HeaderAuthorization)
	if user, ok := strings.CutPrefix(h, "Bearer wrong:"); ok {
		return admin.Claim{User: user, Guess: true}
	}
	user, _, _ := strings.Cut(strings.TrimPrefix(h, "Bearer test:"), ":")
	return admin.Claim{User: user}
}

func (a claimingAuth) Authenticate(c *fiber.Ctx) (admin.Identity, bool, error) {
	if strings.HasPrefix(c.Get(fiber.HeaderAuthorization), "Bearer wrong:") {
		return admin.Identity{}, false, &domain.Error{Code: domain.EUnauthenticated, Message: "wrong"}
	}
	return a.testAuth.Authenticate(c)
}

// fakeClock is a time the test moves.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time       { return c.t }
func (c *fakeClock) pass(d time.Duration) { c.t = c.t.Add(d) }

func newFakeClock() *fakeClock { return &fakeClock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)} }

// limitedEnv is an env whose limits run on clk; change adjusts the rest of
// the configuration.
func limitedEnv(t *testing.T, clk *fakeClock, cfg abuse.Config, change ...func(*admin.Config)) *env {
	cfg.Now = clk.now
	return newEnv(t, append([]func(*admin.Config){func(c *admin.Config) { c.Limits = abuse.New(cfg) }}, change...)...)
}

// wantRefused fails unless r is a 429 with Retry-After retry (seconds)
// and a message holding msg.
func wantRefused(t *testing.T, r response, retry int, msg string) {
	t.Helper()
	got := r.wantError(t, http.StatusTooManyRequests, "too_many_requests", "")
	if r.header.Get("Retry-After") != strconv.Itoa(retry) || !strings.Contains(got.Message, msg) {
		t.Errorf("Retry-After %q, message %q; want %d s and %q", r.header.Get("Retry-After"), got.Message, retry, msg)
	}
}

// Five wrong credentials for a user in a minute: the next wrong attempt
// for the user waits; ten in fifteen minutes lock the user for fifteen
// minutes. Right credentials still pass: a lock stops guessing, and must
// not let whoever knows a name shut its user out. Others are not held up.
// Failures and the lock are logged without the credentials and counted.
func TestUserLimitAndLockout(t *testing.T) {
	clk := newFakeClock()
	e := limitedEnv(t, clk, abuse.Config{}, func(c *admin.Config) { c.Auth = claimingAuth{} })
	wrong, right := []string{"Authorization", "Bearer wrong:anna"}, as("anna", "north", "case_manager")
	for range 5 {
		e.do("GET", "/api/v1/estimates", "", wrong...).wantStatus(t, http.StatusUnauthorized)
		clk.pass(time.Second)
	}
	wantRefused(t, e.do("GET", "/api/v1/estimates", "", wrong...), 55, "too many failed sign-ins for this account; try again in 55 seconds")
	e.do("GET", "/api/v1/estimates", "", right...).wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/estimates", "", as("olli", "north", "case_manager")...).wantStatus(t, http.StatusOK)
	e.do("GET", "/healthz", "", anonymous...).wantStatus(t, http.StatusOK)
	clk.pass(time.Minute)
	for range 5 {
		e.do("GET", "/api/v1/estimates", "", wrong...).wantStatus(t, http.StatusUnauthorized)
	}
	wantRefused(t, e.do("GET", "/api/v1/estimates", "", wrong...), 900, "this account is locked for 15 minutes after repeated failed sign-ins; try again in 15 minutes")
	e.do("GET", "/api/v1/estimates", "", right...).wantStatus(t, http.StatusOK)
	clk.pass(15 * time.Minute)
	e.do("GET", "/api/v1/estimates", "", wrong...).wantStatus(t, http.StatusUnauthorized)

	log := e.log.String()
	if strings.Count(log, `"msg":"authentication failed"`) != 11 || strings.Count(log, `"msg":"account locked"`) != 1 ||
		!strings.Contains(log, `"level":"WARN","msg":"account locked","user":"anna"`) || strings.Contains(log, "wrong:") {
		t.Errorf("log:\n%s", log)
	}
	wantAuthMetrics(t, e, map[string]int{"invalid": 11, "user_limit": 1, "locked": 1, "address_limit": 0}, 1)
}

// wantAuthMetrics fails unless the failures by reason and the lockouts
// are as counted.
func wantAuthMetrics(t *testing.T, e *env, failures map[string]int, lockouts int) {
	t.Helper()
	families, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			key := f.GetName()
			for _, l := range m.GetLabel() {
				key += " " + l.GetName() + "=" + l.GetValue()
			}
			got[key] = int(m.GetCounter().GetValue())
		}
	}
	for reason, n := range failures {
		if key := "carecost_auth_failures_total reason=" + reason; got[key] != n {
			t.Errorf("%s = %d, want %d", key, got[key], n)
		}
	}
	if got["carecost_auth_lockouts_total"] != lockouts {
		t.Errorf("carecost_auth_lockouts_total = %d, want %d", got["carecost_auth_lockouts_total"], lockouts)
	}
}

// Wrong credentials from one address, whoever they name, hit the
// address's limit: every attempt with credentials from it waits, right
// ones too; a request without credentials is not held up (a public route
// answers, another 401).
func TestAddressLimit(t *testing.T) {
	clk := newFakeClock()
	e := limitedEnv(t, clk, abuse.Config{PerAddress: abuse.Rule{Max: 3, Window: time.Minute}})
	for range 3 {
		e.do("GET", "/api/v1/estimates", "", "Authorization", "Bearer nonsense").wantStatus(t, http.StatusUnauthorized)
		clk.pass(10 * time.Second)
	}
	wantRefused(t, e.do("GET", "/api/v1/estimates", ""), 30, "too many failed sign-ins from your address; try again in 30 seconds")
	e.do("GET", "/healthz", "", anonymous...).wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/estimates", "", anonymous...).wantStatus(t, http.StatusUnauthorized)
	clk.pass(30 * time.Second)
	e.do("GET", "/api/v1/estimates", "").wantStatus(t, http.StatusOK)
	wantAuthMetrics(t, e, map[string]int{"invalid": 3, "address_limit": 1, "user_limit": 0, "locked": 0}, 0)
}

// With API tokens: wrong secrets for a real token count against its user,
// who is locked after ten: further guesses are refused while the user's
// valid tokens still work; the right
// secret of an expired or revoked token, kept in some client, counts
// against the address only and never locks its user; an unknown token
// names no user.
func TestTokenFailuresAndTheirUser(t *testing.T) {
	clk := &fakeClock{time.Now()} // tokens are made in real time
	e := limitedEnv(t, clk, abuse.Config{PerAddress: abuse.Rule{Max: 100, Window: time.Minute}}, func(c *admin.Config) {
		// As carecost serve chains them: the guesses must reach the limits
		// through the chain.
		c.Sessions = admin.NewSessions(admin.SessionConfig{})
		c.Auth = admin.FirstOf(admin.BearerTokens{Commands: c.Commands, Now: clk.now}, admin.SessionAuth{Sessions: c.Sessions, Commands: c.Commands})
	})
	cmds := e.reads.cmds
	cm := []domain.Role{domain.RoleCaseManager}
	bearer := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }
	_, expired := issue(t, cmds, "prom", "north", cm, clk.now().Add(time.Minute))
	clk.pass(2 * time.Minute)
	for range 12 {
		e.do("GET", "/api/v1/estimates", "", bearer(expired)...).wantStatus(t, http.StatusUnauthorized)
	}
	_, fresh := issue(t, cmds, "prom", "north", cm, clk.now().Add(time.Hour))
	e.do("GET", "/api/v1/estimates", "", bearer(fresh)...).wantStatus(t, http.StatusOK)

	_, good := issue(t, cmds, "anna", "north", cm, clk.now().Add(24*time.Hour))
	_, other := issue(t, cmds, "anna", "north", cm, clk.now().Add(24*time.Hour))
	guess := good[:len(good)-2] + "AA"
	for i := range 10 {
		e.do("GET", "/api/v1/estimates", "", bearer(guess)...).wantStatus(t, http.StatusUnauthorized)
		if i == 4 {
			clk.pass(time.Minute)
		}
	}
	wantRefused(t, e.do("GET", "/api/v1/estimates", "", bearer(guess)...), 900, "locked")
	e.do("GET", "/api/v1/estimates", "", bearer(other)...).wantStatus(t, http.StatusOK)
	unknown := "cct_aaaaaaaaaaaaaaaa_" + good[len(good)-43:]
	for range 12 {
		e.do("GET", "/api/v1/estimates", "", bearer(unknown)...).wantStatus(t, http.StatusUnauthorized)
	}
	wantAuthMetrics(t, e, map[string]int{"invalid": 34, "locked": 1, "user_limit": 0}, 1)
	if log := e.log.String(); strings.Contains(log, good[len(good)-43:]) || strings.Contains(log, guess[len(guess)-43:]) {
		t.Errorf("a secret is in the log:\n%s", log)
	}
}
