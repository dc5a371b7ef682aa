package storetest

import (
	"bytes"
	"testing"
	"time"

	"carecost/domain"
)

// checkStream checks that got holds want, in order, as events of stream with
// versions counting up from first, at strictly increasing positions.
func checkStream(t *testing.T, got []domain.RecordedEvent, stream string, first uint64, want []domain.EventData) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d events %v, want %d %v", len(got), recordedIDs(got), len(want), dataIDs(want))
	}
	for i, e := range got {
		w := want[i]
		if e.ID != w.ID || e.Stream != stream || e.Version != first+uint64(i) || e.Type != w.Type {
			t.Errorf("event %d: got id %q stream %q version %d type %q, want %q %q %d %q",
				i, e.ID, e.Stream, e.Version, e.Type, w.ID, stream, first+uint64(i), w.Type)
		}
		if !bytes.Equal(e.Data, w.Data) || !bytes.Equal(e.Metadata, w.Metadata) {
			t.Errorf("event %d: got data %s metadata %s, want %s %s", i, e.Data, e.Metadata, w.Data, w.Metadata)
		}
	}
	checkIncreasing(t, got)
}

// checkIDs checks that got holds the events with ids want, in that order.
func checkIDs(t *testing.T, got []domain.RecordedEvent, want []string) {
	t.Helper()
	ids := recordedIDs(got)
	if len(ids) != len(want) {
		t.Fatalf("got %d events %v, want %d %v", len(ids), ids, len(want), want)
	}
	for i := range ids {
		if ids[i] != want[i] {
			t.Fatalf("got ids %v, want %v", ids, want)
		}
	}
}

// checkIncreasing checks that positions increase strictly.
func checkIncreasing(t *testing.T, evs []domain.RecordedEvent) {
	t.Helper()
	for i := 1; i < len(evs); i++ {
		if !evs[i-1].Position.Less(evs[i].Position) {
			t.Fatalf("event %d at %v does not come after event %d at %v", i, evs[i].Position, i-1, evs[i-1].Position)
		}
	}
}

// checkDense checks, for a store with DensePositions, that evs sit at the
// positions right after after, without holes.
func (h *harness) checkDense(t *testing.T, after domain.Position, evs []domain.RecordedEvent) {
	t.Helper()
	if !h.cfg.dense {
		return
	}
	for i, e := range evs {
		if want := domain.SeqPosition(after.Commit + uint64(i) + 1); e.Position != want {
			t.Fatalf("event %d: got position %v, want %v (positions without holes after %v)", i, e.Position, want, after)
		}
	}
}

// checkRecordedAt checks that the store stamped each event with a time close
// to the moment of the test.
func checkRecordedAt(t *testing.T, evs []domain.RecordedEvent, from, to time.Time) {
	t.Helper()
	const slack = 5 * time.Minute
	for i, e := range evs {
		if e.RecordedAt.Before(from.Add(-slack)) || e.RecordedAt.After(to.Add(slack)) {
			t.Errorf("event %d: got recorded at %v, want between %v and %v", i, e.RecordedAt, from, to)
		}
	}
}

// checkSameEvents checks that got and want are the same recorded events,
// field by field.
func checkSameEvents(t *testing.T, got, want []domain.RecordedEvent) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d events, want %d", len(got), len(want))
	}
	for i, g := range got {
		w := want[i]
		if g.ID != w.ID || g.Stream != w.Stream || g.Type != w.Type || g.Version != w.Version ||
			g.Position != w.Position || !g.RecordedAt.Equal(w.RecordedAt) ||
			!bytes.Equal(g.Data, w.Data) || !bytes.Equal(g.Metadata, w.Metadata) {
			t.Errorf("event %d:\n got %+v\nwant %+v", i, g, w)
		}
	}
}

func recordedIDs(evs []domain.RecordedEvent) []string {
	ids := make([]string, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	return ids
}

func dataIDs(evs []domain.EventData) []string {
	ids := make([]string, len(evs))
	for i, e := range evs {
		ids[i] = e.ID
	}
	return ids
}
