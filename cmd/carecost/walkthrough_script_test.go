package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
)

// script is the blocks as one script, each after a line that marks where
// its output begins; first is the index of the first block. served says
// the blocks run after carecost started, at the address it took.
func (w *walk) script(steps []walkStep, first int, served bool) string {
	var b strings.Builder
	for i, s := range steps {
		fmt.Fprintf(&b, "printf '\\n%s\\n'\n%s", stepMark(first+i), w.local(s.script, served))
	}
	return b.String()
}

// local puts the address carecost serves on in place of the one the
// walk-through names, in text of a block run (or printed) once it serves.
func (w *walk) local(text string, served bool) string {
	if !served {
		return text
	}
	return strings.ReplaceAll(text, walkAddr, w.addr)
}

// awaitLine reads a line from r, or gives up when ctx ends.
func awaitLine(ctx context.Context, r *os.File) (string, bool) {
	line := make(chan string, 1)
	go func() {
		s, err := bufio.NewReader(r).ReadString('\n')
		if err == nil {
			line <- strings.TrimSuffix(s, "\n")
		}
		close(line)
	}()
	select {
	case s, ok := <-line:
		return s, ok
	case <-ctx.Done():
		return "", false
	}
}

// clip shortens long output for a failure message: its start and its end.
func clip(s string) string {
	if len(s) <= 3000 {
		return s
	}
	return s[:1500] + "\n[...]\n" + s[len(s)-1500:]
}

// stepMark is the line printed before the output of block i.
func stepMark(i int) string { return fmt.Sprintf("=== walk-through block %d ===", i) }

// stepOutput is what block i printed in out.
func stepOutput(out string, i int) string {
	start := strings.Index(out, stepMark(i)+"\n")
	if start < 0 {
		return ""
	}
	out = out[start+len(stepMark(i))+1:]
	if end := strings.Index(out, "\n=== walk-through block "); end >= 0 {
		return out[:end]
	}
	return out
}

// lastStep is the last of n blocks whose output began in out.
func lastStep(out string, n int) int {
	last := 0
	for i := range n {
		if strings.Contains(out, stepMark(i)+"\n") {
			last = i
		}
	}
	return last
}
