package logsub_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"

	"carecost/domain"
	"carecost/domain/memstore"
	"carecost/eventstore/logsub"
)

func appendN(t *testing.T, s domain.EventStore, stream string, n int) {
	t.Helper()
	for i := range n {
		e := domain.EventData{ID: domain.NewID(), Type: "test.event", Data: []byte(fmt.Sprintf(`{"i":%d}`, i))}
		if _, err := s.Append(context.Background(), stream, domain.AnyVersion, e); err != nil {
			t.Fatal(err)
		}
	}
}

func receive(t *testing.T, ch <-chan *message.Message) (*message.Message, []domain.RecordedEvent) {
	t.Helper()
	select {
	case m := <-ch:
		evs, err := domain.UnmarshalEvents(m.Payload)
		if err != nil {
			t.Fatal(err)
		}
		return m, evs
	case <-time.After(5 * time.Second):
		t.Fatal("no message")
	}
	return nil, nil
}

func TestBatchesResumeAndRedeliver(t *testing.T) {
	store := memstore.New()
	appendN(t, store, "s-1", 5)
	sub := logsub.New(logsub.Config{Store: store, Backoff: time.Millisecond,
		Resume: func(_ context.Context, group string) (domain.Position, error) { return domain.SeqPosition(2), nil }})
	defer sub.Close()
	ch, err := sub.Subscribe(context.Background(), "estimates")
	if err != nil {
		t.Fatal(err)
	}
	m, evs := receive(t, ch)
	if len(evs) != 3 || evs[0].Position != domain.SeqPosition(3) || m.Metadata.Get(logsub.MetaLastPosition) != "5" {
		t.Fatalf("first batch: %d events from %v, last %s", len(evs), evs[0].Position, m.Metadata.Get(logsub.MetaLastPosition))
	}
	m.Nack()
	m2, again := receive(t, ch)
	if len(again) != 3 || again[0].ID != evs[0].ID {
		t.Fatalf("a nacked batch comes again: got %d events", len(again))
	}
	m2.Ack()
	appendN(t, store, "s-2", 1)
	m3, live := receive(t, ch)
	if len(live) != 1 || live[0].Position != domain.SeqPosition(6) {
		t.Fatalf("live: %+v", live)
	}
	m3.Ack()
	sub.Close()
	select {
	case _, open := <-ch:
		if open {
			t.Error("a message after Close")
		}
	case <-time.After(5 * time.Second):
		t.Error("channel not closed after Close")
	}
}

func TestMaxBatch(t *testing.T) {
	store := memstore.New()
	appendN(t, store, "s", 25)
	sub := logsub.New(logsub.Config{Store: store, MaxBatch: 10,
		Resume: func(context.Context, string) (domain.Position, error) { return domain.Position{}, nil }})
	defer sub.Close()
	ch, _ := sub.Subscribe(context.Background(), "g")
	var sizes []int
	for len(sizes) < 3 {
		m, evs := receive(t, ch)
		sizes = append(sizes, len(evs))
		m.Ack()
	}
	if fmt.Sprint(sizes) != "[10 10 5]" {
		t.Errorf("batch sizes %v, want [10 10 5]", sizes)
	}
}

// A batch neither acked nor nacked holds back the next one; Close ends the
// subscription anyway, and the held message's context with it (a consumer
// waiting on it returns).
func TestCloseWhileABatchIsHeld(t *testing.T) {
	store := memstore.New()
	appendN(t, store, "s", 2)
	sub := logsub.New(logsub.Config{Store: store, MaxBatch: 1,
		Resume: func(context.Context, string) (domain.Position, error) { return domain.Position{}, nil }})
	ch, err := sub.Subscribe(context.Background(), "g")
	if err != nil {
		t.Fatal(err)
	}
	held, _ := receive(t, ch)
	select {
	case m := <-ch:
		t.Fatalf("a second batch while the first is held: %v", m)
	default:
	}
	if err := sub.Close(); err != nil {
		t.Fatal(err)
	}
	<-held.Context().Done()
	for m := range ch {
		t.Errorf("a message after Close: %v", m)
	}
}
