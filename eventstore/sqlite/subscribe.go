package sqlite

import (
	"context"
	"fmt"
	"math"
	"sync"

	"carecost/domain"
)

// subscription reads the log in pages from the last position it delivered,
// and waits for the writer's next commit when it has caught up. Reading
// always from the last delivered position, never from what a notification
// said, is what keeps it from skipping or repeating an event at the switch
// from catching up to live.
type subscription struct {
	s      *Store
	last   uint64 // position of the last event delivered
	buf    []domain.RecordedEvent
	i      int // next event of buf to deliver
	closed chan struct{}
	once   sync.Once
}

// Subscribe returns a subscription to every event after position after, in
// log order: first the stored ones, then live ones as they are committed.
// ctx bounds only the call itself; Next takes its own. The subscription
// ends with domain.ErrClosed when it or the Store is closed.
func (s *Store) Subscribe(ctx context.Context, after domain.Position) (domain.Subscription, error) {
	if s.closed.Load() {
		return nil, errClosed("subscribe")
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: subscribe: %w", err)
	}
	return &subscription{
		s:      s,
		last:   after.Commit,
		buf:    make([]domain.RecordedEvent, 0, s.cfg.catchUpPage),
		closed: make(chan struct{}),
	}, nil
}

// Next returns the next event, waiting for one when the subscription has
// caught up. It returns ctx's error when ctx ends first and a wrapped
// domain.ErrClosed once the subscription or the Store is closed. With a ctx
// that is already done it still returns the events already committed, as
// reading them does not wait, and ctx's error once it has caught up: a
// consumer gathers a batch that way. Next is meant for one consumer
// goroutine.
func (sub *subscription) Next(ctx context.Context) (domain.RecordedEvent, error) {
	for {
		if err := sub.ended(); err != nil {
			return domain.RecordedEvent{}, err
		}
		if sub.i < len(sub.buf) {
			return sub.deliver(), nil
		}
		// Take the wake-up channel before looking at the head, so a commit
		// landing in between still wakes us.
		changed := sub.s.changed()
		if sub.s.head.Load() > sub.last {
			if err := sub.fill(ctx); err != nil {
				return domain.RecordedEvent{}, err
			}
			if len(sub.buf) > 0 {
				continue
			}
		}
		if err := sub.wait(ctx, changed); err != nil {
			return domain.RecordedEvent{}, err
		}
	}
}

// wait blocks until changed is closed, the subscription or the store is
// closed (Next then reports it), or ctx ends.
func (sub *subscription) wait(ctx context.Context, changed <-chan struct{}) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("sqlite: subscription: %w", err)
	}
	sub.s.waiting.Add(1)
	defer sub.s.waiting.Add(-1)
	select {
	case <-changed:
	case <-ctx.Done():
		return fmt.Errorf("sqlite: subscription: %w", ctx.Err())
	case <-sub.closed:
	case <-sub.s.done:
	}
	return nil
}

// deliver hands out the next buffered event and remembers its position.
func (sub *subscription) deliver() domain.RecordedEvent {
	e := sub.buf[sub.i]
	sub.buf[sub.i] = domain.RecordedEvent{}
	sub.i++
	sub.last = e.Position.Commit
	return e
}

// fill reads the next page after the last delivered event. A page read
// does not wait for new events, so it runs even when ctx is already done.
func (sub *subscription) fill(ctx context.Context) error {
	if ctx.Err() != nil {
		ctx = context.WithoutCancel(ctx)
	}
	buf, err := sub.s.readAll(ctx, sub.last, math.MaxInt64, sub.s.cfg.catchUpPage, sub.buf[:0])
	if err != nil {
		if e := sub.ended(); e != nil {
			return e
		}
		return sub.s.readErr("subscription", err)
	}
	sub.buf, sub.i = buf, 0
	return nil
}

func (sub *subscription) ended() error {
	select {
	case <-sub.closed:
		return fmt.Errorf("sqlite: subscription: %w", domain.ErrClosed)
	case <-sub.s.done:
		return errClosed("subscription")
	default:
		return nil
	}
}

// Close ends the subscription: Next returns domain.ErrClosed from then on.
// Closing twice is harmless.
func (sub *subscription) Close() error {
	sub.once.Do(func() { close(sub.closed) })
	return nil
}
