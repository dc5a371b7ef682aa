package admin_test

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"carecost/domain"
)

// memStore is a tiny in-memory event store for the API's tests.
type memStore struct {
	mu     sync.Mutex
	events []domain.RecordedEvent
	byID   map[string]domain.AppendResult
}

func newMemStore() *memStore { return &memStore{byID: map[string]domain.AppendResult{}} }

func (m *memStore) version(stream string) int64 {
	v := int64(-1)
	for _, e := range m.events {
		if e.Stream == stream {
			v = int64(e.Version)
		}
	}
	return v
}

func (m *memStore) Append(_ context.Context, stream string, exp domain.ExpectedVersion, evs ...domain.EventData) (domain.AppendResult, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if r, ok := m.byID[evs[0].ID]; ok {
		return r, nil
	}
	v := m.version(stream)
	if exp != domain.AnyVersion && int64(exp) != v {
		return domain.AppendResult{}, domain.ErrConcurrency
	}
	var r domain.AppendResult
	for _, e := range evs {
		v++
		pos := domain.SeqPosition(uint64(len(m.events) + 1))
		m.events = append(m.events, domain.RecordedEvent{ID: e.ID, Stream: stream, Type: e.Type, Version: uint64(v),
			Position: pos, Data: e.Data, Metadata: e.Metadata, RecordedAt: time.Now()})
		r = domain.AppendResult{Version: uint64(v), Position: pos}
	}
	for _, e := range evs {
		m.byID[e.ID] = r
	}
	return r, nil
}

func (m *memStore) ReadStream(_ context.Context, stream string, o domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []domain.RecordedEvent
	found := false
	for _, e := range m.events {
		if e.Stream != stream || (!o.AsOf.IsZero() && o.AsOf.Less(e.Position)) {
			continue
		}
		found = true
		if e.Version >= o.From {
			out = append(out, e)
		}
	}
	if !found {
		return nil, domain.ErrStreamNotFound
	}
	return out, nil
}

func (m *memStore) ReadAll(_ context.Context, o domain.ReadAllOptions) ([]domain.RecordedEvent, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []domain.RecordedEvent
	for _, e := range m.events {
		if o.After.Less(e.Position) && (o.AsOf.IsZero() || !o.AsOf.Less(e.Position)) {
			out = append(out, e)
		}
	}
	return slices.Clip(out), nil
}

func (m *memStore) Subscribe(context.Context, domain.Position) (domain.Subscription, error) {
	panic("not used by the API's tests")
}

func (m *memStore) Head(context.Context) (domain.Position, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return domain.SeqPosition(uint64(len(m.events))), nil
}

func (m *memStore) Close() error { return nil }

// count returns the number of events in the log.
func (m *memStore) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.events)
}

// estimateIDs returns the ids of every estimate stream, in order of opening.
func (m *memStore) estimateIDs() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var ids []string
	for _, e := range m.events {
		if id, ok := strings.CutPrefix(e.Stream, "estimate-"); ok && e.Version == 0 {
			ids = append(ids, id)
		}
	}
	return ids
}
