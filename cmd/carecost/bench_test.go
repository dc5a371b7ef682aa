package main

import (
	"strings"
	"testing"
)

// carecost bench runs every part end to end on small sizes: the numbers
// are not checked (that is what the bench is for), but every workflow it
// times must still be one carecost accepts.
func TestBenchRunsSmall(t *testing.T) {
	code, out, errs := runCmd(t, "", "bench", "--dir", t.TempDir(), "--appends", "300", "--writers", "2", "--replay", "3000",
		"--http-duration", "300ms", "--clients", "2", "--page-clients", "1", "--program", buildCarecost(t))
	if code != 0 {
		t.Fatalf("bench: exit %d\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"HTTP workflow", "replay", "builder add-line round trip", "decision page with history",
		"floor: the log read whole", "x the floor", "peak resident memory over", "read models rebuilt at start"} {
		if !strings.Contains(out, want) {
			t.Errorf("bench output has no %q:\n%s", want, out)
		}
	}
}
