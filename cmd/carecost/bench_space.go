package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"strings"
	"sync"

	"carecost/domain"
)

// benchSpace is the part of a shared store that one part of one bench run
// writes: streams whose names begin with its prefix (bench-RUN-PART-), and
// the log after start (the head when the part began). Every store carecost
// opens for that part is wrapped in it (spaceStore): carecost then sees a
// log of its own, holding only what the part wrote, and never writes,
// reads into its read models or replays anything else of the store.
type benchSpace struct {
	prefix string
	start  domain.Position

	mu       sync.Mutex
	last     domain.Position // the part's last event seen
	appended int             // events the part appended
}

// newBenchRun returns the id of a bench run: the streams it writes into a
// shared store are named bench-ID-PART-...
func newBenchRun() string {
	b := make([]byte, 6)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// newBenchSpace opens the space of part in store: it begins after the
// store's present head.
func newBenchSpace(ctx context.Context, store domain.EventStore, run, part string) (*benchSpace, error) {
	head, err := store.Head(ctx)
	if err != nil {
		return nil, err
	}
	return &benchSpace{prefix: "bench-" + run + "-" + part + "-", start: head}, nil
}

func (b *benchSpace) saw(p domain.Position, appended int) {
	b.mu.Lock()
	b.last = b.last.Max(p)
	b.appended += appended
	b.mu.Unlock()
}

// events returns how many events the part appended.
func (b *benchSpace) events() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.appended
}

// wrap returns store seen through the space.
func (b *benchSpace) wrap(store domain.EventStore) domain.EventStore {
	return &spaceStore{inner: store, space: b}
}

// spaceStore is a store seen through a benchSpace: stream names gain the
// space's prefix on the way in and lose it on the way out; the log begins
// after the space's start and holds only the space's streams.
type spaceStore struct {
	inner domain.EventStore
	space *benchSpace
}

func (s *spaceStore) Append(ctx context.Context, stream string, expected domain.ExpectedVersion, events ...domain.EventData) (domain.AppendResult, error) {
	r, err := s.inner.Append(ctx, s.space.prefix+stream, expected, events...)
	if err == nil {
		s.space.saw(r.Position, len(events))
	}
	return r, err
}

func (s *spaceStore) ReadStream(ctx context.Context, stream string, opts domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	evs, err := s.inner.ReadStream(ctx, s.space.prefix+stream, opts)
	for i := range evs {
		evs[i].Stream = stream
	}
	return evs, err
}

// own keeps the events of the space's streams, without the prefix.
func (s *spaceStore) own(evs []domain.RecordedEvent) []domain.RecordedEvent {
	out := evs[:0]
	for _, e := range evs {
		if name, ok := strings.CutPrefix(e.Stream, s.space.prefix); ok {
			e.Stream = name
			out = append(out, e)
		}
	}
	if len(out) > 0 {
		s.space.saw(out[len(out)-1].Position, 0)
	}
	return out
}

func (s *spaceStore) from(after domain.Position) domain.Position {
	if after.Less(s.space.start) {
		return s.space.start
	}
	return after
}

func (s *spaceStore) ReadAll(ctx context.Context, opts domain.ReadAllOptions) ([]domain.RecordedEvent, error) {
	opts.After = s.from(opts.After)
	want := opts.Limit
	var out []domain.RecordedEvent
	for {
		evs, err := s.inner.ReadAll(ctx, opts)
		if err != nil {
			return nil, err
		}
		if len(evs) == 0 {
			return out, nil
		}
		last := evs[len(evs)-1].Position
		full := opts.Limit > 0 && len(evs) == opts.Limit
		out = append(out, s.own(evs)...)
		// Another writer's events were left out of a full page: read on
		// to fill it.
		if !full || len(out) >= want {
			return out, nil
		}
		opts.After, opts.Limit = last, want-len(out)
	}
}

func (s *spaceStore) Subscribe(ctx context.Context, after domain.Position) (domain.Subscription, error) {
	sub, err := s.inner.Subscribe(ctx, s.from(after))
	if err != nil {
		return nil, err
	}
	return &spaceSub{inner: sub, store: s}, nil
}

// Head asks the store (so a failure shows, and the call costs what it
// costs), but answers the space's last event: another writer's later
// events are not in the space's log.
func (s *spaceStore) Head(ctx context.Context) (domain.Position, error) {
	if _, err := s.inner.Head(ctx); err != nil {
		return domain.Position{}, err
	}
	s.space.mu.Lock()
	defer s.space.mu.Unlock()
	return s.space.last, nil
}

func (s *spaceStore) Close() error { return s.inner.Close() }

type spaceSub struct {
	inner domain.Subscription
	store *spaceStore
}

func (s *spaceSub) Next(ctx context.Context) (domain.RecordedEvent, error) {
	for {
		e, err := s.inner.Next(ctx)
		if err != nil {
			return e, err
		}
		if own := s.store.own([]domain.RecordedEvent{e}); len(own) == 1 {
			return own[0], nil
		}
	}
}

func (s *spaceSub) Close() error { return s.inner.Close() }
