package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"carecost/admin/auth"
	"carecost/domain"
)

// testApp opens carecost over a new data folder, closed when the test ends.
func testApp(t *testing.T, log io.Writer) *app {
	t.Helper()
	a, err := openApp(context.Background(), config{data: t.TempDir(), logFormat: "json"}, slog.New(slog.NewJSONHandler(log, nil)), true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	return a
}

func TestBootstrapAdmin(t *testing.T) {
	ctx := context.Background()
	var log bytes.Buffer
	a := testApp(t, &log)
	if name, err := bootstrapAdmin(ctx, a, ""); name != "" || err != nil {
		t.Fatalf("no spec: %q %v", name, err)
	}
	weak := writeFile(t, "weak", "short\n")
	for spec, want := range map[string]string{
		"admin":             "is not NAME:PASSWORD-FILE",
		"admin:":            "is not NAME:PASSWORD-FILE",
		"admin:-":           "is not NAME:PASSWORD-FILE",
		"Admin:" + weak:     "not a valid user name",
		"admin:" + weak:     "is too short",
		"admin:/nope/file":  "cannot read",
		"a b:/run/secrets/": "not a valid user name",
	} {
		name, err := bootstrapAdmin(ctx, a, spec)
		if name != "" || domain.ErrorField(err) != bootstrapEnv || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "short\n") {
			t.Errorf("%q: %q, %v; want %q", spec, name, err, want)
		}
	}
	good := writeFile(t, "good", "a long enough secret\n")
	must(t, os.Chmod(good, 0o600))
	name, err := bootstrapAdmin(ctx, a, "root.admin:"+good)
	if name != "root.admin" || err != nil {
		t.Fatalf("bootstrap: %q %v", name, err)
	}
	u, err := a.cmds.User(ctx, "root.admin")
	must(t, err)
	if ok, _ := auth.CheckPassword(string(u.PasswordHash()), "a long enough secret"); !ok || !u.HasRole(domain.RoleAdmin) || len(u.Roles()) != 1 {
		t.Errorf("the first admin: roles %v, password checks %v", u.Roles(), ok)
	}
	if strings.Contains(log.String(), "a long enough secret") || strings.Contains(log.String(), "argon2") {
		t.Errorf("the log holds the password or its hash: %s", log.String())
	}
	// With users in the store it does nothing, and reads no file.
	must(t, os.Remove(good))
	if name, err := bootstrapAdmin(ctx, a, "other:"+good); name != "" || err != nil {
		t.Errorf("second start: %q %v", name, err)
	}
	if _, err := a.cmds.User(ctx, "other"); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("a second admin was made: %v", err)
	}
}

// Two instances started at once on one store both find no users; the one
// that adds the first admin second finds it there and goes on.
func TestFirstAdminMadeByAnother(t *testing.T) {
	ctx := context.Background()
	var log bytes.Buffer
	a := testApp(t, &log)
	in := domain.UserInput{Name: "admin", DisplayName: "admin", Roles: []domain.Role{domain.RoleAdmin}, PasswordHash: "x"}
	if name, err := addFirstAdmin(ctx, a, in); name != "admin" || err != nil {
		t.Fatalf("first: %q %v", name, err)
	}
	if name, err := addFirstAdmin(ctx, a, in); name != "" || err != nil {
		t.Fatalf("second, the admin there already: %q %v; want none made, no error", name, err)
	}
	if !strings.Contains(log.String(), "first admin created by another carecost") {
		t.Errorf("the log does not say another made it: %s", log.String())
	}
}

func TestDemoUsers(t *testing.T) {
	ctx := context.Background()
	a := testApp(t, io.Discard)
	users, err := addDemoUsers(ctx, a)
	must(t, err)
	if len(users) != 4 {
		t.Fatalf("%d demo users", len(users))
	}
	for _, d := range users {
		u, err := a.cmds.User(ctx, d.Name)
		must(t, err)
		ok, _ := auth.CheckPassword(string(u.PasswordHash()), d.Password)
		if !ok || !u.HasRole(d.Role) || u.Team() != d.Team || (d.Role == domain.RoleCaseManager) != (d.Team == "demo-team") {
			t.Errorf("%s: roles %v team %q, password checks %v", d.Name, u.Roles(), u.Team(), ok)
		}
	}
	var out bytes.Buffer
	printDemoUsers(&out, users)
	if !strings.Contains(out.String(), users[0].Password) || !strings.Contains(out.String(), "demo-operations") {
		t.Errorf("printed:\n%s", out.String())
	}
	again, err := addDemoUsers(ctx, a)
	if err != nil || len(again) != 0 {
		t.Errorf("a second run made %d users: %v", len(again), err)
	}
	if name, err := bootstrapAdmin(ctx, a, "admin:"+filepath.Join(t.TempDir(), "none")); name != "" || err != nil {
		t.Errorf("bootstrap beside the demo users: %q %v", name, err)
	}
}
