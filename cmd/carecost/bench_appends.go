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
