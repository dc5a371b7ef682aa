package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"carecost/domain"
)

func parseServe(t *testing.T, env map[string]string, args ...string) config {
	t.Helper()
	var c config
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.serveFlags(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return c
}

// Cookies without Secure are taken only with a loopback address.
func TestInsecureCookiesOnlyOnLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:8080": true, "localhost:8080": true, "[::1]:8080": true,
		"0.0.0.0:8080": false, ":8080": false, "10.1.2.3:8080": false} {
		err := parseServe(t, map[string]string{"CARECOST_INSECURE_COOKIES": "true"}, "--addr", addr).check()
		if (err == nil) != ok || (err != nil && domain.ErrorField(err) != "--insecure-cookies") {
			t.Errorf("%s: %v", addr, err)
		}
	}
}

// OpenID Connect needs its client, secret, redirect and mapping; the
// secret and the mapping are read at the start.
func TestOIDCConfig(t *testing.T) {
	env := map[string]string{"CARECOST_OIDC_ISSUER": "https://login.example/tenant/v2.0"}
	if err := parseServe(t, env).check(); domain.ErrorField(err) != "--oidc-client-id" {
		t.Fatalf("without a client id: %v", err)
	}
	dir := t.TempDir()
	secret, mapping := filepath.Join(dir, "secret"), filepath.Join(dir, "mapping.json")
	os.WriteFile(secret, []byte("s3cret\n"), 0o600)
	os.WriteFile(mapping, []byte(`{"roles": {"g": ["case_manager"]}, "teams": {"g": "north"}}`), 0o600)
	env["CARECOST_OIDC_CLIENT_ID"], env["CARECOST_OIDC_CLIENT_SECRET_FILE"] = "cc", secret
	env["CARECOST_OIDC_REDIRECT_URL"], env["CARECOST_OIDC_MAPPING_FILE"] = "https://carecost.example/login/oidc/callback", mapping
	c := parseServe(t, env)
	if err := c.check(); err != nil {
		t.Fatal(err)
	}
	if p, err := c.openIDProvider(); err != nil || p == nil || p.Label() != "OpenID Connect" {
		t.Fatalf("provider %v, %v", p, err)
	}
	c.signIn.mappingFile = filepath.Join(dir, "missing.json")
	if _, err := c.openIDProvider(); domain.ErrorField(err) != "--oidc-mapping-file" {
		t.Fatalf("a missing mapping: %v", err)
	}
	if p, err := parseServe(t, nil).openIDProvider(); p != nil || err != nil {
		t.Fatalf("without an issuer: %v, %v", p, err)
	}
}
