package esdb

import (
	"context"
	"fmt"
	"sync"
	"time"

	kdb "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"carecost/domain"
)

// subscription is a catch-up subscription to $all with a server-side filter
// on the application's type prefix. A goroutine receives from the server
// into a small buffer that Next reads; when the server drops the
// subscription (an outage, a leader change) it opens it again, after the
// last position it received, with growing pauses, so the consumer sees each
// event once and in order across the gap.
type subscription struct {
	s      *Store
	ctx    context.Context // ends when the subscription or the store closes
	cancel context.CancelFunc
	events chan domain.RecordedEvent
	closed chan struct{}
	once   sync.Once

	// target is the application's last position when the subscription
	// began: up to it, events are stored already and "at hand" for a Next
	// with a done ctx, even when they are still on their way from the server.
	target domain.Position
	last   domain.Position // position of the last event Next returned

	// Owned by the receiving goroutine.
	resume domain.Position // the last position received: an event's or a checkpoint's
	peek   bool            // resume is a checkpoint's, see reopen
}

// Subscribe returns a subscription to the application's events after the
// position after (exclusive, as subscriptions to $all are), first those
// stored, then live ones. ctx bounds only the call; the subscription lasts
// until it or the Store is closed.
func (s *Store) Subscribe(ctx context.Context, after domain.Position) (domain.Subscription, error) {
	const op = "subscribe"
	target, err := s.Head(ctx)
	if err != nil {
		return nil, err
	}
	sctx, cancel := context.WithCancel(s.life)
	sub := &subscription{
		s: s, ctx: sctx, cancel: cancel,
		events: make(chan domain.RecordedEvent, 256),
		closed: make(chan struct{}),
		target: target, last: after, resume: after,
	}
	inner, err := sub.open(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	s.mu.Lock()
	if s.subs == nil {
		s.mu.Unlock()
		cancel()
		inner.Close()
		return nil, errClosed(op)
	}
	s.subs[sub] = struct{}{}
	s.mu.Unlock()
	go sub.run(inner)
	return sub, nil
}

// open subscribes to $all after sub.resume; the server must confirm within
// the store's deadline and before ctx ends.
func (sub *subscription) open(ctx context.Context) (*kdb.Subscription, error) {
	const op = "subscribe"
	s := sub.s
	c, err := s.get(op)
	if err != nil {
		return nil, err
	}
	var from kdb.AllPosition = kdb.Start{}
	if !sub.resume.IsZero() {
		from = kdb.Position{Commit: sub.resume.Commit, Prepare: sub.resume.Prepare}
	}
	octx, ocancel := context.WithCancel(sub.ctx)
	timer := time.AfterFunc(s.cfg.timeout, ocancel)
	stop := context.AfterFunc(ctx, ocancel)
	inner, err := c.SubscribeToAll(octx, kdb.SubscribeToAllOptions{
		From:   from,
		Filter: &kdb.SubscriptionFilter{Type: kdb.EventFilterType, Prefixes: []string{s.cfg.prefix}},
	})
	inTime, inCtx := timer.Stop(), stop()
	s.failed(c, err)
	switch {
	case err == nil && inTime && inCtx:
		return inner, nil
	case err == nil:
		inner.Close()
		err = context.DeadlineExceeded
	}
	ocancel()
	return nil, s.wrap(ctx, op, err)
}

// run receives from the server until the subscription closes.
func (sub *subscription) run(inner *kdb.Subscription) {
	for {
		se := inner.Recv()
		switch {
		case se.EventAppeared != nil:
			e := se.EventAppeared.Event
			if e == nil {
				continue
			}
			p := position(e.Position)
			if !sub.resume.IsZero() && !sub.resume.Less(p) {
				continue // at or before where it resumed: delivered already
			}
			sub.resume, sub.peek = p, false
			if sub.s.ours(e) && !sub.send(recorded(e)) {
				inner.Close()
				return
			}
		case se.CheckPointReached != nil:
			if p := position(*se.CheckPointReached); sub.resume.Less(p) {
				sub.resume, sub.peek = p, true
			}
		case se.SubscriptionDropped != nil:
			inner.Close()
			if inner = sub.reopen(); inner == nil {
				return
			}
		}
	}
}

// send hands e to Next; false when the subscription closed first.
func (sub *subscription) send(e domain.RecordedEvent) bool {
	select {
	case sub.events <- e:
		return true
	case <-sub.closed:
		return false
	}
}

// reopen subscribes again after the last position received, pausing before
// each try (longer each time), until it succeeds or the subscription
// closes. When that position is a checkpoint's, the event at the checkpoint
// itself is read first: a server may checkpoint at the position it will
// read next rather than the last it filtered out, and a subscription starts
// after its position.
func (sub *subscription) reopen() *kdb.Subscription {
	s := sub.s
	delay := s.cfg.backoff
	for {
		select {
		case <-sub.closed:
			return nil
		case <-time.After(delay):
		}
		delay = min(2*delay, s.cfg.maxDelay)
		if sub.peek {
			at, err := s.readAt(sub.ctx, sub.resume)
			if err != nil {
				continue
			}
			sub.peek = false
			if at != nil && s.ours(at) && !sub.send(recorded(at)) {
				return nil
			}
		}
		if inner, err := sub.open(sub.ctx); err == nil {
			return inner
		}
	}
}

// readAt returns the event at position p of $all, nil when there is none.
func (s *Store) readAt(ctx context.Context, p domain.Position) (*kdb.RecordedEvent, error) {
	c, err := s.get("read all")
	if err != nil {
		return nil, err
	}
	page, err := s.drain(ctx, c, "read all", func(ctx context.Context) (*kdb.ReadStream, error) {
		return c.ReadAll(ctx, kdb.ReadAllOptions{Direction: kdb.Forwards, From: kdb.Position{Commit: p.Commit, Prepare: p.Prepare}}, 1)
	})
	if err != nil || len(page) == 0 || position(page[0].Position) != p {
		return nil, err
	}
	return page[0], nil
}

// Next returns the next event, waiting for one when the subscription has
// caught up. With a ctx that is already done it still returns the events
// that were stored when the subscription began (waiting at most the store's
// deadline for them to arrive), and ctx's error once past them.
func (sub *subscription) Next(ctx context.Context) (domain.RecordedEvent, error) {
	select {
	case <-sub.closed:
		return domain.RecordedEvent{}, errClosed("next")
	default:
	}
	select {
	case e := <-sub.events:
		return sub.deliver(e), nil
	default:
	}
	wait := ctx.Done()
	if ctx.Err() != nil {
		if !sub.last.Less(sub.target) {
			return domain.RecordedEvent{}, fmt.Errorf("esdb: next: %w", ctx.Err())
		}
		wctx, cancel := context.WithTimeout(context.Background(), sub.s.cfg.timeout)
		defer cancel()
		wait = wctx.Done()
	}
	select {
	case e := <-sub.events:
		return sub.deliver(e), nil
	case <-sub.closed:
		return domain.RecordedEvent{}, errClosed("next")
	case <-wait:
		return domain.RecordedEvent{}, fmt.Errorf("esdb: next: %w", ctx.Err())
	}
}

func (sub *subscription) deliver(e domain.RecordedEvent) domain.RecordedEvent {
	sub.last = e.Position
	return e
}

// Close ends the subscription; a Next blocked in it returns ErrClosed.
func (sub *subscription) Close() error {
	sub.once.Do(func() {
		close(sub.closed)
		sub.cancel()
		sub.s.mu.Lock()
		delete(sub.s.subs, sub)
		sub.s.mu.Unlock()
	})
	return nil
}
