package storetest

import (
	"errors"
	"testing"
	"time"

	"carecost/domain"
)

func testAppendNoStream(t *testing.T, h *harness) {
	f := h.fixture(t)
	head := f.mustHead()
	stream, evs := f.stream("new"), f.events(2)
	before := time.Now()
	res := f.mustAppend(stream, domain.NoStream, evs...)
	after := time.Now()
	if res.Version != 1 {
		t.Errorf("result version: got %d, want 1", res.Version)
	}
	if !head.Less(res.Position) {
		t.Errorf("result position: got %v, want after the head %v", res.Position, head)
	}
	got := f.mustReadStream(stream, domain.ReadStreamOptions{})
	checkStream(t, got, stream, 0, evs)
	if last := got[len(got)-1].Position; last != res.Position {
		t.Errorf("position of the last event: got %v, want the result's %v", last, res.Position)
	}
	checkRecordedAt(t, got, before, after)
	if !res.RecordedAt.Equal(got[len(got)-1].RecordedAt) {
		t.Errorf("result recorded at %v, a read says %v", res.RecordedAt, got[len(got)-1].RecordedAt)
	}
}

func testWrongExpectedVersion(t *testing.T, h *harness) {
	f := h.fixture(t)
	stream := f.stream("occ")
	first := f.events(2)
	f.mustAppend(stream, domain.NoStream, first...) // now at version 1
	head := f.mustHead()
	for _, c := range []struct {
		name     string
		expected domain.ExpectedVersion
	}{
		{"NoStream on an existing stream", domain.NoStream},
		{"one behind", domain.ExactVersion(0)},
		{"one ahead", domain.ExactVersion(2)},
		{"far ahead", domain.ExactVersion(7)},
	} {
		_, err := f.s.Append(f.ctx, stream, c.expected, f.events(1)...)
		if !errors.Is(err, domain.ErrConcurrency) {
			t.Errorf("%s: got error %v, want ErrConcurrency", c.name, err)
		}
	}
	f.checkMissingRejects(f.stream("missing"))
	checkStream(t, f.mustReadStream(stream, domain.ReadStreamOptions{}), stream, 0, first)
	if got := f.mustHead(); got != head {
		t.Errorf("head after rejected appends: got %v, want %v", got, head)
	}
	if res := f.mustAppend(stream, domain.ExactVersion(1), f.events(1)...); res.Version != 2 {
		t.Errorf("append at the right version: got version %d, want 2", res.Version)
	}
}

// checkMissingRejects checks that an exact version on a missing stream is a
// conflict and creates nothing.
func (f *fixture) checkMissingRejects(missing string) {
	f.t.Helper()
	if _, err := f.s.Append(f.ctx, missing, domain.ExactVersion(0), f.events(1)...); !errors.Is(err, domain.ErrConcurrency) {
		f.t.Errorf("exact version on a missing stream: got error %v, want ErrConcurrency", err)
	}
	if _, err := f.s.ReadStream(f.ctx, missing, domain.ReadStreamOptions{}); !errors.Is(err, domain.ErrStreamNotFound) {
		f.t.Errorf("the missing stream after the rejected append: got error %v, want ErrStreamNotFound", err)
	}
}

func testRepeatedEventID(t *testing.T, h *harness) {
	f := h.fixture(t)
	stream, batch, next := f.stream("idem"), f.events(2), f.events(1)
	first := f.mustAppend(stream, domain.NoStream, batch...)
	again := f.mustAppend(stream, domain.NoStream, batch...)
	if again != first {
		t.Errorf("repeat at once: got %+v, want the first result %+v", again, first)
	}
	if first.RecordedAt.IsZero() {
		t.Errorf("first result: no recorded time")
	}
	moved := f.mustAppend(stream, domain.ExactVersion(1), next...)
	for _, c := range []struct {
		name     string
		expected domain.ExpectedVersion
		evs      []domain.EventData
		want     domain.AppendResult
	}{
		{"first batch with NoStream after the stream moved on", domain.NoStream, batch, first},
		{"first batch with AnyVersion", domain.AnyVersion, batch, first},
		{"second batch with its own expected version", domain.ExactVersion(1), next, moved},
		{"second batch with a stale expected version", domain.NoStream, next, moved},
	} {
		got, err := f.s.Append(f.ctx, stream, c.expected, c.evs...)
		if err != nil || got != c.want {
			t.Errorf("%s: got %+v, %v; want %+v, nil", c.name, got, err, c.want)
		}
	}
	checkStream(t, f.mustReadStream(stream, domain.ReadStreamOptions{}), stream, 0, append(batch, next...))
}

func testPartialRepeat(t *testing.T, h *harness) {
	f := h.fixture(t)
	stream, batch, fresh := f.stream("partial"), f.events(2), f.events(1)
	f.mustAppend(stream, domain.NoStream, batch...)
	for _, c := range []struct {
		name     string
		expected domain.ExpectedVersion
		evs      []domain.EventData
	}{
		{"first id repeated, second new", domain.NoStream, []domain.EventData{batch[0], fresh[0]}},
		{"last id repeated, then a new one", domain.ExactVersion(0), []domain.EventData{batch[1], fresh[0]}},
	} {
		if _, err := f.s.Append(f.ctx, stream, c.expected, c.evs...); !errors.Is(err, domain.ErrConcurrency) {
			t.Errorf("%s: got error %v, want ErrConcurrency", c.name, err)
		}
	}
	checkStream(t, f.mustReadStream(stream, domain.ReadStreamOptions{}), stream, 0, batch)
	if res := f.mustAppend(stream, domain.ExactVersion(1), fresh...); res.Version != 2 {
		t.Errorf("the new event on its own: got version %d, want 2", res.Version)
	}
}

func testAnyVersion(t *testing.T, h *harness) {
	f := h.fixture(t)
	stream, evs := f.stream("any"), f.events(5)
	steps := []struct {
		expected domain.ExpectedVersion
		evs      []domain.EventData
		want     uint64
	}{
		{domain.AnyVersion, evs[0:1], 0},
		{domain.AnyVersion, evs[1:3], 2},
		{domain.ExactVersion(2), evs[3:4], 3},
		{domain.AnyVersion, evs[4:5], 4},
	}
	var last domain.Position
	for i, s := range steps {
		res := f.mustAppend(stream, s.expected, s.evs...)
		if res.Version != s.want || !last.Less(res.Position) {
			t.Errorf("step %d: got version %d at %v, want version %d after %v", i, res.Version, res.Position, s.want, last)
		}
		last = res.Position
	}
	checkStream(t, f.mustReadStream(stream, domain.ReadStreamOptions{}), stream, 0, evs)
}

func testAllOrNothing(t *testing.T, h *harness) {
	f := h.fixture(t)
	stream, first, batch := f.stream("atomic"), f.events(1), f.events(3)
	f.mustAppend(stream, domain.NoStream, first...)
	head := f.mustHead()
	for _, expected := range []domain.ExpectedVersion{domain.ExactVersion(5), domain.NoStream} {
		if _, err := f.s.Append(f.ctx, stream, expected, batch...); !errors.Is(err, domain.ErrConcurrency) {
			t.Errorf("batch of 3 expecting %d: got error %v, want ErrConcurrency", expected, err)
		}
	}
	checkStream(t, f.mustReadStream(stream, domain.ReadStreamOptions{}), stream, 0, first)
	if got := f.mustHead(); got != head {
		t.Errorf("head: got %v, want %v", got, head)
	}
	if got := f.mustReadAll(domain.ReadAllOptions{After: head}); len(got) != 0 {
		t.Errorf("log after the head: got %v, want no events", recordedIDs(got))
	}
	// The ids of the rejected batch were not taken: the batch goes in now.
	if res := f.mustAppend(stream, domain.ExactVersion(0), batch...); res.Version != 3 {
		t.Errorf("the batch at the right version: got version %d, want 3", res.Version)
	}
	checkStream(t, f.mustReadStream(stream, domain.ReadStreamOptions{}), stream, 0, append(first, batch...))
}
