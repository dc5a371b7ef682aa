package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
)

// loadDemo fills a store without a catalogue with the demo's history
// (domain/demo): eighteen months of tariff versions and corrections, and
// estimates of two teams opened, presented, decided, revised and cancelled
// over them, each event recorded at the simulated time it happened. The
// history is built on a simulated clock in memory, after the events the
// store holds already, and copied into the store as carecost migrate copies
// a log (domain.Importer): with its times, and the positions its events
// name carried over to the store's numbering. A store that has a catalogue
// already is left alone (users and tokens made before, say a bootstrap
// admin, do not count); loaded says whether the data was loaded now.
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
	if _, ok := a.store.(domain.Importer); !ok {
		return false, domain.Invalidf("--demo", "this store cannot import the demo's history with its recorded times")
	}
	m := migration{from: h.Log, to: a.store, batch: 1000, out: io.Discard, progress: io.Discard, every: time.Hour}
	if err := m.run(ctx); err != nil {
		return false, fmt.Errorf("load the demo's history: %w", err)
	}
	a.log.Info("demo data loaded", "events", len(h.Events), "estimates", h.Estimates, "decisions", h.Decisions,
		"from", h.Start.Format(time.RFC3339), "to", h.End.Format(time.RFC3339))
	return true, nil
}
