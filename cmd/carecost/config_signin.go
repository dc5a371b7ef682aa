package main

import (
	"flag"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"carecost/admin"
	"carecost/admin/openid"
	"carecost/admin/sessionstore"
	"carecost/domain"
)

// signInConfig configures the console's sessions and signing in through
// an OpenID Connect provider.
type signInConfig struct {
	insecureCookies                                  bool
	issuer, clientID, secretFile, redirect           string
	groupsClaim, nameClaim, displayNameClaim, scopes string
	mappingFile, label                               string
}

// signInFlags registers the flags of sessions and OpenID Connect.
func (c *config) signInFlags(fs *flag.FlagSet, getenv func(string) string) {
	s := &c.signIn
	fs.BoolVar(&s.insecureCookies, "insecure-cookies", envOr(getenv, "CARECOST_INSECURE_COOKIES", "") == "true",
		"session cookies without Secure, for plain HTTP on a loopback --addr only (CARECOST_INSECURE_COOKIES=true)")
	str := func(p *string, name, env, def, usage string) {
		fs.StringVar(p, name, envOr(getenv, env, def), usage+" ("+env+")")
	}
	str(&s.issuer, "oidc-issuer", "CARECOST_OIDC_ISSUER", "", "OpenID Connect issuer `URL`; empty: local accounts only")
	str(&s.clientID, "oidc-client-id", "CARECOST_OIDC_CLIENT_ID", "", "carecost's client id at the provider")
	str(&s.secretFile, "oidc-client-secret-file", "CARECOST_OIDC_CLIENT_SECRET_FILE", "", "`file` holding the client secret")
	str(&s.redirect, "oidc-redirect-url", "CARECOST_OIDC_REDIRECT_URL", "", "carecost's callback `URL`, https://HOST/login/oidc/callback")
	str(&s.groupsClaim, "oidc-groups-claim", "CARECOST_OIDC_GROUPS_CLAIM", "groups", "the claim holding the groups (or app roles)")
	str(&s.nameClaim, "oidc-name-claim", "CARECOST_OIDC_NAME_CLAIM", "preferred_username", "the claim the login name comes from")
	str(&s.displayNameClaim, "oidc-display-name-claim", "CARECOST_OIDC_DISPLAY_NAME_CLAIM", "name", "the claim of the name shown")
	str(&s.scopes, "oidc-scopes", "CARECOST_OIDC_SCOPES", "openid profile email", "scopes asked for, space-separated")
	str(&s.mappingFile, "oidc-mapping-file", "CARECOST_OIDC_MAPPING_FILE", "", "JSON `file` mapping groups to roles and teams")
	str(&s.label, "oidc-label", "CARECOST_OIDC_LABEL", "OpenID Connect", "the provider's name on the sign-in button")
}

// checkSignIn returns what is wrong with the sign-in configuration.
func (c config) checkSignIn() error {
	s := c.signIn
	if s.insecureCookies && !loopback(c.addr) {
		return domain.Invalidf("--insecure-cookies", "cookies without Secure are for plain HTTP on a loopback address; %s is not one", c.addr)
	}
	if s.issuer == "" {
		return nil
	}
	for _, f := range []struct{ flag, v string }{{"--oidc-client-id", s.clientID}, {"--oidc-client-secret-file", s.secretFile},
		{"--oidc-redirect-url", s.redirect}, {"--oidc-mapping-file", s.mappingFile}} {
		if f.v == "" {
			return domain.Invalidf(f.flag, "signing in through OpenID Connect (--oidc-issuer) needs %s", f.flag)
		}
	}
	return nil
}

// loopback reports whether addr's host is a loopback address.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// openSessions opens the sessions' store, sessions.db in the data folder.
func (c config) openSessions() (*sessionstore.SQLite, *admin.Sessions, error) {
	store, err := sessionstore.Open(filepath.Join(c.data, "sessions.db"), 5*time.Minute)
	if err != nil {
		return nil, nil, err
	}
	return store, admin.NewSessions(admin.SessionConfig{Storage: store, InsecureCookies: c.signIn.insecureCookies}), nil
}

// openIDProvider returns the configured provider (nil: none), reading the
// client secret and the mapping now, so a missing file fails the start.
func (c config) openIDProvider() (*openid.Provider, error) {
	s := c.signIn
	if s.issuer == "" {
		return nil, nil
	}
	secret, err := os.ReadFile(s.secretFile)
	if err != nil {
		return nil, domain.Invalidf("--oidc-client-secret-file", "the client secret cannot be read: %v", err)
	}
	m, err := openid.LoadMapping(s.mappingFile)
	if err != nil {
		return nil, domain.Invalidf("--oidc-mapping-file", "%v", err)
	}
	return openid.New(openid.Config{Issuer: s.issuer, ClientID: s.clientID, ClientSecret: strings.TrimSpace(string(secret)),
		RedirectURL: s.redirect, GroupsClaim: s.groupsClaim, NameClaim: s.nameClaim, DisplayNameClaim: s.displayNameClaim,
		Scopes: strings.Fields(s.scopes), Label: s.label, Mapping: m})
}
