package storetest

import (
	"errors"
	"testing"
	"time"

	"carecost/domain"
)

// The import path (domain.Importer), checked for every store that has one:
// a log copied with its order, ids and times, refused when its times would
// go backwards, idempotent and resumable, all or nothing (or, for a store
// that imports stream by stream, a prefix that a re-run completes).
var importCases = []struct {
	name   string
	run    func(*testing.T, *harness)
	atomic bool // replaced by partialImportCase with ImportStreamByStream
}{
	{"import keeps the order, ids, versions and recorded times given", testImportKeeps, false},
	{"import refuses times that go backwards, in the call or behind the log", testImportBackwards, false},
	{"import of the same events again writes nothing", testImportIdempotent, false},
	{"import resumes where an earlier import stopped", testImportResume, false},
	{"import is all or nothing; a wrong expected version is ErrConcurrency", testImportAllOrNothing, true},
	{"imported events and their times survive a restart; appends follow them", testImportReopen, false},
}

// partialImportCase stands in for the all-or-nothing case for a store that
// imports stream by stream.
var partialImportCase = struct {
	name string
	run  func(*testing.T, *harness)
}{"a refused import leaves at most a prefix of the call, which the call run again completes; a wrong expected version is ErrConcurrency", testImportPartial}

// importStep is the time between the events of an imported log (but for
// two at the same time): minutes, or microseconds on a store that records
// appends at a server's clock (ServerClock).
func (h *harness) importStep() time.Duration {
	if h.cfg.serverClock {
		return time.Microsecond + 7*time.Nanosecond
	}
	return time.Minute + 7*time.Nanosecond
}

// importer returns the fixture's store as a domain.Importer.
func (f *fixture) importer() domain.Importer {
	f.t.Helper()
	imp, ok := f.s.(domain.Importer)
	if !ok {
		f.t.Fatalf("%T has no import path", f.s)
	}
	return imp
}

// importBase returns a time from which imported events may be recorded:
// on an empty log a day in the past (a log with a history), else the time
// of a marker event appended now, so nothing imported is behind the log.
func (f *fixture) importBase() time.Time {
	f.t.Helper()
	if f.mustHead().IsZero() {
		return time.Date(2024, 3, 1, 7, 30, 0, 123456789, time.UTC)
	}
	res := f.mustAppend(f.stream("marker"), domain.NoStream, f.events(1)...)
	return res.RecordedAt
}

// importLog returns a log to import: n events over the streams given, in
// turn, each a step (importStep) after the one before (two in a row at the
// same time), with exact expected versions.
func (f *fixture) importLog(base time.Time, n int, streams ...string) []domain.ImportEvent {
	evs := f.events(n)
	out := make([]domain.ImportEvent, n)
	next := map[string]int64{}
	at := base
	for i, e := range evs {
		s := streams[i%len(streams)]
		v, ok := next[s]
		if !ok {
			v = -1
		}
		next[s] = v + 1
		if i != 2 {
			at = at.Add(f.h.importStep())
		}
		out[i] = domain.ImportEvent{Stream: s, Expected: domain.ExpectedVersion(v), EventData: e, RecordedAt: at}
	}
	return out
}

func (f *fixture) mustImport(evs []domain.ImportEvent) domain.ImportResult {
	f.t.Helper()
	res, err := f.importer().Import(f.ctx, evs)
	if err != nil {
		f.t.Fatalf("Import(%d events): %v", len(evs), err)
	}
	return res
}

// checkImported checks that got, the log after an import, holds evs in
// order with the versions and recorded times given.
func checkImported(t *testing.T, got []domain.RecordedEvent, evs []domain.ImportEvent) {
	t.Helper()
	if len(got) != len(evs) {
		t.Fatalf("got %d events %v, want %d", len(got), recordedIDs(got), len(evs))
	}
	versions := map[string]uint64{}
	for i, e := range evs {
		g := got[i]
		v := versions[e.Stream]
		versions[e.Stream] = v + 1
		if g.ID != e.ID || g.Stream != e.Stream || g.Type != e.Type || g.Version != v || string(g.Data) != string(e.Data) || string(g.Metadata) != string(e.Metadata) {
			t.Errorf("event %d: got %s %s version %d %s, want %s %s version %d %s", i, g.ID, g.Stream, g.Version, g.Data, e.ID, e.Stream, v, e.Data)
		}
		if !g.RecordedAt.Equal(e.RecordedAt) {
			t.Errorf("event %d: recorded at %s, want the time given, %s", i, g.RecordedAt.Format(time.RFC3339Nano), e.RecordedAt.Format(time.RFC3339Nano))
		}
	}
	checkIncreasing(t, got)
}

func testImportKeeps(t *testing.T, h *harness) {
	f := h.fixture(t)
	base := f.importBase()
	head := f.mustHead()
	a, b, c := f.stream("imp-a"), f.stream("imp-b"), f.stream("imp-c")
	evs := f.importLog(base, 7, a, b, c)
	evs[6].Expected = domain.AnyVersion // c's second event: at the stream's end
	res := f.mustImport(evs)
	got := f.mustReadAll(domain.ReadAllOptions{After: head})
	checkImported(t, got, evs)
	h.checkDense(t, head, got)
	if res.Imported != 7 || res.Skipped != 0 || res.Position != got[len(got)-1].Position {
		t.Errorf("result: got %+v, want 7 imported, none skipped, at %v", res, got[len(got)-1].Position)
	}
	if head := f.mustHead(); head != res.Position {
		t.Errorf("head after the import: got %v, want %v", head, res.Position)
	}
	if s := f.mustReadStream(b, domain.ReadStreamOptions{}); len(s) != 2 || s[1].ID != evs[4].ID || !s[1].RecordedAt.Equal(evs[4].RecordedAt) {
		t.Errorf("stream %s: got %v, want %s then %s", b, recordedIDs(s), evs[1].ID, evs[4].ID)
	}
	// Appends go on after the import: at the next version, never recorded
	// before the last imported event.
	next := f.mustAppend(a, domain.ExactVersion(2), f.events(1)...)
	if next.Version != 3 || !res.Position.Less(next.Position) || next.RecordedAt.Before(evs[6].RecordedAt) {
		t.Errorf("append after the import: got version %d at %v recorded %s, want version 3 after %v, not before %s",
			next.Version, next.Position, next.RecordedAt, res.Position, evs[6].RecordedAt)
	}
	// An imported event is stored like an appended one: appending it again
	// answers with where it is.
	again, err := f.s.Append(f.ctx, c, domain.NoStream, evs[2].EventData)
	if err != nil || again.Position != got[2].Position {
		t.Errorf("appending an imported event again: got %+v, %v; want its position %v", again, err, got[2].Position)
	}
}

func testImportBackwards(t *testing.T, h *harness) {
	f := h.fixture(t)
	base := f.importBase()
	a := f.stream("back")
	evs := f.importLog(base, 3, a)
	head := f.mustHead()
	// Within the call.
	swapped := append([]domain.ImportEvent(nil), evs...)
	swapped[0].RecordedAt, swapped[1].RecordedAt = evs[1].RecordedAt, evs[0].RecordedAt
	f.wantInvalid(swapped, "events[1].recorded_at", head)
	missing := append([]domain.ImportEvent(nil), evs...)
	missing[2].RecordedAt = time.Time{}
	f.wantInvalid(missing, "events[2].recorded_at", head)
	// Behind the log's last event.
	f.mustImport(evs[:2])
	head = f.mustHead()
	late := evs[2]
	late.RecordedAt = evs[1].RecordedAt.Add(-time.Nanosecond)
	f.wantInvalid([]domain.ImportEvent{late}, "events[0].recorded_at", head)
	// At the same time as the last event is not backwards.
	late.RecordedAt = evs[1].RecordedAt
	f.mustImport([]domain.ImportEvent{late})
	// Behind an event appended now.
	marker := f.mustAppend(f.stream("now"), domain.NoStream, f.events(1)...)
	head = f.mustHead()
	after := f.importLog(marker.RecordedAt.Add(-h.importStep()-time.Nanosecond), 1, a)
	after[0].Expected = domain.ExactVersion(2)
	f.wantInvalid(after, "events[0].recorded_at", head)
}

// wantInvalid checks that importing evs is refused as invalid, naming
// field, and writes nothing.
func (f *fixture) wantInvalid(evs []domain.ImportEvent, field string, head domain.Position) {
	f.t.Helper()
	_, err := f.importer().Import(f.ctx, evs)
	var de *domain.Error
	if !errors.As(err, &de) || de.Code != domain.EInvalid || de.Field != field {
		f.t.Errorf("import: got error %v, want %s invalid", err, field)
	}
	if got := f.mustHead(); got != head {
		f.t.Errorf("a refused import wrote: head %v, want %v", got, head)
	}
}

func testImportIdempotent(t *testing.T, h *harness) {
	f := h.fixture(t)
	base := f.importBase()
	a, b := f.stream("idem-a"), f.stream("idem-b")
	evs := f.importLog(base, 5, a, b)
	head := f.mustHead()
	first := f.mustImport(evs)
	log := f.mustReadAll(domain.ReadAllOptions{After: head})
	again := f.mustImport(evs)
	if again.Imported != 0 || again.Skipped != 5 || again.Position != first.Position {
		t.Errorf("the same import again: got %+v, want nothing imported, 5 skipped, at %v", again, first.Position)
	}
	checkSameEvents(t, f.mustReadAll(domain.ReadAllOptions{After: head}), log)
	// An id stored as another event is a conflict.
	for name, change := range map[string]func(*domain.ImportEvent){
		"another time":    func(e *domain.ImportEvent) { e.RecordedAt = e.RecordedAt.Add(time.Nanosecond) },
		"another stream":  func(e *domain.ImportEvent) { e.Stream = f.stream("other") },
		"another version": func(e *domain.ImportEvent) { e.Expected = domain.ExactVersion(5) },
		"another type":    func(e *domain.ImportEvent) { e.Type = "storetest.other" },
	} {
		changed := append([]domain.ImportEvent(nil), evs...)
		change(&changed[3])
		if _, err := f.importer().Import(f.ctx, changed); !errors.Is(err, domain.ErrConcurrency) {
			t.Errorf("%s: got error %v, want ErrConcurrency", name, err)
		}
	}
	checkSameEvents(t, f.mustReadAll(domain.ReadAllOptions{After: head}), log)
}

func testImportResume(t *testing.T, h *harness) {
	f := h.fixture(t)
	base := f.importBase()
	a, b := f.stream("resume-a"), f.stream("resume-b")
	evs := f.importLog(base, 8, a, b)
	head := f.mustHead()
	f.mustImport(evs[:3]) // a copy that stopped after three events
	res := f.mustImport(evs)
	if res.Skipped != 3 || res.Imported != 5 {
		t.Errorf("resumed import: got %+v, want 3 skipped and 5 imported", res)
	}
	got := f.mustReadAll(domain.ReadAllOptions{After: head})
	checkImported(t, got, evs)
	h.checkDense(t, head, got)
	// A call whose stored events do not come first cannot keep the order.
	head = f.mustHead()
	more := f.importLog(evs[7].RecordedAt, 2, a)
	more[0].Expected, more[1].Expected = domain.ExactVersion(3), domain.ExactVersion(4)
	newFirst, stored := more[0], evs[7]
	newFirst.RecordedAt, stored.Expected = evs[7].RecordedAt, domain.AnyVersion
	if _, err := f.importer().Import(f.ctx, []domain.ImportEvent{newFirst, stored}); !errors.Is(err, domain.ErrConcurrency) {
		t.Errorf("a new event before a stored one: got error %v, want ErrConcurrency", err)
	}
	if got := f.mustHead(); got != head {
		t.Errorf("the refused import wrote: head %v, want %v", got, head)
	}
	if res := f.mustImport(more); res.Imported != 2 {
		t.Errorf("the next events: got %+v, want 2 imported", res)
	}
}

func testImportAllOrNothing(t *testing.T, h *harness) {
	f := h.fixture(t)
	base := f.importBase()
	a, b := f.stream("all-a"), f.stream("all-b")
	existing := f.events(1)
	f.mustAppend(b, domain.NoStream, existing...)
	head := f.mustHead()
	if !base.After(time.Now().Add(-time.Hour)) {
		// An empty log's base is in the past; the append above is now.
		base = time.Now().Add(time.Second)
	}
	evs := f.importLog(base, 4, a)
	for name, c := range map[string]domain.ImportEvent{
		"a version ahead":               {Stream: a, Expected: domain.ExactVersion(5)},
		"NoStream on an existing one":   {Stream: b, Expected: domain.NoStream},
		"an exact version on a new one": {Stream: f.stream("none"), Expected: domain.ExactVersion(0)},
	} {
		bad := append([]domain.ImportEvent(nil), evs...)
		bad[2].Stream, bad[2].Expected = c.Stream, c.Expected
		if _, err := f.importer().Import(f.ctx, bad); !errors.Is(err, domain.ErrConcurrency) {
			t.Errorf("%s: got error %v, want ErrConcurrency", name, err)
		}
		if got := f.mustHead(); got != head {
			t.Fatalf("%s: the refused import wrote: head %v, want %v", name, got, head)
		}
	}
	if _, err := f.s.ReadStream(f.ctx, a, domain.ReadStreamOptions{}); !errors.Is(err, domain.ErrStreamNotFound) {
		t.Errorf("the stream of the refused imports: got %v, want ErrStreamNotFound", err)
	}
	// An id taken by an appended event, after new ones: nothing written.
	taken := append([]domain.ImportEvent(nil), evs...)
	taken[3].EventData = existing[0]
	if _, err := f.importer().Import(f.ctx, taken); !errors.Is(err, domain.ErrConcurrency) {
		t.Errorf("an id taken: got error %v, want ErrConcurrency", err)
	}
	if got := f.mustHead(); got != head {
		t.Errorf("the refused import wrote: head %v, want %v", got, head)
	}
	// The ids of the refused calls were not taken: the import goes in now.
	if res := f.mustImport(evs); res.Imported != 4 {
		t.Errorf("the import: got %+v, want 4 imported", res)
	}
	checkImported(t, f.mustReadAll(domain.ReadAllOptions{After: head}), evs)
}

func testImportPartial(t *testing.T, h *harness) {
	f := h.fixture(t)
	base := f.importBase()
	a, b, c := f.stream("part-a"), f.stream("part-b"), f.stream("part-c")
	if at := f.mustAppend(b, domain.NoStream, f.events(1)...).RecordedAt; base.Before(at) {
		base = at // an empty log's base is in the past; the append is now
	}
	head := f.mustHead()
	evs := f.importLog(base, 6, a, c)
	for name, bad := range map[string]domain.ImportEvent{
		"a version ahead":               {Stream: a, Expected: domain.ExactVersion(5)},
		"NoStream on an existing one":   {Stream: b, Expected: domain.NoStream},
		"an exact version on a new one": {Stream: f.stream("none"), Expected: domain.ExactVersion(0)},
	} {
		call := append([]domain.ImportEvent(nil), evs...)
		call[4].Stream, call[4].Expected = bad.Stream, bad.Expected
		if _, err := f.importer().Import(f.ctx, call); !errors.Is(err, domain.ErrConcurrency) {
			t.Errorf("%s: got error %v, want ErrConcurrency", name, err)
		}
		got := f.mustReadAll(domain.ReadAllOptions{After: head})
		if len(got) > 4 {
			t.Fatalf("%s: the refused import wrote %d events, past the one refused", name, len(got))
		}
		checkImported(t, got, evs[:len(got)])
	}
	written := len(f.mustReadAll(domain.ReadAllOptions{After: head}))
	res := f.mustImport(evs)
	if res.Skipped != written || res.Imported != len(evs)-written {
		t.Errorf("the call again: got %+v, want %d skipped and %d imported", res, written, len(evs)-written)
	}
	checkImported(t, f.mustReadAll(domain.ReadAllOptions{After: head}), evs)
}

func testImportReopen(t *testing.T, h *harness) {
	f := h.fixture(t)
	base := f.importBase()
	a := f.stream("reopen")
	evs := f.importLog(base, 4, a)
	head := f.mustHead()
	f.mustImport(evs[:3])
	f.restart()
	checkImported(t, f.mustReadAll(domain.ReadAllOptions{After: head}), evs[:3])
	res := f.mustImport(evs)
	if res.Skipped != 3 || res.Imported != 1 {
		t.Errorf("import after the restart: got %+v, want 3 skipped and 1 imported", res)
	}
	late := f.importLog(evs[3].RecordedAt.Add(-time.Hour), 1, f.stream("late"))
	f.wantInvalid(late, "events[0].recorded_at", f.mustHead())
	next := f.mustAppend(a, domain.ExactVersion(3), f.events(1)...)
	if next.RecordedAt.Before(evs[3].RecordedAt) {
		t.Errorf("append after the restart recorded at %s, before the last imported event (%s)", next.RecordedAt, evs[3].RecordedAt)
	}
}
