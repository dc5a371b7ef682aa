package main

import (
	"context"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
)

// loadDemo fills a store without a catalogue with the demo's history
// (domain/demo): eighteen months of tariff versions and corrections, and
// estimates of two teams opened, presented, decided, revised and cancelled
// over them, each event recorded at the simulated time it happened. The
// history is built on a simulated clock in memory and imported into the
// store with its times (domain.Importer), after the events the store holds
// already. A store that has a catalogue already is left alone (users and
// tokens made before, say a bootstrap admin, do not count); loaded says
// whether the data was loaded now.
func loadDemo(ctx context.Context, a *app) (loaded bool, err error) {
	cat, err := a.cmds.Catalogue(ctx)
	if err != nil || cat.StreamVersion() >= 0 {
		return false, err
	}
	before, err := a.store.ReadAll(ctx, domain.ReadAllOptions{})
	if err != nil {
		return false, err
	}
	h, err := demo.Build(ctx, time.Now(), before)
	if err != nil {
		return false, err
	}
	im, ok := a.store.(domain.Importer)
	if !ok {
		return false, domain.Invalidf("--demo", "this store cannot import the demo's history with its recorded times")
	}
	res, err := im.Import(ctx, h.Events)
	if err != nil {
		return false, err
	}
	if res.Position != h.Head {
		// The history's events name log positions (a decision's
		// catalogue position): they hold only where the history put them.
		return false, domain.Invalidf("--demo", "the demo's history names log positions (each decision's catalogue position) that this store numbers otherwise (it ends at %s, not %s): load the demo on the embedded SQLite store", res.Position, h.Head)
	}
	a.log.Info("demo data loaded", "events", len(h.Events), "estimates", h.Estimates, "decisions", h.Decisions,
		"from", h.Start.Format(time.RFC3339), "to", h.End.Format(time.RFC3339))
	return true, nil
}
