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

// Store is an in-memory domain.EventStore.
type Store struct {
	mu       sync.Mutex
	events   []domain.RecordedEvent
	versions map[string]int64
	byID     map[string]appended
	closed   bool
	wake     chan struct{} // closed and replaced on every append
}

type appended struct {
	stream string
	ids    []string
	res    domain.AppendResult
}

// New returns an empty store.
func New() *Store {
	return &Store{versions: map[string]int64{}, byID: map[string]appended{}, wake: make(chan struct{})}
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

func (s *Store) write(stream string, v int64, evs []domain.EventData) domain.AppendResult {
	now := time.Now().UTC()
	var res domain.AppendResult
	for _, e := range evs {
		v++
		pos := domain.SeqPosition(uint64(len(s.events) + 1))
		s.events = append(s.events, domain.RecordedEvent{ID: e.ID, Stream: stream, Type: e.Type, Version: uint64(v),
			Position: pos, Data: slices.Clone(e.Data), Metadata: slices.Clone(e.Metadata), RecordedAt: now})
		res = domain.AppendResult{Version: uint64(v), Position: pos, RecordedAt: now}
	}
	s.versions[stream] = v
	a := appended{stream: stream, ids: ids(evs), res: res}
	for _, e := range evs {
		s.byID[e.ID] = a
	}
	close(s.wake)
	s.wake = make(chan struct{})
	return res
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
	return &Store{events: s.events, versions: s.versions, byID: s.byID, wake: make(chan struct{})}
}

// DensePositions reports that positions number the events 1, 2, 3, ...
// without holes.
func (s *Store) DensePositions() bool { return true }
