package projections

import (
	"context"
	"slices"
	"sync"

	"carecost/domain"
)

// Preparer is a projection that can do part of its work on a page of the
// log before the page is applied: decoding payloads, reading a pricing's
// totals. Catch-up reads the log ahead of the projections, and calls
// Prepare on the goroutine that read the page, so this work runs beside the
// applying of the pages before it (on another core) rather than in the
// one goroutine that applies every page in order. Prepare must touch only
// what it keeps for Apply; what Apply finds prepared is what it would have
// computed itself (a cache: an event Apply finds nothing prepared for, it
// handles as it always does).
type Preparer interface {
	Prepare(page *Page)
}

// Page is a page of the log being prepared: its events, and their payloads
// decoded once for every projection that asks (domain.DecodePayload).
type Page struct {
	Events  []domain.RecordedEvent
	decoded map[int]decodedPayload
}

type decodedPayload struct {
	p   domain.Payload
	err error
}

// Payload returns the decoded payload of the page's event i.
func (pg *Page) Payload(i int) (domain.Payload, error) {
	if d, ok := pg.decoded[i]; ok {
		return d.p, d.err
	}
	p, err := domain.DecodePayload(pg.Events[i].Type, pg.Events[i].Data)
	if pg.decoded == nil {
		pg.decoded = map[int]decodedPayload{}
	}
	pg.decoded[i] = decodedPayload{p, err}
	return p, err
}

// readPage is a page of the log as catch-up's reader hands it on.
type readPage struct {
	events []domain.RecordedEvent
	// schemasKnown: every event's payload has a schema this build knows
	// (domain.CheckSchema), checked by the reader.
	schemasKnown bool
}

// schemasKnownKey marks a context whose events' schemas were checked.
type schemasKnownKey struct{}

// context returns ctx, marked when the page's schemas are known: the
// check before applying (applySafely) is then done already.
func (pg readPage) context(ctx context.Context) context.Context {
	if !pg.schemasKnown {
		return ctx
	}
	return context.WithValue(ctx, schemasKnownKey{}, true)
}

// schemasChecked reports whether ctx carries events whose schemas were
// checked (readPage.context).
func schemasChecked(ctx context.Context) bool {
	known, _ := ctx.Value(schemasKnownKey{}).(bool)
	return known
}

// prepare lets every projection still behind the page prepare it, and
// checks the schemas of its events, on the reader's goroutine: the page's
// bytes are fresh in its processor's cache there, and the goroutine that
// applies them has less to do.
func (r *Runner) prepare(events []domain.RecordedEvent) readPage {
	if len(events) == 0 {
		return readPage{events: events}
	}
	last := events[len(events)-1].Position
	page := &Page{Events: events}
	for _, p := range r.projs {
		if pp, ok := p.(Preparer); ok && r.Checkpoint(p.Name()).Less(last) {
			pp.Prepare(page)
		}
	}
	known := true
	for _, e := range events {
		if domain.CheckSchema(e.Type, e.Data) != nil {
			known = false
			break
		}
	}
	return readPage{events: events, schemasKnown: known}
}

// preparedCache holds what Prepare computed, by event, until Apply takes
// it: for each page prepared, a value per event of the page (by its index:
// no hashing of a million positions in a replay). A value is found by its
// event's position. It is bounded: it keeps the last maxPreparedPages pages
// put, and what a batch never took (a page applied in other batches than
// the one it was read in) goes with its page.
type preparedCache[T any] struct {
	mu    sync.Mutex
	pages []*preparedPage[T]
}

// preparedPage is what Prepare computed for the events of a page.
type preparedPage[T any] struct {
	events []domain.RecordedEvent // the page, in position order
	items  []T
	set    []bool
	n      int // values set and not taken
}

// maxPreparedPages bounds a preparedCache: several pages more than catch-up
// reads ahead.
const maxPreparedPages = 16

// newPrepared returns an empty preparedPage for events.
func newPrepared[T any](events []domain.RecordedEvent) *preparedPage[T] {
	return &preparedPage[T]{events: events, items: make([]T, len(events)), set: make([]bool, len(events))}
}

// put sets the value of the page's event i.
func (p *preparedPage[T]) put(i int, v T) {
	if !p.set[i] {
		p.n++
	}
	p.items[i], p.set[i] = v, true
}

// add keeps a prepared page (one with no value is not kept).
func (c *preparedCache[T]) add(p *preparedPage[T]) {
	if p.n == 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pages) >= maxPreparedPages {
		c.pages = slices.Delete(c.pages, 0, len(c.pages)-maxPreparedPages+1)
	}
	c.pages = append(c.pages, p)
}

// take returns and forgets what was prepared for the event at pos.
func (c *preparedCache[T]) take(pos domain.Position) (T, bool) {
	var zero T
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, p := range c.pages {
		evs := p.events
		if pos.Less(evs[0].Position) || evs[len(evs)-1].Position.Less(pos) {
			continue
		}
		i, found := indexOf(evs, pos)
		if !found || !p.set[i] {
			return zero, false
		}
		v := p.items[i]
		p.items[i], p.set[i] = zero, false
		if p.n--; p.n == 0 {
			c.pages = slices.Delete(c.pages, k, k+1)
		}
		return v, true
	}
	return zero, false
}

// indexOf finds the event at pos in evs, which holds it if any event
// does. In a page of a log whose positions number the events without holes
// (domain.SeqPosition), the event is where its number says, found without
// a search (a replay takes a prepared value for most of a million events).
func indexOf(evs []domain.RecordedEvent, pos domain.Position) (int, bool) {
	if d := pos.Commit - evs[0].Position.Commit; d < uint64(len(evs)) && evs[d].Position == pos {
		return int(d), true
	}
	return slices.BinarySearchFunc(evs, pos, func(e domain.RecordedEvent, pos domain.Position) int {
		switch {
		case e.Position.Less(pos):
			return -1
		case pos.Less(e.Position):
			return 1
		}
		return 0
	})
}

func (c *preparedCache[T]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pages = nil
}
