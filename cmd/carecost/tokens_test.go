package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"carecost/admin/auth"
	"carecost/domain"
	"carecost/eventstore/sqlite"
)

func tokenCmd(t *testing.T, data string, args ...string) (int, string, string) {
	t.Helper()
	return runCmd(t, "", append(append([]string{"token"}, args...), "--data", data, "--log-format", "json")...)
}

func TestTokenCommands(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := userCmd(t, data, "", "add", "anna", "--display", "Anna", "--role", "controller,case_manager", "--team", "t1", "--generate-password"); code != 0 {
		t.Fatal(errs)
	}
	code, out, errs := tokenCmd(t, data, "create", "--user", "anna", "--role", "controller", "--expires", "90d", "--label", "audit export")
	id, secret, ok := auth.ParseToken(strings.TrimSpace(out))
	if code != 0 || !ok || !strings.Contains(errs, "shown only once") {
		t.Fatalf("create: exit %d %q %s", code, out, errs)
	}
	inStore(t, data, func(c *domain.Commands, _ *sqlite.Store) {
		tk, err := c.Token(context.Background(), id)
		if err != nil || !auth.CheckSecret(string(tk.SecretHash()), secret) || tk.User() != "anna" || tk.Label() != "audit export" ||
			tk.ExpiresAt().Sub(time.Now()) < 89*24*time.Hour || tk.ExpiresAt().Sub(time.Now()) > 90*24*time.Hour {
			t.Errorf("stored token: %+v, %v", tk, err)
		}
	})
	code, out, _ = tokenCmd(t, data, "list", "--user", "anna")
	if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "active") || strings.Contains(out, secret) {
		t.Errorf("list: exit %d\n%s", code, out)
	}
	if code, out, _ := tokenCmd(t, data, "revoke", id); code != 0 || !strings.Contains(out, "revoked token "+id) {
		t.Errorf("revoke: exit %d %s", code, out)
	}
	if code, out, _ := tokenCmd(t, data, "list"); code != 0 || !strings.Contains(out, "revoked") {
		t.Errorf("list after revoke: exit %d\n%s", code, out)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"create", "--role", "controller", "--expires", "9d"}, "--user: name the user"},
		{[]string{"create", "--user", "nobody", "--role", "controller", "--expires", "9d"}, "--user: there is no user nobody"},
		{[]string{"create", "--user", "anna", "--role", "admin", "--expires", "9d"}, "--role: user anna does not hold the role admin"},
		{[]string{"create", "--user", "anna", "--role", "controller"}, "--expires: is required"},
		{[]string{"create", "--user", "anna", "--role", "controller", "--expires", "soon"}, "--expires: \"soon\" is not a lifetime"},
		{[]string{"create", "--user", "anna", "--role", "controller", "--expires", "400d"}, "--expires:"},
		{[]string{"create", "--user", "anna", "--role", "controller", "--expires", "9d", "--label", "a\tb"}, "--label:"},
		{[]string{"revoke"}, "ID: name the token"},
		{[]string{"revoke", "nope"}, "there is no token nope"},
	} {
		if code, _, errs := tokenCmd(t, data, c.args...); code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d %q, want 2 and %q", c.args, code, errs, c.want)
		}
	}
}

func TestParseLifetime(t *testing.T) {
	for s, want := range map[string]time.Duration{"90d": 90 * 24 * time.Hour, "12w": 84 * 24 * time.Hour, "36h": 36 * time.Hour} {
		if got, err := parseLifetime(s); err != nil || got != want {
			t.Errorf("%s: %v %v", s, got, err)
		}
	}
	for _, s := range []string{"", "d", "0d", "-1d", "1y", "1.5d", "99999d"} {
		if _, err := parseLifetime(s); domain.ErrorField(err) != "--expires" {
			t.Errorf("%q: %v", s, err)
		}
	}
}
