package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"carecost/domain"
)

func testSubscribeCatchUp(t *testing.T, h *harness) {
	f := h.fixture(t)
	head := f.mustHead()
	stream, evs := f.stream("sub"), f.events(5)
	f.mustAppend(stream, domain.NoStream, evs[:3]...)
	sub := f.mustSubscribe(head)
	got := f.mustNext(sub, 3)
	checkStream(t, got, stream, 0, evs[:3])
	f.mustWaitNothing(sub)

	done := make(chan error, 1)
	go func() {
		time.Sleep(20 * time.Millisecond)
		_, err := f.s.Append(f.ctx, stream, domain.ExactVersion(2), evs[3:]...)
		done <- err
	}()
	got = append(got, f.mustNext(sub, 2)...)
	if err := <-done; err != nil {
		t.Fatalf("live append: %v", err)
	}
	checkStream(t, got, stream, 0, evs)
	checkSameEvents(t, got, f.mustReadAll(domain.ReadAllOptions{After: head}))
	f.mustWaitNothing(sub)
}

func testSubscribeResume(t *testing.T, h *harness) {
	f := h.fixture(t)
	head := f.mustHead()
	stream, evs := f.stream("resume"), f.events(5)
	for i := range 4 {
		f.mustAppend(stream, domain.ExpectedVersion(i-1), evs[i])
	}
	sub := f.mustSubscribe(head)
	handled := f.mustNext(sub, 2)
	// The consumer keeps its checkpoint as text, the way it stores it.
	checkpoint, err := handled[1].Position.MarshalText()
	if err != nil {
		t.Fatalf("MarshalText: %v", err)
	}
	sub.Close()

	f.restart()
	f.mustAppend(stream, domain.ExactVersion(3), evs[4])
	var after domain.Position
	if err := after.UnmarshalText(checkpoint); err != nil {
		t.Fatalf("UnmarshalText(%q): %v", checkpoint, err)
	}
	sub = f.mustSubscribe(after)
	checkStream(t, f.mustNext(sub, 3), stream, 2, evs[2:])
	f.mustWaitNothing(sub)
}

func testSubscribeConcurrent(t *testing.T, h *harness) {
	const writers, each = 8, 20
	f := h.fixture(t)
	head := f.mustHead()
	sub := f.mustSubscribe(head)
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		stream := f.stream(fmt.Sprint("writer", w))
		wg.Go(func() {
			for i := range each {
				if _, err := f.s.Append(f.ctx, stream, domain.ExpectedVersion(i-1), f.events(1)...); err != nil {
					errs <- fmt.Errorf("writer %d, append %d: %w", w, i, err)
					return
				}
			}
		})
	}
	got := f.mustNext(sub, writers*each)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	checkIncreasing(t, got)
	checkSameEvents(t, got, f.mustReadAll(domain.ReadAllOptions{After: head}))
	f.mustWaitNothing(sub)
}

func testSubscriptionClose(t *testing.T, h *harness) {
	f := h.fixture(t)
	head := f.mustHead()
	f.mustAppend(f.stream("sub"), domain.NoStream, f.events(2)...)
	sub := f.mustSubscribe(head)
	f.mustNext(sub, 1)
	if err := sub.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	ctx, cancel := context.WithTimeout(f.ctx, 5*time.Second)
	defer cancel()
	if e, err := sub.Next(ctx); !errors.Is(err, domain.ErrClosed) {
		t.Errorf("Next after Close: got event %q and error %v, want ErrClosed", e.ID, err)
	}
	// A subscription blocked in Next is released by Close.
	live := f.mustSubscribe(f.mustHead())
	released := make(chan error, 1)
	go func() {
		_, err := live.Next(ctx)
		released <- err
	}()
	time.Sleep(20 * time.Millisecond)
	live.Close()
	if err := <-released; !errors.Is(err, domain.ErrClosed) {
		t.Errorf("blocked Next when closed: got error %v, want ErrClosed", err)
	}
}

// testNextDone follows the port: with a ctx that is already done, Next
// returns only events at hand, in order, and an error instead of waiting.
func testNextDone(t *testing.T, h *harness) {
	f := h.fixture(t)
	head := f.mustHead()
	stream, evs := f.stream("done"), f.events(5)
	f.mustAppend(stream, domain.NoStream, evs...)
	sub := f.mustSubscribe(head)
	done, cancel := context.WithCancel(f.ctx)
	cancel()
	got := append(f.mustNext(sub, 1), f.nextAtHand(sub, done)...)
	if len(got) > len(evs) {
		t.Fatalf("Next with a done context: got %d events, only %d exist", len(got), len(evs))
	}
	got = append(got, f.mustNext(sub, len(evs)-len(got))...)
	checkStream(t, got, stream, 0, evs)
	if rest := f.nextAtHand(sub, done); len(rest) != 0 {
		t.Errorf("Next with a done context once caught up: got events %v, want an error", recordedIDs(rest))
	}
}

// nextAtHand calls Next with the done ctx until it returns an error, failing
// the test if a call waits.
func (f *fixture) nextAtHand(sub domain.Subscription, done context.Context) []domain.RecordedEvent {
	f.t.Helper()
	out := make(chan []domain.RecordedEvent, 1)
	go func() {
		var evs []domain.RecordedEvent
		for range 100 {
			e, err := sub.Next(done)
			if err != nil {
				break
			}
			evs = append(evs, e)
		}
		out <- evs
	}()
	select {
	case evs := <-out:
		return evs
	case <-time.After(10 * time.Second):
		f.t.Fatal("Next with a done context waited")
		return nil
	}
}
