// Package logsub is a Watermill subscriber that tails the global event log
// for consumer groups. Each topic is a consumer group (a projection): the
// subscriber resumes after the group's checkpoint, gathers the events at
// hand into one message (a batch, in log order), and sends the next batch
// only once the previous one is acked; a nacked batch is sent again after a
// pause. Delivery is at least once; consumers keep their checkpoint in the
// same transaction as their rows, so they apply each event once.
//
// When the store's subscription reads past events it does not deliver and
// says how far it got (domain.ProgressSubscription), the subscriber also
// sends messages without events that carry that position
// (domain.MarshalProgress), each once every batch before it is acked, at
// most one every ProgressEvery: a consumer that acks one has applied
// everything before the position and may take it as its checkpoint.
package logsub

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"

	"carecost/domain"
)

// Metadata keys set on every message.
const (
	MetaFirstPosition = "first_position"
	MetaLastPosition  = "last_position"
	MetaCount         = "count"
)

// Config configures a Subscriber.
type Config struct {
	Store domain.EventStore
	// Resume returns the position after which a consumer group resumes (its
	// checkpoint).
	Resume func(ctx context.Context, group string) (domain.Position, error)
	// MaxBatch bounds the events in one message (default 1000).
	MaxBatch int
	// Backoff is the pause before a nacked batch is sent again and before a
	// failed subscription is opened again (default 100 ms).
	Backoff time.Duration
	// ProgressEvery is the shortest time between two messages that carry
	// progress alone (default 1 s); a later progress waits, and goes out
	// when that time has passed, unless an event comes first.
	ProgressEvery time.Duration
	Logger        watermill.LoggerAdapter
}

// Subscriber is a message.Subscriber over the event log.
type Subscriber struct {
	cfg     Config
	closing chan struct{}
	once    sync.Once
	wg      sync.WaitGroup
}

// New returns a Subscriber.
func New(cfg Config) *Subscriber {
	if cfg.MaxBatch <= 0 {
		cfg.MaxBatch = 1000
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = 100 * time.Millisecond
	}
	if cfg.ProgressEvery <= 0 {
		cfg.ProgressEvery = time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = watermill.NopLogger{}
	}
	return &Subscriber{cfg: cfg, closing: make(chan struct{})}
}

// Subscribe starts tailing the log for the consumer group named topic. The
// channel closes when ctx ends or the Subscriber is closed.
func (s *Subscriber) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	select {
	case <-s.closing:
		return nil, errors.New("logsub: subscriber closed")
	default:
	}
	out := make(chan *message.Message)
	ctx, cancel := context.WithCancel(ctx)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(out)
		defer cancel()
		go func() {
			select {
			case <-s.closing:
				cancel()
			case <-ctx.Done():
			}
		}()
		s.tail(ctx, topic, out)
	}()
	return out, nil
}

// Close stops every subscription and waits for them to end.
func (s *Subscriber) Close() error {
	s.once.Do(func() { close(s.closing) })
	s.wg.Wait()
	return nil
}

// tail delivers batches to out until ctx ends, opening the log subscription
// again after a failure.
func (s *Subscriber) tail(ctx context.Context, group string, out chan<- *message.Message) {
	fields := watermill.LogFields{"consumer_group": group}
	for ctx.Err() == nil {
		pos, err := s.cfg.Resume(ctx, group)
		if err == nil {
			err = s.deliverFrom(ctx, group, pos, out)
		}
		if err != nil && ctx.Err() == nil {
			s.cfg.Logger.Error("log subscription failed; resuming", err, fields)
			sleep(ctx, s.cfg.Backoff)
		}
	}
}

// deliverFrom subscribes after pos and delivers batches until an error.
// Progress (a position alone) waits in held until ProgressEvery has passed
// since the last one went out; a batch of events makes it moot, since the
// batch comes after it.
func (s *Subscriber) deliverFrom(ctx context.Context, group string, pos domain.Position, out chan<- *message.Message) error {
	sub, err := s.cfg.Store.Subscribe(ctx, pos)
	if err != nil {
		return err
	}
	defer sub.Close()
	var held domain.Position
	var sent time.Time
	for {
		wctx, cancel := ctx, context.CancelFunc(func() {})
		if !held.IsZero() {
			wctx, cancel = context.WithDeadline(ctx, sent.Add(s.cfg.ProgressEvery))
		}
		batch, progress, err := s.gather(wctx, sub)
		cancel()
		switch {
		case err != nil && (held.IsZero() || ctx.Err() != nil || !errors.Is(err, context.DeadlineExceeded)):
			return err
		case err == nil && len(batch) > 0:
			if err := s.deliver(ctx, domain.MarshalEvents(batch), batch[0].Position, batch[len(batch)-1], len(batch), out); err != nil {
				return err
			}
			held = domain.Position{}
		}
		if !progress.IsZero() {
			held = progress
		}
		if !held.IsZero() && time.Since(sent) >= s.cfg.ProgressEvery {
			if err := s.deliver(ctx, domain.MarshalProgress(held), held, domain.RecordedEvent{ID: watermill.NewUUID(), Position: held}, 0, out); err != nil {
				return err
			}
			held, sent = domain.Position{}, time.Now()
		}
	}
}

// gather waits for one event or progress, then takes the events at hand,
// up to MaxBatch; progress ends the batch and comes back beside it.
func (s *Subscriber) gather(ctx context.Context, sub domain.Subscription) ([]domain.RecordedEvent, domain.Position, error) {
	next := func(ctx context.Context) (domain.RecordedEvent, domain.Position, error) {
		e, err := sub.Next(ctx)
		return e, domain.Position{}, err
	}
	if ps, ok := sub.(domain.ProgressSubscription); ok {
		next = ps.NextOrProgress
	}
	first, progress, err := next(ctx)
	if err != nil || !progress.IsZero() {
		return nil, progress, err
	}
	batch := []domain.RecordedEvent{first}
	done, cancel := context.WithCancel(ctx)
	cancel()
	for len(batch) < s.cfg.MaxBatch {
		e, progress, err := next(done)
		if err != nil {
			break
		}
		if !progress.IsZero() {
			return batch, progress, nil
		}
		batch = append(batch, e)
	}
	return batch, domain.Position{}, nil
}

// deliver sends a message (a batch, or progress alone) until it is acked.
func (s *Subscriber) deliver(ctx context.Context, payload []byte, first domain.Position, last domain.RecordedEvent, count int, out chan<- *message.Message) error {
	for {
		msg := message.NewMessage(last.ID, payload)
		msg.Metadata.Set(MetaFirstPosition, first.String())
		msg.Metadata.Set(MetaLastPosition, last.Position.String())
		msg.Metadata.Set(MetaCount, itoa(count))
		msgCtx, cancel := context.WithCancel(ctx)
		msg.SetContext(msgCtx)
		select {
		case out <- msg:
		case <-ctx.Done():
			cancel()
			return ctx.Err()
		}
		select {
		case <-msg.Acked():
			cancel()
			return nil
		case <-msg.Nacked():
			cancel()
			sleep(ctx, s.cfg.Backoff)
		case <-ctx.Done():
			cancel()
			return ctx.Err()
		}
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
