package admin_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"carecost/admin"
	"carecost/admin/auth"
	"carecost/domain"
)

// clock is a settable time for the sessions.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// signInEnv is an env whose requests authenticate by test tokens first,
// then by the console's sessions, with users anna (case manager, north)
// and ville (controller), both with the password of password().
type signInEnv struct {
	*env
	cmds  *domain.Commands
	clock *clock
}

func password(user string) string { return "correct horse " + user + " battery" }

func newSignInEnv(t *testing.T, change ...func(*admin.Config)) *signInEnv {
	t.Helper()
	ck := &clock{t: time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)}
	se := &signInEnv{clock: ck}
	se.env = newEnv(t, append([]func(*admin.Config){func(cfg *admin.Config) {
		se.cmds = cfg.Commands
		cfg.Sessions = admin.NewSessions(admin.SessionConfig{Now: ck.now})
		cfg.Auth = admin.FirstOf(testAuth{}, admin.SessionAuth{Sessions: cfg.Sessions, Commands: cfg.Commands})
	}}, change...)...)
	for _, u := range []domain.UserInput{
		{Name: "anna", DisplayName: "Anna Virtanen", Team: "north", Roles: []domain.Role{domain.RoleCaseManager}},
		{Name: "ville", DisplayName: "Ville Korhonen", Roles: []domain.Role{domain.RoleController}},
	} {
		hash, err := auth.HashPassword(password(u.Name))
		if err != nil {
			t.Fatal(err)
		}
		u.PasswordHash = domain.Hash(hash)
		if _, err := se.cmds.AddUser(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, u); err != nil {
			t.Fatal(err)
		}
	}
	return se
}

// browser keeps cookies across requests to a signInEnv, as a browser
// would, and sends no Authorization header.
type browser struct {
	t       *testing.T
	e       *signInEnv
	cookies map[string]*http.Cookie
}

func (e *signInEnv) browser() *browser {
	return &browser{t: e.t, e: e, cookies: map[string]*http.Cookie{}}
}

// do sends a request with the browser's cookies; a form body when form
// is given, else body as JSON (none when "").
func (b *browser) do(method, path, body string, form url.Values, headers ...string) response {
	b.t.Helper()
	var r io.Reader
	if form != nil {
		r = strings.NewReader(form.Encode())
	} else if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, path, r)
	switch {
	case form != nil:
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case body != "":
		req.Header.Set("Content-Type", "application/json")
	}
	for _, c := range b.cookies {
		req.AddCookie(c)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "")
	}
	resp := b.e.send(req)
	for _, c := range (&http.Response{Header: resp.header}).Cookies() {
		if c.MaxAge < 0 {
			delete(b.cookies, c.Name)
		} else {
			b.cookies[c.Name] = c
		}
	}
	return resp
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// loginPage fetches the sign-in page and returns it with its form's CSRF
// token.
func (b *browser) loginPage(query string) (string, string) {
	b.t.Helper()
	r := b.do("GET", "/login"+query, "", nil).wantStatus(b.t, http.StatusOK)
	m := csrfInput.FindStringSubmatch(string(r.body))
	if m == nil {
		b.t.Fatalf("no CSRF token in the page:\n%s", r.body)
	}
	return string(r.body), m[1]
}

// signIn signs in as user with pw and returns the answer to the POST.
func (b *browser) signIn(user, pw string) response {
	b.t.Helper()
	_, token := b.loginPage("")
	return b.do("POST", "/login", "", url.Values{"name": {user}, "password": {pw}, "_csrf": {token}})
}

// session returns the session cookie's value ("" when none).
func (b *browser) session() string {
	if c := b.cookies["carecost_session"]; c != nil {
		return c.Value
	}
	return ""
}

// csrf returns the CSRF token of the signed-in session.
func (b *browser) csrf() string {
	b.t.Helper()
	var s struct {
		CSRF string `json:"csrf_token"`
	}
	b.do("GET", "/api/v1/session", "", nil).wantStatus(b.t, http.StatusOK).decode(b.t, &s)
	return s.CSRF
}

// scrape returns /metrics.
func scrape(t *testing.T, e *env) string {
	t.Helper()
	return string(e.do("GET", "/metrics", "").wantStatus(t, http.StatusOK).body)
}

// grepLines returns the lines of text holding word.
func grepLines(text, word string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, word) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// otherKey returns an RSA key no provider knows.
func otherKey(t *testing.T) *rsa.PrivateKey {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
