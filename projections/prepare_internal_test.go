package projections

import (
	"testing"

	"carecost/domain"
)

// A prepared value is found by its event's position in a page numbered
// without holes (SQLite's log) and in one with holes and two-part
// positions (EventStoreDB's $all), and a position the page does not hold
// finds nothing.
func TestPreparedFoundByPosition(t *testing.T) {
	dense := func(i int) domain.Position { return domain.SeqPosition(uint64(100 + i)) }
	sparse := func(i int) domain.Position {
		return domain.Position{Commit: uint64(1000 + 37*i), Prepare: uint64(1000 + 37*i + i%2)}
	}
	for name, at := range map[string]func(int) domain.Position{"dense": dense, "sparse": sparse} {
		evs := make([]domain.RecordedEvent, 50)
		for i := range evs {
			evs[i].Position = at(i)
		}
		var c preparedCache[int]
		pg := newPrepared[int](evs)
		for i := range evs {
			if i%3 != 0 {
				pg.put(i, i*10)
			}
		}
		c.add(pg)
		for _, i := range []int{49, 1, 2, 25, 26, 47, 4} {
			if v, ok := c.take(at(i)); !ok || v != i*10 {
				t.Errorf("%s: event %d: got %d, %v; want %d", name, i, v, ok, i*10)
			}
			if _, ok := c.take(at(i)); ok {
				t.Errorf("%s: event %d taken twice", name, i)
			}
		}
		for _, pos := range []domain.Position{at(3), {Commit: at(5).Commit, Prepare: at(5).Prepare + 1}, at(50), {Commit: 1}} {
			if v, ok := c.take(pos); ok {
				t.Errorf("%s: %s: found %d, want nothing", name, pos, v)
			}
		}
	}
}
