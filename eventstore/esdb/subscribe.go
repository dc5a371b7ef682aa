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
//
// The server's checkpoints (sent after each window of events the filter
// passed over) go through the same buffer, in order with the events, and
// NextOrProgress reports them once they are known to be safe (see take
// and verify): a checkpoint is where the server has read up to, and a
// server may send one at the position it will read next, which can be an
// event of ours still to come.
type subscription struct {
	s      *Store
	ctx    context.Context // ends when the subscription or the store closes
	cancel context.CancelFunc
	items  chan item
	closed chan struct{}
	once   sync.Once

	// target is the application's last position when the subscription
	// began: up to it, events are stored already and "at hand" for a Next
	// with a done ctx, even when they are still on their way from the server.
	target domain.Position
	// Owned by the consumer (Next, NextOrProgress).
	last      domain.Position // position of the last event or progress returned
	pending   domain.Position // the last checkpoint taken, not yet known to be safe
	confirmed domain.Position // a checkpoint known to be safe, not yet returned
	checked   domain.Position // the pending checkpoint verify looked at

	// Owned by the receiving goroutine.
	resume domain.Position // the last position received: an event's or a checkpoint's
	peek   bool            // resume is a checkpoint's, see reopen
}

// item is what the receiving goroutine hands to the consumer: an event, or
// (checkpoint not zero) a checkpoint of the server.
type item struct {
	e          domain.RecordedEvent
	checkpoint domain.Position
}

// settle is how long NextOrProgress waits, with nothing arriving after a
// checkpoint, before it reads the log at the checkpoint to learn whether
// the checkpoint is safe to report.
const settle = 200 * time.Millisecond

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
		items:  make(chan item, 256),
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
	s.running.Add(1) // under the lock: before Close waits, or Close came first and refused it above
	s.mu.Unlock()
	go func() {
		defer s.running.Done()
		sub.run(inner)
	}()
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
			if !sub.resume.IsZero() && (p.Less(sub.resume) || p == sub.resume && !sub.peek) {
				continue // before where it resumed, or the event it resumed after: delivered already
			}
			sub.resume, sub.peek = p, false
			if sub.s.ours(e) && !sub.send(item{e: recorded(e)}) {
				inner.Close()
				return
			}
		case se.CheckPointReached != nil:
			if p := position(*se.CheckPointReached); sub.resume.Less(p) {
				sub.resume, sub.peek = p, true
				if !sub.send(item{checkpoint: p}) {
					inner.Close()
					return
				}
			}
		case se.SubscriptionDropped != nil:
			inner.Close()
			if inner = sub.reopen(); inner == nil {
				return
			}
		}
	}
}

// send hands it to Next; false when the subscription closed first.
func (sub *subscription) send(it item) bool {
	select {
	case sub.items <- it:
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
			if at != nil && s.ours(at) && !sub.send(item{e: recorded(at)}) {
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
	e, err := s.readFrom(ctx, p)
	if err != nil || e == nil || position(e.Position) != p {
		return nil, err
	}
	return e, nil
}

// readFrom returns the first event of $all at or after position p, nil
// when there is none.
func (s *Store) readFrom(ctx context.Context, p domain.Position) (*kdb.RecordedEvent, error) {
	c, err := s.get("read all")
	if err != nil {
		return nil, err
	}
	page, err := s.drain(ctx, c, "read all", func(ctx context.Context) (*kdb.ReadStream, error) {
		return c.ReadAll(ctx, kdb.ReadAllOptions{Direction: kdb.Forwards, From: kdb.Position{Commit: p.Commit, Prepare: p.Prepare}}, 1)
	})
	if err != nil || len(page) == 0 {
		return nil, err
	}
	return page[0], nil
}

// Next returns the next event, waiting for one when the subscription has
// caught up. With a ctx that is already done it still returns the events
// that were stored when the subscription began (waiting at most the store's
// deadline for them to arrive), and ctx's error once past them.
func (sub *subscription) Next(ctx context.Context) (domain.RecordedEvent, error) {
	e, _, err := sub.next(ctx, false)
	return e, err
}

// NextOrProgress is Next, and returns a position alone when the server has
// read past events of others since the last event or position returned
// (domain.ProgressSubscription): the latest checkpoint known to be safe,
// when no event is at hand.
func (sub *subscription) NextOrProgress(ctx context.Context) (domain.RecordedEvent, domain.Position, error) {
	return sub.next(ctx, true)
}

func (sub *subscription) next(ctx context.Context, progress bool) (domain.RecordedEvent, domain.Position, error) {
	select {
	case <-sub.closed:
		return domain.RecordedEvent{}, domain.Position{}, errClosed("next")
	default:
	}
	var wait <-chan struct{}
	for {
		select {
		case it := <-sub.items:
			if sub.take(it) {
				return it.e, domain.Position{}, nil
			}
			continue
		default:
		}
		if progress && sub.last.Less(sub.confirmed) {
			sub.s.memo.note(sub.last, domain.Position{}, sub.confirmed)
			sub.last = sub.confirmed
			return domain.RecordedEvent{}, sub.confirmed, nil
		}
		if wait == nil {
			wait = ctx.Done()
			if ctx.Err() != nil {
				if !sub.last.Less(sub.target) {
					return domain.RecordedEvent{}, domain.Position{}, fmt.Errorf("esdb: next: %w", ctx.Err())
				}
				wctx, cancel := context.WithTimeout(context.Background(), sub.s.cfg.timeout)
				defer cancel()
				wait = wctx.Done()
			}
		}
		var timer *time.Timer
		var settled <-chan time.Time
		if progress && sub.last.Less(sub.pending) && sub.checked != sub.pending {
			timer = time.NewTimer(settle)
			settled = timer.C
		}
		select {
		case it := <-sub.items:
			stop(timer)
			if sub.take(it) {
				return it.e, domain.Position{}, nil
			}
		case <-sub.closed:
			stop(timer)
			return domain.RecordedEvent{}, domain.Position{}, errClosed("next")
		case <-wait:
			stop(timer)
			return domain.RecordedEvent{}, domain.Position{}, fmt.Errorf("esdb: next: %w", ctx.Err())
		case <-settled:
			sub.verify(ctx)
		}
	}
}

func stop(t *time.Timer) {
	if t != nil {
		t.Stop()
	}
}

// take takes an item off the buffer; true when it is an event, which Next
// returns. An event comes after every checkpoint taken before it, which it
// makes moot. A checkpoint makes the one taken before it safe: had the
// event at that position been ours and not delivered yet, the server would
// have sent it next.
func (sub *subscription) take(it item) bool {
	if it.checkpoint.IsZero() {
		sub.s.memo.note(sub.last, it.e.Position, it.e.Position)
		sub.last, sub.pending, sub.confirmed = it.e.Position, domain.Position{}, domain.Position{}
		return true
	}
	if !sub.pending.IsZero() {
		sub.confirmed = sub.pending
	}
	sub.pending = it.checkpoint
	return false
}

// verify reads the log at the pending checkpoint, which nothing followed
// for a while. When there is an event there that is not ours, or none
// there but one after it, the checkpoint is safe. When the event there is
// ours, the server will send it, and the checkpoint is dropped; when the
// log ends before the checkpoint, it may be where the next event lands,
// and it stays pending. A read that fails leaves it pending too. Each
// checkpoint is read at most once.
func (sub *subscription) verify(ctx context.Context) {
	p := sub.pending
	sub.checked = p
	rctx, cancel := context.WithCancel(sub.ctx)
	defer cancel()
	defer context.AfterFunc(ctx, cancel)()
	at, err := sub.s.readFrom(rctx, p)
	switch {
	case err != nil || at == nil:
	case position(at.Position) != p || !sub.s.ours(at):
		sub.confirmed, sub.pending = p, domain.Position{}
	default:
		sub.pending = domain.Position{}
	}
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
