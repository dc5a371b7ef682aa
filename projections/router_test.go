package projections_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/prometheus/client_golang/prometheus"

	"carecost/domain"
	"carecost/domain/memstore"
	"carecost/projections"
)

// Live, a stopped projection's handler holds its batch without trying it
// again while the others go on; a skip resumes it at once, past exactly the
// skipped event.
func TestLiveStopHoldsAndSkipResumes(t *testing.T) {
	store := memstore.New()
	evs := appendN(t, store, "s-1", 6)
	bad := evs[2]
	fl := newFlaky("flaky").failOn(bad.ID, failing{err: errors.New("flaky: no")})
	b := newBench(t, store, "", fl, newFlaky("healthy"))
	publish, _ := startRouter(t, b)
	publish("flaky", evs[:4])
	publish("flaky", evs[4:])
	publish("healthy", evs[:4])

	long, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if err := b.runner.WaitFor(long, evs[5].Position); !errors.Is(err, projections.ErrStopped) {
		t.Fatalf("WaitFor: %v", err)
	}
	tried := fl.triesOf(bad.ID)
	publish("healthy", evs[4:])
	waitUntil(t, func() bool { return b.runner.Checkpoint("healthy") == evs[5].Position })
	assertEq(t, "tries while stopped", fl.triesOf(bad.ID), tried)
	assertEq(t, "checkpoint while stopped", b.runner.Checkpoint("flaky"), evs[1].Position)

	_, err := b.runner.Skip(ctx, operator, projections.SkipRequest{Projection: "flaky", Position: bad.Position, Reason: "r"})
	must(t, err)
	must(t, b.runner.WaitFor(long, evs[5].Position))
	fl.wantPositions(t, b.path, "[1 2 4 5 6]")
	if n := fl.triesOf(bad.ID); n > 2*tried {
		t.Errorf("tried %d times after the skip, %d before", n, tried)
	}
}

// A router stops at once while a stopped projection's handler holds its
// batch.
func TestRouterClosesWhileStopped(t *testing.T) {
	store := memstore.New()
	evs := appendN(t, store, "s-1", 2)
	b := newBench(t, store, "", newFlaky("flaky").failOn(evs[1].ID, failing{err: errors.New("flaky: no")}))
	publish, router := startRouter(t, b)
	publish("flaky", evs)
	if err := b.runner.WaitFor(ctx, evs[1].Position); !errors.Is(err, projections.ErrStopped) {
		t.Fatalf("WaitFor: %v", err)
	}
	must(t, router.Close())
}

// startRouter runs the runner's router over a queue until the test ends;
// publish hands a batch to a projection's handler.
func startRouter(t *testing.T, b *bench) (publish func(string, []domain.RecordedEvent), router *message.Router) {
	t.Helper()
	q := newQueue()
	router, err := b.runner.NewRouter(q, prometheus.NewRegistry(), watermill.NopLogger{})
	must(t, err)
	go router.Run(context.Background())
	<-router.Running()
	t.Cleanup(func() { router.Close() })
	return func(topic string, events []domain.RecordedEvent) {
		q.publish(topic, message.NewMessage(watermill.NewUUID(), domain.MarshalEvents(events)))
	}, router
}

// waitUntil waits until cond holds, failing the test after a minute.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the condition never held")
		}
	}
}

// queue is a message.Subscriber that hands each topic's messages out one at
// a time, in order, the next once the previous is acked (a nacked one comes
// again), as the log subscriber does.
type queue struct {
	mu     sync.Mutex
	topics map[string]chan *message.Message
	ctx    context.Context // ends when the queue closes
	done   <-chan struct{}
	cancel context.CancelFunc
}

func newQueue() *queue {
	ctx, cancel := context.WithCancel(context.Background())
	return &queue{topics: map[string]chan *message.Message{}, ctx: ctx, done: ctx.Done(), cancel: cancel}
}

func (q *queue) topic(name string) chan *message.Message {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.topics[name] == nil {
		q.topics[name] = make(chan *message.Message, 100)
	}
	return q.topics[name]
}

func (q *queue) publish(topic string, m *message.Message) { q.topic(topic) <- m }

// Subscribe implements message.Subscriber.
func (q *queue) Subscribe(ctx context.Context, topic string) (<-chan *message.Message, error) {
	in, out := q.topic(topic), make(chan *message.Message)
	go func() {
		defer close(out)
		for {
			var m *message.Message
			select {
			case m = <-in:
			case <-q.done:
				return
			}
			for acked := false; !acked; {
				m = m.Copy()
				m.SetContext(q.ctx)
				select {
				case out <- m:
				case <-q.done:
					return
				}
				select {
				case <-m.Acked():
					acked = true
				case <-m.Nacked():
				case <-q.done:
					return
				}
			}
		}
	}()
	return out, nil
}

// Close implements message.Subscriber.
func (q *queue) Close() error {
	q.cancel()
	return nil
}
