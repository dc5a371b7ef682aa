package openid_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"carecost/admin/openid"
	"carecost/admin/openid/openidtest"
	"carecost/domain"
)

var mapping = openid.Mapping{
	Roles: map[string][]domain.Role{"cm-north": {domain.RoleCaseManager}, "auditors": {domain.RoleController}},
	Teams: map[string]string{"cm-north": "north"},
}

func setup(t *testing.T) (*openidtest.Provider, *openid.Provider) {
	t.Helper()
	idp := openidtest.Start(t)
	p, err := openid.New(idp.Config("http://127.0.0.1:1/login/oidc/callback", mapping))
	if err != nil {
		t.Fatal(err)
	}
	return idp, p
}

// signIn runs a sign-in as a browser would, the provider answering state
// (empty: the one it was sent).
func signIn(t *testing.T, p *openid.Provider, state string) (openid.User, error) {
	t.Helper()
	url, pd, err := p.Begin(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"code_challenge_method=S256", "code_challenge=", "nonce=", "state="} {
		if !strings.Contains(url, want) {
			t.Errorf("the authorization URL has no %s", want)
		}
	}
	got, code := openidtest.Authorize(t, url)
	if state == "" {
		state = got
	}
	return p.Finish(context.Background(), pd, state, code)
}

// A user of the provider signs in with the roles and team its groups map
// to; groups carecost does not know are ignored.
func TestSignIn(t *testing.T) {
	idp, p := setup(t)
	idp.QueueUser("Anna.Virtanen@County.example", "cm-north", "auditors", "staff")
	u, err := signIn(t, p, "")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "anna.virtanen_county.example" || u.Team != "north" || u.Subject != "sub-Anna.Virtanen@County.example" ||
		!slices.Equal(u.Roles, []domain.Role{domain.RoleCaseManager, domain.RoleController}) {
		t.Fatalf("user %+v", u)
	}
	if u.DisplayName != "Anna.Virtanen@County.example" {
		t.Errorf("display name %q: without a name claim it is the claimed name", u.DisplayName)
	}
}

// A user none of whose groups grants a role is refused.
func TestSignInWithoutRole(t *testing.T) {
	idp, p := setup(t)
	idp.QueueUser("visitor", "staff")
	if _, err := signIn(t, p, ""); !errors.Is(err, openid.ErrUser) {
		t.Fatalf("err = %v, want ErrUser", err)
	}
}

// Attack: an answer with another state (a callback this session did not
// begin, as in login CSRF) is refused before any code is exchanged.
func TestWrongStateRefused(t *testing.T) {
	idp, p := setup(t)
	idp.QueueUser("anna", "cm-north")
	if _, err := signIn(t, p, "forged-state"); !errors.Is(err, openid.ErrState) {
		t.Fatalf("err = %v, want ErrState", err)
	}
	if _, err := p.Finish(context.Background(), openid.Pending{}, "", "code"); !errors.Is(err, openid.ErrState) {
		t.Fatalf("no pending sign-in: err = %v, want ErrState", err)
	}
}

// Attacks on the ID token the token endpoint answers: each is refused.
func TestTamperedIDTokensRefused(t *testing.T) {
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	idp, p := setup(t)
	with := func(c jwt.MapClaims, k string, v any) jwt.MapClaims { c[k] = v; return c }
	cases := map[string]func(jwt.MapClaims) string{
		"forged: signed with another key under the provider's key id": func(c jwt.MapClaims) string { return idp.SignWith(t, other, c) },
		"unsigned (alg none)": func(c jwt.MapClaims) string {
			s, _ := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
			return s
		},
		"a signature of other claims": func(c jwt.MapClaims) string {
			real := strings.Split(idp.Sign(t, c), ".")
			forged := strings.Split(idp.Sign(t, with(c, "groups", []string{"auditors"})), ".")
			return forged[0] + "." + forged[1] + "." + real[2]
		},
		"wrong audience": func(c jwt.MapClaims) string { return idp.Sign(t, with(c, "aud", "another-client")) },
		"wrong issuer":   func(c jwt.MapClaims) string { return idp.Sign(t, with(c, "iss", "https://idp.example")) },
		"wrong nonce":    func(c jwt.MapClaims) string { return idp.Sign(t, with(c, "nonce", "another-nonce")) },
		"no nonce":       func(c jwt.MapClaims) string { delete(c, "nonce"); return idp.Sign(t, c) },
		"expired": func(c jwt.MapClaims) string {
			return idp.Sign(t, with(c, "exp", time.Now().Add(-time.Hour).Unix()))
		},
	}
	for name, tamper := range cases {
		t.Run(name, func(t *testing.T) {
			idp.QueueUser("anna", "cm-north")
			idp.Tamper(tamper)
			u, err := signIn(t, p, "")
			if !errors.Is(err, openid.ErrToken) {
				t.Fatalf("signed in as %+v, err %v; want ErrToken", u, err)
			}
			t.Log(err)
		})
	}
	idp.QueueUser("anna", "cm-north") // untampered, it works
	if _, err := signIn(t, p, ""); err != nil {
		t.Fatal(err)
	}
}

// A code is exchanged once, and only with the verifier of the sign-in
// that asked for it (PKCE): a code carried into another sign-in fails.
func TestCodeInjectionRefused(t *testing.T) {
	idp, p := setup(t)
	idp.QueueUser("victim", "cm-north")
	url1, _, _ := p.Begin(context.Background())
	_, code := openidtest.Authorize(t, url1)
	url2, pd2, _ := p.Begin(context.Background())
	state2, _ := openidtest.Authorize(t, url2)
	_, err := p.Finish(context.Background(), pd2, state2, code)
	if !errors.Is(err, openid.ErrProvider) {
		t.Fatalf("err = %v, want ErrProvider", err)
	}
	if strings.Contains(err.Error(), code) {
		t.Errorf("the error holds the code: %v", err)
	}
}

// A sign-in left at the provider too long is refused.
func TestPendingExpires(t *testing.T) {
	idp, p := setup(t)
	idp.QueueUser("anna", "cm-north")
	url, pd, _ := p.Begin(context.Background())
	state, code := openidtest.Authorize(t, url)
	pd.Started = pd.Started.Add(-openid.PendingTTL - time.Second)
	if _, err := p.Finish(context.Background(), pd, state, code); !errors.Is(err, openid.ErrState) {
		t.Fatalf("err = %v, want ErrState", err)
	}
}
