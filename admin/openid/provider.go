// Package openid signs people in to carecost through an OpenID Connect
// provider (Entra ID or any other): the authorization code flow with PKCE,
// state and nonce; the ID token verified against the provider's keys
// (issuer, audience, expiry, signature, nonce); the user's name, display
// name and groups read from configured claims, and the groups mapped to
// carecost's roles and team. It knows nothing of HTTP servers or
// sessions: the caller keeps the Pending of a sign-in between its two
// halves. It never logs or returns a code, a token or a secret.
package openid

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"
)

// Config configures a Provider.
type Config struct {
	// Issuer is the provider's issuer URL; its discovery document is read
	// from Issuer + "/.well-known/openid-configuration".
	Issuer string
	// ClientID and ClientSecret are carecost's registration at the
	// provider.
	ClientID, ClientSecret string
	// RedirectURL is carecost's callback, https://<host>/login/oidc/callback.
	RedirectURL string
	// GroupsClaim names the claim holding the user's groups or app roles
	// (default "groups"); a string or a list of strings.
	GroupsClaim string
	// NameClaim names the claim carecost's login name comes from (default
	// "preferred_username").
	NameClaim string
	// DisplayNameClaim names the claim of the name shown for the user
	// (default "name"; the login name when the token has none).
	DisplayNameClaim string
	// Label is the provider's name on the sign-in page (default "OpenID
	// Connect").
	Label string
	// Scopes are asked for (default openid, profile and email; openid is
	// always asked). Entra ID sends groups without a scope; other
	// providers may need one, such as "groups".
	Scopes []string
	// Mapping maps groups to roles and a team.
	Mapping Mapping
	// HTTPClient talks to the provider (nil: a client with a 10 s timeout).
	HTTPClient *http.Client
	// Now is the clock ID tokens expire by (nil: time.Now).
	Now func() time.Time
}

// Provider is a configured OpenID Connect provider. Its discovery document
// and keys are fetched on the first sign-in (and the keys again when a
// token names a key it does not know), so carecost starts while the
// provider is unreachable.
type Provider struct {
	cfg Config

	mu       sync.Mutex
	provider *oidc.Provider
	oauth    oauth2.Config
	verifier *oidc.IDTokenVerifier
}

// New checks cfg and returns its Provider.
func New(cfg Config) (*Provider, error) {
	for _, f := range []struct{ name, v string }{{"issuer", cfg.Issuer}, {"client id", cfg.ClientID},
		{"client secret", cfg.ClientSecret}, {"redirect URL", cfg.RedirectURL}} {
		if f.v == "" {
			return nil, fmt.Errorf("openid: the %s is missing", f.name)
		}
	}
	if len(cfg.Mapping.Roles) == 0 {
		return nil, errors.New("openid: the mapping grants no role")
	}
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&cfg.GroupsClaim, "groups")
	def(&cfg.NameClaim, "preferred_username")
	def(&cfg.DisplayNameClaim, "name")
	def(&cfg.Label, "OpenID Connect")
	if !slices.Contains(cfg.Scopes, oidc.ScopeOpenID) {
		cfg.Scopes = append([]string{oidc.ScopeOpenID}, cfg.Scopes...)
	}
	if len(cfg.Scopes) == 1 {
		cfg.Scopes = append(cfg.Scopes, "profile", "email")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Provider{cfg: cfg}, nil
}

// Label returns the provider's name for the sign-in page.
func (p *Provider) Label() string { return p.cfg.Label }

// discover returns the provider's endpoints and verifier, reading the
// discovery document the first time it succeeds.
func (p *Provider) discover(ctx context.Context) (*oauth2.Config, *oidc.IDTokenVerifier, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.provider == nil {
		ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, p.cfg.HTTPClient), 10*time.Second)
		defer cancel()
		prov, err := oidc.NewProvider(ctx, p.cfg.Issuer)
		if err != nil {
			return nil, nil, fmt.Errorf("openid: discover the provider %s: %w", p.cfg.Issuer, err)
		}
		var meta struct {
			AuthMethods []string `json:"token_endpoint_auth_methods_supported"`
		}
		prov.Claims(&meta) // optional: read when present
		ep := prov.Endpoint()
		ep.AuthStyle = oauth2.AuthStyleInParams
		if slices.Contains(meta.AuthMethods, "client_secret_basic") && !slices.Contains(meta.AuthMethods, "client_secret_post") {
			ep.AuthStyle = oauth2.AuthStyleInHeader
		}
		p.provider = prov
		p.oauth = oauth2.Config{ClientID: p.cfg.ClientID, ClientSecret: p.cfg.ClientSecret, RedirectURL: p.cfg.RedirectURL,
			Endpoint: ep, Scopes: p.cfg.Scopes}
		// The verifier checks the signature against the provider's keys,
		// the issuer, the audience (our client id) and the expiry.
		p.verifier = prov.Verifier(&oidc.Config{ClientID: p.cfg.ClientID, Now: p.cfg.Now})
	}
	cfg := p.oauth
	return &cfg, p.verifier, nil
}
