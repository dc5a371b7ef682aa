package main

import (
	"context"
	"errors"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/sqlite"
	"carecost/projections"
)

// A malformed decision in the log, at start and live: carecost serves, the
// decisions and estimates projections stop before it and readiness, the
// status, the metrics, read-your-writes and one log line each say so
// without the payload; an operator's skip through the API resumes them at
// once and readiness turns green.
func TestStoppedProjectionThroughServe(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := runCmd(t, "", "catalogue", "import", "--data", data, "--file", "../../domain/demo/catalogue.json", "--log-format", "json"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	bad := appendMalformedTo(t, data)
	s, a, log := startLoggedServer(t, data)
	a.do("GET", "/readyz", nil).want(t, http.StatusServiceUnavailable).wantWords(t, "decisions", "estimates", "position "+bad.Position.String(), bad.ID, "malformed JSON")
	seeStopped(t, a, bad)
	skipAll(t, s, a, bad)

	bad = appendMalformed(t, s.store)
	if err := s.runner.WaitFor(context.Background(), bad.Position); !errors.Is(err, projections.ErrStopped) {
		t.Fatalf("WaitFor past a live malformed event: %v", err)
	}
	waitUntil(t, func() bool {
		return s.runner.Failure("decisions") != nil && s.runner.Failure("estimates") != nil && s.runner.Failure("revisions") != nil
	})
	a.do("GET", "/readyz", nil).want(t, http.StatusServiceUnavailable).wantWords(t, "decisions", bad.ID)
	seeStopped(t, a, bad)
	skipAll(t, s, a, bad)

	if n := log.count(`"level":"ERROR","msg":"projection stopped`); n != 6 {
		t.Errorf("%d error lines for 2 events and 3 projections (the revisions process reads decisions too), want 6:\n%s", n, log)
	}
	if strings.Contains(log.String(), "SECRET") || strings.Contains(log.String(), "20251234") {
		t.Errorf("the log quotes the payload:\n%s", log)
	}
}

// seeStopped checks what the status, a waiting query and the metrics say
// of the projections stopped before bad.
func seeStopped(t *testing.T, a *api, bad domain.RecordedEvent) {
	t.Helper()
	var st struct {
		Projections []projections.Status `json:"projections"`
	}
	a.do("GET", "/api/v1/status", nil).want(t, http.StatusOK).into(t, &st)
	for _, p := range st.Projections {
		stopped := p.Name == "decisions" || p.Name == "estimates" || p.Name == "revisions"
		if got := p.State == projections.StateStopped && p.Failure != nil && p.Failure.EventID == bad.ID; got != stopped {
			t.Errorf("status of %s: %+v", p.Name, p)
		}
	}
	a.do("GET", "/api/v1/decisions", nil, "X-Carecost-Position", bad.Position.String()).want(t, http.StatusServiceUnavailable).
		wantWords(t, "decisions", bad.ID)
	a.do("GET", "/metrics", nil).want(t, http.StatusOK).wantWords(t, `carecost_projection_stopped{projection="decisions"} 1`,
		`carecost_projection_stopped{projection="catalogue"} 0`)
}

// skipAll skips bad for the decisions and estimates projections and the
// revisions process through the API and waits until carecost is ready.
func skipAll(t *testing.T, s *server, a *api, bad domain.RecordedEvent) {
	t.Helper()
	path := "/api/v1/projections/decisions/skip"
	body := map[string]string{"position": bad.Position.String(), "reason": "malformed decision written by a test"}
	a.do("POST", path, body, a.as("kalle", "north", domain.RoleCaseManager, domain.RoleAdmin, domain.RoleController)...).want(t, http.StatusForbidden)
	a.do("POST", path, body, "Authorization", "").want(t, http.StatusUnauthorized)
	other := map[string]string{"position": domain.SeqPosition(bad.Position.Commit + 1).String(), "reason": "x"}
	ops := a.as("ops-1", "", domain.RoleOperations)
	if f := a.do("POST", path, other, ops...).want(t, http.StatusBadRequest).errField(t); f != "position" {
		t.Errorf("another position: field %q", f)
	}
	for _, name := range []string{"decisions", "estimates", "revisions"} {
		a.do("POST", "/api/v1/projections/"+name+"/skip", body, ops...).want(t, http.StatusOK)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	head, err := s.store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.runner.WaitFor(ctx, head); err != nil {
		t.Fatalf("after the skips: %v", err)
	}
	a.do("GET", "/readyz", nil).want(t, http.StatusOK)
}

// With carecost stopped: list shows the stopped projections, rebuild exits
// 1 naming them, skip refuses another position and a missing reason
// (naming the flags) and records the skip with its actor; a rebuild then
// honours it.
func TestProjectionsCommands(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := runCmd(t, "", "catalogue", "import", "--data", data, "--file", "../../domain/demo/catalogue.json", "--log-format", "json"); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	bad := appendMalformedTo(t, data)
	pos := bad.Position.String()
	run := func(wantCode int, args ...string) (string, string) {
		t.Helper()
		code, out, errs := runCmd(t, "", append(args, "--data", data, "--log-format", "json")...)
		if code != wantCode {
			t.Fatalf("carecost %v: exit %d, want %d\n%s%s", args, code, wantCode, out, errs)
		}
		if strings.Contains(out+errs, "SECRET") || strings.Contains(out+errs, "20251234") {
			t.Errorf("carecost %v quotes the payload:\n%s%s", args, out, errs)
		}
		return out, errs
	}
	out, _ := run(0, "projections", "list")
	if !strings.Contains(out, "decisions") || !strings.Contains(out, "stopped before position "+pos+" (event "+bad.ID) {
		t.Errorf("list:\n%s", out)
	}
	if _, errs := run(1, "rebuild"); !strings.Contains(errs, "projection decisions") || !strings.Contains(errs, "projection estimates") || !strings.Contains(errs, "position "+pos) {
		t.Errorf("rebuild:\n%s", errs)
	}
	if _, errs := run(2, "projections", "skip", "decisions", "--position", domain.SeqPosition(bad.Position.Commit-1).String(), "--reason", "r"); !strings.Contains(errs, "--position") {
		t.Errorf("skip of another position:\n%s", errs)
	}
	if _, errs := run(2, "projections", "skip", "decisions", "--position", pos); !strings.Contains(errs, "--reason") {
		t.Errorf("skip without a reason:\n%s", errs)
	}
	for _, name := range []string{"decisions", "estimates", "revisions"} {
		out, _ = run(0, "projections", "skip", name, "--position", pos, "--reason", "malformed decision written by a test", "--actor", "ops-1")
	}
	if strings.Contains(out, "stopped") || !strings.Contains(out, "running") {
		t.Errorf("after the skips:\n%s", out)
	}
	run(0, "rebuild")
	wantSkipsBy(t, data, "ops-1", 3)
	_, a, _ := startLoggedServer(t, data)
	a.do("GET", "/readyz", nil).want(t, http.StatusOK)
}

// wantSkipsBy fails unless the log of data holds n skips, each by actor
// with the role operations.
func wantSkipsBy(t *testing.T, data, actor string, n int) {
	t.Helper()
	st, err := sqlite.Open(filepath.Join(data, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	recs, err := st.ReadStream(context.Background(), domain.ProjectionsStream, domain.ReadStreamOptions{})
	if err != nil || len(recs) != n {
		t.Fatalf("%d skips in the log, want %d: %v", len(recs), n, err)
	}
	for _, r := range recs {
		e, err := domain.DecodeEvent(r)
		if err != nil || e.Meta.ActorID != actor || e.Meta.ActorRole != "operations" || r.Type != domain.EvProjectionEventSkipped {
			t.Errorf("skip %s by %+v: %v", r.Type, e.Meta, err)
		}
	}
}
