package esdb_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"carecost/domain"
	"carecost/eventstore/esdb"
	"carecost/eventstore/esdb/esdbtest"
)

// Head reads $all backwards to the application's last event; on a cluster
// shared with other applications it reads only what it has not read
// before: the events written since it last looked, and, after a read cut
// short, only what lies below where that read stopped.
func TestHeadReadsOnlyWhatItDoesNotKnow(t *testing.T) {
	srv := esdbtest.Start(t)
	s := open(t, srv)
	ctx := context.Background()
	res, err := s.Append(ctx, "estimate-h", domain.NoStream, ev("carecost.test.head"))
	must(t, err)
	head := func(ctx context.Context) (domain.Position, int64, error) {
		before := srv.EventsRead()
		p, err := s.Head(ctx)
		return p, srv.EventsRead() - before, err
	}
	const slack = 500 // a read asks for a page of events

	writeOthers(srv, 3000)
	p, read, err := head(ctx)
	must(t, err)
	if p != res.Position || read < 3000 {
		t.Fatalf("head %v after reading %d events; want %v after all 3000 of others", p, read, res.Position)
	}
	p, read, err = head(ctx)
	must(t, err)
	if p != res.Position || read > slack {
		t.Errorf("again, nothing new: head %v after reading %d events; want %v, at most %d", p, read, res.Position, slack)
	}
	writeOthers(srv, 2000)
	p, read, err = head(ctx)
	must(t, err)
	if p != res.Position || read > 2000+slack {
		t.Errorf("2000 events of others later: head %v after reading %d events; want %v, at most %d", p, read, res.Position, 2000+slack)
	}

	// A read cut short (here after about 4500 events) is not read again
	// (but for the pages in flight when it stopped, and the first page of
	// the next read).
	writeOthers(srv, 6000)
	cut, cancel := context.WithCancel(ctx)
	go func() {
		for start := srv.EventsRead(); srv.EventsRead()-start < 4500; {
			time.Sleep(100 * time.Microsecond)
		}
		cancel()
	}()
	_, first, err := head(cut)
	cancel()
	if err == nil {
		t.Fatal("Head read 6000 events of others before it was stopped; the test wants it stopped part-way")
	}
	p, second, err := head(ctx)
	must(t, err)
	if p != res.Position || first+second > 6000+4*slack {
		t.Errorf("after a read cut short at %d events, head %v after %d more; want %v, at most %d in all", first, p, second, res.Position, 6000+4*slack)
	}

	// A new event of ours is the head, found at once.
	res2, err := s.Append(ctx, "estimate-h", domain.ExactVersion(res.Version), ev("carecost.test.head"))
	must(t, err)
	if p, _, err = head(ctx); err != nil || p != res2.Position {
		t.Errorf("head %v (%v), want %v", p, err, res2.Position)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A server that refuses carecost's user (a wrong password, no right to read
// $all) makes the store unusable until an operator mends it: the error says
// what to mend, and counts as the store away (503, /readyz, the alert).
func TestRefusedUserIsNamed(t *testing.T) {
	for _, c := range []codes.Code{codes.PermissionDenied, codes.Unauthenticated} {
		err := esdb.WrapForTest(status.Error(c, "access denied"))
		if !errors.Is(err, domain.ErrUnavailable) || !strings.Contains(err.Error(), "refused carecost's user") || !strings.Contains(err.Error(), "$all") {
			t.Errorf("%v: %v", c, err)
		}
	}
}

// On the server, carecost's events are JSON (content type), with its
// metadata as the events' user metadata, under the ids it gave.
func TestEventsOnTheServer(t *testing.T) {
	srv := esdbtest.Start(t)
	s := open(t, srv)
	e := ev("carecost.test.shape")
	if _, err := s.Append(context.Background(), "estimate-shape", domain.NoStream, e); err != nil {
		t.Fatal(err)
	}
	for _, got := range srv.Events() {
		if got.Stream != "estimate-shape" {
			continue
		}
		if got.ContentType != "application/json" || got.ID.String() != e.ID || got.Type != e.Type ||
			string(got.Data) != string(e.Data) || string(got.Metadata) != string(e.Metadata) {
			t.Errorf("on the server: %+v; want JSON, id %s, type %s, data %s, metadata %s", got, e.ID, e.Type, e.Data, e.Metadata)
		}
		return
	}
	t.Fatal("the event is not on the server")
}

// The subscription teaches the head: past an event of ours it delivered and
// a stretch of others' events it reported progress over, Head does not read
// again.
func TestHeadLearnsFromTheSubscription(t *testing.T) {
	srv := esdbtest.Start(t)
	s := open(t, srv)
	ctx := context.Background()
	ra, err := s.Append(ctx, "estimate-l", domain.NoStream, ev("carecost.test.a"))
	must(t, err)
	if p, err := s.Head(ctx); err != nil || p != ra.Position {
		t.Fatalf("head %v (%v), want %v", p, err, ra.Position)
	}
	sub, err := s.Subscribe(ctx, ra.Position)
	must(t, err)
	defer sub.Close()
	ps := sub.(domain.ProgressSubscription)
	rb, err := s.Append(ctx, "estimate-l", domain.ExactVersion(ra.Version), ev("carecost.test.b"))
	must(t, err)
	others := writeOthers(srv, 3200)
	// What the subscription hands on: b, then progress over the others'
	// (to the 3000th at least).
	far := domain.Position{Commit: others[2999].Commit, Prepare: others[2999].Prepare}
	for seen := false; ; {
		wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		e, p, err := ps.NextOrProgress(wctx)
		cancel()
		must(t, err)
		if p.IsZero() {
			seen = seen || e.Position == rb.Position
			continue
		}
		if seen && !p.Less(far) {
			break
		}
	}
	before := srv.EventsRead()
	p, err := s.Head(ctx)
	must(t, err)
	if read := srv.EventsRead() - before; p != rb.Position || read > 500 {
		t.Errorf("head %v after reading %d events; want %v after at most a page (500)", p, read, rb.Position)
	}
}

// writeOthers writes n events of another application and returns their
// positions.
func writeOthers(srv *esdbtest.Server, n int) []esdbtest.Position {
	out := make([]esdbtest.Position, n)
	for i := range out {
		out[i] = srv.Write("billing-1", "billing.charged", []byte(`{}`))
	}
	return out
}
