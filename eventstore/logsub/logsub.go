// Package logsub is a Watermill subscriber that tails the global event log
// for consumer groups. Each topic is a consumer group (a projection): the
// subscriber resumes after the group's checkpoint, gathers the events at
// hand into one message (a batch, in log order), and sends the next batch
// only once the previous one is acked; a nacked batch is sent again after a
// pause. Delivery is at least once; consumers keep their checkpoint in the
// same transaction as their rows, so they apply each event once.
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
	Logger  watermill.LoggerAdapter
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
func (s *Subscriber) deliverFrom(ctx context.Context, group string, pos domain.Position, out chan<- *message.Message) error {
	sub, err := s.cfg.Store.Subscribe(ctx, pos)
	if err != nil {
		return err
	}
	defer sub.Close()
	for {
		batch, err := s.gather(ctx, sub)
		if err != nil {
			return err
		}
		if err := s.deliver(ctx, batch, out); err != nil {
			return err
		}
	}
}

// gather waits for one event, then takes the events at hand, up to MaxBatch.
func (s *Subscriber) gather(ctx context.Context, sub domain.Subscription) ([]domain.RecordedEvent, error) {
	first, err := sub.Next(ctx)
	if err != nil {
		return nil, err
	}
	batch := []domain.RecordedEvent{first}
	done, cancel := context.WithCancel(ctx)
	cancel()
	for len(batch) < s.cfg.MaxBatch {
		e, err := sub.Next(done)
		if err != nil {
			break
		}
		batch = append(batch, e)
	}
	return batch, nil
}

// deliver sends a batch until it is acked.
func (s *Subscriber) deliver(ctx context.Context, batch []domain.RecordedEvent, out chan<- *message.Message) error {
	payload := domain.MarshalEvents(batch)
	last := batch[len(batch)-1]
	for {
		msg := message.NewMessage(last.ID, payload)
		msg.Metadata.Set(MetaFirstPosition, batch[0].Position.String())
		msg.Metadata.Set(MetaLastPosition, last.Position.String())
		msg.Metadata.Set(MetaCount, itoa(len(batch)))
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
