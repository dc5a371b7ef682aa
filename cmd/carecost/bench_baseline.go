package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// baselineRuns is how many timed runs of each program the comparison with
// a baseline takes, in turn, for each replay.
const baselineRuns = 3

// benchBaseline times carecost rebuild (the estimates, then every
// projection) as a program of its own over the replay's log, this build
// (program) and an earlier one (baseline) in turn, each with a data folder
// of its own, and prints each one's median time and peak memory and the
// median of the paired ratios: what "as fast as the earlier build" means
// measured in one run on one machine.
func benchBaseline(ctx context.Context, w io.Writer, program, baseline, dir, log string) error {
	if program == "" {
		p, err := os.Executable()
		if err != nil {
			return err
		}
		program = p
	}
	progs := [2]string{program, baseline}
	var data [2]string
	for i, name := range []string{"baseline-this", "baseline-earlier"} {
		data[i] = filepath.Join(dir, name)
		if err := os.MkdirAll(data[i], 0o700); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "against the baseline %s: carecost rebuild as programs of their own over the same log, %d runs each in turn (each program's first run, which makes its read models, not counted):\n", baseline, baselineRuns)
	for _, what := range [][]string{{"estimates"}, nil} {
		// The first run in a new data folder makes every read model
		// before it rebuilds: not counted.
		for i := range progs {
			if _, _, err := rebuildRun(ctx, progs[i], data[i], log, what); err != nil {
				return err
			}
		}
		var took [2]latencies
		var peak [2]int64
		var ratios []float64
		for range baselineRuns {
			var pair [2]time.Duration
			for i := range progs {
				d, p, err := rebuildRun(ctx, progs[i], data[i], log, what)
				if err != nil {
					return err
				}
				pair[i], took[i], peak[i] = d, append(took[i], d), max(peak[i], p)
			}
			ratios = append(ratios, pair[0].Seconds()/pair[1].Seconds())
		}
		name := "every projection"
		if what != nil {
			name = strings.Join(what, ", ")
		}
		r := median(ratios)
		fmt.Fprintf(w, "  rebuild of %s: this build %s (peak %s), the baseline %s (peak %s): %.2fx the baseline's time, %.2fx as fast\n", name,
			latencies(took[0]).percentile(0.5).Round(time.Millisecond), mib(peak[0]), latencies(took[1]).percentile(0.5).Round(time.Millisecond), mib(peak[1]), r, 1/r)
	}
	fmt.Fprintln(w)
	return nil
}

// rebuildRun runs program rebuild over the log at path with the data
// folder data (names: the projections to rebuild; none: all), and returns
// how long it took and its peak resident memory.
func rebuildRun(ctx context.Context, program, data, log string, names []string) (time.Duration, int64, error) {
	return runRebuildProgram(ctx, program, append([]string{"--data", data, "--store", "sqlite:" + log, "--log-format", "json"}, names...)...)
}

// runRebuildProgram runs program rebuild with args as a process of its
// own, and returns how long it took and its peak resident memory; a program
// that does not say it rebuilt is an error.
func runRebuildProgram(ctx context.Context, program string, args ...string) (time.Duration, int64, error) {
	cmd := exec.CommandContext(ctx, program, append([]string{"rebuild"}, args...)...)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	peak := watchPeak(cmd.Process.Pid)
	if err := cmd.Wait(); err != nil {
		return 0, 0, fmt.Errorf("%s rebuild: %w: %s", program, err, lastLine([]byte(out.String())))
	}
	took := time.Since(start)
	if !strings.Contains(out.String(), "rebuilt") {
		return 0, 0, fmt.Errorf("%s rebuild did not say it rebuilt the read models: is it carecost?", program)
	}
	return took, peak(), nil
}

// median is the middle value of xs (the mean of the two middle ones for
// an even count).
func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}
