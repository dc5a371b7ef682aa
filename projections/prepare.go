package projections

import (
	"context"
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

// preparedCache holds what Prepare computed, by event position, until
// Apply takes it. It is bounded: what a batch never took (a page applied in
// other batches than the one it was read in) is dropped when it fills.
type preparedCache[T any] struct {
	mu sync.Mutex
	m  map[domain.Position]T
}

// maxPrepared bounds a preparedCache: several pages' worth.
const maxPrepared = 64 << 10

func (c *preparedCache[T]) put(items map[domain.Position]T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m)+len(items) > maxPrepared {
		c.m = make(map[domain.Position]T, len(items))
	}
	for k, v := range items {
		c.m[k] = v
	}
}

// take returns and forgets what was prepared for the event at pos.
func (c *preparedCache[T]) take(pos domain.Position) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[pos]
	if ok {
		delete(c.m, pos)
	}
	return v, ok
}

func (c *preparedCache[T]) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m = nil
}
