// Package memstore is an event store held in memory: the event-store port
// of carecost without durability, for tests and tools that need a store for
// a moment. It keeps the port's contract (expected versions, idempotent
// event ids, global positions, as-of reads, catch-up subscriptions).
package memstore

import (
	"context"
	"slices"
	"sync"
	"time"

	"carecost/domain"
)

// Store is an in-memory domain.EventStore, and a domain.Importer.
type Store struct {
	mu       sync.Mutex
	events   []domain.RecordedEvent
	versions map[string]int64
	byID     map[string]appended
	index    map[string]int // event id -> its index in events
	clock    func() time.Time
	closed   bool
	wake     chan struct{} // closed and replaced on every append
}

var (
	_ domain.EventStore = (*Store)(nil)
	_ domain.Importer   = (*Store)(nil)
)

// Option changes how New sets up a Store.
type Option func(*Store)

// WithClock makes the store record appended events at the times clock
// gives (by default the time of day), never before the last event of the
// log: a simulated clock gives a log a past.
func WithClock(clock func() time.Time) Option { return func(s *Store) { s.clock = clock } }

type appended struct {
	stream string
	ids    []string
	res    domain.AppendResult
}

// New returns an empty store.
func New(opts ...Option) *Store {
	s := &Store{versions: map[string]int64{}, byID: map[string]appended{}, index: map[string]int{}, clock: time.Now, wake: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Append implements domain.EventStore.
func (s *Store) Append(_ context.Context, stream string, exp domain.ExpectedVersion, evs ...domain.EventData) (domain.AppendResult, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return domain.AppendResult{}, domain.ErrClosed
	}
	if len(evs) == 0 {
		return domain.AppendResult{}, domain.Errorf(domain.EInvalid, "memstore: nothing to append")
	}
	if prev, ok := s.byID[evs[0].ID]; ok {
		if prev.stream == stream && slices.Equal(prev.ids, ids(evs)) {
			return prev.res, nil
		}
		return domain.AppendResult{}, domain.ErrConcurrency
	}
	v, ok := s.versions[stream]
	if !ok {
		v = -1
	}
	if exp != domain.AnyVersion && int64(exp) != v {
		return domain.AppendResult{}, domain.ErrConcurrency
	}
	for _, e := range evs {
		if _, dup := s.byID[e.ID]; dup {
			return domain.AppendResult{}, domain.ErrConcurrency
		}
	}
	return s.write(stream, v, evs), nil
}

// write appends evs to stream, whose last version is v. They are recorded
// at the clock's time, but never before the last event of the log.
func (s *Store) write(stream string, v int64, evs []domain.EventData) domain.AppendResult {
	now := s.clock().UTC().Round(0)
	if last := s.lastRecorded(); now.Before(last) {
		now = last
	}
	var res domain.AppendResult
	for _, e := range evs {
		v++
		res = s.put(domain.RecordedEvent{ID: e.ID, Stream: stream, Type: e.Type, Version: uint64(v),
			Data: slices.Clone(e.Data), Metadata: slices.Clone(e.Metadata), RecordedAt: now})
	}
	a := appended{stream: stream, ids: ids(evs), res: res}
	for _, e := range evs {
		s.byID[e.ID] = a
	}
	s.woken()
	return res
}

// put adds e at the end of the log, at the next position.
func (s *Store) put(e domain.RecordedEvent) domain.AppendResult {
	e.Position = domain.SeqPosition(uint64(len(s.events) + 1))
	s.index[e.ID] = len(s.events)
	s.events = append(s.events, e)
	s.versions[e.Stream] = int64(e.Version)
	return domain.AppendResult{Version: e.Version, Position: e.Position, RecordedAt: e.RecordedAt}
}

// woken wakes the subscriptions waiting for an event.
func (s *Store) woken() {
	close(s.wake)
	s.wake = make(chan struct{})
}

// lastRecorded returns the recorded time of the last event (zero when the
// log is empty).
func (s *Store) lastRecorded() time.Time {
	if len(s.events) == 0 {
		return time.Time{}
	}
	return s.events[len(s.events)-1].RecordedAt
}

func ids(evs []domain.EventData) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

// ReadStream implements domain.EventStore.
func (s *Store) ReadStream(_ context.Context, stream string, o domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, domain.ErrClosed
	}
	var out []domain.RecordedEvent
	found := false
	for _, e := range s.events {
		if e.Stream != stream || (!o.AsOf.IsZero() && o.AsOf.Less(e.Position)) {
			continue
		}
		found = true
		if e.Version >= o.From && (o.Limit <= 0 || len(out) < o.Limit) {
			out = append(out, e)
		}
	}
	if !found {
		return nil, domain.ErrStreamNotFound
	}
	return out, nil
}

// ReadAll implements domain.EventStore.
func (s *Store) ReadAll(_ context.Context, o domain.ReadAllOptions) ([]domain.RecordedEvent, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, domain.ErrClosed
	}
	start := int(min(o.After.Commit, uint64(len(s.events))))
	var out []domain.RecordedEvent
	for _, e := range s.events[start:] {
		if (!o.AsOf.IsZero() && o.AsOf.Less(e.Position)) || (o.Limit > 0 && len(out) == o.Limit) {
			break
		}
		out = append(out, e)
	}
	return out, nil
}

// Head implements domain.EventStore.
func (s *Store) Head(context.Context) (domain.Position, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return domain.Position{}, domain.ErrClosed
	}
	return domain.SeqPosition(uint64(len(s.events))), nil
}

// Close implements domain.EventStore.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.closed {
		s.closed = true
		close(s.wake)
	}
	return nil
}

// Reopen returns a new open Store over the events of s, as a restarted
// process would find a durable store.
func (s *Store) Reopen() *Store {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &Store{events: s.events, versions: s.versions, byID: s.byID, index: s.index, clock: s.clock, wake: make(chan struct{})}
}

// DensePositions reports that positions number the events 1, 2, 3, ...
// without holes.
func (s *Store) DensePositions() bool { return true }
