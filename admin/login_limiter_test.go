package admin_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"carecost/admin"
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
// after; while it says wait, nothing is checked and the page says so.
func TestLoginLimiterSeam(t *testing.T) {
	l := &countingLimiter{max: 2}
	e := newSignInEnv(t, func(c *admin.Config) { c.LoginLimiter = l })
	b := e.browser()
	b.signIn("anna", "wrong words here").wantStatus(t, http.StatusSeeOther)
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	r := e.browser().signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	if r.header.Get("Retry-After") != "31" {
		t.Errorf("Retry-After %q", r.header.Get("Retry-After"))
	}
	if strings.Join(l.recorded, ",") != "anna failed,anna ok" || len(l.asked) != 3 || !strings.HasPrefix(l.asked[0], "anna@") {
		t.Fatalf("asked %v, recorded %v", l.asked, l.recorded)
	}
	limited := e.browser()
	limited.signIn("anna", password("anna"))
	if page, _ := limited.loginPage("?lang=en"); !strings.Contains(page, "Too many attempts") {
		t.Errorf("page:\n%s", page)
	}
	if m := scrape(t, e.env); !strings.Contains(m, `carecost_logins_total{method="password",result="limited"} 2`) {
		t.Errorf("metrics:\n%s", grepLines(m, "logins"))
	}
}
