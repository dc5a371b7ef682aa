package sqlite_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/sqlite"
)

// The append benchmarks run with the default SyncFull: every commit is on
// disk before Append returns. Run them with
//
//	go test -run '^$' -bench Append -benchtime=3s -count=3 ./eventstore/sqlite/
//	go test -run '^$' -bench 'ReadAll|SubscribeCatchUp' -benchtime=3x ./eventstore/sqlite/
//
// The read benchmarks first build a store of a million events (about 10 s).

func BenchmarkAppendSingle(b *testing.B) {
	s := openTemp(b)
	ctx := context.Background()
	expected := domain.NoStream
	n := 0
	for b.Loop() {
		res, err := s.Append(ctx, "single", expected, benchEvent("single", n))
		if err != nil {
			b.Fatal(err)
		}
		expected = domain.ExactVersion(res.Version)
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkAppendBatch100(b *testing.B) {
	s := openTemp(b)
	ctx := context.Background()
	expected := domain.NoStream
	batch := make([]domain.EventData, 100)
	n := 0
	for b.Loop() {
		for i := range batch {
			batch[i] = benchEvent("batch", n)
			n++
		}
		res, err := s.Append(ctx, "batch", expected, batch...)
		if err != nil {
			b.Fatal(err)
		}
		expected = domain.ExactVersion(res.Version)
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkAppendConcurrent16 runs 16 writers, each appending one event at a
// time to its own stream with the exact expected version. It reports the
// throughput of all of them together and percentiles of one Append's latency.
func BenchmarkAppendConcurrent16(b *testing.B) {
	const writers = 16
	s := openTemp(b)
	ctx := context.Background()
	var next atomic.Int64
	latencies := make([][]time.Duration, writers)
	b.ResetTimer()
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			stream := "writer-" + strconv.Itoa(w)
			expected := domain.NoStream
			for n := next.Add(1); n <= int64(b.N); n = next.Add(1) {
				start := time.Now()
				res, err := s.Append(ctx, stream, expected, benchEvent(stream, int(n)))
				latencies[w] = append(latencies[w], time.Since(start))
				if err != nil {
					b.Error(err)
					return
				}
				expected = domain.ExactVersion(res.Version)
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	all := slices.Concat(latencies...)
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(all[len(all)/2].Microseconds()), "p50-µs")
		b.ReportMetric(float64(all[len(all)*99/100].Microseconds()), "p99-µs")
	}
}

func benchEvent(stream string, n int) domain.EventData {
	return domain.EventData{
		ID:       stream + "-" + strconv.Itoa(n),
		Type:     "bench.thing_happened",
		Data:     []byte(`{"amount":"12.50","line":3}`),
		Metadata: []byte(`{"actor":"bench"}`),
	}
}

// BenchmarkReadAll replays the whole log of a store of readAllEvents small
// events in pages of 10,000, the way a projection rebuild reads it.
func BenchmarkReadAll(b *testing.B) {
	s := mustOpen(b, readAllFixture(b))
	defer s.Close()
	ctx := context.Background()
	total := 0
	for b.Loop() {
		var after domain.Position
		for {
			page, err := s.ReadAll(ctx, domain.ReadAllOptions{After: after, Limit: 10_000})
			if err != nil {
				b.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			total += len(page)
			after = page[len(page)-1].Position
		}
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkSubscribeCatchUp reads the same log through a subscription.
func BenchmarkSubscribeCatchUp(b *testing.B) {
	s := mustOpen(b, readAllFixture(b))
	defer s.Close()
	ctx := context.Background()
	head, err := s.Head(ctx)
	if err != nil {
		b.Fatal(err)
	}
	total := 0
	for b.Loop() {
		sub, err := s.Subscribe(ctx, domain.Position{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			e, err := sub.Next(ctx)
			if err != nil {
				b.Fatal(err)
			}
			total++
			if e.Position == head {
				break
			}
		}
		sub.Close()
	}
	b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "events/s")
}

const readAllEvents = 1_000_000

var fixture struct {
	once sync.Once
	dir  string
	path string
	err  error
}

// readAllFixture returns the path of a store holding readAllEvents events in
// 1,000 streams, built once per test binary (TestMain removes it).
func readAllFixture(b *testing.B) string {
	fixture.once.Do(func() {
		fixture.dir, fixture.err = os.MkdirTemp("", "carecost-bench-")
		if fixture.err != nil {
			return
		}
		fixture.path = filepath.Join(fixture.dir, "events.db")
		fixture.err = buildFixture(fixture.path)
	})
	if fixture.err != nil {
		b.Fatal(fixture.err)
	}
	return fixture.path
}

func buildFixture(path string) error {
	s, err := sqlite.Open(path, sqlite.WithSync(sqlite.SyncNormal))
	if err != nil {
		return err
	}
	defer s.Close()
	const streams, perAppend = 1000, 1000
	for n := 0; n < readAllEvents; n += perAppend {
		stream := fmt.Sprintf("stream-%d", (n/perAppend)%streams)
		batch := make([]domain.EventData, perAppend)
		for i := range batch {
			batch[i] = benchEvent(stream, n+i)
		}
		if _, err := s.Append(context.Background(), stream, domain.AnyVersion, batch...); err != nil {
			return err
		}
	}
	return nil
}

func TestMain(m *testing.M) {
	code := m.Run()
	if fixture.dir != "" {
		os.RemoveAll(fixture.dir)
	}
	os.Exit(code)
}
