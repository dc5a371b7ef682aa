package domain_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"carecost/domain"
)

// openPresented opens and presents an estimate of the demo case.
func openPresented(t *testing.T, c *domain.Commands) string {
	t.Helper()
	id := domain.NewID()
	_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	_, _, err = c.Present(ctx, domain.Command{}, id)
	must(t, err)
	return id
}

// reservations returns the estimate ids of the reservation stream of
// number, oldest first.
func reservations(t *testing.T, s domain.EventStore, number string) []string {
	t.Helper()
	recs, err := s.ReadStream(ctx, domain.DecisionNumberStream(number), domain.ReadStreamOptions{})
	if errors.Is(err, domain.ErrStreamNotFound) {
		return nil
	}
	must(t, err)
	var ids []string
	for _, r := range recs {
		var p domain.DecisionNumberReserved
		must(t, json.Unmarshal(r.Data, &p))
		ids = append(ids, p.EstimateID)
	}
	return ids
}

// A decision number is used once: another estimate's decision with the same
// number (trimmed, in any case) is refused naming decision_number and the
// estimate that holds it, and writes nothing.
func TestDuplicateDecisionNumberRefused(t *testing.T) {
	c, store := demoCommands(t)
	a, b := openPresented(t, c), openPresented(t, c)
	_, _, err := c.Decide(ctx, domain.Command{}, a, decision(t, "HVA-2026-0001"))
	must(t, err)
	before, _ := store.Head(ctx)
	_, _, err = c.Decide(ctx, domain.Command{}, b, decision(t, "  hva-2026-0001 "))
	wantErr(t, err, domain.ERefused, "decision_number")
	if !strings.Contains(err.Error(), a) {
		t.Errorf("the refusal does not name the estimate holding the number: %v", err)
	}
	if after, _ := store.Head(ctx); after != before {
		t.Errorf("a refused decision wrote up to %v (head was %v)", after, before)
	}
	// b is still presented and takes a number of its own.
	e, _, err := c.Decide(ctx, domain.Command{}, b, decision(t, "HVA-2026-0002"))
	must(t, err)
	if e.Decision().Number != "HVA-2026-0002" {
		t.Errorf("decision %+v", e.Decision())
	}
	if got := reservations(t, store, "HVA-2026-0001"); len(got) != 1 || got[0] != a {
		t.Errorf("reservations of HVA-2026-0001: %v, want [%s]", got, a)
	}
	// The stream name is the same for every spelling of the number.
	if domain.DecisionNumberStream(" HVA-2026-0001") != domain.DecisionNumberStream("hva-2026-0001") ||
		domain.DecisionNumberStream("HVA-2026-0001") == domain.DecisionNumberStream("HVA-2026-00011") {
		t.Error("stream names do not follow the normalised number")
	}
	// A revision is a decision of its own: it takes a new number too.
	rev := domain.NewID()
	_, _, err = c.Revise(ctx, domain.Command{}, a, rev, domain.Date{})
	must(t, err)
	_, _, err = c.Decide(ctx, domain.Command{}, rev, unpresented(t, "HVA-2026-0001"))
	wantErr(t, err, domain.ERefused, "decision_number")
	_, _, err = c.Decide(ctx, domain.Command{}, rev, unpresented(t, "HVA-2026-0003"))
	must(t, err)
}

// Many estimates decided with one number at the same moment, on commands
// over one store as several instances would be: exactly one wins, every
// other is refused naming decision_number, and no reservation is left that
// blocks a later decision of the losers.
func TestConcurrentDecisionsOneNumber(t *testing.T) {
	_, mem := demoCommands(t)
	slow := &faultyStore{memStore: mem}
	slow.failOn(func(string, []domain.EventData) bool { time.Sleep(time.Millisecond); return false })
	instances := []*domain.Commands{domain.NewCommands(slow), domain.NewCommands(slow), domain.NewCommands(slow)}
	for round := range 5 {
		number := "K-" + string(rune('A'+round))
		const n = 12
		ids := make([]string, n)
		for i := range ids {
			ids[i] = openPresented(t, instances[i%len(instances)])
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range ids {
			wg.Go(func() {
				_, _, errs[i] = instances[i%len(instances)].Decide(ctx, domain.Command{}, ids[i], decision(t, number))
			})
		}
		wg.Wait()
		winner := ""
		for i, err := range errs {
			switch {
			case err == nil && winner != "":
				t.Fatalf("round %d: %s and %s both decided with %s", round, winner, ids[i], number)
			case err == nil:
				winner = ids[i]
			case domain.ErrorCode(err) != domain.ERefused || domain.ErrorField(err) != "decision_number":
				t.Fatalf("round %d: %s: %v", round, ids[i], err)
			}
		}
		if winner == "" {
			t.Fatalf("round %d: no decision won", round)
		}
		if got := reservations(t, mem, number); len(got) != 1 || got[0] != winner {
			t.Fatalf("round %d: reservations %v, want only the winner %s", round, got, winner)
		}
		for i, id := range ids {
			if id == winner {
				continue
			}
			if n := mem.count(domain.EstimateStream(id)); n != 3 {
				t.Fatalf("round %d: a refused estimate has %d events, want opened, priced, presented", round, n)
			}
			_, _, err := instances[0].Decide(ctx, domain.Command{}, id, decision(t, number+"-"+string(rune('a'+i))))
			must(t, err)
		}
	}
}

// A decision retried with its Idempotency-Key answers as its first run and
// writes nothing more, to the estimate or the reservation.
func TestRetriedDecisionSameKey(t *testing.T) {
	c, store := demoCommands(t)
	id := openPresented(t, c)
	cmd := domain.Command{ID: domain.NewID(), Fingerprint: "POST decide 1"}
	_, first, err := c.Decide(ctx, cmd, id, decision(t, "R-1"))
	must(t, err)
	head, _ := store.Head(ctx)
	// Also on other instances, which never saw the first run.
	for _, again := range []*domain.Commands{c, domain.NewCommands(store)} {
		e, r, err := again.Decide(ctx, cmd, id, decision(t, "R-1"))
		must(t, err)
		if r.Position != first.Position || r.Version != first.Version || !r.Replayed || e.Decision().Number != "R-1" {
			t.Errorf("retry answered %+v (%+v), first run %+v", r, e.Decision(), first)
		}
	}
	if after, _ := store.Head(ctx); after != head {
		t.Errorf("a retry wrote up to %v (head was %v)", after, head)
	}
	if got := reservations(t, store, "R-1"); len(got) != 1 {
		t.Errorf("reservations %v", got)
	}
}

// A decision cut off between its two appends leaves a reservation for an
// estimate not decided with that number. The decision retried lands; the
// number is held from other estimates for DecisionNumberHold, then taken
// over, and the estimate that lost it is refused.
func TestOrphanReservationTakenOver(t *testing.T) {
	c, store := faultyCommands(t)
	a, b := openPresented(t, c), openPresented(t, c)
	store.failOn(func(stream string, _ []domain.EventData) bool { return strings.HasPrefix(stream, "estimate-") })
	cmd := domain.Command{ID: domain.NewID(), Fingerprint: "decide a"}
	_, _, err := c.Decide(ctx, cmd, a, decision(t, "O-1"))
	if !errors.Is(err, errInjected) {
		t.Fatalf("err = %v", err)
	}
	store.failOn(nil)
	if got := reservations(t, store, "O-1"); len(got) != 1 || got[0] != a {
		t.Fatalf("reservations %v", got)
	}
	// The same command retried (the same key) lands, reusing its reservation.
	e, _, err := c.Decide(ctx, cmd, a, decision(t, "O-1"))
	must(t, err)
	if e.Status() != domain.EstDecided || len(reservations(t, store, "O-1")) != 1 {
		t.Fatalf("retry: %s, reservations %v", e.Status(), reservations(t, store, "O-1"))
	}

	// Cut off again, on b with O-2, and never retried.
	store.failOn(func(stream string, _ []domain.EventData) bool { return strings.HasPrefix(stream, "estimate-") })
	_, _, err = c.Decide(ctx, domain.Command{}, b, decision(t, "O-2"))
	if !errors.Is(err, errInjected) {
		t.Fatalf("err = %v", err)
	}
	store.failOn(nil)
	x := openPresented(t, c)
	_, _, err = c.Decide(ctx, domain.Command{}, x, decision(t, "O-2"))
	wantErr(t, err, domain.ERefused, "decision_number")
	later := domain.NewCommands(store)
	later.Clock = func() time.Time { return time.Now().Add(domain.DecisionNumberHold + time.Second) }
	_, _, err = later.Decide(ctx, domain.Command{}, x, decision(t, "O-2"))
	must(t, err)
	if got := reservations(t, store, "O-2"); len(got) != 2 || got[0] != b || got[1] != x {
		t.Fatalf("reservations %v, want [%s %s]", got, b, x)
	}
	_, _, err = later.Decide(ctx, domain.Command{}, b, decision(t, "O-2"))
	wantErr(t, err, domain.ERefused, "decision_number")
	// A decision that landed is never taken over, however old.
	y := openPresented(t, c)
	_, _, err = later.Decide(ctx, domain.Command{}, y, decision(t, "O-1"))
	wantErr(t, err, domain.ERefused, "decision_number")
	_, _, err = later.Decide(ctx, domain.Command{}, b, decision(t, "O-3"))
	must(t, err)
}

// Every check of a decision comes before the reservation: a decision
// refused for its date, its state or its pricing leaves no reservation.
func TestRefusedDecisionReservesNothing(t *testing.T) {
	c, store := demoCommands(t)
	id := openPresented(t, c)
	d := decision(t, "N-1")
	d.Date = today().AddDays(1)
	_, _, err := c.Decide(ctx, domain.Command{}, id, d)
	wantErr(t, err, domain.ERefused, "decision_date")
	draft := domain.NewID()
	_, _, err = c.OpenEstimate(ctx, domain.Command{}, draft, demoCase(t))
	must(t, err)
	_, _, err = c.Decide(ctx, domain.Command{}, draft, decision(t, "N-1"))
	wantErr(t, err, domain.EConflict, "presented")
	if got := reservations(t, store, "N-1"); got != nil {
		t.Fatalf("refused decisions reserved %v", got)
	}
	_, _, err = c.Decide(ctx, domain.Command{}, draft, unpresented(t, "N-1"))
	must(t, err)
}

// pastStore answers reads of some streams as if their events were recorded
// at another time: an estimate opened on a past day.
type pastStore struct {
	*memStore
	at map[string]time.Time
}

func (p *pastStore) ReadStream(ctx context.Context, stream string, o domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	recs, err := p.memStore.ReadStream(ctx, stream, o)
	if t, ok := p.at[stream]; ok {
		for i := range recs {
			recs[i].RecordedAt = t
		}
	}
	return recs, err
}

// The decision date is neither after today (the Helsinki date of the
// command's clock) nor before the Helsinki date the estimate was opened;
// both ends are allowed.
func TestDecisionDate(t *testing.T) {
	_, mem := demoCommands(t)
	ps := &pastStore{memStore: mem, at: map[string]time.Time{}}
	opener := domain.NewCommands(ps)
	id := openPresented(t, opener)
	// Opened at 00:30 in Helsinki on 2 March 2025 (22:30 UTC the day before).
	ps.at[domain.EstimateStream(id)] = time.Date(2025, 3, 1, 22, 30, 0, 0, time.UTC)
	c := domain.NewCommands(ps)
	// 10 March 2025, 23:30 in Helsinki (21:30 UTC).
	c.Clock = func() time.Time { return time.Date(2025, 3, 10, 21, 30, 0, 0, time.UTC) }
	for _, tc := range []struct{ date, want string }{
		{"2025-03-11", "the decision date 2025-03-11 is in the future: a decision is recorded on or after the day it is taken (today is 2025-03-10)"},
		{"2025-03-01", "the decision date 2025-03-01 is before the estimate was opened on 2025-03-02"},
	} {
		d := decision(t, "DD-"+tc.date)
		d.Date = date(t, tc.date)
		_, _, err := c.Decide(ctx, domain.Command{}, id, d)
		wantErr(t, err, domain.ERefused, "decision_date")
		if domain.ErrorMessage(err) != tc.want {
			t.Errorf("%s: %q, want %q", tc.date, domain.ErrorMessage(err), tc.want)
		}
	}
	for _, edge := range []string{"2025-03-02", "2025-03-10"} {
		other := openPresented(t, opener)
		ps.at[domain.EstimateStream(other)] = time.Date(2025, 3, 1, 22, 30, 0, 0, time.UTC)
		d := decision(t, "DD-"+edge)
		d.Date = date(t, edge)
		_, _, err := c.Decide(ctx, domain.Command{}, other, d)
		must(t, err)
	}

	// A revision is judged by its own opening, not its original's.
	orig := openPresented(t, opener)
	ps.at[domain.EstimateStream(orig)] = time.Date(2025, 3, 1, 22, 30, 0, 0, time.UTC)
	d := decision(t, "DD-orig")
	d.Date = date(t, "2025-03-03")
	_, _, err := c.Decide(ctx, domain.Command{}, orig, d)
	must(t, err)
	rev := domain.NewID()
	_, _, err = c.Revise(ctx, domain.Command{}, orig, rev, domain.Date{})
	must(t, err)
	ps.at[domain.EstimateStream(rev)] = time.Date(2025, 3, 6, 12, 0, 0, 0, time.UTC)
	c2 := domain.NewCommands(ps) // reads the revision afresh
	c2.Clock = c.Clock
	d = unpresented(t, "DD-rev")
	d.Date = date(t, "2025-03-05")
	_, _, err = c2.Decide(ctx, domain.Command{}, rev, d)
	wantErr(t, err, domain.ERefused, "decision_date")
	if want := "the decision date 2025-03-05 is before the revision was opened on 2025-03-06"; domain.ErrorMessage(err) != want {
		t.Errorf("%q, want %q", domain.ErrorMessage(err), want)
	}
	d.Date = date(t, "2025-03-06")
	_, _, err = c2.Decide(ctx, domain.Command{}, rev, d)
	must(t, err)
}

// decidedEvent returns the decided event of estimate id.
func decidedEvent(t *testing.T, s domain.EventStore, id string) *domain.EstimateDecided {
	t.Helper()
	recs, err := s.ReadStream(ctx, domain.EstimateStream(id), domain.ReadStreamOptions{})
	must(t, err)
	for _, r := range recs {
		if r.Type == domain.EvEstimateDecided {
			p, err := domain.DecodePayload(r.Type, r.Data)
			must(t, err)
			return p.(*domain.EstimateDecided)
		}
	}
	t.Fatalf("estimate %s has no decision", id)
	return nil
}

// The decided event warns when the versions in effect on the effective-from
// date are not those of the pricing date (the demo's tariff phhva has
// version 1 from 2025, version 3 from 2026; its income-limit catalogue
// version 3 from 2024, 4 from 2026).
func TestVersionWarning(t *testing.T) {
	c, store := demoCommands(t)
	same, other := openPresented(t, c), openPresented(t, c) // priced on 2025-03-01
	d := decision(t, "W-1")
	d.EffectiveFrom = date(t, "2025-12-31")
	_, _, err := c.Decide(ctx, domain.Command{}, same, d)
	must(t, err)
	if w := decidedEvent(t, store, same).VersionWarning; w != nil {
		t.Errorf("warning %+v for versions that are the same", w)
	}
	d = decision(t, "W-2")
	d.EffectiveFrom = date(t, "2026-01-01")
	_, _, err = c.Decide(ctx, domain.Command{}, other, d)
	must(t, err)
	got := decidedEvent(t, store, other)
	want := domain.VersionWarning{EffectiveFrom: date(t, "2026-01-01"), TariffVersion: 3, IncomeVersion: 4}
	if got.VersionWarning == nil || *got.VersionWarning != want || got.Quote.Tariff.Version != 1 || got.Quote.IncomeCatalogue.Version != 3 {
		t.Errorf("warning %+v (priced with tariff %d), want %+v", got.VersionWarning, got.Quote.Tariff.Version, want)
	}
	// No version in effect on the effective-from date: version 0.
	early := openPresented(t, c)
	d = decision(t, "W-3")
	d.EffectiveFrom = date(t, "2024-12-31")
	_, _, err = c.Decide(ctx, domain.Command{}, early, d)
	must(t, err)
	if w := decidedEvent(t, store, early).VersionWarning; w == nil || w.TariffVersion != 0 {
		t.Errorf("warning %+v, want tariff version 0", w)
	}
}

// mealCase is a case of one line: 5 meals a week, own production (phhva
// version 1: unit cost 9.80, a flat fee of 5.00 a meal, 52/12 weeks a
// month).
func mealCase(t *testing.T) domain.CaseInput {
	c := demoCase(t)
	c.Lines = []domain.Line{{Service: "meal-service", Mode: "own", Quantity: qty(t, "5"), Frequency: "week"}}
	return c
}

// The decided event records the totals presented to the client; when a
// price changed between presenting and deciding, the two differ.
//
// 5 meals a week are 5 x 52/12 = 21 2/3 meals a month. Presented (fee
// 5.00): gross 21 2/3 x 9.80 = 212.33, fee 21 2/3 x 5.00 = 108.33, net
// 104.00; a year 2 547.96, 1 299.96, 1 248.00 (12 months of the rounded
// figures). A correction of version 1 sets the fee to 6.00: decided fee
// 21 2/3 x 6.00 = 130.00, net 82.33; a year 1 560.00 and 987.96.
func TestPresentedTotalsRecorded(t *testing.T) {
	c, store := demoCommands(t)
	admin := domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}
	changed, unchanged := domain.NewID(), domain.NewID()
	for _, id := range []string{changed, unchanged} {
		_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, mealCase(t))
		must(t, err)
		_, _, err = c.Present(ctx, domain.Command{}, id)
		must(t, err)
	}
	_, _, err := c.Decide(ctx, domain.Command{}, unchanged, decision(t, "P-1"))
	must(t, err)
	n, _, err := c.CreateTariffDraft(ctx, admin, "phhva", 1, 1, "meal fee corrected")
	must(t, err)
	_, err = c.SetTariffEntry(ctx, admin, "phhva", n, domain.Entry{Service: "meal-service", Mode: "own", UnitCost: money(t, "9.80"),
		Rule: domain.RuleFlat, Fee: mp(t, "6.00")})
	must(t, err)
	_, err = c.PublishTariff(ctx, admin, "phhva", n, date(t, "2025-01-01"))
	must(t, err)
	_, _, err = c.Decide(ctx, domain.Command{}, changed, decision(t, "P-2"))
	must(t, err)

	presented := domain.QuoteTotals{
		Monthly: domain.Totals{CountyGross: money(t, "212.33"), ClientFee: money(t, "108.33"), CountyNet: money(t, "104.00")},
		Yearly:  domain.Totals{CountyGross: money(t, "2547.96"), ClientFee: money(t, "1299.96"), CountyNet: money(t, "1248.00")},
	}
	u := decidedEvent(t, store, unchanged)
	if u.PresentedTotals == nil || *u.PresentedTotals != presented || u.TotalsChanged() {
		t.Errorf("unchanged: presented %+v, changed %v; want %+v", u.PresentedTotals, u.TotalsChanged(), presented)
	}
	ch := decidedEvent(t, store, changed)
	decided := domain.QuoteTotals{
		Monthly: domain.Totals{CountyGross: money(t, "212.33"), ClientFee: money(t, "130.00"), CountyNet: money(t, "82.33")},
		Yearly:  domain.Totals{CountyGross: money(t, "2547.96"), ClientFee: money(t, "1560.00"), CountyNet: money(t, "987.96")},
	}
	if ch.PresentedTotals == nil || *ch.PresentedTotals != presented || domain.TotalsOf(ch.Quote) != decided || !ch.TotalsChanged() {
		t.Errorf("changed: presented %+v, decided %+v, changed %v", ch.PresentedTotals, domain.TotalsOf(ch.Quote), ch.TotalsChanged())
	}

	// Decided without presenting: nothing presented, no flag.
	id := domain.NewID()
	_, _, err = c.OpenEstimate(ctx, domain.Command{}, id, mealCase(t))
	must(t, err)
	_, _, err = c.Decide(ctx, domain.Command{}, id, unpresented(t, "P-3"))
	must(t, err)
	if e := decidedEvent(t, store, id); e.PresentedTotals != nil || e.TotalsChanged() {
		t.Errorf("unpresented: %+v", e.PresentedTotals)
	}
}

// A decided event recorded before the warning and the presented totals
// were kept reads as no warning and no flag.
func TestOldDecidedEventHasNoWarningNorFlag(t *testing.T) {
	old := `{"schema":2,"decision_number":"D-1","decision_date":"2025-03-05","effective_from":"2026-04-01",` +
		`"catalogue_position":"7","quote":{"pricing_date":"2025-03-01","tariff":{"id":"phhva","name":"x","version":1,"valid_from":"2025-01-01"},` +
		`"weeks_per_month":"52/12","days_per_month":"365/12","monthly":{"county_gross":"10.00","client_fee":"2.00","county_net":"8.00"},` +
		`"one_off":{"county_gross":"0.00","client_fee":"0.00","county_net":"0.00"},"yearly":{"county_gross":"120.00","client_fee":"24.00","county_net":"96.00"},"lines":[]},"personal":{}}`
	p, err := domain.DecodePayload(domain.EvEstimateDecided, []byte(old))
	must(t, err)
	d := p.(*domain.EstimateDecided)
	if d.VersionWarning != nil || d.PresentedTotals != nil || d.TotalsChanged() || d.Quote.Monthly.ClientFee != money(t, "2.00") {
		t.Errorf("old event read as %+v", d)
	}
}

// renamedReservations is a store on which the reservation streams of the
// decisions already recorded are not found: as for decisions recorded
// before numbers were reserved.
type renamedReservations struct{ domain.EventStore }

func (r renamedReservations) rename(stream string) string {
	if strings.HasPrefix(stream, "decision-number-") {
		return "later-" + stream
	}
	return stream
}

func (r renamedReservations) Append(ctx context.Context, stream string, exp domain.ExpectedVersion, evs ...domain.EventData) (domain.AppendResult, error) {
	return r.EventStore.Append(ctx, r.rename(stream), exp, evs...)
}

func (r renamedReservations) ReadStream(ctx context.Context, stream string, opts domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	return r.EventStore.ReadStream(ctx, r.rename(stream), opts)
}

// A decision recorded before numbers were reserved still holds its number:
// the decisions read model names it (NumberHolders), and a new decision
// with that number is refused.
func TestNumberOfAnUnreservedDecisionIsHeld(t *testing.T) {
	c, mem := demoCommands(t)
	old := decideCase(t, c, errandsCase(t, "client-old", domain.Line{Service: "meal-service", Mode: "own", Quantity: qty(t, "5"), Frequency: "week"}), "HVA-2024-0001")
	later := domain.NewCommands(renamedReservations{mem})
	later.NumberHolders = func(ctx context.Context, number string) ([]string, error) {
		if domain.NormalDecisionNumber(number) == "hva-2024-0001" {
			return []string{old}, nil
		}
		return nil, nil
	}
	id := domain.NewID()
	_, _, err := later.OpenEstimate(ctx, domain.Command{}, id, demoCase(t))
	must(t, err)
	_, _, err = later.Present(ctx, domain.Command{}, id)
	must(t, err)
	today := domain.DateOf(time.Now())
	_, _, err = later.Decide(ctx, domain.Command{}, id, domain.Decision{Number: " hva-2024-0001", Date: today, EffectiveFrom: today})
	if domain.ErrorCode(err) != domain.ERefused || !strings.Contains(err.Error(), old) {
		t.Fatalf("a number an unreserved decision holds: %v", err)
	}
	_, _, err = later.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "HVA-2024-0002", Date: today, EffectiveFrom: today})
	must(t, err)
}

// Look-alike decision numbers are one number.
func TestNormalDecisionNumber(t *testing.T) {
	for _, pair := range [][2]string{{"REV-0001", "ＲＥＶ-０００１"}, {"straße-1", "STRASSE-1"}, {" hva-1 ", "HVA-1"}, {"HVA-1", "\u3000hva-1"}} {
		if a, b := domain.NormalDecisionNumber(pair[0]), domain.NormalDecisionNumber(pair[1]); a != b {
			t.Errorf("%q and %q are %q and %q", pair[0], pair[1], a, b)
		}
	}
	if domain.NormalDecisionNumber("HVA-1") == domain.NormalDecisionNumber("HVA-11") {
		t.Error("HVA-1 and HVA-11 are one number")
	}
}
