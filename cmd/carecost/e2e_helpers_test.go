package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/esdb/esdbtest"
)

// api is an HTTP client of a running carecost. Its requests carry token
// (an API token of a user holding every role) unless they name their own
// Authorization; cmds, for a carecost in the test's process, makes more.
type api struct {
	t     *testing.T
	base  string
	c     *http.Client
	token string
	cmds  *domain.Commands
}

// reply is an HTTP answer.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (a *api) do(method, path string, body any, headers ...string) reply {
	a.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = bytes.NewBufferString(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			a.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, a.base+path, rd)
	if err != nil {
		a.t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	if req.Header.Get("Authorization") == "" {
		req.Header.Del("Authorization")
	}
	resp, err := a.c.Do(req)
	if err != nil {
		a.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

// want fails unless the reply has the status.
func (r reply) want(t *testing.T, status int) reply {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	return r
}

// into decodes the body into v.
func (r reply) into(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

// errField returns the field named by an error body.
func (r reply) errField(t *testing.T) string {
	var e struct {
		Error struct {
			Code, Message, Field string
		} `json:"error"`
	}
	r.into(t, &e)
	return e.Error.Field
}

// startTestServer runs carecost serve in the test's process on a free port
// over a new data folder, and stops it when the test ends.
func startTestServer(t *testing.T, data string, demo bool) *api {
	t.Helper()
	return startTestServerOn(t, data, "", demo)
}

// startTestServerOn is startTestServer on store (as --store names it; empty
// for the data folder's own SQLite store).
func startTestServerOn(t *testing.T, data, store string, demo bool) *api {
	t.Helper()
	s := startTestServerWith(t, config{data: data, store: store, addr: "127.0.0.1:0", logFormat: "json", demo: demo, waitTimeout: 5 * time.Second})
	return s.client(t)
}

// onEachStore runs test once on each store carecost serves on, as subtests:
// "sqlite", the data folder's embedded store, and "esdb", a new in-process
// EventStoreDB server on 127.0.0.1 reached through the real client (its log
// mixes system events and another application's events in after every third
// append, as a real log does). store is what --store names: empty for
// SQLite.
func onEachStore(t *testing.T, test func(t *testing.T, store string)) {
	t.Run("sqlite", func(t *testing.T) { test(t, "") })
	t.Run("esdb", func(t *testing.T) {
		srv := esdbtest.Start(t, esdbtest.WithNoise(3))
		test(t, srv.URL())
		// The test wrote to this server, not to a store of its own.
		n := 0
		for _, e := range srv.Events() {
			if strings.HasPrefix(e.Type, "carecost.") {
				n++
			}
		}
		if n == 0 {
			t.Error("the EventStoreDB server holds no carecost events: the test did not run on it")
		}
	})
}

// client returns a client of s whose requests carry the token of a user
// holding every role.
func (s *server) client(t *testing.T) *api {
	a := &api{t: t, base: "http://" + s.addr, c: &http.Client{Timeout: 10 * time.Second}, cmds: s.cmds}
	a.token = grant(t, s.cmds, "tester", "north", domain.Roles...)
	return a
}

// as returns the Authorization header of a new token of user, who holds
// roles in team (made the first time).
func (a *api) as(user, team string, roles ...domain.Role) []string {
	return []string{"Authorization", "Bearer " + grant(a.t, a.cmds, user, team, roles...)}
}

// startTestServerWith runs carecost serve with cfg in the test's process
// and stops it when the test ends.
func startTestServerWith(t *testing.T, cfg config) *server {
	t.Helper()
	quiet := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	s, err := startServer(context.Background(), cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Error(err)
		}
	})
	return s
}

// tryDo is do for a server that may go away: ok is false when the request
// failed.
func tryDo(a *api, method, path, body string) (reply, bool) {
	req, err := http.NewRequest(method, a.base+path, bytes.NewBufferString(body))
	if err != nil {
		return reply{}, false
	}
	req.Header.Set("Content-Type", "application/json")
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	resp, err := a.c.Do(req)
	if err != nil {
		return reply{}, false
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	return reply{status: resp.StatusCode, header: resp.Header, body: data}, err == nil
}

// into2 decodes the body into v, returning the error.
func (r reply) into2(v any) error { return json.Unmarshal(r.body, v) }

// grant makes user (holding roles, in team) the first time, and a new API
// token of theirs carrying roles, valid for a day; it returns the token.
func grant(t *testing.T, cmds *domain.Commands, user, team string, roles ...domain.Role) string {
	t.Helper()
	ctx := context.Background()
	if _, err := cmds.User(ctx, user); domain.ErrorCode(err) == domain.ENotFound {
		in := domain.UserInput{Name: user, DisplayName: "User " + user, Team: team, Roles: roles}
		if _, err := cmds.AddUser(ctx, domain.Command{Actor: domain.Actor{ID: "test"}}, in); err != nil {
			t.Fatal(err)
		}
	}
	display, err := issueToken(ctx, cmds, domain.Command{Actor: domain.Actor{ID: "test"}}, user, roles, 24*time.Hour, "test")
	if err != nil {
		t.Fatal(err)
	}
	return display
}

// grantIn makes a token of a user holding every role in the store of a data
// folder no carecost runs on (store: as --store names it, empty for the
// data folder's own), for a carecost started as its own process.
func grantIn(t *testing.T, data, store string) string {
	t.Helper()
	cfg := config{data: data, store: store, logFormat: "json"}
	a, err := openApp(context.Background(), cfg, slog.New(slog.NewJSONHandler(io.Discard, nil)), true)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	return grant(t, a.cmds, "tester", "north", domain.Roles...)
}

// todayText is the Helsinki date today: the decision date of an estimate
// opened today.
func todayText() string { return domain.DateOf(time.Now()).String() }
