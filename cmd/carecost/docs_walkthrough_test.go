package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The walk-through of docs/api.md runs as a reader runs it: its shell
// blocks in order in one bash (-euo pipefail) in a new folder, with the
// built carecost first on PATH. At its `carecost serve` block the test
// starts carecost itself, with the block's flags, in the folder the
// walk-through has reached, on a free port of 127.0.0.1 whose address the
// blocks after it name instead of the default. Every command must succeed,
// and what each block printed must hold every answer shown after it.
func TestDocsWalkThrough(t *testing.T) {
	doc, err := os.ReadFile("../../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	steps, err := readWalkThrough(string(doc))
	if err != nil {
		t.Fatalf("docs/api.md: %v", err)
	}
	serveAt := checkWalkThrough(t, steps)
	w := &walk{t: t, bin: buildCarecost(t), files: t.TempDir(), home: t.TempDir()}
	w.env = walkEnv(w.bin, w.home)
	out, printed := w.run(steps, serveAt)
	for i, s := range steps {
		got := printed
		if i != serveAt {
			got = stepOutput(out, i)
		}
		for _, shown := range s.answers {
			if part := lacking(got, w.local(shown, i >= serveAt)); part != "" {
				t.Errorf("docs/api.md line %d: the answer shown has %q, which is not in what the block printed:\n%s", s.line, part, clip(got))
			}
		}
	}
}

// checkWalkThrough checks the walk-through's shape: one serve block, curl
// always with --fail-with-body (so a refused request fails the block); it
// returns the serve block's index.
func checkWalkThrough(t *testing.T, steps []walkStep) int {
	serveAt, answers := -1, 0
	for i, s := range steps {
		answers += len(s.answers)
		if s.serve != nil {
			if serveAt >= 0 {
				t.Fatalf("docs/api.md line %d: a second carecost serve in the walk-through", s.line)
			}
			serveAt = i
		}
		for _, line := range strings.Split(s.script, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "curl ") && !strings.Contains(line, "--fail-with-body") {
				t.Errorf("docs/api.md line %d: curl without --fail-with-body: %s", s.line, line)
			}
		}
	}
	if serveAt < 0 || len(steps) < 10 || answers < len(steps)-1 {
		t.Fatalf("docs/api.md: the walk-through has %d shell blocks, %d answers, serve block at %d", len(steps), answers, serveAt)
	}
	return serveAt
}

// walk runs the walk-through: bin is the built carecost, files holds the
// scripts and carecost's log, home is the folder the walk-through starts
// in (and its HOME), env is what its commands run with.
type walk struct {
	t     *testing.T
	bin   string
	files string
	home  string
	env   []string
	addr  string // where carecost serves, once it does
}

// run runs the blocks before the serve block, starts carecost when bash
// reaches it, then the blocks after it; it returns what bash printed and
// what carecost printed on starting.
func (w *walk) run(steps []walkStep, serveAt int) (out, printed string) {
	t := w.t
	tail := filepath.Join(w.files, "after-serve.sh")
	// Bash tells the test its folder on fd 3 and waits on fd 4 until
	// carecost serves; then it runs the blocks after the serve block.
	head := w.script(steps[:serveAt], 0, false) + "printf '%s\\n' \"$PWD\" >&3\nread -r _ <&4\n. '" + tail + "'\n"
	headPath := filepath.Join(w.files, "walk-through.sh")
	if err := os.WriteFile(headPath, []byte(head), 0o600); err != nil {
		t.Fatal(err)
	}
	ready, readyW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	goR, goW, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer ready.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, "bash", "-euo", "pipefail", headPath)
	cmd.Dir, cmd.Env, cmd.Stdout, cmd.Stderr = w.home, w.env, &buf, &buf
	cmd.ExtraFiles, cmd.WaitDelay = []*os.File{readyW, goR}, 5*time.Second
	err = cmd.Start()
	readyW.Close()
	goR.Close()
	if err != nil {
		t.Fatal(err)
	}
	if dir, ok := awaitLine(ctx, ready); ok {
		var startErr error
		if printed, startErr = w.serve(dir, steps[serveAt].serve); startErr == nil {
			startErr = os.WriteFile(tail, []byte(w.script(steps[serveAt+1:], serveAt+1, true)), 0o600)
		}
		if startErr != nil {
			goW.Close()
			cmd.Wait()
			t.Fatalf("docs/api.md line %d: %v\n%s", steps[serveAt].line, startErr, clip(buf.String()))
		}
		fmt.Fprintln(goW, "go")
	}
	goW.Close()
	if err := cmd.Wait(); err != nil {
		i := lastStep(buf.String(), len(steps))
		t.Fatalf("docs/api.md line %d: the block failed (%v); it printed:\n%s", steps[i].line, err, clip(stepOutput(buf.String(), i)))
	}
	return buf.String(), printed
}
