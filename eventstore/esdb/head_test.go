package esdb_test

import (
	"context"
	"testing"
	"time"

	"carecost/domain"
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
	foreign := func(n int) {
		for range n {
			srv.Write("billing-1", "billing.charged", []byte(`{}`))
		}
	}
	head := func(ctx context.Context) (domain.Position, int64, error) {
		before := srv.EventsRead()
		p, err := s.Head(ctx)
		return p, srv.EventsRead() - before, err
	}
	const slack = 500 // a read asks for a page of events

	foreign(3000)
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
	foreign(2000)
	p, read, err = head(ctx)
	must(t, err)
	if p != res.Position || read > 2000+slack {
		t.Errorf("2000 events of others later: head %v after reading %d events; want %v, at most %d", p, read, res.Position, 2000+slack)
	}

	// A read cut short (here after about 1500 events) is not read again.
	foreign(6000)
	cut, cancel := context.WithCancel(ctx)
	go func() {
		for start := srv.EventsRead(); srv.EventsRead()-start < 1500; {
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
	if p != res.Position || first+second > 6000+2*slack {
		t.Errorf("after a read cut short at %d events, head %v after %d more; want %v, at most %d in all", first, p, second, res.Position, 6000+2*slack)
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
