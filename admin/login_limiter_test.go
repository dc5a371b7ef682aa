package admin_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"carecost/admin"
	"carecost/admin/abuse"
)

// countingLimiter allows the first max attempts and records every outcome.
type countingLimiter struct {
	mu       sync.Mutex
	max      int
	asked    []string
	recorded []string
}

func (l *countingLimiter) Allow(_ context.Context, name, ip string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.asked = append(l.asked, name+"@"+ip)
	return len(l.asked) <= l.max, 30 * time.Second
}

func (l *countingLimiter) Record(_ context.Context, name, _ string, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recorded = append(l.recorded, name+map[bool]string{true: " ok", false: " failed"}[ok])
}

// The limiter is asked before each password check and told the outcome
// after; while it says wait, nothing is checked and the answer is 429,
// the form saying how long to wait, in the person's language.
func TestLoginLimiterSeam(t *testing.T) {
	l := &countingLimiter{max: 2}
	e := newSignInEnv(t, func(c *admin.Config) { c.LoginLimiter = l })
	b := e.browser()
	b.signIn("anna", "wrong words here").wantStatus(t, http.StatusSeeOther)
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	r := e.browser().signIn("anna", password("anna")).wantStatus(t, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") != "30" || !strings.Contains(string(r.body), "Liian monta epäonnistunutta kirjautumista. Yritä uudelleen 30 s kuluttua.") {
		t.Errorf("Retry-After %q, page:\n%s", r.header.Get("Retry-After"), r.body)
	}
	if strings.Join(l.recorded, ",") != "anna failed,anna ok" || len(l.asked) != 3 || !strings.HasPrefix(l.asked[0], "anna@") {
		t.Fatalf("asked %v, recorded %v", l.asked, l.recorded)
	}
	limited := e.browser()
	limited.loginPage("?lang=en")
	if r := limited.signIn("anna", password("anna")); !strings.Contains(string(r.body), "Too many failed sign-ins. Try again in 30 s.") {
		t.Errorf("page:\n%s", r.body)
	}
	if m := scrape(t, e.env); !strings.Contains(m, `carecost_logins_total{method="password",result="limited"} 2`) {
		t.Errorf("metrics:\n%s", grepLines(m, "logins"))
	}
}

// With the default limits, ten wrong passwords for a user lock their
// password sign-in: the right password waits too, the page says so, and
// the lock is logged (without a password) and counted.
func TestSignInLockoutIsLoggedAndCounted(t *testing.T) {
	clk := newFakeClock()
	e := newSignInEnv(t, func(c *admin.Config) { c.Limits = abuse.New(abuse.Config{Now: clk.now}) })
	for i := range 10 {
		e.browser().signIn("anna", "wrong words here").wantStatus(t, http.StatusSeeOther)
		if i == 4 {
			clk.pass(time.Minute)
		}
	}
	b := e.browser()
	r := b.signIn("anna", password("anna")).wantStatus(t, http.StatusTooManyRequests)
	if r.header.Get("Retry-After") != "900" || !strings.Contains(string(r.body), "Yritä uudelleen 15 min kuluttua.") {
		t.Errorf("Retry-After %q, page:\n%s", r.header.Get("Retry-After"), r.body)
	}
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)
	log := e.log.String()
	if strings.Count(log, `"msg":"account locked"`) != 1 || !strings.Contains(log, `"msg":"account locked","user":"anna"`) ||
		!strings.Contains(log, `"for":"15m0s","method":"password"`) || strings.Contains(log, "wrong words") || strings.Contains(log, password("anna")) {
		t.Errorf("log:\n%s", log)
	}
	wantAuthMetrics(t, e.env, nil, 1)
	if m := scrape(t, e.env); !strings.Contains(m, `carecost_logins_total{method="password",result="limited"} 1`) ||
		!strings.Contains(m, `carecost_logins_total{method="password",result="refused"} 10`) {
		t.Errorf("metrics:\n%s", grepLines(m, "logins"))
	}
}
