package domain_test

import (
	"context"
	"testing"

	"carecost/domain"
	"carecost/domain/demo"
	"carecost/domain/memstore"
)

// memStore is the in-memory store with a counter for the tests.
type memStore struct{ *memstore.Store }

// count returns the number of events in stream.
func (m *memStore) count(stream string) int {
	evs, _ := m.ReadStream(context.Background(), stream, domain.ReadStreamOptions{})
	return len(evs)
}

// demoCommands returns commands over an in-memory store holding the demo
// catalogue.
func demoCommands(t *testing.T) (*domain.Commands, *memStore) {
	t.Helper()
	s := &memStore{memstore.New()}
	c := domain.NewCommands(s)
	set, err := demo.Catalogue()
	must(t, err)
	_, err = c.ImportCatalogue(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, set)
	must(t, err)
	return c, s
}

func demoCase(t *testing.T) domain.CaseInput {
	return domain.CaseInput{ClientRef: "client-1", Maple: 3, Segment: domain.SegContinuous,
		Household: domain.Household{Size: 1, GrossIncome: new(money(t, "1800")), NetIncome: new(money(t, "1500"))},
		Basis:     domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: date(t, "2025-03-01")},
		Lines: []domain.Line{
			{Service: "regular-home-care", Mode: "own", Quantity: qty(t, "20"), Frequency: "month"},
			{Service: "meal-service", Mode: "own", Quantity: qty(t, "5"), Frequency: "week"},
		}}
}

var ctx = context.Background()

func TestEstimateLifecycle(t *testing.T) {
	c, store := demoCommands(t)
	id := domain.NewID()
	e, _, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	// 2025 limits: (1 800 - 653) x 26 % = 298.22 for 20 h; meals 65/3 x 5.00 = 108.33.
	if got := e.Quote().Lines[0].ClientFee.String(); got != "298.22" {
		t.Fatalf("home care fee = %s, want 298.22", got)
	}
	if got := e.Quote().Monthly.ClientFee.String(); got != "406.55" {
		t.Errorf("monthly fee = %s, want 406.55", got)
	}
	lineID, e, _, err := c.AddLine(ctx, domain.Command{}, id, domain.Line{Service: "safety-phone", Mode: "own", Quantity: qty(t, "1"), Frequency: "month"})
	must(t, err)
	if lineID != "l3" || len(e.Lines()) != 3 {
		t.Fatalf("line id %s, %d lines", lineID, len(e.Lines()))
	}
	_, _, _, err = c.AddLine(ctx, domain.Command{}, id, domain.Line{Service: "cleaning", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"})
	wantErr(t, err, domain.EInvalid, "mode")
	_, _, err = c.Present(ctx, domain.Command{}, id)
	must(t, err)
	dec := domain.Decision{Number: "D-2025-1", Date: today(), EffectiveFrom: date(t, "2025-04-01")}
	e, _, err = c.Decide(ctx, domain.Command{}, id, dec)
	must(t, err)
	if e.Status() != domain.EstDecided || e.Decision().Number != "D-2025-1" {
		t.Fatalf("status %s", e.Status())
	}
	_, _, _, err = c.AddLine(ctx, domain.Command{}, id, domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"})
	wantErr(t, err, domain.EConflict, "")
	_, _, err = c.Cancel(ctx, domain.Command{}, id, "")
	wantErr(t, err, domain.EConflict, "")

	// A revision copies the estimate and, once decided, supersedes it.
	rev := domain.NewID()
	r, _, err := c.Revise(ctx, domain.Command{}, id, rev, date(t, "2026-02-01"))
	must(t, err)
	if r.RevisionOf() != id || len(r.Lines()) != 3 || r.Quote().Tariff.Version != 3 {
		t.Fatalf("revision: of %q, %d lines, tariff version %d", r.RevisionOf(), len(r.Lines()), r.Quote().Tariff.Version)
	}
	_, _, err = c.Decide(ctx, domain.Command{}, rev, domain.Decision{Number: "D-2026-7", Date: today(), EffectiveFrom: date(t, "2026-03-01"),
		Presented: new(false), NotPresentedReason: "only the pricing date changed"})
	must(t, err)
	old, err := c.Estimate(ctx, id)
	must(t, err)
	if old.Status() != domain.EstSuperseded || old.SupersededBy() != rev {
		t.Errorf("old estimate: %s by %q", old.Status(), old.SupersededBy())
	}
	if n := store.count(domain.EstimateStream(id)); n < 6 {
		t.Errorf("%d events on the estimate stream", n)
	}
}

func TestEstimateCancelled(t *testing.T) {
	c, _ := demoCommands(t)
	id := domain.NewID()
	_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	_, _, err = c.Cancel(ctx, domain.Command{}, id, "client moved")
	must(t, err)
	_, _, err = c.ChangeAssessment(ctx, domain.Command{}, id, 4, domain.SegContinuous)
	wantErr(t, err, domain.EConflict, "")
	_, _, err = c.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "x", Date: date(t, "2025-01-01"), EffectiveFrom: date(t, "2025-01-01")})
	wantErr(t, err, domain.EConflict, "")
}

func TestOpenEstimateValidates(t *testing.T) {
	c, store := demoCommands(t)
	for _, tc := range []struct {
		name  string
		edit  func(*domain.CaseInput)
		field string
	}{
		{"no client", func(in *domain.CaseInput) { in.ClientRef = "" }, "client_ref"},
		{"MAPLe 6", func(in *domain.CaseInput) { in.Maple = 6 }, "maple"},
		{"unknown segment", func(in *domain.CaseInput) { in.Segment = "vip" }, "segment"},
		{"unknown tariff", func(in *domain.CaseInput) { in.TariffID = "nope" }, "tariff"},
		{"before the first tariff", func(in *domain.CaseInput) { in.PricingDate = date(t, "2020-01-01") }, "pricing_date"},
		{"unknown service", func(in *domain.CaseInput) { in.Lines[1].Service = "spa" }, "lines[1].service"},
		{"negative quantity", func(in *domain.CaseInput) { in.Lines[0].Quantity = -1 }, "lines[0].quantity"},
		{"household size", func(in *domain.CaseInput) { in.Household.Size = 0 }, "household.size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := demoCase(t)
			tc.edit(&in)
			id := domain.NewID()
			_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, in)
			wantErr(t, err, domain.EInvalid, tc.field)
			if n := store.count(domain.EstimateStream(id)); n != 0 {
				t.Errorf("%d events written for a refused command", n)
			}
		})
	}
}

func TestExpectedVersionConflict(t *testing.T) {
	c, _ := demoCommands(t)
	id := domain.NewID()
	_, r, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	v := r.Version
	line := domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"}
	_, _, _, err = c.AddLine(ctx, domain.Command{Expected: &v}, id, line)
	must(t, err)
	_, _, _, err = c.AddLine(ctx, domain.Command{Expected: &v}, id, line)
	wantErr(t, err, domain.EConflict, "expected_version")
}

// Concurrent edits without an expected version both land: the loser of the
// race reloads and retries. With the same expected version, one wins.
func TestConcurrentEdits(t *testing.T) {
	c, _ := demoCommands(t)
	id := domain.NewID()
	_, r, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	line := domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"}
	errs := make(chan error, 8)
	for range 8 {
		go func() { _, _, _, err := c.AddLine(ctx, domain.Command{}, id, line); errs <- err }()
	}
	for range 8 {
		must(t, <-errs)
	}
	e, err := c.Estimate(ctx, id)
	must(t, err)
	if len(e.Lines()) != 10 {
		t.Errorf("%d lines, want 10", len(e.Lines()))
	}
	v := e.StreamVersion()
	wins := 0
	for range 8 {
		go func() { _, _, _, err := c.AddLine(ctx, domain.Command{Expected: &v}, id, line); errs <- err }()
	}
	for range 8 {
		err := <-errs
		if err == nil {
			wins++
		} else if domain.ErrorCode(err) != domain.EConflict {
			t.Errorf("loser got %v, want a conflict", err)
		}
	}
	if wins != 1 {
		t.Errorf("%d winners, want 1", wins)
	}
	_ = r
}

// A command retried with the same id appends nothing twice.
func TestIdempotentCommand(t *testing.T) {
	c, store := demoCommands(t)
	id := domain.NewID()
	cmd := domain.Command{ID: "open-1"}
	_, r1, err := c.OpenEstimate(ctx, cmd, id, demoCase(t))
	must(t, err)
	n := store.count(domain.EstimateStream(id))
	line := domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"}
	add := domain.Command{ID: "add-1"}
	_, _, a1, err := c.AddLine(ctx, add, id, line)
	must(t, err)
	_, e, a2, err := c.AddLine(ctx, add, id, line)
	must(t, err)
	if a1.Version != a2.Version || a1.Position != a2.Position || !a2.Replayed || len(e.Lines()) != 3 || store.count(domain.EstimateStream(id)) != n+2 {
		t.Errorf("retry: results %v %v, %d lines, %d events", a1, a2, len(e.Lines()), store.count(domain.EstimateStream(id)))
	}
	// A retried open answers as the first one did; another command opening
	// the same id is a conflict.
	_, r2, err := c.OpenEstimate(ctx, cmd, id, demoCase(t))
	if err != nil || r2.Version != r1.Version || r2.Position != r1.Position {
		t.Errorf("retried open: %v, %v; first %v", r2, err, r1)
	}
	_, _, err = c.OpenEstimate(ctx, domain.Command{ID: "open-2"}, id, demoCase(t))
	wantErr(t, err, domain.EConflict, "id")
	if got := store.count(domain.EstimateStream(id)); got != n+2 {
		t.Errorf("%d events after a repeated open, want %d", got, n+2)
	}
}

// A retried command that the aggregate would refuse now, because it ran
// before (deciding a decided estimate, creating a draft again), answers as
// its first run did.
func TestRetriedCommandAnswersAsFirst(t *testing.T) {
	c, store := demoCommands(t)
	id := domain.NewID()
	_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	_, _, err = c.Present(ctx, domain.Command{}, id)
	must(t, err)
	dec := domain.Decision{Number: "D-1", Date: today(), EffectiveFrom: date(t, "2025-04-01")}
	cmd := domain.Command{ID: "decide-1"}
	_, r1, err := c.Decide(ctx, cmd, id, dec)
	must(t, err)
	n := store.count(domain.EstimateStream(id))
	e, r2, err := c.Decide(ctx, cmd, id, dec)
	if err != nil || r2.Version != r1.Version || r2.Position != r1.Position || !r2.Replayed || e.Status() != domain.EstDecided {
		t.Errorf("retried decide: %v, %v; first %v", r2, err, r1)
	}
	_, _, err = c.Decide(ctx, domain.Command{ID: "decide-2"}, id, dec)
	wantErr(t, err, domain.EConflict, "")
	if got := store.count(domain.EstimateStream(id)); got != n {
		t.Errorf("%d events after retries, want %d", got, n)
	}

	draft := domain.Command{ID: "draft-1"}
	v1, _, err := c.CreateTariffDraft(ctx, draft, "phhva", 1, 0, "")
	must(t, err)
	v2, r, err := c.CreateTariffDraft(ctx, draft, "phhva", 1, 0, "")
	if err != nil || v2 != v1 || !r.Replayed {
		t.Errorf("retried draft: version %d (first %d), %v, %v", v2, v1, r, err)
	}
	v3, _, err := c.CreateTariffDraft(ctx, domain.Command{ID: "draft-2"}, "phhva", 1, 0, "")
	if err != nil || v3 != v1+1 {
		t.Errorf("another draft: version %d, %v; want %d", v3, err, v1+1)
	}
}

// One revision of a decision may be open at a time; a revision whose
// original was superseded meanwhile cannot be decided, and the refusal
// writes nothing.
func TestOneOpenRevision(t *testing.T) {
	c, store := demoCommands(t)
	id := domain.NewID()
	_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	dec := func(n string) domain.Decision {
		return domain.Decision{Number: n, Date: today(), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "by phone"}
	}
	_, _, err = c.Decide(ctx, domain.Command{}, id, dec("D-1"))
	must(t, err)
	r1, r2, r3 := domain.NewID(), domain.NewID(), domain.NewID()
	_, _, err = c.Revise(ctx, domain.Command{}, id, r1, domain.Date{})
	must(t, err)
	_, _, err = c.Revise(ctx, domain.Command{}, id, r2, domain.Date{})
	wantErr(t, err, domain.EConflict, "id")
	// Cancelling the open revision allows another one.
	_, _, err = c.Cancel(ctx, domain.Command{}, r1, "wrong date")
	must(t, err)
	_, _, err = c.Revise(ctx, domain.Command{}, id, r2, domain.Date{})
	must(t, err)
	_, _, err = c.Decide(ctx, domain.Command{}, r2, dec("D-2"))
	must(t, err)
	// The original is superseded now: it cannot be revised again, and the
	// cancelled revision cannot be decided; refusals write nothing.
	_, _, err = c.Revise(ctx, domain.Command{}, id, r3, domain.Date{})
	wantErr(t, err, domain.EConflict, "")
	before := store.count(domain.EstimateStream(r1))
	_, _, err = c.Decide(ctx, domain.Command{}, r1, dec("D-3"))
	wantErr(t, err, domain.EConflict, "")
	if n := store.count(domain.EstimateStream(r1)); n != before {
		t.Errorf("a refused decision wrote %d events", n-before)
	}
}

// A command id used again for another request is refused, not answered as
// a retry.
func TestCommandIDReusedForAnotherRequest(t *testing.T) {
	c, _ := demoCommands(t)
	id := domain.NewID()
	cmd := domain.Command{ID: "key-1", Fingerprint: "open A"}
	_, _, err := c.OpenEstimate(ctx, cmd, id, demoCase(t))
	must(t, err)
	_, _, err = c.OpenEstimate(ctx, cmd, id, demoCase(t))
	must(t, err)
	other := cmd
	other.Fingerprint = "open B"
	_, _, err = c.OpenEstimate(ctx, other, id, demoCase(t))
	wantErr(t, err, domain.EConflict, "Idempotency-Key")
	line := domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"}
	add := domain.Command{ID: "key-2", Fingerprint: "add bathing"}
	_, _, _, err = c.AddLine(ctx, add, id, line)
	must(t, err)
	add.Fingerprint = "add more bathing"
	_, _, _, err = c.AddLine(ctx, add, id, line)
	wantErr(t, err, domain.EConflict, "Idempotency-Key")
}

// A retry answers with the estimate as its first run left it, also when
// the estimate changed since and the retry names the version it expected
// then; the same key on another command of the estimate is refused.
func TestRetryAfterLaterChanges(t *testing.T) {
	c, _ := demoCommands(t)
	id := domain.NewID()
	open := domain.Command{ID: "open-r", Fingerprint: "open"}
	_, r1, err := c.OpenEstimate(ctx, open, id, demoCase(t))
	must(t, err)
	line := domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"}
	v := r1.Version
	add := domain.Command{ID: "add-r", Fingerprint: "add", Expected: &v}
	_, e1, a1, err := c.AddLine(ctx, add, id, line)
	must(t, err)
	_, _, _, err = c.AddLine(ctx, domain.Command{}, id, line) // someone else, later
	must(t, err)
	_, e2, a2, err := c.AddLine(ctx, add, id, line) // the retry, with its old If-Match
	if err != nil || a2.Version != a1.Version || len(e2.Lines()) != len(e1.Lines()) || e2.Version() != a1.Version {
		t.Errorf("retry: %v, %v, %d lines at version %d; first %v with %d lines", a2, err, len(e2.Lines()), e2.Version(), a1, len(e1.Lines()))
	}
	e3, r3, err := c.OpenEstimate(ctx, open, id, demoCase(t))
	if err != nil || r3.Version != r1.Version || e3.Version() != r1.Version || len(e3.Lines()) != 2 {
		t.Errorf("retried open: %v, %v, version %d, %d lines", r3, err, e3.Version(), len(e3.Lines()))
	}
	cancel := domain.Command{ID: "add-r", Fingerprint: "cancel"}
	_, _, err = c.Cancel(ctx, cancel, id, "")
	wantErr(t, err, domain.EConflict, "Idempotency-Key")
}
