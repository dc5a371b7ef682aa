package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"carecost/domain"
	"carecost/projections"
)

// runWithToken runs carecost with args and CARECOST_TOKEN set to token.
func runWithToken(token string, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(k string) string {
		if k == tokenEnv {
			return token
		}
		return ""
	}}
	code := run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

// carecost rebuild NAME --server URL against a serving carecost with the
// demo's history: the API answers every read of the estimates during the
// rebuild, the command prints the progress and exits 0 once the new tables
// have replaced the live ones, and the server's log says so. A token
// without the operations role, an unknown projection and a rebuild that
// fails exit 1 saying why; without --server, rebuild beside a serving
// carecost says to use --server.
func TestRebuildOnServer(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	log := &logBuffer{}
	e := &env{stdout: &bytes.Buffer{}, stderr: log, getenv: func(string) string { return "" }}
	s, err := startServer(context.Background(), config{data: data, addr: "127.0.0.1:0", logFormat: "json", demo: true, waitTimeout: 5 * time.Second}, e)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Error(err)
		}
	})
	a := s.client(t)
	url := "http://" + s.addr
	ops := grant(t, s.cmds, "olli", "", domain.RoleOperations)

	// Steady reads through the API during the whole rebuild.
	stop := make(chan struct{})
	var reads, bad atomic.Int64
	var firstBad atomic.Value
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				r, ok := tryDo(a, "GET", "/api/v1/estimates?limit=20", "")
				var list []json.RawMessage
				if !ok || r.status != 200 || r.into2(&list) != nil || len(list) == 0 {
					if bad.Add(1) == 1 {
						firstBad.Store(fmt.Sprintf("%d %s", r.status, r.body))
					}
				}
				reads.Add(1)
			}
		})
	}
	code, out, errOut := runWithToken(ops, "rebuild", "estimates", "--server", url, "--every", "20ms")
	close(stop)
	wg.Wait()
	// Connections the client opened for requests it sent on others stay
	// open, unused, and would hold up the server's shutdown.
	a.c.CloseIdleConnections()
	if code != 0 {
		t.Fatalf("exit %d\n%s\n%s", code, out, errOut)
	}
	if n := bad.Load(); n > 0 || reads.Load() == 0 {
		t.Errorf("%d of %d reads of the estimates failed during the rebuild; the first: %v", n, reads.Load(), firstBad.Load())
	}
	for _, want := range []string{"rebuilding estimates beside its live read model on " + url, "rebuilt estimates: the new tables replaced the live ones at position ",
		"the switch held the read models' writer "} {
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "estimates: building, ") && !strings.Contains(out, "estimates: switch") {
		t.Errorf("no progress line:\n%s", out)
	}
	if !strings.Contains(log.String(), `"msg":"projection rebuild switched"`) {
		t.Errorf("the server's log does not say it switched")
	}
	var st struct {
		Projections []struct {
			Name       string `json:"name"`
			Rebuilding bool   `json:"rebuilding"`
			Rebuild    *struct {
				State string `json:"state"`
			} `json:"rebuild"`
		} `json:"projections"`
	}
	a.do("GET", "/api/v1/status", nil).want(t, 200).into(t, &st)
	for _, p := range st.Projections {
		if p.Name == "estimates" && (p.Rebuilding || p.Rebuild == nil || p.Rebuild.State != "switched") {
			t.Errorf("the status after the rebuild: %+v", p)
		}
	}
	if files, _ := filepath.Glob(filepath.Join(data, "readmodel.rebuild-*")); len(files) > 0 {
		t.Errorf("files left: %v", files)
	}

	// A token of another role, from a file.
	tokenFile := filepath.Join(t.TempDir(), "token")
	if err := os.WriteFile(tokenFile, []byte(grant(t, s.cmds, "anna", "north", domain.RoleCaseManager)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runWithToken("", "rebuild", "--server", url, "--token-file", tokenFile, "estimates")
	if code != 1 || !strings.Contains(errOut, "the server refused the token (403)") {
		t.Errorf("a case manager's token: exit %d, %s", code, errOut)
	}
	code, _, errOut = runWithToken(ops, "rebuild", "nope", "--server", url)
	if code != 1 || !strings.Contains(errOut, "404") || !strings.Contains(errOut, `no projection "nope"`) {
		t.Errorf("an unknown projection: exit %d, %s", code, errOut)
	}
	code, _, errOut = runWithToken("", "rebuild", "estimates", "--server", url)
	if code != 2 || !strings.Contains(errOut, "--token-file") || !strings.Contains(errOut, tokenEnv) {
		t.Errorf("no token: exit %d, %s", code, errOut)
	}
	code, _, errOut = runWithToken(ops, "rebuild", "estimates", "--server", "localhost:8080")
	if code != 2 || !strings.Contains(errOut, "--server") {
		t.Errorf("a server without a scheme: exit %d, %s", code, errOut)
	}
	code, _, errOut = runWithToken("", "rebuild", "estimates", "--data", data)
	if code != 2 || !strings.Contains(errOut, "another carecost is using") || !strings.Contains(errOut, "--server URL") {
		t.Errorf("beside a serving carecost without --server: exit %d, %s", code, errOut)
	}

	// A decision no build can read: the rebuild fails, naming it.
	bad1 := appendMalformed(t, s.store)
	code, out, errOut = runWithToken(ops, "rebuild", "estimates", "--server", url, "--every", "20ms")
	if code != 1 || !strings.Contains(errOut, "the rebuild of estimates failed; the live read model stays as it was") || !strings.Contains(errOut, bad1.ID) {
		t.Errorf("a rebuild that fails: exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(errOut+out+log.String(), "SECRET-CLIENT") {
		t.Errorf("the payload's client reference was shown")
	}
}

// A rebuild's file that a crash left in the data folder is removed when
// carecost starts; the read models stay.
func TestStartRemovesALeftOverRebuild(t *testing.T) {
	data := t.TempDir()
	left := filepath.Join(data, "readmodel.rebuild-estimates.db")
	for _, f := range []string{left, left + "-wal"} {
		if err := os.WriteFile(f, []byte("half a rebuild"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	startTestServerWith(t, config{data: data, addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second})
	if files, _ := filepath.Glob(filepath.Join(data, "readmodel.rebuild-*")); len(files) > 0 {
		t.Errorf("left: %v", files)
	}
	if _, err := os.Stat(filepath.Join(data, "readmodel.db")); err != nil {
		t.Error(err)
	}
}

// Behind a load balancer the status may come from another instance, which
// knows nothing of the rebuild: the command says so and how to avoid it,
// rather than blaming a restart alone.
func TestRebuildOnServerBehindABalancer(t *testing.T) {
	started := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/projections/estimates/rebuild":
			w.WriteHeader(http.StatusAccepted)
			json.NewEncoder(w).Encode(projections.Status{Name: "estimates", Rebuilding: true,
				Rebuild: &projections.RebuildProgress{State: projections.RebuildBuilding, StartedAt: started}})
		case "/api/v1/status": // another instance: no rebuild
			json.NewEncoder(w).Encode(map[string]any{"projections": []projections.Status{{Name: "estimates"}}})
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	e := &env{stdin: strings.NewReader(""), stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	err := rebuildOnServer(context.Background(), e, srv.URL, writeToken(t), "", []string{"estimates"}, time.Millisecond)
	if err == nil || !strings.Contains(err.Error(), "another carecost instance behind a load balancer") || !strings.Contains(err.Error(), "run it again") {
		t.Errorf("error %v", err)
	}
}

// writeToken writes a token file and returns its path.
func writeToken(t *testing.T) string {
	p := filepath.Join(t.TempDir(), "token")
	must(t, os.WriteFile(p, []byte("cct_test\n"), 0o600))
	return p
}
