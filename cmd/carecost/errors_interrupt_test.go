package main

import (
	"bytes"
	"context"
	"fmt"
	"testing"
)

// A command stopped by Ctrl-C says so in one line and exits 1, whatever
// layer the cancellation came through.
func TestInterruptedCommandSaysSo(t *testing.T) {
	var out bytes.Buffer
	code := report(&out, "migrate", fmt.Errorf("import the source's events after position 7: %w", context.Canceled))
	if code != 1 || out.String() != "carecost migrate: interrupted\n" {
		t.Errorf("exit %d, %q", code, out.String())
	}
}
