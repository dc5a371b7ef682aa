package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/sqlite"
	"carecost/projections"

	"carecost/eventstore/esdb/esdbtest"
)

// demoSource makes a data folder holding the demo's eighteen months of
// history, as serve --demo loads it, and a user holding every role; it
// returns the folder and an API token of that user (which the copied log
// carries too).
func demoSource(t *testing.T) (data, token string) {
	t.Helper()
	data = filepath.Join(t.TempDir(), "source")
	quiet := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	s, err := startServer(context.Background(), config{data: data, addr: "127.0.0.1:0", logFormat: "json", demo: true, waitTimeout: 5 * time.Second}, quiet)
	if err != nil {
		t.Fatal(err)
	}
	token = grant(t, s.cmds, "tester", "north", domain.Roles...)
	if err := s.stop(); err != nil {
		t.Fatal(err)
	}
	return data, token
}

// runCLI runs carecost with args and returns the exit code, standard
// output and standard error.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, args)
	return code, out.String(), errOut.String()
}

// readLog returns the whole log of the SQLite store at path.
func readLog(t *testing.T, path string) []domain.RecordedEvent {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	evs, err := s.ReadAll(context.Background(), domain.ReadAllOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return evs
}

// The demo's log copied into a second data folder: every event with its
// id, stream, version, type, data, metadata, recorded time and position;
// read models built on the copy answer the audit's questions with the same
// bytes as those built on the source.
func TestMigrateSQLiteToSQLite(t *testing.T) {
	src, token := demoSource(t)
	dst := filepath.Join(t.TempDir(), "target")
	code, out, errOut := runCLI(t, "migrate", "--data", src, "--to", "sqlite:"+filepath.Join(dst, "events.db"), "--batch", "50")
	if code != 0 {
		t.Fatalf("migrate exited %d: %s%s", code, out, errOut)
	}
	source := readLog(t, filepath.Join(src, "events.db"))
	if len(source) < 300 {
		t.Fatalf("the demo's log has %d events, want the eighteen months' hundreds", len(source))
	}
	if target := readLog(t, filepath.Join(dst, "events.db")); !reflect.DeepEqual(source, target) {
		t.Fatalf("the target's log differs from the source's (%d and %d events)", len(source), len(target))
	}
	for _, want := range []string{
		fmt.Sprintf("copied %d events", len(source)),
		fmt.Sprintf("source: %d events, sha256:", len(source)),
		fmt.Sprintf("target: %d events, sha256:", len(source)),
		"the logs are equal, at the same positions",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the summary lacks %q:\n%s", want, out)
		}
	}
	if sums := checksums(out); len(sums) != 2 || sums[0] != sums[1] {
		t.Errorf("checksums %v, want two equal ones", sums)
	}

	// Read models built on each: the same answers, byte for byte.
	a := startTestServerWith(t, config{data: src, addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second})
	b := startTestServerWith(t, config{data: dst, addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second})
	onA := &api{t: t, base: "http://" + a.addr, c: &http.Client{Timeout: 10 * time.Second}, token: token}
	onB := &api{t: t, base: "http://" + b.addr, c: &http.Client{Timeout: 10 * time.Second}, token: token}
	same := func(path string) reply {
		t.Helper()
		ra, rb := onA.do("GET", path, nil).want(t, 200), onB.do("GET", path, nil).want(t, 200)
		if !bytes.Equal(ra.body, rb.body) {
			t.Errorf("GET %s: the answers differ:\nsource %.400s\ntarget %.400s", path, ra.body, rb.body)
		}
		return ra
	}
	var decisions []projections.DecisionRecord
	same("/api/v1/decisions?limit=500").into(t, &decisions)
	if len(decisions) < 20 {
		t.Fatalf("%d decisions, want the demo's many", len(decisions))
	}
	// A decision a later version touched: its record, and the price it
	// used as known when it was decided (a time and a position) and now.
	d := decisions[0]
	for _, c := range decisions {
		if len(c.TouchedBy) > 0 {
			d = c
			break
		}
	}
	same("/api/v1/decisions/" + d.EstimateID)
	same("/api/v1/decisions?touched=true")
	prices := "/api/v1/tariffs/" + d.TariffID + "/prices?service=errands&mode=own&valid_at=" + d.PricingDate.String()
	same(prices + "&known_at=" + url.QueryEscape(d.DecidedAt.Format(time.RFC3339Nano)))
	same(prices + "&known_at=" + d.CataloguePosition.String())
	same(prices)
	same("/api/v1/tariffs/" + d.TariffID)
	same("/api/v1/tariffs/" + d.TariffID + "/history")
	same("/api/v1/estimates?limit=500")
}

// checksums returns the checksums a summary reports.
func checksums(out string) []string {
	var sums []string
	for _, f := range strings.Fields(out) {
		if strings.HasPrefix(f, "sha256:") {
			sums = append(sums, f)
		}
	}
	return sums
}

// stoppingImporter is a target that cancels the copy after a number of
// import calls, as an interrupt or a lost connection would, and counts the
// calls.
type stoppingImporter struct {
	domain.EventStore
	imp    domain.Importer
	after  int
	calls  int
	cancel func()
}

func (s *stoppingImporter) Import(ctx context.Context, evs []domain.ImportEvent) (domain.ImportResult, error) {
	s.calls++
	res, err := s.imp.Import(ctx, evs)
	if s.calls == s.after {
		s.cancel()
	}
	return res, err
}

// openPair opens the SQLite stores at from and to.
func openPair(t *testing.T, from, to string) (*sqlite.Store, *sqlite.Store) {
	t.Helper()
	a, err := sqlite.Open(from)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	b, err := sqlite.Open(to)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}

// A copy stopped after three import calls holds exactly those calls' events
// (each call is all or nothing on SQLite); run again, migrate copies the
// rest, and the result is the log a copy in one go makes. A finished copy
// run again imports nothing.
func TestMigrateResumes(t *testing.T) {
	src, _ := demoSource(t)
	srcLog := filepath.Join(src, "events.db")
	whole := filepath.Join(t.TempDir(), "whole", "events.db")
	if code, out, errOut := runCLI(t, "migrate", "--from", "sqlite:"+srcLog, "--to", "sqlite:"+whole); code != 0 {
		t.Fatalf("one-shot copy exited %d: %s%s", code, out, errOut)
	}

	parts := filepath.Join(t.TempDir(), "parts.db")
	from, to := openPair(t, srcLog, parts)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stopping := &stoppingImporter{EventStore: to, imp: to, after: 3, cancel: cancel}
	var out, progress bytes.Buffer
	m := migration{from: from, to: stopping, batch: 40, out: &out, progress: &progress, every: 0}
	if err := m.run(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("the stopped copy returned %v", err)
	}
	held, err := to.ReadAll(context.Background(), domain.ReadAllOptions{})
	if err != nil || len(held) < 40 || len(held) > 120 {
		t.Fatalf("after three import calls of at most 40 events the target holds %d events (%v)", len(held), err)
	}
	// The stopped run knows of the calls it read back (all but the last).
	if !strings.Contains(progress.String(), "stopped: the target holds at least the source's first ") ||
		!strings.Contains(progress.String(), "run the same command again") {
		t.Errorf("the stopped copy said:\n%s", progress.String())
	}
	if !strings.Contains(progress.String(), " in the target), at source position ") {
		t.Errorf("no progress line:\n%s", progress.String())
	}
	from.Close()
	to.Close()

	code, stdout, errOut := runCLI(t, "migrate", "--from", "sqlite:"+srcLog, "--to", "sqlite:"+parts, "--batch", "40")
	if code != 0 {
		t.Fatalf("the second run exited %d: %s%s", code, stdout, errOut)
	}
	want := readLog(t, whole)
	if !strings.Contains(stdout, fmt.Sprintf("copied %d events", len(want)-len(held))) || !strings.Contains(stdout, fmt.Sprintf("the target held %d already", len(held))) ||
		!strings.Contains(errOut, fmt.Sprintf("the target holds the source's first %d events", len(held))) {
		t.Errorf("the second run said:\n%s%s", stdout, errOut)
	}
	if got := readLog(t, parts); !reflect.DeepEqual(got, want) {
		t.Errorf("the resumed copy differs from a copy in one go (%d and %d events)", len(got), len(want))
	}

	// Run again on the finished copy: no import call, the log unchanged.
	from, to = openPair(t, srcLog, whole)
	counting := &stoppingImporter{EventStore: to, imp: to, cancel: func() {}}
	out.Reset()
	m = migration{from: from, to: counting, batch: 40, out: &out, progress: io.Discard, every: time.Second}
	if err := m.run(context.Background()); err != nil {
		t.Fatal(err)
	}
	if counting.calls != 0 || !strings.Contains(out.String(), fmt.Sprintf("copied 0 events in")) {
		t.Errorf("a finished copy run again made %d import calls:\n%s", counting.calls, out.String())
	}
	if got, _ := to.ReadAll(context.Background(), domain.ReadAllOptions{}); !reflect.DeepEqual(got, want) {
		t.Error("a finished copy run again changed the target")
	}
}

// appendOne appends an event of its own to the SQLite store at path.
func appendOne(t *testing.T, path string) {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ev := domain.EventData{ID: "7f1c2d3e-0000-4000-8000-000000000001", Type: "other.Thing", Data: []byte(`{}`)}
	if _, err := s.Append(context.Background(), "other-1", domain.AnyVersion, ev); err != nil {
		t.Fatal(err)
	}
}

// Sources and targets migrate cannot use are refused with exit code 2 and
// words that say what to do, and nothing is written.
func TestMigrateRefuses(t *testing.T) {
	src, _ := demoSource(t)
	srcLog := filepath.Join(src, "events.db")
	dir := t.TempDir()

	foreign := filepath.Join(dir, "foreign.db")
	appendOne(t, foreign)
	longer := filepath.Join(dir, "longer.db")
	if code, out, errOut := runCLI(t, "migrate", "--data", src, "--to", "sqlite:"+longer); code != 0 {
		t.Fatalf("copy exited %d: %s%s", code, out, errOut)
	}
	appendOne(t, longer)
	srcHead := len(readLog(t, srcLog))

	for _, c := range []struct {
		name string
		args []string
		want string
	}{
		{"foreign events", []string{"--data", src, "--to", "sqlite:" + foreign},
			"--to: the target holds other events than the source: its event 1 is id 7f1c2d3e-0000-4000-8000-000000000001, other-1 version 0"},
		{"longer than the source", []string{"--data", src, "--to", "sqlite:" + longer},
			fmt.Sprintf("--to: the target holds more events than the source (its event %d, id 7f1c2d3e", srcHead+1)},
		{"the same store", []string{"--data", src, "--to", "sqlite:" + filepath.Join(src, "..", filepath.Base(src), "events.db")},
			"is the source itself"},
		{"no source", []string{"--data", filepath.Join(dir, "none"), "--to", "sqlite:" + filepath.Join(dir, "t.db")},
			"--from: there is no event log at " + filepath.Join(dir, "none", "events.db")},
		{"no target", []string{"--data", src}, "--to: name the store to copy the log into"},
		{"not a store", []string{"--data", src, "--to", "postgres://x"}, `--to: "postgres://x" is not a store`},
		{"a folder", []string{"--data", src, "--to", "sqlite:" + dir}, "is a folder"},
		{"a bad batch", []string{"--data", src, "--to", "sqlite:" + filepath.Join(dir, "t.db"), "--batch", "0"}, "--batch: 0 is not a batch size"},
		{"verify a target that is not there", []string{"--data", src, "--to", "sqlite:" + filepath.Join(dir, "t.db"), "--verify-only"}, "--to: there is no event log at"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errOut := runCLI(t, append([]string{"migrate"}, c.args...)...)
			if code != 2 || !strings.Contains(errOut, c.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errOut, c.want)
			}
		})
	}
	if n := len(readLog(t, foreign)); n != 1 {
		t.Errorf("the refused target holds %d events, want its own 1", n)
	}
	if n := len(readLog(t, longer)); n != srcHead+1 {
		t.Errorf("the refused target holds %d events, want %d", n, srcHead+1)
	}

	// A target without the import path.
	from, to := openPair(t, srcLog, filepath.Join(dir, "plain.db"))
	m := migration{from: from, to: struct{ domain.EventStore }{to}, batch: 100, out: io.Discard, progress: io.Discard}
	err := m.run(context.Background())
	if domain.ErrorCode(err) != domain.EInvalid || domain.ErrorField(err) != "--to" || !strings.Contains(err.Error(), "cannot import") {
		t.Errorf("a target without Import: %v", err)
	}
	if head, _ := to.Head(context.Background()); !head.IsZero() {
		t.Errorf("a target without Import was written up to %s", head)
	}
}

// --verify-only compares without writing: equal logs exit 0; a changed
// event, or a missing one, exits 1 naming the first that differs.
func TestMigrateVerifyOnly(t *testing.T) {
	src, _ := demoSource(t)
	dst := filepath.Join(t.TempDir(), "copy.db")
	if code, out, errOut := runCLI(t, "migrate", "--data", src, "--to", "sqlite:"+dst); code != 0 {
		t.Fatalf("copy exited %d: %s%s", code, out, errOut)
	}
	n := len(readLog(t, dst))
	code, out, errOut := runCLI(t, "migrate", "--data", src, "--to", "sqlite:"+dst, "--verify-only")
	if code != 0 || !strings.Contains(out, "the logs are equal") || strings.Contains(out, "copied") {
		t.Fatalf("verify-only of an equal copy: exit %d: %s%s", code, out, errOut)
	}
	equal := checksums(out)

	// One byte of event 17's data changed in the target.
	db, err := sql.Open("sqlite", dst)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var data []byte
	if err := db.QueryRow(`SELECT data FROM events WHERE position = 17`).Scan(&data); err != nil {
		t.Fatal(err)
	}
	changed := bytes.Replace(data, []byte(`"`), []byte(` "`), 1)
	if _, err := db.Exec(`UPDATE events SET data = ? WHERE position = 17`, changed); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "migrate", "--data", src, "--to", "sqlite:"+dst, "--verify-only")
	sums := checksums(out)
	if code != 1 || !strings.Contains(errOut, "carecost migrate: the logs differ: event 17 differs in its data: the source's is id ") ||
		len(sums) != 2 || sums[0] != equal[0] || sums[1] == sums[0] || !strings.Contains(out, fmt.Sprintf("target: %d events", n)) {
		t.Errorf("a changed event: exit %d:\n%s%s", code, out, errOut)
	}
	if strings.Contains(errOut, `"`) {
		t.Errorf("the mismatch shows the event's data: %s", errOut)
	}

	// Event 17 put back, the target's last event gone.
	if _, err := db.Exec(`UPDATE events SET data = ? WHERE position = 17`, data); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM events WHERE position = ?`, n); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "migrate", "--data", src, "--to", "sqlite:"+dst, "--verify-only")
	if code != 1 || !strings.Contains(out, fmt.Sprintf("target: %d events", n-1)) ||
		!strings.Contains(errOut, fmt.Sprintf("the logs differ: the source's event %d (id ", n)) || !strings.Contains(errOut, "is not in the target") {
		t.Errorf("a missing event: exit %d:\n%s%s", code, out, errOut)
	}
	if got := len(readLog(t, dst)); got != n-1 {
		t.Errorf("verify-only wrote: the target holds %d events", got)
	}
}

// migrate --help says what is kept, how it resumes and verifies, and its
// flags; the command list names it.
func TestMigrateHelp(t *testing.T) {
	code, out, errOut := runCLI(t, "migrate", "--help")
	if code != 0 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, want := range []string{"Usage: carecost migrate --to STORE", "recorded time", "copies only what is missing", "SHA-256", "-batch", "-from", "-to", "-verify-only", "-data"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("the help lacks %q:\n%s", want, errOut)
		}
	}
	if _, out, _ := runCLI(t, "--help"); !strings.Contains(out, "migrate ") {
		t.Errorf("the command list lacks migrate:\n%s", out)
	}
}

// The demo's history copied into EventStoreDB (the in-process server):
// counts and checksum equal, a second run writes nothing, an unreachable
// target is named.
func TestMigrateToEventStoreDB(t *testing.T) {
	src := t.TempDir()
	startTestServer(t, src, true)
	srv := esdbtest.Start(t, esdbtest.WithNoise(7))
	code, out, errOut := runCLI(t, "migrate", "--data", src, "--to", srv.URL(), "--batch", "64")
	if code != 0 {
		t.Fatalf("migrate: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCLI(t, "migrate", "--data", src, "--to", srv.URL(), "--verify-only")
	if code != 0 || !strings.Contains(out, "equal") || !strings.Contains(out, "events that name positions name the same events in it") {
		t.Errorf("verify: exit %d\n%s%s", code, out, errOut)
	}
	n := len(srv.Events())
	if code, out, errOut = runCLI(t, "migrate", "--data", src, "--to", srv.URL()); code != 0 || len(srv.Events()) != n {
		t.Errorf("a second run: exit %d, %d events then %d\n%s%s", code, n, len(srv.Events()), out, errOut)
	}
	srv.Stop()
	code, _, errOut = runCLI(t, "migrate", "--data", src, "--to", srv.URL())
	if code != 1 || !strings.Contains(errOut, "cannot be reached") {
		t.Errorf("an unreachable target: exit %d, %s", code, errOut)
	}
}

// A connection string's password is never printed.
func TestStorePasswordsAreNotPrinted(t *testing.T) {
	src := t.TempDir()
	startTestServer(t, src, false)
	_, out, errOut := runCLI(t, "migrate", "--data", src, "--to", "esdb://admin:S3cretPW@127.0.0.1:1?tls=maybe")
	if strings.Contains(out+errOut, "S3cretPW") || !strings.Contains(errOut, "admin:***@") {
		t.Errorf("the password shows: %s%s", out, errOut)
	}
	// Connection strings the parser refuses: its errors quote them whole.
	secretFile := filepath.Join(t.TempDir(), "store")
	for _, bad := range []string{"esdb://admin:S3cretPW@[bad", "esdb://admin:S3cret%zzPW@host:2113?tls=false", "esdb://admin:S3cretPW@host:notaport"} {
		os.WriteFile(secretFile, []byte(bad+"\n"), 0o600)
		for _, args := range [][]string{
			{"rebuild", "--data", t.TempDir(), "--store", bad},
			{"rebuild", "--data", t.TempDir(), "--store-file", secretFile},
			{"migrate", "--data", src, "--to", bad},
			{"migrate", "--from", bad, "--to", "sqlite:" + filepath.Join(t.TempDir(), "x.db")},
			{"bench", "--only", "appends", "--appends", "10", "--store", bad},
		} {
			code, out, errOut := runCLI(t, args...)
			if code == 0 || strings.Contains(out+errOut, "S3cret") || !strings.Contains(errOut, "connection string") {
				t.Errorf("%v: exit %d, %s%s", args[:2], code, out, errOut)
			}
		}
	}
}
