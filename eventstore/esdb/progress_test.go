package esdb_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/esdb"
	"carecost/eventstore/esdb/esdbtest"
)

// A subscription says how far the server read past other applications'
// events (NextOrProgress), only where no event of ours is still to come:
// also on a server whose checkpoint names the position it reads next,
// which here is an event of ours. A subscription after that position, and
// a read after it, miss nothing; ReadAllProgress says where its read
// looked up to.
func TestProgressPastForeignStretches(t *testing.T) {
	for _, ahead := range []bool{false, true} {
		t.Run(fmt.Sprintf("ahead=%v", ahead), func(t *testing.T) {
			var opts []esdbtest.Option
			if ahead {
				opts = append(opts, esdbtest.WithCheckpointsAhead())
			}
			srv := esdbtest.Start(t, opts...)
			s := open(t, srv)
			ctx := context.Background()
			foreign := func(n int) (out []domain.Position) {
				for i := range n {
					p := srv.Write(fmt.Sprint("billing-", i), "billing.invoice_sent", []byte(`{}`))
					out = append(out, domain.Position{Commit: p.Commit, Prepare: p.Prepare})
				}
				return out
			}
			a, b, c := ev("carecost.a"), ev("carecost.b"), ev("carecost.c")
			if _, err := s.Append(ctx, "s", domain.NoStream, a); err != nil {
				t.Fatal(err)
			}
			foreign(32) // a whole window, then b: the checkpoint is at b when ahead
			rb, err := s.Append(ctx, "s", domain.ExactVersion(0), b)
			if err != nil {
				t.Fatal(err)
			}
			stretch := foreign(40)
			want := stretch[31]
			if ahead {
				want = stretch[32]
			}

			sub, err := s.Subscribe(ctx, domain.Position{})
			if err != nil {
				t.Fatal(err)
			}
			defer sub.Close()
			ps, ok := sub.(domain.ProgressSubscription)
			if !ok {
				t.Fatal("the subscription does not report progress")
			}
			var got []string
			for len(got) < 3 {
				wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				e, p, err := ps.NextOrProgress(wctx)
				cancel()
				switch {
				case err != nil:
					t.Fatalf("after %v: %v", got, err)
				case p.IsZero():
					got = append(got, e.ID)
				default:
					got = append(got, "progress "+p.String())
				}
			}
			if fmt.Sprint(got) != fmt.Sprint([]string{a.ID, b.ID, "progress " + want.String()}) {
				t.Fatalf("got %v; want a, b, then progress to %v (b is at %v)", got, want, rb.Position)
			}
			wctx, cancel := context.WithTimeout(ctx, 600*time.Millisecond)
			defer cancel()
			if e, p, err := ps.NextOrProgress(wctx); err == nil {
				t.Fatalf("more after the stretch: %q %v", e.ID, p)
			}

			if _, err := s.Append(ctx, "s", domain.ExactVersion(1), c); err != nil {
				t.Fatal(err)
			}
			after, err := s.Subscribe(ctx, want)
			if err != nil {
				t.Fatal(err)
			}
			defer after.Close()
			sameIDs(t, "a subscription after the progress", next(t, after, 1), c)
			evs, through, err := s.ReadAllProgress(ctx, domain.ReadAllOptions{After: rb.Position})
			if err != nil {
				t.Fatal(err)
			}
			sameIDs(t, "a read after b", evs, c)
			if through != evs[0].Position {
				t.Errorf("a read that ends at c looked up to %v, want %v", through, evs[0].Position)
			}
			evs, through, err = s.ReadAllProgress(ctx, domain.ReadAllOptions{After: rb.Position, AsOf: stretch[39]})
			if err != nil || len(evs) != 0 || through != stretch[39] {
				t.Errorf("a read of the stretch: got %d events, through %v, %v; want none, through %v", len(evs), through, err, stretch[39])
			}
		})
	}
}

var _ domain.ProgressReader = (*esdb.Store)(nil)
