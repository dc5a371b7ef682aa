package memstore

import (
	"context"
	"sync"

	"carecost/domain"
)

// Subscribe implements domain.EventStore: every event after the position,
// then live events.
func (s *Store) Subscribe(_ context.Context, after domain.Position) (domain.Subscription, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, domain.ErrClosed
	}
	return &subscription{s: s, next: int(after.Commit), done: make(chan struct{})}, nil
}

type subscription struct {
	s    *Store
	next int // index of the next event to deliver
	once sync.Once
	done chan struct{}
}

// Next implements domain.Subscription.
func (sub *subscription) Next(ctx context.Context) (domain.RecordedEvent, error) {
	for {
		select {
		case <-sub.done:
			return domain.RecordedEvent{}, domain.ErrClosed
		default:
		}
		sub.s.mu.Lock()
		closed, wake := sub.s.closed, sub.s.wake
		if sub.next < len(sub.s.events) && !closed {
			e := sub.s.events[sub.next]
			sub.next++
			sub.s.mu.Unlock()
			return e, nil
		}
		sub.s.mu.Unlock()
		if closed {
			return domain.RecordedEvent{}, domain.ErrClosed
		}
		select {
		case <-wake:
		case <-sub.done:
			return domain.RecordedEvent{}, domain.ErrClosed
		case <-ctx.Done():
			return domain.RecordedEvent{}, ctx.Err()
		}
	}
}

// Close implements domain.Subscription.
func (sub *subscription) Close() error {
	sub.once.Do(func() { close(sub.done) })
	return nil
}
