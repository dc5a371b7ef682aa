package domain

import (
	"errors"
	"testing"
)

func TestRebasePositionsChangesOnlyThePositions(t *testing.T) {
	carry := func(p Position) (Position, error) {
		return Position{Commit: p.Commit * 100, Prepare: p.Commit*100 + 1}, nil
	}
	in := []byte(`{"schema":2, "catalogue_position" : "7", "quote":{"position":"3","x":"1.50"},"personal":{"client_ref":"A"}}`)
	got, err := RebasePositions(EvEstimatePriced, in, carry)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"schema":2, "catalogue_position" : "700/701", "quote":{"position":"3","x":"1.50"},"personal":{"client_ref":"A"}}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	skip := []byte(`{"projection":"estimates","position":"12/12","event_id":"e","reason":"r"}`)
	if got, _ := RebasePositions(EvProjectionEventSkipped, skip, carry); string(got) != `{"projection":"estimates","position":"1200/1201","event_id":"e","reason":"r"}` {
		t.Errorf("a skip: %s", got)
	}
	// Other events, and positions that carry to themselves, are the very
	// bytes given.
	other := []byte(`{"catalogue_position":"7"}`)
	if got, _ := RebasePositions(EvEstimatePresented, other, carry); &got[0] != &other[0] {
		t.Error("an event that names no positions was copied")
	}
	same := func(p Position) (Position, error) { return p, nil }
	if got, _ := RebasePositions(EvEstimateDecided, in, same); &got[0] != &in[0] {
		t.Error("positions carried to themselves changed the data")
	}
	stop := errors.New("stop")
	if _, err := RebasePositions(EvEstimateDecided, in, func(Position) (Position, error) { return Position{}, stop }); err != stop {
		t.Errorf("carry's error came back as %v", err)
	}
	for _, bad := range []string{`[]`, `{"catalogue_position": 7}`, `{"catalogue_position": "x"}`, `{`} {
		if _, err := RebasePositions(EvEstimatePriced, []byte(bad), carry); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestPositionMapCarries(t *testing.T) {
	var m PositionMap
	if _, err := m.Carry(SeqPosition(1)); !errors.Is(err, ErrNotCarried) {
		t.Errorf("an empty map carried a position: %v", err)
	}
	// Three events numbered alike, then the numberings part.
	for _, pair := range [][2]Position{
		{SeqPosition(1), SeqPosition(1)}, {SeqPosition(2), SeqPosition(2)}, {SeqPosition(4), SeqPosition(4)},
		{SeqPosition(5), {Commit: 900, Prepare: 900}}, {SeqPosition(8), {Commit: 1500, Prepare: 1400}},
	} {
		if err := m.Add(pair[0], pair[1]); err != nil {
			t.Fatal(err)
		}
	}
	if m.Len() != 5 || m.Identical() {
		t.Errorf("len %d, identical %v", m.Len(), m.Identical())
	}
	for _, c := range []struct{ from, to Position }{
		{Position{}, Position{}},
		{SeqPosition(2), SeqPosition(2)},
		{SeqPosition(3), SeqPosition(3)}, // between events numbered alike
		{SeqPosition(5), Position{Commit: 900, Prepare: 900}},
		{SeqPosition(7), Position{Commit: 900, Prepare: 900}}, // the last event at or before it
		{SeqPosition(8), Position{Commit: 1500, Prepare: 1400}},
	} {
		if got, err := m.Carry(c.from); err != nil || got != c.to {
			t.Errorf("Carry(%s) = %s, %v; want %s", c.from, got, err, c.to)
		}
	}
	if _, err := m.Carry(SeqPosition(9)); !errors.Is(err, ErrNotCarried) {
		t.Errorf("a position after the last event: %v", err)
	}
	if err := m.Add(SeqPosition(9), Position{Commit: 1000, Prepare: 1000}); err == nil {
		t.Error("a pair out of order was taken")
	}

	// Numberings that differ from the first event: a position before it
	// is the start of the log.
	var n PositionMap
	n.Add(SeqPosition(3), Position{Commit: 50, Prepare: 50})
	if got, _ := n.Carry(SeqPosition(2)); !got.IsZero() {
		t.Errorf("a position before the first event carried to %s", got)
	}
}
