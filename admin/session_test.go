package admin_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"carecost/admin"
	"carecost/admin/auth"
	"carecost/domain"
)

// A password sign-in answers 303 to / with a session cookie that is
// HttpOnly, SameSite=Lax and Secure; the session authenticates as the user.
func TestPasswordSignIn(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	r := b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/" {
		t.Fatalf("Location %q", loc)
	}
	set := strings.Join(r.header.Values("Set-Cookie"), "\n")
	for _, want := range []string{"carecost_session=", "HttpOnly", "SameSite=Lax", "secure"} {
		if !strings.Contains(strings.ToLower(set), strings.ToLower(want)) {
			t.Errorf("Set-Cookie lacks %s: %s", want, set)
		}
	}
	var s struct {
		User, Method, Team string
		Roles              []string
		CSRF               string `json:"csrf_token"`
	}
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusOK).decode(t, &s)
	if s.User != "anna" || s.Method != "password" || s.Team != "north" || len(s.Roles) != 1 || s.Roles[0] != "case_manager" || len(s.CSRF) < 40 {
		t.Fatalf("session %+v", s)
	}
}

// Attack: session fixation. A session id someone had before the sign-in
// (planted, or seen on a shared machine) does not survive it: the sign-in
// gives a new id, and the old one authenticates nothing.
func TestSessionFixationRefused(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	b.loginPage("")
	fixed := b.session()
	if fixed == "" {
		t.Fatal("the sign-in page set no session")
	}
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	if b.session() == fixed || b.session() == "" {
		t.Fatalf("the session id did not change at sign-in")
	}
	attacker := e.browser()
	attacker.cookies["carecost_session"] = &http.Cookie{Name: "carecost_session", Value: fixed}
	attacker.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)
}

// Signing out ends the session on the server: its cookie, replayed,
// authenticates nothing.
func TestLogoutEndsSessionServerSide(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	old := b.session()
	r := b.do("POST", "/logout", "", nil, "X-Csrf-Token", b.csrf()).wantStatus(t, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/login" {
		t.Fatalf("Location %q", loc)
	}
	if page, _ := b.loginPage(""); !strings.Contains(page, "Olet kirjautunut ulos") {
		t.Error("the sign-in page does not say the user signed out")
	}
	replay := e.browser()
	replay.cookies["carecost_session"] = &http.Cookie{Name: "carecost_session", Value: old}
	replay.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)
}

// A session unused for 30 minutes ends; one in use ends 10 hours after
// the sign-in all the same. Both are the server's clock, not the cookie's.
func TestSessionTimeouts(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	e.clock.add(29 * time.Minute)
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusOK)
	e.clock.add(29 * time.Minute) // 29 minutes after the last use
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusOK)
	e.clock.add(30 * time.Minute)
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)

	busy := e.browser()
	busy.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	for elapsed := time.Duration(0); elapsed < admin.DefaultAbsoluteTimeout-20*time.Minute; elapsed += 20 * time.Minute {
		e.clock.add(20 * time.Minute)
		busy.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusOK)
	}
	e.clock.add(20 * time.Minute)
	busy.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)
}

// The identity is the user's as it stands at each request: roles changed
// after the sign-in count at once, and a disabled user's session ends.
func TestSessionIdentityIsCurrent(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	b.do("GET", "/api/v1/decisions", "", nil).wantStatus(t, http.StatusForbidden)
	cmd := domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}
	if _, err := e.cmds.SetUserRoles(context.Background(), cmd, "anna", []domain.Role{domain.RoleCaseManager, domain.RoleController}); err != nil {
		t.Fatal(err)
	}
	b.do("GET", "/api/v1/decisions", "", nil).wantStatus(t, http.StatusOK)
	if _, err := e.cmds.DisableUser(context.Background(), cmd, "anna"); err != nil {
		t.Fatal(err)
	}
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)
	if _, err := e.cmds.EnableUser(context.Background(), cmd, "anna"); err != nil {
		t.Fatal(err)
	}
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized) // ended, not paused
}

// A password set after a sign-in (an admin's reset of a password someone
// learnt) ends the sessions signed in before it, to the nanosecond, also
// one busy at the time; a sign-in with the new password works, the old
// one does not.
func TestPasswordResetEndsSessions(t *testing.T) {
	e := newSignInEnv(t)
	// The sessions' clock is the test's, the store's the real one: sign in
	// now, within the second of the reset that follows (compared to the
	// second, these sessions would outlive it), and again just after it.
	setClock := func(t time.Time) { e.clock.mu.Lock(); e.clock.t = t; e.clock.mu.Unlock() }
	setClock(time.Now())
	b, other := e.browser(), e.browser()
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	other.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusOK)
	hash, err := auth.HashPassword("a new password for anna")
	if err != nil {
		t.Fatal(err)
	}
	cmd := domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}
	if _, err := e.cmds.SetUserPassword(context.Background(), cmd, "anna", domain.Hash(hash)); err != nil {
		t.Fatal(err)
	}
	setClock(time.Now())
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)
	other.do("GET", "/api/v1/estimates", "", nil).wantStatus(t, http.StatusUnauthorized)
	failedPage(t, b, "anna", password("anna"))
	b.signIn("anna", "a new password for anna").wantStatus(t, http.StatusSeeOther)
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusOK)
}

// With insecure cookies (plain HTTP on a loopback address) the cookie is
// not Secure; it is still HttpOnly and SameSite=Lax.
func TestInsecureCookies(t *testing.T) {
	e := newSignInEnv(t, func(cfg *admin.Config) {
		cfg.Sessions = admin.NewSessions(admin.SessionConfig{InsecureCookies: true})
		cfg.Auth = admin.FirstOf(testAuth{}, admin.SessionAuth{Sessions: cfg.Sessions, Commands: cfg.Commands})
	})
	set := strings.ToLower(strings.Join(e.browser().signIn("anna", password("anna")).header.Values("Set-Cookie"), "\n"))
	if strings.Contains(set, "secure") || !strings.Contains(set, "httponly") || !strings.Contains(set, "samesite=lax") {
		t.Fatalf("Set-Cookie: %s", set)
	}
}

// expiryStorage is a memory fiber.Storage that remembers how long each
// key was stored for.
type expiryStorage struct {
	mu   sync.Mutex
	vals map[string][]byte
	exps map[string]time.Duration
}

func (s *expiryStorage) Get(k string) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.vals[k], nil
}

func (s *expiryStorage) Set(k string, v []byte, exp time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vals[k], s.exps[k] = append([]byte(nil), v...), exp
	return nil
}

func (s *expiryStorage) Delete(k string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.vals, k)
	delete(s.exps, k)
	return nil
}

func (s *expiryStorage) Reset() error { return nil }
func (s *expiryStorage) Close() error { return nil }

// A visit to /login stores a session for its form: kept 15 minutes only,
// so visits nobody signs in with do not pile up; signing in keeps the
// session for the idle timeout (and a minute), and a signed-in person's
// visit to /login does not shorten it.
func TestAnonymousSessionsAreShortLived(t *testing.T) {
	st := &expiryStorage{vals: map[string][]byte{}, exps: map[string]time.Duration{}}
	e := newSignInEnv(t, func(c *admin.Config) {
		c.Sessions = admin.NewSessions(admin.SessionConfig{Storage: st})
		c.Auth = admin.FirstOf(testAuth{}, admin.SessionAuth{Sessions: c.Sessions, Commands: c.Commands})
	})
	b := e.browser()
	b.loginPage("")
	anon := b.session()
	if st.exps[anon] != 15*time.Minute {
		t.Fatalf("an anonymous session is kept %v", st.exps[anon])
	}
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	want := admin.DefaultIdleTimeout + time.Minute
	if b.session() == anon || st.exps[b.session()] != want {
		t.Fatalf("a signed-in session is kept %v, want %v", st.exps[b.session()], want)
	}
	b.loginPage("")
	if st.exps[b.session()] != want {
		t.Errorf("after a visit to /login a signed-in session is kept %v", st.exps[b.session()])
	}
}
