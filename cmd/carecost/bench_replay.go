package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
)

// benchReplay fills a store with about c.replay events (copies of one
// recorded estimate workflow: open, five lines, decision), then times a full
// replay of the estimates projection and of all projections, and the start
// of serve over that store.
func benchReplay(ctx context.Context, w io.Writer, c benchConfig) error {
	cfg := config{data: filepath.Join(c.dir, "replay"), logFormat: "json", addr: "127.0.0.1:0", waitTimeout: 2 * time.Second}
	if c.store.raw != "" {
		return benchReplayBeside(ctx, w, c, cfg)
	}
	f, err := replayOn(ctx, cfg, c.replay)
	if err != nil {
		return err
	}
	n := f.events
	path, err := cfg.storePath()
	if err != nil {
		return err
	}
	floor, read, err := benchFloor(ctx, path)
	if err != nil {
		return fmt.Errorf("the floor: %w", err)
	}
	fmt.Fprintf(w, "floor: the log read whole through the driver's rows (%s), one goroutine: %d events in %s = %.0f events/s\n",
		floorColumns, read, floor.Round(time.Millisecond), float64(read)/floor.Seconds())
	fmt.Fprintf(w, "replay of %d events into the estimates projection: %s = %.0f events/s, %.2fx the floor\n", n,
		f.estimates.Round(time.Millisecond), float64(n)/f.estimates.Seconds(), f.estimates.Seconds()/floor.Seconds())
	fmt.Fprintf(w, "replay of %d events into every projection (%s): %s = %.0f events/s, %.2fx the floor\n", n, strings.Join(f.projections, ", "),
		f.all.Round(time.Millisecond), float64(n)/f.all.Seconds(), f.all.Seconds()/floor.Seconds())
	fmt.Fprintf(w, "serve ready (/readyz 200) over %d events: %s\n", n, f.startup.Round(time.Millisecond))
	m, err := benchMemory(ctx, c.program, cfg)
	if err != nil {
		return fmt.Errorf("peak memory: %w", err)
	}
	fmt.Fprintf(w, "peak resident memory over %d events: rebuild of every projection %s (%s); serve, read models up to date %s; serve, read models rebuilt at start %s (ready in %s)\n\n",
		n, mib(m.rebuild), m.rebuildTook.Round(time.Millisecond), mib(m.serveCurrent), mib(m.serveRebuilt), m.rebuiltReady.Round(time.Millisecond))
	if c.baseline != "" {
		return benchBaseline(ctx, w, c.program, c.baseline, c.dir, path)
	}
	return nil
}

// mib formats bytes as MiB.
func mib(b int64) string { return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20)) }

// benchReplayBeside runs the replay and the start-up on SQLite, then on the
// --store store (the run's own streams), and prints each pair.
func benchReplayBeside(ctx context.Context, w io.Writer, c benchConfig, cfg config) error {
	var figs [2]replayFigures
	var err error
	if figs[0], err = replayOn(ctx, cfg, c.replay); err != nil {
		return err
	}
	ecfg, err := c.esdbConfig(ctx, "replay", filepath.Join(c.dir, "replay-esdb"))
	if err != nil {
		return err
	}
	if figs[1], err = replayOn(ctx, ecfg, c.replay); err != nil {
		return fmt.Errorf("%s: %w", c.store, err)
	}
	p := newPair(c)
	rate := func(f replayFigures, d time.Duration) string {
		return fmt.Sprintf("%d events in %s = %.0f events/s", f.events, d.Round(time.Millisecond), float64(f.events)/d.Seconds())
	}
	fmt.Fprintf(w, "replay into the estimates projection (the esdb log from the run's first event):\n")
	p.line(w, 0, rate(figs[0], figs[0].estimates))
	p.line(w, 1, rate(figs[1], figs[1].estimates))
	p.ratio(w, times(figs[1].estimates, figs[0].estimates), "the time")
	fmt.Fprintf(w, "replay into every projection (%s):\n", strings.Join(figs[0].projections, ", "))
	p.line(w, 0, rate(figs[0], figs[0].all))
	p.line(w, 1, rate(figs[1], figs[1].all))
	p.ratio(w, times(figs[1].all, figs[0].all), "the time")
	fmt.Fprintf(w, "serve ready (/readyz 200), read models up to date:\n")
	for i, f := range figs {
		p.line(w, i, fmt.Sprintf("%s over %d events", f.startup.Round(time.Millisecond), f.events))
	}
	p.ratio(w, times(figs[1].startup, figs[0].startup), "the time")
	fmt.Fprintln(w)
	return nil
}

// replayFigures are the figures of the replay part on one store.
type replayFigures struct {
	events                  int
	projections             []string
	estimates, all, startup time.Duration
}

// replayOn fills the store of cfg with about n events, then times the
// replays and serve's start-up over it.
func replayOn(ctx context.Context, cfg config, n int) (replayFigures, error) {
	var f replayFigures
	quiet := slog.New(slog.NewJSONHandler(io.Discard, nil))
	a, err := openApp(ctx, cfg, quiet, true)
	if err != nil {
		return f, err
	}
	f.events, err = fillLog(ctx, a, n)
	a.Close()
	if err != nil {
		return f, err
	}
	// Time the replay as after a restart: the store and read models opened
	// afresh, every projection caught up first.
	if a, err = openApp(ctx, cfg, quiet, true); err != nil {
		return f, err
	}
	defer a.Close()
	if err := a.runner.CatchUp(ctx); err != nil {
		return f, err
	}
	start := time.Now()
	if err := a.runner.Rebuild(ctx, "estimates"); err != nil {
		return f, err
	}
	f.estimates = time.Since(start)
	start = time.Now()
	if err := a.runner.Rebuild(ctx); err != nil {
		return f, err
	}
	f.all, f.projections = time.Since(start), a.runner.Projections()
	if err := a.Close(); err != nil {
		return f, err
	}
	f.startup, err = startupOn(ctx, cfg)
	return f, err
}

// fillLog appends copies of one recorded workflow until the log holds about
// n events, from several writers so commits are shared.
func fillLog(ctx context.Context, a *app, n int) (int, error) {
	set, err := demo.Catalogue()
	if err != nil {
		return 0, err
	}
	if _, err := a.cmds.ImportCatalogue(ctx, domain.Command{}, set); err != nil {
		return 0, err
	}
	tmpl, err := recordWorkflow(ctx, a.cmds)
	if err != nil {
		return 0, err
	}
	have, err := logEvents(ctx, a)
	if err != nil {
		return 0, err
	}
	copies := max(0, (n-have)/len(tmpl))
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for wr := range 16 {
		wg.Go(func() {
			for i := wr; i < copies; i += 16 {
				if _, err := a.store.Append(ctx, domain.EstimateStream(domain.NewID()), domain.NoStream, copyEvents(tmpl)...); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, err
	}
	return logEvents(ctx, a)
}

// logEvents returns the number of events in the log of a: the head of a
// SQLite log (its positions number the events), the events the bench
// appended into its own streams of a shared store.
func logEvents(ctx context.Context, a *app) (int, error) {
	if s, ok := a.store.(*spaceStore); ok {
		return s.space.events(), nil
	}
	head, err := a.store.Head(ctx)
	return int(head.Commit), err
}

// recordWorkflow runs one estimate workflow through the commands and returns
// its events.
func recordWorkflow(ctx context.Context, cmds *domain.Commands) ([]domain.RecordedEvent, error) {
	id := domain.NewID()
	if _, _, err := cmds.OpenEstimate(ctx, domain.Command{}, id, benchCase()); err != nil {
		return nil, err
	}
	for _, l := range benchLines() {
		if _, _, _, err := cmds.AddLine(ctx, domain.Command{}, id, l); err != nil {
			return nil, err
		}
	}
	if _, _, err := cmds.Decide(ctx, domain.Command{}, id, benchDecision(id)); err != nil {
		return nil, err
	}
	return cmds.Store().ReadStream(ctx, domain.EstimateStream(id), domain.ReadStreamOptions{})
}

func copyEvents(tmpl []domain.RecordedEvent) []domain.EventData {
	out := make([]domain.EventData, len(tmpl))
	for i, e := range tmpl {
		out[i] = domain.EventData{ID: domain.NewID(), Type: e.Type, Data: e.Data, Metadata: e.Metadata}
	}
	return out
}

// benchCase is the case every benchmark workflow opens: no lines yet.
func benchCase() domain.CaseInput {
	return domain.CaseInput{ClientRef: "BENCH", Maple: 3, Segment: domain.SegContinuous,
		Household: domain.Household{Size: 1, GrossIncome: new(domain.Money(180000)), NetIncome: new(domain.Money(150000))},
		Basis:     domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: domain.NewDate(2026, 3, 1)}, Lines: []domain.Line{}}
}

// benchLines are the five lines every benchmark workflow adds.
func benchLines() []domain.Line {
	return []domain.Line{
		{Service: "regular-home-care", Mode: "own", Quantity: 5000, Frequency: "week"},
		{Service: "meal-service", Mode: "own", Quantity: 7000, Frequency: "week"},
		{Service: "safety-phone", Mode: "own", Quantity: 1000, Frequency: "month"},
		{Service: "bathing", Mode: "own", Quantity: 1000, Frequency: "week"},
		{Service: "cleaning", Mode: "purchased", Quantity: 2000, Frequency: "month"},
	}
}

// benchDecision is the decision of estimate id: a number of its own (a
// decision number is used once), dated today.
func benchDecision(id string) domain.Decision {
	// Decided without presenting, so the workflow keeps its seven requests.
	return domain.Decision{Number: "BENCH-" + id, Date: domain.DateOf(time.Now()), EffectiveFrom: domain.NewDate(2026, 4, 1),
		Presented: new(false), NotPresentedReason: "benchmark"}
}

// startupOn times serve from nothing to answering /readyz with 200 over
// the filled store of cfg.
func startupOn(ctx context.Context, cfg config) (time.Duration, error) {
	start := time.Now()
	quiet := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	s, err := startServer(ctx, cfg, quiet)
	if err != nil {
		return 0, err
	}
	defer s.stop()
	if err := waitReady(ctx, "http://"+s.addr); err != nil {
		return 0, err
	}
	return time.Since(start), nil
}
