package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"carecost/admin"
	"carecost/admin/openid"
	"carecost/admin/openid/openidtest"
	"carecost/domain"
)

// newOIDCEnv is a signInEnv whose sign-in page offers a real provider
// running on 127.0.0.1.
func newOIDCEnv(t *testing.T) (*signInEnv, *openidtest.Provider) {
	t.Helper()
	idp := openidtest.Start(t)
	cfg := idp.Config("http://127.0.0.1:1/login/oidc/callback", openid.Mapping{
		Roles: map[string][]domain.Role{"carecost-cm": {domain.RoleCaseManager}, "carecost-audit": {domain.RoleController}},
		Teams: map[string]string{"carecost-cm": "north"},
	})
	p, err := openid.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return newSignInEnv(t, func(c *admin.Config) { c.OIDC = p }), idp
}

// viaProvider starts a sign-in through the provider, lets it answer (the
// queued user signed in at once), and brings its answer back to carecost,
// with the state replaced when state is given.
func (b *browser) viaProvider(state string) response {
	b.t.Helper()
	r := b.do("GET", "/login/oidc", "", nil).wantStatus(b.t, http.StatusSeeOther)
	got, code := openidtest.Authorize(b.t, r.header.Get("Location"))
	if state == "" {
		state = got
	}
	return b.do("GET", "/login/oidc/callback?"+url.Values{"state": {state}, "code": {code}}.Encode(), "", nil)
}

// A provider's user signs in as a carecost user made from the claims, with
// the role and team its groups map to, recorded through the user commands
// (the events name the sign-in); a later sign-in updates the roles.
func TestOIDCSignIn(t *testing.T) {
	e, idp := newOIDCEnv(t)
	b := e.browser()
	if page, _ := b.loginPage("?lang=en"); !strings.Contains(page, `id="sign-in-provider" href="/login/oidc">Sign in with Test IdP</a>`) {
		t.Fatalf("no provider button:\n%s", page)
	}
	idp.QueueUser("Maija.Meikalainen@county.example", "carecost-cm", "everyone")
	r := b.viaProvider("").wantStatus(t, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/" {
		t.Fatalf("Location %q", loc)
	}
	var s struct {
		User, Method, Team string
		Roles              []string
	}
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusOK).decode(t, &s)
	if s.User != "maija.meikalainen_county.example" || s.Method != "oidc" || s.Team != "north" || !slices.Equal(s.Roles, []string{"case_manager"}) {
		t.Fatalf("session %+v", s)
	}
	b.do("POST", "/api/v1/estimates", demoCase, nil, "X-Csrf-Token", b.csrf()).wantStatus(t, http.StatusCreated)
	u, err := e.cmds.User(context.Background(), s.User)
	if err != nil || u.PasswordHash() != "" {
		t.Fatalf("user %v, %v", u, err)
	}
	events, _ := e.store.ReadStream(context.Background(), domain.UserStream(s.User), domain.ReadStreamOptions{})
	if len(events) != 1 || events[0].Type != domain.EvUserAdded || !strings.Contains(string(events[0].Metadata), `"actor_name":"OpenID Connect sign-in"`) {
		t.Fatalf("user events %+v", events)
	}

	idp.QueueUser("Maija.Meikalainen@county.example", "carecost-audit")
	again := e.browser()
	again.viaProvider("").wantStatus(t, http.StatusSeeOther)
	s.Team = ""
	again.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusOK).decode(t, &s)
	if !slices.Equal(s.Roles, []string{"controller"}) || s.Team != "" {
		t.Fatalf("after the groups changed: %+v", s)
	}
	if m := scrape(t, e.env); !strings.Contains(m, `carecost_logins_total{method="oidc",result="ok"} 2`) {
		t.Errorf("metrics:\n%s", grepLines(m, "logins"))
	}
}

// signInFails runs a sign-in through the provider that must fail: the
// browser is sent back to /login, signed out, and the page says msg.
func signInFails(t *testing.T, e *signInEnv, state, msg string) {
	t.Helper()
	b := e.browser()
	r := b.viaProvider(state).wantStatus(t, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/login" {
		t.Fatalf("Location %q", loc)
	}
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)
	if page, _ := b.loginPage("?lang=en"); !strings.Contains(page, msg) {
		t.Errorf("the page does not say %q:\n%s", msg, page)
	}
}

// Attacks through the whole flow: a wrong state, a forged ID token, one
// for another client, one with another nonce; none signs anybody in. A
// user without a mapped role, and a name that is a local account's, are
// refused too.
func TestOIDCAttacksRefused(t *testing.T) {
	e, idp := newOIDCEnv(t)
	idp.QueueUser("anna.k@county.example", "carecost-cm")
	signInFails(t, e, "forged-state", "Signing in through the identity provider failed")
	forged := map[string]func(openidtest.Claims) string{
		"forged": func(c openidtest.Claims) string {
			c["groups"] = []string{"carecost-audit"}
			return idp.SignWith(t, otherKey(t), c)
		},
		"wrong audience": func(c openidtest.Claims) string { c["aud"] = "another-client"; return idp.Sign(t, c) },
		"wrong nonce":    func(c openidtest.Claims) string { c["nonce"] = "replayed"; return idp.Sign(t, c) },
	}
	for name, f := range forged {
		t.Run(name, func(t *testing.T) {
			idp.QueueUser("anna.k@county.example", "carecost-cm")
			idp.Tamper(f)
			signInFails(t, e, "", "Signing in through the identity provider failed")
		})
	}
	idp.QueueUser("visitor@county.example", "everyone")
	signInFails(t, e, "", "Your account has no role in carecost")
	idp.QueueUser("anna", "carecost-audit") // anna has a password
	signInFails(t, e, "", "This account signs in with its password")
	if _, err := e.cmds.User(context.Background(), "anna.k_county.example"); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("a refused sign-in made a user: %v", err)
	}
	if m := scrape(t, e.env); !strings.Contains(m, `carecost_logins_total{method="oidc",result="expired"} 1`) {
		t.Errorf("metrics:\n%s", grepLines(m, "logins"))
	}
}

// Without a provider the routes answer 404 and the page offers none.
func TestOIDCNotConfigured(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	b.do("GET", "/login/oidc", "", nil).wantStatus(t, http.StatusNotFound)
	if page, _ := b.loginPage(""); strings.Contains(page, "sign-in-provider") {
		t.Error("the page offers a provider")
	}
}
