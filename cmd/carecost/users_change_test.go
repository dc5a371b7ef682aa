package main

import (
	"strings"
	"testing"

	"carecost/domain"
)

// userCmd runs carecost user SUB with args over data.
func userCmd(t *testing.T, data, stdin string, args ...string) (int, string, string) {
	t.Helper()
	return runCmd(t, stdin, append(append([]string{"user"}, args...), "--data", data, "--log-format", "json")...)
}

func TestUserChanges(t *testing.T) {
	data := t.TempDir()
	pw := writeFile(t, "pw", "a long enough secret\n")
	if code, _, errs := userCmd(t, data, "", "add", "anna", "--display", "Anna V", "--role", "controller", "--password-file", pw); code != 0 {
		t.Fatal(errs)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"passwd", "anna", "--password-file", writeFile(t, "pw2", "the second secret")}, "set the password of user anna"},
		{[]string{"team", "anna", "--team", "south-2"}, "set the team of user anna"},
		{[]string{"roles", "anna", "--role", "case_manager,admin"}, "set the roles of user anna"},
		{[]string{"disable", "anna"}, "disabled user anna"},
	} {
		if code, out, errs := userCmd(t, data, "", c.args...); code != 0 || !strings.Contains(out, c.want) {
			t.Errorf("%v: exit %d %s %s", c.args, code, out, errs)
		}
	}
	checks(t, data, "anna", "the second secret")
	u := userOf(t, data, "anna")
	if u.Team() != "south-2" || !u.HasRole(domain.RoleAdmin) || !u.HasRole(domain.RoleCaseManager) || u.HasRole(domain.RoleController) || !u.Disabled() {
		t.Errorf("anna: team %q roles %v disabled %v", u.Team(), u.Roles(), u.Disabled())
	}
	code, out, _ := userCmd(t, data, "", "list")
	if code != 0 || !strings.Contains(out, "anna") || !strings.Contains(out, "admin,case_manager") || !strings.Contains(out, "disabled") ||
		strings.Contains(out, "argon2") {
		t.Errorf("list: exit %d\n%s", code, out)
	}
	if code, out, _ := userCmd(t, data, "", "enable", "anna"); code != 0 || !strings.Contains(out, "enabled user anna") {
		t.Errorf("enable: %d %s", code, out)
	}
	// Bad input exits 2 naming what is wrong.
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"disable", "nobody"}, "there is no user nobody"},
		{[]string{"passwd", "nobody", "--generate-password"}, "there is no user nobody"},
		{[]string{"team", "anna", "--team", ""}, "--team: a case manager belongs to a team"},
		{[]string{"team", "anna"}, "--team: give the team"},
		{[]string{"roles", "anna"}, "--role: give at least one role"},
		{[]string{"roles", "anna", "--role", "boss"}, "--role: \"boss\" is not a role"},
		{[]string{"enable"}, "NAME: name the user"},
		{[]string{"enable", "anna", "bob"}, "unexpected argument \"bob\""},
		{[]string{"rename", "anna"}, "unknown subcommand \"rename\""},
	} {
		if code, _, errs := userCmd(t, data, "", c.args...); code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d %q, want 2 and %q", c.args, code, errs, c.want)
		}
	}
}

// Every user and token command answers --help with its flags.
func TestUserHelp(t *testing.T) {
	for _, args := range [][]string{{"user"}, {"user", "--help"}, {"token", "--help"}} {
		if code, out, _ := runCmd(t, "", args...); code != 0 || !strings.Contains(out, "Usage:") {
			t.Errorf("%v: exit %d %s", args, code, out)
		}
	}
	for _, sub := range []string{"user add", "user passwd", "user roles", "user team", "user disable", "user enable", "user list",
		"token create", "token revoke", "token list"} {
		code, _, errs := runCmd(t, "", append(strings.Fields(sub), "--help")...)
		if code != 0 || !strings.Contains(errs, "Flags of "+sub) || !strings.Contains(errs, "-data") {
			t.Errorf("%s --help: exit %d %s", sub, code, errs)
		}
	}
	if code, out, _ := runCmd(t, "", "--help"); code != 0 || !strings.Contains(out, "  user ") || !strings.Contains(out, "  token ") {
		t.Errorf("carecost --help does not list user and token:\n%s", out)
	}
}

// With carecost serving, the user commands are refused, writing nothing.
func TestUserCommandsNeedCarecostStopped(t *testing.T) {
	data := t.TempDir()
	startTestServer(t, data, false)
	code, _, errs := userCmd(t, data, "", "add", "x", "--display", "X", "--role", "admin", "--generate-password")
	if code != 2 || !strings.Contains(errs, "another carecost is using") {
		t.Errorf("exit %d %s", code, errs)
	}
}
