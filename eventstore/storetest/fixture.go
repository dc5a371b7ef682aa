package storetest

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"carecost/domain"
)

// harness is what Run shares between its subtests.
type harness struct {
	open   Open
	cfg    config
	prefix string
	seq    atomic.Int64
}

// fixture is one subtest's store and its helpers. Every helper whose name
// starts with must fails the test on an error.
type fixture struct {
	t      *testing.T
	h      *harness
	ctx    context.Context
	s      domain.EventStore
	reopen Reopen
	closed bool
}

// fixture opens a store for t; it is closed when t ends.
func (h *harness) fixture(t *testing.T) *fixture {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	f := &fixture{t: t, h: h, ctx: ctx}
	f.s, f.reopen = h.open(t)
	t.Cleanup(func() {
		if !f.closed {
			if err := f.s.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		}
		cancel()
	})
	return f
}

// stream returns a stream name no other subtest or run uses.
func (f *fixture) stream(name string) string {
	return fmt.Sprintf("%s-%s-%d", f.h.prefix, name, f.h.seq.Add(1))
}

// events returns n new events with unique ids and JSON payloads.
func (f *fixture) events(n int) []domain.EventData {
	evs := make([]domain.EventData, n)
	for i := range evs {
		id := newID()
		evs[i] = domain.EventData{
			ID:       id,
			Type:     "storetest.thing_happened",
			Data:     fmt.Appendf(nil, `{"n":%d,"id":%q}`, i, id),
			Metadata: []byte(`{"actor":"storetest"}`),
		}
	}
	return evs
}

func (f *fixture) mustAppend(stream string, expected domain.ExpectedVersion, evs ...domain.EventData) domain.AppendResult {
	f.t.Helper()
	res, err := f.s.Append(f.ctx, stream, expected, evs...)
	if err != nil {
		f.t.Fatalf("Append(%q, %d, %d events): %v", stream, expected, len(evs), err)
	}
	return res
}

func (f *fixture) mustReadStream(stream string, opts domain.ReadStreamOptions) []domain.RecordedEvent {
	f.t.Helper()
	evs, err := f.s.ReadStream(f.ctx, stream, opts)
	if err != nil {
		f.t.Fatalf("ReadStream(%q, %+v): %v", stream, opts, err)
	}
	return evs
}

func (f *fixture) mustReadAll(opts domain.ReadAllOptions) []domain.RecordedEvent {
	f.t.Helper()
	evs, err := f.s.ReadAll(f.ctx, opts)
	if err != nil {
		f.t.Fatalf("ReadAll(%+v): %v", opts, err)
	}
	return evs
}

func (f *fixture) mustHead() domain.Position {
	f.t.Helper()
	p, err := f.s.Head(f.ctx)
	if err != nil {
		f.t.Fatalf("Head: %v", err)
	}
	return p
}

func (f *fixture) mustSubscribe(after domain.Position) domain.Subscription {
	f.t.Helper()
	sub, err := f.s.Subscribe(f.ctx, after)
	if err != nil {
		f.t.Fatalf("Subscribe(%v): %v", after, err)
	}
	f.t.Cleanup(func() { sub.Close() })
	return sub
}

// mustNext returns the next n events of sub, failing when they take longer
// than ten seconds.
func (f *fixture) mustNext(sub domain.Subscription, n int) []domain.RecordedEvent {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(f.ctx, 10*time.Second)
	defer cancel()
	evs := make([]domain.RecordedEvent, 0, n)
	for range n {
		e, err := sub.Next(ctx)
		if err != nil {
			f.t.Fatalf("Next after %d of %d events: %v", len(evs), n, err)
		}
		evs = append(evs, e)
	}
	return evs
}

// mustWaitNothing checks that sub has no event to deliver for a while.
func (f *fixture) mustWaitNothing(sub domain.Subscription) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(f.ctx, 100*time.Millisecond)
	defer cancel()
	e, err := sub.Next(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		f.t.Fatalf("Next with nothing left: got event %q at %v and error %v, want context.DeadlineExceeded", e.ID, e.Position, err)
	}
}

// close closes the store; the fixture will not close it again.
func (f *fixture) close() {
	f.t.Helper()
	f.closed = true
	if err := f.s.Close(); err != nil {
		f.t.Fatalf("Close: %v", err)
	}
}

// restart closes the store and opens it again over the same data.
func (f *fixture) restart() {
	f.t.Helper()
	f.close()
	f.s = f.reopen(f.t)
	f.closed = false
}

// newID returns a random UUID (version 4) in text form.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
