package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"time"

	"carecost/domain"
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
	// program is the carecost program the memory figures run (default:
	// this one).
	program string
	// baseline is an earlier carecost program the replay part compares
	// this one's rebuilds with ("": none).
	baseline string
	// store is the EventStoreDB/KurrentDB store measured beside SQLite
	// ("": none), run the id of this run's streams there.
	store storeURL
	run   string
}

const benchHelp = `Usage: carecost bench [flags]

Measures appends, the replay of the log into the read models, serve's
start-up, the HTTP workflow and the console pages on new SQLite stores in a
temporary folder (removed afterwards unless --keep).

With --store esdb://HOST:PORT?tls=false (or kurrentdb://; the same syntax as
serve's --store, a password in it is never printed), the appends, the replay,
serve's start-up and the HTTP workflow run on that EventStoreDB/KurrentDB
store as well, with the same sizes, and each figure is printed beside
SQLite's with their ratio. The console pages run on SQLite only.

bench WRITES TEST EVENTS INTO THAT STORE, and leaves them there: streams of
its own, named bench-RUN-PART-... with a new RUN each time and new event
ids. It never writes to, deletes or replays anything else in the store; its
replay and serve's start-up read the log from the run's own first event, not
the whole log. Use a test store, never a county's production store.
CARECOST_STORE is not read: bench measures only a store named with --store.

The replay part ends with the peak resident memory of carecost rebuild and
carecost serve run as programs of their own (--program names another
carecost); they run with bench's environment, so CARECOST_LOG_MMAP, when
set, sizes their mapping of the log (and bench checks it at once).

With --baseline PROGRAM (an earlier carecost build), the replay part then
runs carecost rebuild of the estimates and of every projection as programs
of their own over the same log, this build and PROGRAM in turn, three timed
runs each, and prints each one's median time and peak memory and the median
of the paired ratios.

`

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
	fs.StringVar(&c.program, "program", "", "the carecost `program` whose rebuild and serve the memory figures measure (default: this one)")
	fs.StringVar(&c.baseline, "baseline", "", "an earlier carecost `program`: the replay part times its rebuilds and this build's (--program's) in turn over the same log and prints their ratio")
	store := fs.String("store", "", "also measure this EventStoreDB/KurrentDB `store` (esdb://HOST:PORT?tls=false), writing test events into it; see above")
	fs.Usage = func() {
		io.WriteString(fs.Output(), benchHelp)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var children config
	if children.envMiB(e.getenv, "CARECOST_LOG_MMAP", 0); children.envErr != nil {
		return children.envErr
	}
	if *store != "" {
		u, err := parseStoreURL("--store", *store)
		if err != nil {
			return err
		}
		if u.kind != "esdb" {
			return domain.Invalidf("--store", "bench measures SQLite on a temporary store always; --store names an EventStoreDB/KurrentDB store to measure beside it (esdb://HOST:PORT?tls=false)")
		}
		c.store, c.run = u, newBenchRun()
	}
	if c.baseline != "" {
		switch {
		case *store != "":
			return domain.Invalidf("--baseline", "compares rebuilds over the SQLite log only; run it without --store")
		case c.only != "" && !slices.Contains(strings.Split(c.only, ","), "replay"):
			return domain.Invalidf("--baseline", "compares the replay part's rebuilds; add replay to --only")
		}
		if _, err := exec.LookPath(c.baseline); err != nil {
			return domain.Invalidf("--baseline", "%s is not a program this machine can run: %v", c.baseline, err)
		}
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
	fmt.Fprintf(e.stdout, "carecost bench (%s, %d CPUs, stores in %s)\n", goInfo(), numCPU(), c.dir)
	if c.store.raw != "" {
		fmt.Fprintf(e.stdout, "and %s: this run writes its test events there into the streams bench-%s-*\n", c.store, c.run)
	}
	fmt.Fprintln(e.stdout)
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
		if p.name == "console" && c.store.raw != "" {
			fmt.Fprintf(e.stdout, "console pages on %s: not run (they need the demo's history imported with its recorded times, which bench does not write into a shared store)\n\n", c.store)
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
