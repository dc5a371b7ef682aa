package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
)

func init() {
	commands["bench"] = command{"measure appends, replay, start-up and the HTTP workflow on a temporary store", runBench}
}

// benchConfig says what carecost bench measures and how much.
type benchConfig struct {
	only      string
	dir       string
	appends   int
	writers   int
	replay    int
	workflows time.Duration
	clients   int
	// pageClients are the signed-in browsers of each kind the console part runs.
	pageClients int
	keep        bool
	cpuProfile  string
}

func runBench(ctx context.Context, e *env, args []string) error {
	var c benchConfig
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.StringVar(&c.only, "only", "", "run only these parts, comma-separated: appends, replay, http, console")
	fs.StringVar(&c.dir, "dir", "", "`folder` for the temporary stores (default: a new temporary folder)")
	fs.IntVar(&c.appends, "appends", 100000, "events to append in each append test")
	fs.IntVar(&c.writers, "writers", 16, "concurrent writers of the concurrent append test")
	fs.IntVar(&c.replay, "replay", 1000000, "events in the log to replay (and to start serve over)")
	fs.DurationVar(&c.workflows, "http-duration", 10*time.Second, "how long to run the HTTP workflow")
	fs.IntVar(&c.clients, "clients", 32, "concurrent HTTP clients")
	fs.IntVar(&c.pageClients, "page-clients", 1, "signed-in browsers of each kind for the console pages (1: one case manager and one controller at once)")
	fs.BoolVar(&c.keep, "keep", false, "keep the temporary stores")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to `file`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if c.dir == "" {
		dir, err := os.MkdirTemp("", "carecost-bench-")
		if err != nil {
			return err
		}
		c.dir = dir
	}
	if !c.keep {
		defer os.RemoveAll(c.dir)
	}
	if c.cpuProfile != "" {
		stop, err := startCPUProfile(c.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	fmt.Fprintf(e.stdout, "carecost bench (%s, %d CPUs, stores in %s)\n\n", goInfo(), numCPU(), c.dir)
	parts := []struct {
		name string
		run  func(context.Context, io.Writer, benchConfig) error
	}{{"appends", benchAppends}, {"replay", benchReplay}, {"http", benchHTTP}, {"console", benchConsole}}
	for _, p := range parts {
		if c.only != "" && !slices.Contains(strings.Split(c.only, ","), p.name) {
			continue
		}
		if err := p.run(ctx, e.stdout, c); err != nil {
			return fmt.Errorf("bench %s: %w", p.name, err)
		}
	}
	return nil
}

// latencies collects durations and reports percentiles.
type latencies []time.Duration

func (l latencies) percentile(p float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	return s[min(len(s)-1, int(float64(len(s))*p))]
}

func (l latencies) String() string {
	return fmt.Sprintf("p50 %s, p99 %s, max %s", round(l.percentile(0.5)), round(l.percentile(0.99)), round(l.percentile(1)))
}

func round(d time.Duration) time.Duration {
	switch {
	case d > time.Second:
		return d.Round(time.Millisecond)
	case d > time.Millisecond:
		return d.Round(10 * time.Microsecond)
	}
	return d.Round(time.Microsecond)
}
