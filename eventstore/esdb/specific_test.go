package esdb_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/esdb"
	"carecost/eventstore/esdb/esdbtest"

	kdb "github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

func open(t *testing.T, srv *esdbtest.Server, opts ...esdb.Option) *esdb.Store {
	t.Helper()
	s := mustOpen(t, srv.URL(), opts...)
	t.Cleanup(func() { s.Close() })
	return s
}

var idSeq int

func ev(typ string) domain.EventData {
	idSeq++
	id := fmt.Sprintf("00000000-0000-4000-8000-%012d", idSeq)
	return domain.EventData{ID: id, Type: typ, Data: []byte(`{"n":1}`), Metadata: []byte(`{"actor":"t"}`)}
}

func ids(evs []domain.RecordedEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.ID
	}
	return out
}

func sameIDs(t *testing.T, what string, got []domain.RecordedEvent, want ...domain.EventData) {
	t.Helper()
	g := ids(got)
	if len(g) != len(want) {
		t.Fatalf("%s: got %v, want %d events", what, g, len(want))
	}
	for i := range want {
		if g[i] != want[i].ID {
			t.Fatalf("%s: got %v, want %v at %d", what, g, want[i].ID, i)
		}
	}
}

func next(t *testing.T, sub domain.Subscription, n int) []domain.RecordedEvent {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out []domain.RecordedEvent
	for range n {
		e, err := sub.Next(ctx)
		if err != nil {
			t.Fatalf("Next after %d of %d: %v", len(out), n, err)
		}
		out = append(out, e)
	}
	return out
}

func nothing(t *testing.T, sub domain.Subscription) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if e, err := sub.Next(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Next: got %q, %v; want nothing more", e.ID, err)
	}
}

// System events, other applications' events and events of a type that only
// looks like ours never come out of ReadAll, Subscribe or Head; positions
// are the server's (commit, prepare) pairs, with holes between them.
func TestOnlyTheApplicationsEvents(t *testing.T) {
	srv := esdbtest.Start(t)
	s := open(t, srv)
	ctx := context.Background()
	srv.Write("$stats-1", "$statsCollected", []byte(`{}`))
	a, b, c := ev("carecost.estimate.opened"), ev("carecost.estimate.line_added"), ev("carecost.estimate.decided")
	r1, err := s.Append(ctx, "estimate-1", domain.NoStream, a, b)
	if err != nil {
		t.Fatal(err)
	}
	srv.Write("billing-1", "billing.invoice_sent", []byte(`{}`))
	srv.Write("x-1", "carecostly.other", []byte(`{}`))
	srv.Write("$$estimate-1", "$metadata", []byte(`{}`))
	r2, err := s.Append(ctx, "estimate-1", domain.ExactVersion(1), c)
	if err != nil {
		t.Fatal(err)
	}
	srv.Write("billing-2", "billing.invoice_sent", []byte(`{}`))
	srv.Write("$stats-1", "$statsCollected", []byte(`{}`))

	all, err := s.ReadAll(ctx, domain.ReadAllOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "ReadAll", all, a, b, c)
	if all[1].Position != r1.Position || all[2].Position != r2.Position {
		t.Errorf("positions: got %v and %v, want the appends' %v and %v", all[1].Position, all[2].Position, r1.Position, r2.Position)
	}
	if all[0].Position.Commit != all[1].Position.Commit || all[0].Position.Prepare == all[0].Position.Commit {
		t.Errorf("two events of one append: got %v and %v, want one commit position and two prepare positions", all[0].Position, all[1].Position)
	}
	if all[2].Position.Commit-all[1].Position.Commit < 2 {
		t.Errorf("positions %v and %v follow each other; the server's have holes", all[1].Position, all[2].Position)
	}
	head, err := s.Head(ctx)
	if err != nil || head != r2.Position {
		t.Errorf("Head: got %v, %v; want the last carecost event's %v", head, err, r2.Position)
	}
	sub, err := s.Subscribe(ctx, domain.Position{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	sameIDs(t, "Subscribe", next(t, sub, 3), a, b, c)
	if f := srv.Filters(); len(f) != 1 || f[0] != "prefix:carecost." {
		t.Errorf("subscription filters: got %q, want the server to filter on the prefix carecost.", f)
	}
	srv.Write("billing-3", "billing.invoice_sent", []byte(`{}`))
	nothing(t, sub)
	// A log with none of ours: Head is zero, ReadAll empty.
	empty := esdbtest.Start(t)
	empty.Write("billing-1", "billing.invoice_sent", []byte(`{}`))
	e := open(t, empty)
	if head, err := e.Head(ctx); err != nil || !head.IsZero() {
		t.Errorf("Head of a log without carecost events: got %v, %v", head, err)
	}
}

// Positions are exclusive for Subscribe and ReadAll's After, which the
// adapter builds on reads that include their start and subscriptions that
// do not; a checkpoint kept as text resumes at the right place.
func TestPositionsExclusive(t *testing.T) {
	srv := esdbtest.Start(t, esdbtest.WithNoise(1))
	s := open(t, srv, esdb.WithPageSize(2))
	ctx := context.Background()
	evs := []domain.EventData{ev("carecost.a"), ev("carecost.b"), ev("carecost.c"), ev("carecost.d"), ev("carecost.e")}
	var res []domain.AppendResult
	for i, e := range evs {
		r, err := s.Append(ctx, "s", domain.ExpectedVersion(i-1), e)
		if err != nil {
			t.Fatal(err)
		}
		res = append(res, r)
	}
	for i := range evs {
		got, err := s.ReadAll(ctx, domain.ReadAllOptions{After: res[i].Position})
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, fmt.Sprintf("ReadAll after event %d", i), got, evs[i+1:]...)
		text, _ := res[i].Position.MarshalText()
		var p domain.Position
		if err := p.UnmarshalText(text); err != nil || p != res[i].Position {
			t.Fatalf("checkpoint %q: got %v, %v", text, p, err)
		}
		sub, err := s.Subscribe(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		sameIDs(t, fmt.Sprintf("Subscribe after event %d (%s)", i, text), next(t, sub, len(evs)-i-1), evs[i+1:]...)
		nothing(t, sub)
		sub.Close()
	}
	got, err := s.ReadAll(ctx, domain.ReadAllOptions{After: res[0].Position, AsOf: res[3].Position, Limit: 2})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "ReadAll with a small page, a limit and as of", got, evs[1], evs[2])
}

// The recorded time is the server's "created", to its 100 ns; the append's
// result carries the same time a read returns.
func TestRecordedAt(t *testing.T) {
	at := time.Date(2026, 5, 4, 3, 2, 1, 123456789, time.UTC)
	srv := esdbtest.Start(t, esdbtest.WithClock(func() time.Time { return at }))
	s := open(t, srv)
	ctx := context.Background()
	res, err := s.Append(ctx, "s", domain.NoStream, ev("carecost.a"), ev("carecost.b"))
	if err != nil {
		t.Fatal(err)
	}
	want := at.Truncate(100 * time.Nanosecond)
	got, err := s.ReadStream(ctx, "s", domain.ReadStreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.RecordedAt.Equal(want) || !got[0].RecordedAt.Equal(want) || !got[1].RecordedAt.Equal(want) || res.Version != 1 || res.Position != got[1].Position {
		t.Errorf("got result %+v and reads at %v, %v; want version 1 at %v recorded at %v", res, got[0].RecordedAt, got[1].RecordedAt, got[1].Position, want)
	}
}

// A server that is down at the store's first call closes the client for
// good; the store reports it unavailable, makes a new client after a pause
// and works again once the server is back.
func TestServerDownAtFirstCall(t *testing.T) {
	srv := esdbtest.Start(t)
	srv.Stop()
	s := open(t, srv, esdb.WithBackoff(50*time.Millisecond, 200*time.Millisecond), esdb.WithTimeout(2*time.Second))
	ctx := context.Background()
	if _, err := s.Append(ctx, "s", domain.NoStream, ev("carecost.a")); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("append with the server down: got %v, want ErrUnavailable", err)
	}
	if _, err := s.Head(ctx); !errors.Is(err, domain.ErrUnavailable) {
		t.Fatalf("head with the server down: got %v, want ErrUnavailable", err)
	}
	srv.Restart(t)
	e := ev("carecost.a")
	deadline := time.Now().Add(10 * time.Second)
	var err error
	for time.Now().Before(deadline) {
		if _, err = s.Append(ctx, "s", domain.NoStream, e); err == nil {
			break
		}
		if !errors.Is(err, domain.ErrUnavailable) {
			t.Fatalf("append while the server comes back: got %v, want ErrUnavailable or success", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("append once the server is back: %v", err)
	}
	if n := s.Clients(); n < 2 {
		t.Errorf("clients made: %d, want a new one after the first closed itself", n)
	}
	got, err := s.ReadStream(ctx, "s", domain.ReadStreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "the stream", got, e)
}

// A subscription dropped by an outage opens itself again after the last
// position it received, also when that is a checkpoint over a stretch of
// other applications' events: every event arrives once, in order.
func TestSubscriptionSurvivesOutage(t *testing.T) {
	srv := esdbtest.Start(t)
	s := open(t, srv, esdb.WithBackoff(20*time.Millisecond, 100*time.Millisecond))
	ctx := context.Background()
	a, b := ev("carecost.a"), ev("carecost.b")
	if _, err := s.Append(ctx, "s", domain.NoStream, a); err != nil {
		t.Fatal(err)
	}
	sub, err := s.Subscribe(ctx, domain.Position{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	sameIDs(t, "before", next(t, sub, 1), a)
	for i := range 40 { // more than the filter's window: the server sends a checkpoint
		srv.Write(fmt.Sprint("billing-", i), "billing.invoice_sent", []byte(`{}`))
	}
	time.Sleep(50 * time.Millisecond)
	srv.Stop()
	srv.Write("s", b.Type, b.Data) // written while the subscription is away
	srv.Restart(t)
	got := next(t, sub, 1)
	if got[0].Type != b.Type || got[0].Stream != "s" || got[0].Version != 1 {
		t.Fatalf("after the outage: got %+v, want the event written meanwhile", got[0])
	}
	c := ev("carecost.c")
	if _, err := s.Append(ctx, "s", domain.ExactVersion(1), c); err != nil {
		t.Fatal(err)
	}
	sameIDs(t, "live after the outage", next(t, sub, 1), c)
	nothing(t, sub)
}

func TestInvalidAppend(t *testing.T) {
	srv := esdbtest.Start(t)
	s := open(t, srv)
	for name, c := range map[string]struct {
		evs   []domain.EventData
		field string
	}{
		"not a UUID":     {[]domain.EventData{{ID: "cmd-1", Type: "carecost.a"}}, "events[0].id"},
		"upper case":     {[]domain.EventData{{ID: "0000000A-0000-4000-8000-000000000001", Type: "carecost.a"}}, "events[0].id"},
		"no type":        {[]domain.EventData{{ID: "00000000-0000-4000-8000-000000000001"}}, "events[0].type"},
		"no events":      {nil, "events"},
		"an id repeated": {[]domain.EventData{ev("carecost.a"), ev("carecost.b")}, "events[1].id"},
	} {
		if name == "an id repeated" {
			c.evs[1].ID = c.evs[0].ID
		}
		_, err := s.Append(context.Background(), "s", domain.NoStream, c.evs...)
		var de *domain.Error
		if !errors.As(err, &de) || de.Code != domain.EInvalid || de.Field != c.field {
			t.Errorf("%s: got %v, want an invalid %s", name, err, c.field)
		}
	}
	if len(srv.Events()) != 0 {
		t.Errorf("the server got %d events from invalid appends", len(srv.Events()))
	}
}

// The server goes away while many calls run at once, long enough for the
// client to give up on it (its reconnect fails, and it closes itself for
// good), and comes back: every call returns within the store's deadline
// (ErrUnavailable while the server is away; the client leaves calls that
// raced with its closing waiting forever unless the store releases them),
// and once the server is back, calls succeed again, subscriptions included.
func TestOutageUnderConcurrentCalls(t *testing.T) {
	srv := esdbtest.Start(t)
	s := open(t, srv, esdb.WithBackoff(20*time.Millisecond, 200*time.Millisecond), esdb.WithTimeout(2*time.Second))
	ctx := context.Background()
	if _, err := s.Append(ctx, "warm", domain.NoStream, ev("carecost.a")); err != nil {
		t.Fatal(err)
	}
	sub, err := s.Subscribe(ctx, domain.Position{})
	if err != nil {
		t.Fatal(err)
	}
	defer sub.Close()
	next(t, sub, 1)

	stop := make(chan struct{})
	var seq atomic.Int64 // ev counts on one goroutine only
	event := func() domain.EventData {
		return domain.EventData{ID: fmt.Sprintf("00000000-0000-4000-9000-%012d", seq.Add(1)), Type: "carecost.a", Data: []byte(`{"n":1}`)}
	}
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			stream := fmt.Sprint("s-", i)
			for {
				select {
				case <-stop:
					return
				default:
				}
				start := time.Now()
				var err error
				if i%2 == 0 {
					_, err = s.Append(ctx, stream, domain.AnyVersion, event())
				} else {
					_, err = s.ReadStream(ctx, stream, domain.ReadStreamOptions{})
				}
				if took := time.Since(start); took > 5*time.Second {
					t.Errorf("a call took %v", took)
				}
				if err != nil && !errors.Is(err, domain.ErrUnavailable) && !errors.Is(err, domain.ErrStreamNotFound) {
					t.Errorf("a call while the server comes and goes: %v", err)
				}
			}
		})
	}
	time.Sleep(200 * time.Millisecond)
	srv.Stop()
	time.Sleep(1500 * time.Millisecond) // the client's reconnect gives up after about a second
	srv.Restart(t)
	time.Sleep(500 * time.Millisecond)
	done := make(chan struct{})
	go func() { close(stop); wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("calls still hang 10 s after the server came back")
	}
	e := ev("carecost.z")
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, err := s.Append(ctx, "after", domain.NoStream, e)
		if err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("append after the outage: %v", err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	ctx2, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		got, err := sub.Next(ctx2)
		if err != nil {
			t.Fatalf("the subscription after the outage: %v", err)
		}
		if got.ID == e.ID {
			break
		}
	}
}

// Whatever way the client says it is gone, the port hears ErrUnavailable:
// a command is answered 503, never 500.
func TestClientGoneIsUnavailable(t *testing.T) {
	if !esdb.IsUnavailableForTest(fmt.Errorf("call: %w", esdb.ErrClientGoneForTest)) {
		t.Error("a call the store answered for a client gone for good is not ErrUnavailable")
	}
	// The client's error for a send on a stream the connection broke under
	// (seen when the server stops in the middle of an append).
	broken, _ := kdb.FromError(io.EOF)
	for _, err := range []error{
		fmt.Errorf("could not send append request header. Reason: %w", broken),
		fmt.Errorf("read: %w", io.ErrUnexpectedEOF),
	} {
		if !esdb.IsUnavailableForTest(err) {
			t.Errorf("%v: not ErrUnavailable", err)
		}
	}
}
