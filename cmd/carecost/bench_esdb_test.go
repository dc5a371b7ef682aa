package main

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/domain/demo"
	"carecost/eventstore/esdb"
	"carecost/eventstore/esdb/esdbtest"
)

// carecost bench --store runs the appends, the replay, serve's start-up and
// the HTTP workflow on SQLite and on an EventStoreDB store (the in-process
// server, whose log holds a county's catalogue and other applications'
// events already), prints each figure for both stores with the ratio, and
// writes only streams of its own there: what was in the store before is
// untouched, and every event it added is in the run's streams.
func TestBenchBesideEsdb(t *testing.T) {
	srv := esdbtest.Start(t, esdbtest.WithNoise(40))
	store, err := esdb.Open(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	set, err := demo.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := domain.NewCommands(store).ImportCatalogue(context.Background(), domain.Command{}, set); err != nil {
		t.Fatal(err)
	}
	store.Close()
	before := srv.Events()

	code, out, errs := runCmd(t, "", "bench", "--store", srv.URL(), "--dir", t.TempDir(), "--appends", "400", "--writers", "4", "--replay", "2000",
		"--http-duration", "300ms", "--clients", "2")
	if code != 0 {
		t.Fatalf("bench: exit %d\n%s\n%s", code, out, errs)
	}
	m := regexp.MustCompile(`into the streams bench-([0-9a-f]{12})-\*`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("bench does not name the streams it writes:\n%s", out)
	}
	run := m[1]

	// Each figure on both stores, with the ratio: two append tests, two
	// replays and the start-up, the HTTP workflow.
	esdbLine := "  " + srv.URL() + ": "
	for _, part := range []string{"append, 1 writer", "append, 4 writers", "replay into the estimates projection", "replay into every projection",
		"serve ready", "HTTP workflow"} {
		i := strings.Index(out, part)
		if i < 0 {
			t.Errorf("bench output has no %q:\n%s", part, out)
			continue
		}
		lines := strings.SplitN(out[i:], "\n", 5)
		if len(lines) < 4 || !strings.HasPrefix(lines[1], "  sqlite: ") || !strings.HasPrefix(lines[2], esdbLine) || !strings.HasPrefix(lines[3], "  esdb/sqlite: ") {
			t.Errorf("%q is not followed by the SQLite figures, the EventStoreDB figures and the ratio:\n%s", part, out)
		}
	}
	// Both replays ran over logs of the same size: the esdb one holds only
	// the run's events, not the catalogue that was there before it.
	n := regexp.MustCompile(`(?m)^  (sqlite|esdb://[^ ]+): +(\d+) events in .* events/s`).FindAllStringSubmatch(out, -1)
	if len(n) != 8 {
		t.Fatalf("want 8 lines of events/s (appends and replays, both stores), got %d:\n%s", len(n), out)
	}
	for i := 0; i < 8; i += 2 {
		if n[i][1] != "sqlite" || n[i+1][2] != n[i][2] {
			t.Errorf("the stores measured different sizes: %q and %q", n[i][0], n[i+1][0])
		}
	}
	if !strings.Contains(out, "console pages on "+srv.URL()+": not run") {
		t.Errorf("bench does not say the console pages did not run on the store:\n%s", out)
	}

	after := srv.Events()
	if len(after) <= len(before) {
		t.Fatalf("bench wrote nothing into the store")
	}
	for i, e := range before {
		if a := after[i]; a.ID != e.ID || a.Stream != e.Stream || a.Revision != e.Revision || string(a.Data) != string(e.Data) {
			t.Fatalf("event %d of the store changed: %s became %s", i, e.String(), a.String())
		}
	}
	prefix := "bench-" + run + "-"
	parts := map[string]int{}
	for _, e := range after[len(before):] {
		switch {
		case strings.HasPrefix(e.Stream, prefix):
			parts[strings.SplitN(strings.TrimPrefix(e.Stream, prefix), "-", 2)[0]]++
		case strings.HasPrefix(e.Stream, "$stats-"), strings.HasPrefix(e.Stream, "billing-"):
			// the server's own noise
		default:
			t.Errorf("bench wrote %s, outside its streams %s*", e.String(), prefix)
		}
	}
	// 1000 single appends (the least the test makes) and 400 concurrent;
	// the replay's log is what the replay counted.
	if replayed := n[5][2]; parts["appends"] != 1400 || strconv.Itoa(parts["replay"]) != replayed || parts["http"] == 0 || len(parts) != 3 {
		t.Errorf("bench wrote %v events into its streams; want 1400 appends, the replay's %s and the workflows'", parts, replayed)
	}
}
