package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// carecost bench runs every part end to end on small sizes: the numbers
// are not checked (that is what the bench is for), but every workflow it
// times must still be one carecost accepts.
func TestBenchRunsSmall(t *testing.T) {
	bin := buildCarecost(t)
	code, out, errs := runCmd(t, "", "bench", "--dir", t.TempDir(), "--appends", "300", "--writers", "2", "--replay", "3000",
		"--http-duration", "300ms", "--clients", "2", "--page-clients", "1", "--program", bin, "--baseline", bin)
	if code != 0 {
		t.Fatalf("bench: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"HTTP workflow", "replay", "builder add-line round trip", "decision page with history",
		"floor: the log read whole", "x the floor", "peak resident memory over", "read models rebuilt at start",
		"against the baseline " + bin, "rebuild of estimates: this build ", "rebuild of every projection: this build ", "x the baseline's time"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench output has no %q:\n%s", want, out)
		}
	}
}

// The memory figures run the program --program names: one that is not
// carecost, or whose serve ends before it serves, is an error at once, not
// a wait.
func TestBenchProgramThatIsNotCarecost(t *testing.T) {
	fake := filepath.Join(t.TempDir(), "fake")
	if err := os.WriteFile(fake, []byte("#!/bin/sh\nif [ \"$1\" = rebuild ]; then echo rebuilt; exit 0; fi\nexit 3\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	for program, want := range map[string]string{"/bin/true": "is it carecost", fake: "ended before it served"} {
		start := time.Now()
		code, out, errs := runCmd(t, "", "bench", "--dir", t.TempDir(), "--only", "replay", "--replay", "2000", "--program", program)
		if code == 0 || !strings.Contains(errs, want) || time.Since(start) > time.Minute {
			t.Errorf("--program %s: exit %d after %s\n%s\n%s", program, code, time.Since(start), out, errs)
		}
	}
}

// --baseline names a program this machine can run, for the replay part on
// SQLite: anything else is refused before any part runs.
func TestBenchBaselineRefused(t *testing.T) {
	for _, args := range [][]string{
		{"--baseline", filepath.Join(t.TempDir(), "none")},
		{"--baseline", "/bin/true", "--only", "http"},
		{"--baseline", "/bin/true", "--store", "esdb://127.0.0.1:1?tls=false"},
	} {
		code, out, errs := runCmd(t, "", append([]string{"bench", "--dir", t.TempDir()}, args...)...)
		if code != 2 || !strings.Contains(errs, "--baseline") {
			t.Errorf("%q: exit %d\n%s\n%s", args, code, out, errs)
		}
	}
}
