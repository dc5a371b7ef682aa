package domain_test

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"carecost/domain"
)

// faultyStore is the in-memory store with appends that fail on demand.
type faultyStore struct {
	*memStore
	mu   sync.Mutex
	fail func(stream string, evs []domain.EventData) bool
}

var errInjected = errors.New("injected store failure")

func (f *faultyStore) Append(ctx context.Context, stream string, exp domain.ExpectedVersion, evs ...domain.EventData) (domain.AppendResult, error) {
	f.mu.Lock()
	fail := f.fail != nil && f.fail(stream, evs)
	f.mu.Unlock()
	if fail {
		return domain.AppendResult{}, errInjected
	}
	return f.memStore.Append(ctx, stream, exp, evs...)
}

// failOn makes appends fail while fail says so (nil: never).
func (f *faultyStore) failOn(fail func(stream string, evs []domain.EventData) bool) {
	f.mu.Lock()
	f.fail = fail
	f.mu.Unlock()
}

func faultyCommands(t *testing.T) (*domain.Commands, *faultyStore) {
	t.Helper()
	_, mem := demoCommands(t)
	f := &faultyStore{memStore: mem}
	return domain.NewCommands(f), f
}

// types returns the event types of stream in order.
func (m *memStore) types(stream string) []string {
	evs, _ := m.ReadStream(context.Background(), stream, domain.ReadStreamOptions{})
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = strings.TrimPrefix(e.Type, "carecost.")
	}
	return out
}

// decidedEstimate opens, presents and decides an estimate and returns its id.
func decidedEstimate(t *testing.T, c *domain.Commands) string {
	t.Helper()
	id := domain.NewID()
	_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	_, _, err = c.Present(ctx, domain.Command{}, id)
	must(t, err)
	_, _, err = c.Decide(ctx, domain.Command{}, id, decision(t, "D-"+id))
	must(t, err)
	return id
}

func decision(t *testing.T, number string) domain.Decision {
	return domain.Decision{Number: number, Date: today(), EffectiveFrom: date(t, "2025-04-01")}
}

// unpresented is a decision of an estimate not presented to the client.
func unpresented(t *testing.T, number string) domain.Decision {
	d := decision(t, number)
	d.Presented, d.NotPresentedReason = new(false), "the client agreed by phone"
	return d
}

// A revise the domain refuses writes nothing, to the original or anywhere:
// the id of an existing estimate, the estimate's own id, an open revision
// already there.
func TestRefusedReviseWritesNothing(t *testing.T) {
	c, store := demoCommands(t)
	id := decidedEstimate(t, c)
	other := domain.NewID()
	_, _, err := c.OpenEstimate(ctx, domain.Command{}, other, demoCase(t))
	must(t, err)
	head := func() domain.Position { h, _ := store.Head(ctx); return h }
	before := head()
	_, _, err = c.Revise(ctx, domain.Command{}, id, other, domain.Date{})
	wantErr(t, err, domain.EConflict, "revision_id")
	_, _, err = c.Revise(ctx, domain.Command{}, id, id, domain.Date{})
	wantErr(t, err, domain.EInvalid, "revision_id")
	_, _, err = c.Revise(ctx, domain.Command{}, id, domain.NewID(), date(t, "1990-01-01"))
	wantErr(t, err, domain.EInvalid, "pricing_date")
	if got := head(); got != before {
		t.Fatalf("refused revisions wrote up to %v (head was %v)", got, before)
	}
	// The original can still be revised, once at a time.
	r1 := domain.NewID()
	_, _, err = c.Revise(ctx, domain.Command{}, id, r1, domain.Date{})
	must(t, err)
	before = head()
	_, _, err = c.Revise(ctx, domain.Command{}, id, domain.NewID(), domain.Date{})
	wantErr(t, err, domain.EConflict, "id")
	if got := head(); got != before {
		t.Errorf("a second open revision wrote up to %v (head was %v)", got, before)
	}
}

// An injected store failure between the revision's decision and the
// original's superseded event leaves exactly one decision that can be built
// on: the original cannot be revised again nor another revision decided,
// and completing the pair later writes the missing event once.
func TestRevisionDecidedWithoutFollowUp(t *testing.T) {
	c, store := faultyCommands(t)
	id := decidedEstimate(t, c)
	rev := domain.NewID()
	_, _, err := c.Revise(ctx, domain.Command{}, id, rev, domain.Date{})
	must(t, err)
	store.failOn(func(stream string, _ []domain.EventData) bool { return stream == domain.EstimateStream(id) })
	e, r, err := c.Decide(ctx, domain.Command{}, rev, unpresented(t, "D-2"))
	must(t, err)
	store.failOn(nil)
	if e.Status() != domain.EstDecided || r.Version != int64(len(store.types(domain.EstimateStream(rev))))-1 {
		t.Fatalf("revision %s at %+v", e.Status(), r)
	}
	if got := store.types(domain.EstimateStream(id)); got[len(got)-1] != "estimate.revised" {
		t.Fatalf("original's events %v: the follow-up was not cut off", got)
	}
	_, _, err = c.Revise(ctx, domain.Command{}, id, domain.NewID(), domain.Date{})
	wantErr(t, err, domain.EConflict, "")

	must(t, c.CompleteRevision(ctx, domain.Command{}, rev, id))
	must(t, c.CompleteRevision(ctx, domain.Command{}, rev, id))
	got := store.types(domain.EstimateStream(id))
	if n := strings.Count(strings.Join(got, " "), "estimate.superseded"); n != 1 {
		t.Errorf("original's events %v: %d superseded, want 1", got, n)
	}
	o, err := c.Estimate(ctx, id)
	must(t, err)
	if o.Status() != domain.EstSuperseded || o.SupersededBy() != rev {
		t.Errorf("original %s by %q", o.Status(), o.SupersededBy())
	}
}

// Concurrent revisions and decisions of one decision: however they
// interleave, at most one revision is ever decided, and the original is
// superseded exactly when one is. Appends yield first, to widen the windows
// between a command's reads and its writes.
func TestConcurrentRevisionsDecideOnce(t *testing.T) {
	c, store := faultyCommands(t)
	store.failOn(func(string, []domain.EventData) bool { runtime.Gosched(); return false })
	for round := range 20 {
		id := decidedEstimate(t, c)
		var revised, decide sync.WaitGroup
		revised.Add(8)
		for w := range 8 {
			decide.Add(1)
			go func() {
				defer decide.Done()
				rev := domain.NewID()
				_, _, err := c.Revise(ctx, domain.Command{}, id, rev, domain.Date{})
				revised.Done()
				revised.Wait()
				if err != nil {
					return
				}
				if w%3 == 0 {
					c.Cancel(ctx, domain.Command{}, rev, "wrong")
				}
				c.Decide(ctx, domain.Command{}, rev, unpresented(t, "D-r-"+id))
			}()
		}
		decide.Wait()
		o, err := c.Estimate(ctx, id)
		must(t, err)
		decided := 0
		for _, r := range o.Revisions() {
			e, err := c.Estimate(ctx, r)
			if err == nil && (e.Status() == domain.EstDecided || e.Status() == domain.EstSuperseded) {
				decided++
			}
		}
		if decided > 1 || (decided == 1) != (o.Status() == domain.EstSuperseded) {
			t.Fatalf("round %d: %d decided revisions of %s, which is %s; events %v", round, decided, id, o.Status(), store.types(domain.EstimateStream(id)))
		}
	}
}

// A revision recorded on its original but never opened (the opening was
// cut off) is taken for one being opened for a while: another revision is
// refused, writing nothing. Once UnopenedRevisionTimeout has passed, the next
// revision marks it abandoned, so it can never open or be decided, and its
// id cannot be used again.
func TestUnopenedRevisionIsAbandoned(t *testing.T) {
	c, store := faultyCommands(t)
	id := decidedEstimate(t, c)
	r1, r2 := domain.NewID(), domain.NewID()
	store.failOn(func(stream string, _ []domain.EventData) bool { return stream == domain.EstimateStream(r1) })
	first := domain.Command{ID: "revise-1", Fingerprint: "revise r1"}
	_, _, err := c.Revise(ctx, first, id, r1, domain.Date{})
	if !errors.Is(err, errInjected) {
		t.Fatalf("revise with a failing open: %v", err)
	}
	store.failOn(nil)
	n := store.count(domain.EstimateStream(id))
	_, _, err = c.Revise(ctx, domain.Command{}, id, r2, domain.Date{})
	wantErr(t, err, domain.EConflict, "id")
	if store.count(domain.EstimateStream(id)) != n || store.count(domain.EstimateStream(r1)) != 0 {
		t.Fatal("a revise refused while another is being opened wrote events")
	}
	later := time.Now().Add(domain.UnopenedRevisionTimeout + time.Second)
	c.Clock = func() time.Time { return later }
	_, _, err = c.Revise(ctx, domain.Command{}, id, r2, domain.Date{})
	must(t, err)
	if got := store.types(domain.EstimateStream(r1)); len(got) != 1 || got[0] != "estimate.revision_abandoned" {
		t.Errorf("abandoned revision's stream: %v", got)
	}
	_, _, err = c.Revise(ctx, first, id, r1, domain.Date{})
	wantErr(t, err, domain.EConflict, "revision_id")
	_, _, err = c.OpenEstimate(ctx, domain.Command{}, r1, demoCase(t))
	wantErr(t, err, domain.EConflict, "id")
	_, _, err = c.Decide(ctx, domain.Command{}, r2, unpresented(t, "D-2"))
	must(t, err)
}

// Many revisions of one decision at the same moment, without an expected
// version: one is opened, and every refused one wrote nothing.
func TestConcurrentRevisesWriteOnlyTheWinner(t *testing.T) {
	c, store := faultyCommands(t)
	store.failOn(func(string, []domain.EventData) bool { runtime.Gosched(); return false })
	for round := range 10 {
		id := decidedEstimate(t, c)
		before := store.count(domain.EstimateStream(id))
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for range 12 {
			wg.Go(func() {
				if _, _, err := c.Revise(ctx, domain.Command{}, id, domain.NewID(), domain.Date{}); err == nil {
					mu.Lock()
					won++
					mu.Unlock()
				} else if domain.ErrorCode(err) != domain.EConflict {
					t.Errorf("a lost revise: %v", err)
				}
			})
		}
		wg.Wait()
		if got := store.count(domain.EstimateStream(id)) - before; won != 1 || got != 1 {
			t.Fatalf("round %d: %d revisions opened, %d events written to the original; want 1 and 1: %v", round, won, got, store.types(domain.EstimateStream(id)))
		}
	}
}

// A retried revise whose first run was cut off after the original recorded
// it completes the revision, writing nothing twice.
func TestRetriedReviseCompletes(t *testing.T) {
	c, store := faultyCommands(t)
	id := decidedEstimate(t, c)
	rev := domain.NewID()
	cmd := domain.Command{ID: "revise-x", Fingerprint: "revise"}
	store.failOn(func(stream string, _ []domain.EventData) bool { return stream == domain.EstimateStream(rev) })
	_, _, err := c.Revise(ctx, cmd, id, rev, domain.Date{})
	if !errors.Is(err, errInjected) {
		t.Fatalf("revise with a failing open: %v", err)
	}
	store.failOn(nil)
	before := len(store.types(domain.EstimateStream(id)))
	e, _, err := c.Revise(ctx, cmd, id, rev, domain.Date{})
	must(t, err)
	again, _, err := c.Revise(ctx, cmd, id, rev, domain.Date{})
	must(t, err)
	if e.RevisionOf() != id || again.Version() != e.Version() || len(store.types(domain.EstimateStream(id))) != before {
		t.Errorf("retried revise: of %q at %d then %d; original has %d events, had %d", e.RevisionOf(), e.Version(), again.Version(),
			len(store.types(domain.EstimateStream(id))), before)
	}
}

// An estimate is decided straight from draft only when the decision says
// why it was not presented; an estimate presented says nothing of the kind.
func TestDecideRequiresPresentationOrReason(t *testing.T) {
	c, store := demoCommands(t)
	id := domain.NewID()
	_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	n := store.count(domain.EstimateStream(id))
	_, _, err = c.Decide(ctx, domain.Command{}, id, decision(t, "D-1"))
	wantErr(t, err, domain.EConflict, "presented")
	d := unpresented(t, "D-1")
	d.NotPresentedReason = ""
	_, _, err = c.Decide(ctx, domain.Command{}, id, d)
	wantErr(t, err, domain.EInvalid, "not_presented_reason")
	if store.count(domain.EstimateStream(id)) != n {
		t.Fatal("a refused decision wrote events")
	}
	e, _, err := c.Decide(ctx, domain.Command{}, id, unpresented(t, "D-1"))
	must(t, err)
	if p := e.Decision().Presented; p == nil || *p || e.Decision().NotPresentedReason == "" {
		t.Errorf("decision %+v", e.Decision())
	}

	id2 := decidedEstimate(t, c)
	e2, err := c.Estimate(ctx, id2)
	must(t, err)
	if p := e2.Decision().Presented; p == nil || !*p {
		t.Errorf("presented decision %+v", e2.Decision())
	}
	id3 := domain.NewID()
	_, _, err = c.OpenEstimate(ctx, domain.Command{}, id3, demoCase(t))
	must(t, err)
	_, _, err = c.Present(ctx, domain.Command{}, id3)
	must(t, err)
	_, _, err = c.Decide(ctx, domain.Command{}, id3, unpresented(t, "D-3"))
	wantErr(t, err, domain.EInvalid, "presented")
}

// A decision whose client reference holds a character the text rules have
// refused since (a zero-width space, recorded before the rule) can still
// be revised: the revision copies the details as they were accepted.
func TestRevisionKeepsDetailsAcceptedBefore(t *testing.T) {
	c, store := demoCommands(t)
	id := domain.NewID()
	old := demoCase(t)
	old.ClientRef = "client\u200b-1"
	opened := &domain.EstimateOpened{EstimateID: id, Personal: domain.Personal{ClientRef: old.ClientRef, Household: old.Household},
		Maple: old.Maple, Segment: old.Segment, Basis: old.Basis, Lines: old.Lines}
	evs, err := domain.EncodeEvents(domain.EstimateStream(id), domain.Meta{}, []domain.Payload{opened})
	must(t, err)
	_, err = store.Append(ctx, domain.EstimateStream(id), domain.NoStream, evs...)
	must(t, err)
	_, _, err = c.Reprice(ctx, domain.Command{}, id)
	must(t, err)
	_, _, err = c.Decide(ctx, domain.Command{}, id, unpresented(t, "D-ZW"))
	must(t, err)
	rev := domain.NewID()
	_, _, err = c.Revise(ctx, domain.Command{}, id, rev, domain.Date{})
	must(t, err)
	e, err := c.Estimate(ctx, rev)
	must(t, err)
	if e.Personal().ClientRef != old.ClientRef || e.RevisionOf() != id {
		t.Errorf("revision %q of %q", e.Personal().ClientRef, e.RevisionOf())
	}
	// A new estimate with that reference is refused.
	_, _, err = c.OpenEstimate(ctx, domain.Command{}, domain.NewID(), old)
	wantErr(t, err, domain.EInvalid, "client_ref")
}
