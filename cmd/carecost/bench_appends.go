package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"sync"
	"time"

	"carecost/domain"
	"carecost/eventstore/sqlite"
)

// benchAppends appends single events with exact expected versions: from one
// writer, then from many writers at once (each to its own stream), with
// durable commits (synchronous=FULL).
func benchAppends(ctx context.Context, w io.Writer, c benchConfig) error {
	store, err := sqlite.Open(filepath.Join(c.dir, "appends.db"))
	if err != nil {
		return err
	}
	defer store.Close()
	if c.store.raw != "" {
		return benchAppendsBeside(ctx, w, c, store)
	}
	single := max(c.appends/10, 1000)
	took, lat, err := appendLoad(ctx, store, "single", 1, single)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "append, 1 writer, 1 event per append, synchronous=FULL: %d events in %s = %.0f events/s; latency %s\n",
		single, took.Round(time.Millisecond), float64(single)/took.Seconds(), lat)
	took, lat, err = appendLoad(ctx, store, "concurrent", c.writers, c.appends)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "append, %d writers, 1 event per append, synchronous=FULL: %d events in %s = %.0f events/s; latency %s\n\n",
		c.writers, c.appends, took.Round(time.Millisecond), float64(c.appends)/took.Seconds(), lat)
	return nil
}

// appendLoad appends total events from writers goroutines, each to its own
// stream with the exact expected version, and returns the time and the
// latency of every append.
func appendLoad(ctx context.Context, store domain.EventStore, name string, writers, total int) (time.Duration, latencies, error) {
	data := []byte(`{"schema":1,"line":{"id":"l1","service":"meal-service","mode":"own","quantity":"5","frequency":"week"}}`)
	var mu sync.Mutex
	var all latencies
	var firstErr error
	var wg sync.WaitGroup
	start := time.Now()
	for wr := range writers {
		wg.Go(func() {
			stream := fmt.Sprintf("bench-%s-%d", name, wr)
			lat := make(latencies, 0, total/writers)
			for v := range total / writers {
				t := time.Now()
				_, err := store.Append(ctx, stream, domain.ExpectedVersion(v-1), domain.EventData{ID: domain.NewID(), Type: domain.EvEstimateLineAdded, Data: data})
				if err != nil {
					mu.Lock()
					firstErr = err
					mu.Unlock()
					return
				}
				lat = append(lat, time.Since(t))
			}
			mu.Lock()
			all = append(all, lat...)
			mu.Unlock()
		})
	}
	wg.Wait()
	return time.Since(start), all, firstErr
}

// benchAppendsBeside runs both append tests on the SQLite store, then on
// the --store store (streams of the run's own), and prints each pair.
func benchAppendsBeside(ctx context.Context, w io.Writer, c benchConfig, sqliteStore domain.EventStore) error {
	esdbStore, closer, err := openStoreURL(ctx, "--store", c.store, false)
	if err != nil {
		return err
	}
	defer closer.Close()
	space, err := newBenchSpace(ctx, esdbStore, c.run, "appends")
	if err != nil {
		return fmt.Errorf("%s: %w", c.store, err)
	}
	single := max(c.appends/10, 1000)
	tests := []struct {
		what           string
		name           string
		writers, total int
	}{{"append, 1 writer, 1 event per append", "single", 1, single}, {fmt.Sprintf("append, %d writers, 1 event per append", c.writers), "concurrent", c.writers, c.appends}}
	for _, t := range tests {
		var figs [2]appendFigures
		for i, s := range []domain.EventStore{sqliteStore, space.wrap(esdbStore)} {
			took, lat, err := appendLoad(ctx, s, t.name, t.writers, t.total)
			if err != nil {
				return err
			}
			figs[i] = appendFigures{t.total, took, lat}
		}
		p := newPair(c)
		fmt.Fprintf(w, "%s, %d events on each store:\n", t.what, t.total)
		p.line(w, 0, figs[0].String()+" (synchronous=FULL)")
		p.line(w, 1, figs[1].String())
		p.ratio(w, figs[1].rate()/figs[0].rate(), "the events/s", float64(figs[1].lat.percentile(0.99))/float64(figs[0].lat.percentile(0.99)), "the p99 latency")
	}
	fmt.Fprintln(w)
	return nil
}

// appendFigures are the figures of one append test.
type appendFigures struct {
	n    int
	took time.Duration
	lat  latencies
}

func (f appendFigures) rate() float64 { return float64(f.n) / f.took.Seconds() }

func (f appendFigures) String() string {
	return fmt.Sprintf("%d events in %s = %.0f events/s; latency %s", f.n, f.took.Round(time.Millisecond), f.rate(), f.lat)
}
