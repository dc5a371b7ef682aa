package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
)

// A few events name places in the log in their data: a pricing or a
// decision names the catalogue position it was priced at (the log position
// of the last catalogue event it knew), and a projection's skip names the
// position of the event it went past. A position is the store's own
// numbering: a log copied into a store that numbers its positions otherwise
// (EventStoreDB numbers $all by bytes) must carry these positions over to
// the target's numbering, or every comparison of a decision's catalogue
// position with a version's publication position goes wrong there.
// PositionMap and RebasePositions do that for a copy made in log order.

// positionFields are the top-level fields of each event type that hold a
// log position.
var positionFields = map[string][]string{
	EvEstimatePriced:         {"catalogue_position"},
	EvEstimateDecided:        {"catalogue_position"},
	EvProjectionEventSkipped: {"position"},
}

// NamesPositions reports whether events of type typ name log positions in
// their data (and so may change when copied to a store that numbers its
// positions otherwise).
func NamesPositions(typ string) bool { return len(positionFields[typ]) > 0 }

// RebasePositions returns the data of an event of type typ with each log
// position it names replaced by carry's answer. Every other byte is kept as
// it was; data without positions, or whose positions carry to themselves, is
// returned as given. An error of carry is returned as it is.
func RebasePositions(typ string, data []byte, carry func(Position) (Position, error)) ([]byte, error) {
	fields := positionFields[typ]
	if len(fields) == 0 {
		return data, nil
	}
	type splice struct {
		from, to int
		value    []byte
	}
	var splices []splice
	dec := json.NewDecoder(bytes.NewReader(data))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, fmt.Errorf("a %s event's data is not a JSON object", typ)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, fmt.Errorf("a %s event's data: %w", typ, err)
		}
		key, _ := t.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, fmt.Errorf("a %s event's data: %w", typ, err)
		}
		if !slices.Contains(fields, key) {
			continue
		}
		end := int(dec.InputOffset())
		var p Position
		if err := json.Unmarshal(raw, &p); err != nil {
			return nil, fmt.Errorf("a %s event's %s: %w", typ, key, err)
		}
		q, err := carry(p)
		if err != nil {
			return nil, err
		}
		if q == p {
			continue
		}
		value, _ := json.Marshal(q)
		splices = append(splices, splice{from: end - len(raw), to: end, value: value})
	}
	if t, err := dec.Token(); err != nil || t != json.Delim('}') {
		return nil, fmt.Errorf("a %s event's data is not a whole JSON object", typ)
	}
	if len(splices) == 0 {
		return data, nil
	}
	out := make([]byte, 0, len(data)+16*len(splices))
	at := 0
	for _, s := range splices {
		out = append(append(out, data[at:s.from]...), s.value...)
		at = s.to
	}
	return append(out, data[at:]...), nil
}

// ErrNotCarried is PositionMap.Carry's answer for a position after the last
// event the map knows.
var ErrNotCarried = errors.New("the log position is after the events copied so far")

// PositionMap pairs the positions of a log's events in one store (the
// source) with those of the same events in another (the target), added in
// log order as a copy goes. While every pair is equal (a store that
// numbers its log the same way) it holds nothing but the last position;
// from the first pair that differs on, it holds the pairs.
type PositionMap struct {
	n        int
	lastFrom Position
	lastTo   Position
	// identical counts the first pairs that are equal; from, to hold the
	// pairs after them.
	identical int
	from, to  []Position
}

// Add records that the source's event at from is the target's at to. Pairs
// come in log order: from and to each after the last pair's.
func (m *PositionMap) Add(from, to Position) error {
	if m.n > 0 && (!m.lastFrom.Less(from) || !m.lastTo.Less(to)) {
		return fmt.Errorf("positions out of order: %s -> %s after %s -> %s", from, to, m.lastFrom, m.lastTo)
	}
	if len(m.from) == 0 && from == to {
		m.identical++
	} else {
		m.from, m.to = append(m.from, from), append(m.to, to)
	}
	m.n, m.lastFrom, m.lastTo = m.n+1, from, to
	return nil
}

// Len is how many pairs were added.
func (m *PositionMap) Len() int { return m.n }

// Identical reports whether every pair so far is equal.
func (m *PositionMap) Identical() bool { return len(m.from) == 0 }

// Carry returns the target's position of the source's position p: that of
// the last event at or before p (the zero position for the start of the
// log). A position after the last event added is ErrNotCarried.
func (m *PositionMap) Carry(p Position) (Position, error) {
	switch {
	case p.IsZero():
		return p, nil
	case m.n == 0 || m.lastFrom.Less(p):
		return Position{}, fmt.Errorf("%w (%s, the last is %s)", ErrNotCarried, p, m.lastFrom)
	case len(m.from) == 0 || p.Less(m.from[0]):
		if m.identical == 0 {
			return Position{}, nil // before the first event
		}
		// Up to the first pair that differs, both stores number the
		// log alike: p is the same place in both.
		return p, nil
	}
	// The last stored pair at or before p.
	lo, hi := 0, len(m.from)
	for lo < hi {
		mid := (lo + hi) / 2
		if p.Less(m.from[mid]) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return m.to[lo-1], nil
}
