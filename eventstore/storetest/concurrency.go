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
	for r := range rounds {
		var errs []error
		winners[r], errs = f.raceForVersion(stream, uint64(r), workers)
		for _, err := range errs {
			t.Errorf("round %d: %v", r, err)
		}
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

// raceForVersion starts workers goroutines at once, each appending an event
// of its own to stream at expected version v. It returns the ids of those
// that succeeded and the errors that were neither success nor
// ErrConcurrency.
func (f *fixture) raceForVersion(stream string, v uint64, workers int) (won []string, unexpected []error) {
	start := make(chan struct{})
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range workers {
		ev := f.events(1)
		wg.Go(func() {
			<-start
			res, err := f.s.Append(f.ctx, stream, domain.ExactVersion(v), ev...)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && res.Version == v+1:
				won = append(won, ev[0].ID)
			case err == nil:
				unexpected = append(unexpected, fmt.Errorf("worker %d: got version %d, want %d", w, res.Version, v+1))
			case !errors.Is(err, domain.ErrConcurrency):
				unexpected = append(unexpected, fmt.Errorf("worker %d: %w", w, err))
			}
		})
	}
	close(start)
	wg.Wait()
	return won, unexpected
}

func testManyStreams(t *testing.T, h *harness) {
	const workers, each = 16, 25
	f := h.fixture(t)
	head := f.mustHead()
	results := f.appendConcurrently(workers, each)
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

// appendConcurrently has workers goroutines append each events, one at a
// time, to a stream of their own with exact versions, and returns what each
// appended. Any failure fails the test.
func (f *fixture) appendConcurrently(workers, each int) [][]appended {
	f.t.Helper()
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
		f.t.Fatal(err)
	}
	return results
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
