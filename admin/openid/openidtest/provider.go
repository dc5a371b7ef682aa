// Package openidtest runs a real OpenID Connect provider for tests on
// 127.0.0.1 (mockoidc): discovery, JWKS, an authorization endpoint that
// signs in the next queued user at once, and a token endpoint that signs
// real ID tokens with a real RSA key. A test may tamper with the ID
// token the token endpoint answers, to play an attacker.
package openidtest

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"
	"github.com/oauth2-proxy/mockoidc"

	"carecost/admin/openid"
)

// Claims are an ID token's claims, as a tamper function gets them.
type Claims = jwt.MapClaims

// Provider is a running test provider.
type Provider struct {
	*mockoidc.MockOIDC
	mu     sync.Mutex
	tamper func(claims jwt.MapClaims) string
}

// Start runs a provider until the test ends.
func Start(t testing.TB) *Provider {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mockoidc.NewServer(key)
	if err != nil {
		t.Fatal(err)
	}
	p := &Provider{MockOIDC: m}
	if err := m.AddMiddleware(p.tamperTokens); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(ln, nil); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Shutdown() })
	return p
}

// Config returns an openid.Config for this provider: the groups scope
// asked for, the name from preferred_username, the mapping given.
func (p *Provider) Config(redirect string, m openid.Mapping) openid.Config {
	return openid.Config{Issuer: p.Issuer(), ClientID: p.ClientID, ClientSecret: p.ClientSecret, RedirectURL: redirect,
		Label: "Test IdP", Scopes: []string{"openid", "profile", "email", "groups"}, Mapping: m}
}

// QueueUser makes name (preferred_username), with groups, the next user
// the provider signs in.
func (p *Provider) QueueUser(name string, groups ...string) {
	p.MockOIDC.QueueUser(&mockoidc.MockUser{Subject: "sub-" + name, PreferredUsername: name, Email: name + "@example.test",
		EmailVerified: true, Groups: groups})
}

// Tamper replaces the next ID token the token endpoint sends by what f
// returns for the claims of the real one; Sign and SignWith help f make
// one.
func (p *Provider) Tamper(f func(claims jwt.MapClaims) string) {
	p.mu.Lock()
	p.tamper = f
	p.mu.Unlock()
}

// Sign signs claims with the provider's own key (its JWKS has it).
func (p *Provider) Sign(t testing.TB, claims jwt.MapClaims) string {
	t.Helper()
	s, err := p.Keypair.SignJWT(claims)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// SignWith signs claims with key under the provider's key id: a forgery.
func (p *Provider) SignWith(t testing.TB, key *rsa.PrivateKey, claims jwt.MapClaims) string {
	t.Helper()
	kid, err := p.Keypair.KeyID()
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, claims)
	tok.Header["kid"] = kid
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tamperTokens is a middleware of the provider: on the token endpoint,
// when a tamper function is queued, it swaps the ID token of the answer.
func (p *Provider) tamperTokens(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p.mu.Lock()
		f := p.tamper
		if strings.HasSuffix(r.URL.Path, mockoidc.TokenEndpoint) {
			p.tamper = nil
		} else {
			f = nil
		}
		p.mu.Unlock()
		if f == nil {
			next.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		var body map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err == nil {
			if raw, ok := body["id_token"].(string); ok {
				claims := jwt.MapClaims{}
				jwt.NewParser().ParseUnverified(raw, claims)
				body["id_token"] = f(claims)
			}
		}
		out, _ := json.Marshal(body)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(rec.Code)
		w.Write(bytes.TrimSpace(out))
	})
}

// Authorize follows the provider's authorization endpoint from authURL
// as a browser would (the user signed in at once) and returns the state
// and code it sends back to the redirect URL.
func Authorize(t testing.TB, authURL string) (state, code string) {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		t.Fatalf("the provider answered %d without a redirect", resp.StatusCode)
	}
	return loc.Query().Get("state"), loc.Query().Get("code")
}
