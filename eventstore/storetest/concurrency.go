package storetest

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"carecost/domain"
)

// testSameStreamRace lets goroutines race for each next version of one
// stream: in every round all of them expect the same version, so exactly one
// may win it.
func testSameStreamRace(t *testing.T, h *harness) {
	const workers, rounds = 8, 20
	f := h.fixture(t)
	stream := f.stream("contended")
	f.mustAppend(stream, domain.NoStream, f.events(1)...)
	winners := make([][]string, rounds) // ids that won each round
	var mu sync.Mutex
	var unexpected []error
	for r := range rounds {
		start := make(chan struct{})
		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				ev := f.events(1)
				<-start
				res, err := f.s.Append(f.ctx, stream, domain.ExactVersion(uint64(r)), ev...)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && res.Version == uint64(r)+1:
					winners[r] = append(winners[r], ev[0].ID)
				case err == nil:
					unexpected = append(unexpected, fmt.Errorf("round %d, worker %d: got version %d, want %d", r, w, res.Version, r+1))
				case !errors.Is(err, domain.ErrConcurrency):
					unexpected = append(unexpected, fmt.Errorf("round %d, worker %d: %w", r, w, err))
				}
			})
		}
		close(start)
		wg.Wait()
	}
	for _, err := range unexpected {
		t.Error(err)
	}
	got := f.mustReadStream(stream, domain.ReadStreamOptions{})
	if len(got) != rounds+1 {
		t.Fatalf("stream length: got %d events, want %d", len(got), rounds+1)
	}
	for r, ids := range winners {
		if len(ids) != 1 {
			t.Errorf("round %d: got %d winners %v, want exactly 1", r, len(ids), ids)
			continue
		}
		if e := got[r+1]; e.ID != ids[0] || e.Version != uint64(r)+1 {
			t.Errorf("round %d: stored event %q at version %d, want the winner %q at %d", r, e.ID, e.Version, ids[0], r+1)
		}
	}
	checkUnique(t, got)
}

func testManyStreams(t *testing.T, h *harness) {
	const workers, each = 16, 25
	f := h.fixture(t)
	head := f.mustHead()
	results := make([][]appended, workers)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		stream := f.stream(fmt.Sprint("worker", w))
		wg.Go(func() {
			for i := range each {
				ev := f.events(1)
				res, err := f.s.Append(f.ctx, stream, domain.ExpectedVersion(i-1), ev...)
				if err != nil || res.Version != uint64(i) {
					errs <- fmt.Errorf("worker %d, append %d: got version %d, %v; want %d, nil", w, i, res.Version, err, i)
					return
				}
				results[w] = append(results[w], appended{id: ev[0].ID, stream: stream, res: res})
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	all := f.mustReadAll(domain.ReadAllOptions{After: head})
	if len(all) != workers*each {
		t.Fatalf("log: got %d events, want %d", len(all), workers*each)
	}
	checkIncreasing(t, all)
	h.checkDense(t, head, all)
	checkUnique(t, all)
	at := make(map[string]domain.RecordedEvent, len(all))
	for _, e := range all {
		at[e.ID] = e
	}
	for w, rs := range results {
		for i, a := range rs {
			e, ok := at[a.id]
			if !ok || e.Position != a.res.Position || e.Stream != a.stream || e.Version != uint64(i) {
				t.Errorf("worker %d, append %d: stored %+v, want %q version %d at %v", w, i, e, a.stream, i, a.res.Position)
			}
		}
	}
}

// checkUnique checks that no event id appears twice.
func checkUnique(t *testing.T, evs []domain.RecordedEvent) {
	t.Helper()
	seen := make(map[string]int, len(evs))
	for i, e := range evs {
		if j, ok := seen[e.ID]; ok {
			t.Errorf("event id %q at %d and again at %d", e.ID, j, i)
		}
		seen[e.ID] = i
	}
}
