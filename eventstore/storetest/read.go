package storetest

import (
	"context"
	"errors"
	"testing"

	"carecost/domain"
)

func testMissingStream(t *testing.T, h *harness) {
	f := h.fixture(t)
	missing := f.stream("missing")
	// A stream whose name starts with the missing one's must not count.
	f.mustAppend(missing+"-longer", domain.NoStream, f.events(1)...)
	for _, opts := range []domain.ReadStreamOptions{{}, {From: 3, Limit: 2}, {AsOf: f.mustHead()}} {
		evs, err := f.s.ReadStream(f.ctx, missing, opts)
		if !errors.Is(err, domain.ErrStreamNotFound) {
			t.Errorf("ReadStream(%+v): got %d events and error %v, want ErrStreamNotFound", opts, len(evs), err)
		}
	}
}

func testReadStreamFrom(t *testing.T, h *harness) {
	f := h.fixture(t)
	stream, other, evs := f.stream("from"), f.stream("other"), f.events(5)
	f.mustAppend(stream, domain.NoStream, evs[:3]...)
	f.mustAppend(other, domain.NoStream, f.events(2)...)
	f.mustAppend(stream, domain.ExactVersion(2), evs[3:]...)
	for _, c := range []struct {
		opts domain.ReadStreamOptions
		from int
		to   int
	}{
		{domain.ReadStreamOptions{}, 0, 5},
		{domain.ReadStreamOptions{From: 2}, 2, 5},
		{domain.ReadStreamOptions{From: 2, Limit: 2}, 2, 4},
		{domain.ReadStreamOptions{From: 4, Limit: 10}, 4, 5},
		{domain.ReadStreamOptions{Limit: 1}, 0, 1},
		{domain.ReadStreamOptions{From: 5}, 5, 5},
		{domain.ReadStreamOptions{From: 1000}, 5, 5},
	} {
		t.Logf("ReadStream(%+v)", c.opts)
		got := f.mustReadStream(stream, c.opts)
		checkStream(t, got, stream, uint64(c.from), evs[c.from:c.to])
	}
}

func testReadStreamAsOf(t *testing.T, h *harness) {
	f := h.fixture(t)
	stream, other, evs := f.stream("asof"), f.stream("other"), f.events(4)
	before := f.mustAppend(other, domain.NoStream, f.events(1)...)
	r1 := f.mustAppend(stream, domain.NoStream, evs[:2]...)
	between := f.mustAppend(other, domain.ExactVersion(0), f.events(1)...)
	r2 := f.mustAppend(stream, domain.ExactVersion(1), evs[2:]...)
	f.mustAppend(other, domain.ExactVersion(1), f.events(1)...)
	for _, c := range []struct {
		name     string
		opts     domain.ReadStreamOptions
		from, to int
	}{
		{"as of its first append", domain.ReadStreamOptions{AsOf: r1.Position}, 0, 2},
		{"as of another stream's event in between", domain.ReadStreamOptions{AsOf: between.Position}, 0, 2},
		{"as of its second append", domain.ReadStreamOptions{AsOf: r2.Position}, 0, 4},
		{"from a version, as of its first append", domain.ReadStreamOptions{From: 1, AsOf: r1.Position}, 1, 2},
		{"from past its end as of then", domain.ReadStreamOptions{From: 2, AsOf: r1.Position}, 2, 2},
		{"with a limit", domain.ReadStreamOptions{Limit: 3, AsOf: r2.Position}, 0, 3},
	} {
		t.Logf("%s: ReadStream(%+v)", c.name, c.opts)
		checkStream(t, f.mustReadStream(stream, c.opts), stream, uint64(c.from), evs[c.from:c.to])
	}
	got, err := f.s.ReadStream(f.ctx, stream, domain.ReadStreamOptions{AsOf: before.Position})
	if !errors.Is(err, domain.ErrStreamNotFound) {
		t.Errorf("as of a position before the stream began: got %d events and error %v, want ErrStreamNotFound", len(got), err)
	}
}

// appended is one event written by a test, with where it landed.
type appended struct {
	id     string
	stream string
	res    domain.AppendResult
}

// appendSpread writes one event per entry of streams, in that order, and
// returns them in append order.
func (f *fixture) appendSpread(streams ...string) []appended {
	f.t.Helper()
	versions := map[string]domain.ExpectedVersion{}
	out := make([]appended, 0, len(streams))
	for _, s := range streams {
		exp, ok := versions[s]
		if !ok {
			exp = domain.NoStream
		}
		ev := f.events(1)
		res := f.mustAppend(s, exp, ev...)
		versions[s] = domain.ExactVersion(res.Version)
		out = append(out, appended{id: ev[0].ID, stream: s, res: res})
	}
	return out
}

func appendedIDs(as []appended) []string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.id
	}
	return ids
}

func testReadAllAfter(t *testing.T, h *harness) {
	f := h.fixture(t)
	head := f.mustHead()
	a, b, c := f.stream("a"), f.stream("b"), f.stream("c")
	want := f.appendSpread(a, b, a, c, c, b, a)
	all := f.mustReadAll(domain.ReadAllOptions{After: head})
	checkIDs(t, all, appendedIDs(want))
	checkIncreasing(t, all)
	h.checkDense(t, head, all)
	for i, e := range all {
		if e.Stream != want[i].stream || e.Version != want[i].res.Version || e.Position != want[i].res.Position {
			t.Errorf("event %d: got stream %q version %d at %v, want %q %d at %v",
				i, e.Stream, e.Version, e.Position, want[i].stream, want[i].res.Version, want[i].res.Position)
		}
	}
	checkIDs(t, f.mustReadAll(domain.ReadAllOptions{After: all[2].Position}), appendedIDs(want[3:]))
	checkIDs(t, f.mustReadAll(domain.ReadAllOptions{After: head, Limit: 2}), appendedIDs(want[:2]))
	checkIDs(t, f.mustReadAll(domain.ReadAllOptions{After: all[4].Position, Limit: 100}), appendedIDs(want[5:]))
	checkIDs(t, f.mustReadAll(domain.ReadAllOptions{After: all[6].Position}), nil)
}

func testReadAllAsOf(t *testing.T, h *harness) {
	f := h.fixture(t)
	head := f.mustHead()
	a, b := f.stream("a"), f.stream("b")
	want := f.appendSpread(a, b, b, a, b)
	ids := appendedIDs(want)
	pos := func(i int) domain.Position { return want[i].res.Position }
	for _, c := range []struct {
		opts     domain.ReadAllOptions
		from, to int
	}{
		{domain.ReadAllOptions{After: head, AsOf: pos(2)}, 0, 3},
		{domain.ReadAllOptions{After: pos(0), AsOf: pos(3)}, 1, 4},
		{domain.ReadAllOptions{After: head, AsOf: pos(4), Limit: 2}, 0, 2},
		{domain.ReadAllOptions{After: pos(1), AsOf: pos(4), Limit: 2}, 2, 4},
		{domain.ReadAllOptions{After: pos(2), AsOf: pos(2)}, 3, 3},
		{domain.ReadAllOptions{After: head, AsOf: pos(0)}, 0, 1},
	} {
		t.Logf("ReadAll(%+v)", c.opts)
		checkIDs(t, f.mustReadAll(c.opts), ids[c.from:c.to])
	}
}

func testHead(t *testing.T, h *harness) {
	f := h.fixture(t)
	head := f.mustHead()
	a, b := f.stream("a"), f.stream("b")
	r1 := f.mustAppend(a, domain.NoStream, f.events(1)...)
	if got := f.mustHead(); got != r1.Position {
		t.Errorf("after one event: got head %v, want %v", got, r1.Position)
	}
	r2 := f.mustAppend(b, domain.NoStream, f.events(3)...)
	if got := f.mustHead(); got != r2.Position {
		t.Errorf("after three more: got head %v, want %v", got, r2.Position)
	}
	if _, err := f.s.Append(f.ctx, a, domain.NoStream, f.events(1)...); !errors.Is(err, domain.ErrConcurrency) {
		t.Fatalf("conflicting append: got error %v, want ErrConcurrency", err)
	}
	if got := f.mustHead(); got != r2.Position {
		t.Errorf("after a rejected append: got head %v, want %v", got, r2.Position)
	}
	all := f.mustReadAll(domain.ReadAllOptions{After: head})
	if len(all) != 4 || all[3].Position != r2.Position {
		t.Errorf("log after the old head: got %d events ending at %v, want 4 ending at %v", len(all), lastPosition(all), r2.Position)
	}
}

func lastPosition(evs []domain.RecordedEvent) domain.Position {
	if len(evs) == 0 {
		return domain.Position{}
	}
	return evs[len(evs)-1].Position
}

// testAckedIsVisible: once Append returns, Head and a new subscription (read
// with a done context, so without waiting) already see the events. Many
// rounds, since a store that answers before it publishes its head fails
// only now and then.
func testAckedIsVisible(t *testing.T, h *harness) {
	f := h.fixture(t)
	stream := f.stream("acked")
	done, cancel := context.WithCancel(f.ctx)
	cancel()
	for i := range 200 {
		before := f.mustHead()
		expected := domain.NoStream
		if i > 0 {
			expected = domain.ExactVersion(uint64(i - 1))
		}
		r := f.mustAppend(stream, expected, f.events(1)...)
		if got := f.mustHead(); got.Less(r.Position) {
			t.Fatalf("round %d: head %v right after an append acknowledged at %v", i, got, r.Position)
		}
		sub := f.mustSubscribe(before)
		e, err := sub.Next(done)
		sub.Close()
		if err != nil || e.Position != r.Position {
			t.Fatalf("round %d: a new subscription gave %v, %v; want the event at %v", i, e.Position, err, r.Position)
		}
	}
}
