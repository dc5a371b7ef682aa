package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"carecost/admin/auth"
	"carecost/domain"
	"carecost/eventstore/sqlite"
)

// inStore opens the event log of a data folder no carecost runs on and
// gives fn commands over it.
func inStore(t *testing.T, data string, fn func(c *domain.Commands, s *sqlite.Store)) {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(data, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fn(domain.NewCommands(s), s)
}

// userOf returns user name as the log of data has it.
func userOf(t *testing.T, data, name string) *domain.User {
	t.Helper()
	var u *domain.User
	inStore(t, data, func(c *domain.Commands, _ *sqlite.Store) {
		var err error
		if u, err = c.User(context.Background(), name); err != nil {
			t.Fatal(err)
		}
	})
	return u
}

// checks fails unless pw is the password of user name.
func checks(t *testing.T, data, name, pw string) {
	t.Helper()
	if ok, err := auth.CheckPassword(string(userOf(t, data, name).PasswordHash()), pw); !ok || err != nil {
		t.Errorf("the password of %s does not check: %v", name, err)
	}
}

func TestUserAdd(t *testing.T) {
	data := t.TempDir()
	d := []string{"--data", data, "--log-format", "json"}
	pwFile := writeFile(t, "pw", "a long enough secret\n")
	code, out, errs := runCmd(t, "", append([]string{"user", "add", "anna", "--display", "Anna V", "--role", "controller,case_manager", "--team", "north-1", "--password-file", pwFile}, d...)...)
	if code != 0 || !strings.Contains(out, "added user anna (roles case_manager,controller; team north-1)") {
		t.Fatalf("add: exit %d %s %s", code, out, errs)
	}
	checks(t, data, "anna", "a long enough secret")
	// Read twice from standard input.
	if code, _, errs := runCmd(t, "another long one\nanother long one\n", append([]string{"user", "add", "bob", "--display", "Bob", "--role", "admin"}, d...)...); code != 0 {
		t.Fatalf("add from stdin: exit %d %s", code, errs)
	}
	checks(t, data, "bob", "another long one")
	// Generated, printed once.
	code, out, _ = runCmd(t, "", append([]string{"user", "add", "ops", "--display", "Ops", "--role", "operations", "--generate-password"}, d...)...)
	pw := regexp.MustCompile(`password of ops: (\S+)`).FindStringSubmatch(out)
	if code != 0 || pw == nil || !strings.Contains(out, "shown only once") {
		t.Fatalf("generated: exit %d %s", code, out)
	}
	checks(t, data, "ops", pw[1])
	// Without a local password.
	if code, _, errs := runCmd(t, "", append([]string{"user", "add", "oidc.only", "--display", "O", "--role", "controller", "--no-password"}, d...)...); code != 0 {
		t.Fatalf("no password: %s", errs)
	}
	// The actor is the operating-system user, as an admin.
	inStore(t, data, func(_ *domain.Commands, s *sqlite.Store) {
		evs, err := s.ReadStream(context.Background(), domain.UserStream("anna"), domain.ReadStreamOptions{})
		var m domain.Meta
		if err != nil || json.Unmarshal(evs[0].Metadata, &m) != nil || !strings.HasPrefix(m.ActorID, "cli:") || len(m.ActorID) < 5 || m.ActorRole != "admin" {
			t.Errorf("actor: %+v %v", m, err)
		}
	})
}

// Bad input exits 2 naming the flag, and writes nothing.
func TestUserAddBadInput(t *testing.T) {
	data := t.TempDir()
	good := writeFile(t, "pw", "a long enough secret")
	add := func(args ...string) []string {
		return append([]string{"user", "add", "--data", data, "--log-format", "json"}, args...)
	}
	runCmd(t, "", add("taken", "--display", "T", "--role", "admin", "--password-file", good)...)
	for _, c := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", add("--display", "X", "--role", "admin"), "NAME: name the user"},
		{"", add("Bad Name", "--display", "X", "--role", "admin"), "NAME:"},
		{"", add("x", "--role", "admin", "--password-file", good), "--display: is required"},
		{"", add("x", "--display", "X", "--password-file", good), "--role: give at least one role"},
		{"", add("x", "--display", "X", "--role", "admin,root", "--password-file", good), "--role: \"root\" is not a role"},
		{"", add("x", "--display", "X", "--role", "case_manager", "--password-file", good), "--team: a case manager belongs to a team"},
		{"", add("x", "--display", "X", "--role", "admin", "--team", "Team A", "--password-file", good), "--team:"},
		{"", add("x", "--display", "X", "--role", "admin", "--password-file", writeFile(t, "short", "short\n")), "--password-file: is too short"},
		{"", add("x", "--display", "X", "--role", "admin", "--password-file", filepath.Join(data, "none")), "--password-file: cannot read"},
		{"", add("x", "--display", "X", "--role", "admin", "--password-file", good, "--generate-password"), "--password-file: give one of"},
		{"a long enough secret\nnot the same secret\n", add("x", "--display", "X", "--role", "admin"), "password: the two passwords differ"},
		{"", add("x", "--display", "X", "--role", "admin"), "password: cannot read it"},
		{"", add("taken", "--display", "T", "--role", "admin", "--password-file", good), "NAME: user taken already exists"},
	} {
		code, _, errs := runCmd(t, c.stdin, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, %q; want 2 and %q", c.args[5:], code, errs, c.want)
		}
	}
	inStore(t, data, func(c *domain.Commands, _ *sqlite.Store) {
		if _, err := c.User(context.Background(), "x"); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("a refused add wrote a user: %v", err)
		}
	})
}
