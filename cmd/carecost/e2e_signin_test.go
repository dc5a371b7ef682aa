package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
)

// A newcomer gets in at once: serve --demo prints a user per role with a
// password and an API token, and a demo token works with its role; without
// --demo no user is made.
func TestDemoUsersGetIn(t *testing.T) {
	out := &bytes.Buffer{}
	e := &env{stdout: out, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	s, err := startServer(context.Background(), config{data: t.TempDir(), addr: "127.0.0.1:0", logFormat: "json", demo: true, waitTimeout: 5 * time.Second}, e)
	if err != nil {
		t.Fatal(err)
	}
	defer s.stop()
	tokens := regexp.MustCompile(`token +(cct_\S+)`).FindAllStringSubmatch(out.String(), -1)
	if len(tokens) != 4 || !strings.Contains(out.String(), "demo-case-manager") {
		t.Fatalf("serve --demo printed:\n%s", out)
	}
	a := &api{t: t, base: "http://" + s.addr, c: &http.Client{Timeout: 10 * time.Second}, token: tokens[0][1]}
	a.do("GET", "/api/v1/estimates", nil).want(t, http.StatusOK)
	a.do("GET", "/api/v1/decisions", nil).want(t, http.StatusForbidden)
	a.token = ""
	a.do("GET", "/api/v1/estimates", nil).want(t, http.StatusUnauthorized)
}

// CARECOST_BOOTSTRAP_ADMIN makes the first admin of a store without users
// at start; a store with users is left alone.
func TestBootstrapAdminAtStart(t *testing.T) {
	dir := t.TempDir()
	pw := filepath.Join(dir, "pw")
	if err := os.WriteFile(pw, []byte("correct horse battery staple\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(dir, "data")
	e := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(k string) string {
		if k == bootstrapEnv {
			return "aino:" + pw
		}
		return ""
	}}
	s, err := startServer(context.Background(), config{data: data, addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second}, e)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.cmds.User(context.Background(), "aino")
	s.stop()
	if err != nil || !u.HasRole("admin") {
		t.Fatalf("first admin: %v, %v", u, err)
	}
	code, out, errs := runCmd(t, "", "user", "list", "--data", data)
	if code != 0 || !strings.Contains(out, "aino") {
		t.Errorf("user list: %d %s %s", code, out, errs)
	}
}

// --demo left on for a store that has a catalogue of its own loads
// nothing and makes no demo user (no known accounts with admin rights on
// a real store); it says so in the log.
func TestDemoLeavesAStoreWithDataAlone(t *testing.T) {
	data := t.TempDir()
	cfg := config{data: data, addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second}
	quiet := &env{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	s, err := startServer(context.Background(), cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	set, err := demo.Catalogue()
	if err == nil {
		_, err = s.cmds.ImportCatalogue(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, set)
	}
	s.stop()
	if err != nil {
		t.Fatal(err)
	}
	out, log := &bytes.Buffer{}, &bytes.Buffer{}
	cfg.demo = true
	s, err = startServer(context.Background(), cfg, &env{stdout: out, stderr: log, getenv: func(string) string { return "" }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.stop()
	if strings.Contains(out.String(), "cct_") || !strings.Contains(log.String(), "no demo data and no demo users added") {
		t.Errorf("printed:\n%s\nlogged:\n%s", out, log)
	}
	for _, d := range demoUsers {
		if _, err := s.cmds.User(context.Background(), d.Name); domain.ErrorCode(err) != domain.ENotFound {
			t.Errorf("demo user %s: %v", d.Name, err)
		}
	}
}
