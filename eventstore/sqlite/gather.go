package sqlite

import "time"

// gatherer forms the batches of the writer. It takes every request that is
// waiting. When fewer are waiting than the recent batches held, it waits a
// little for the others: under steady load the callers just answered append
// again at once, and a batch that waits for them a fraction of a commit saves
// a whole commit, sync included. Under light load the recent batches were
// small, so a lone append never waits; after a burst the expected size decays
// within a few batches.
type gatherer struct {
	reqs  <-chan *request
	stop  <-chan struct{}
	batch []*request
	max   int
	want  int           // expected batch size: a decaying maximum of recent sizes
	wait  time.Duration // how long to wait for the rest
	timer *time.Timer
}

// maxGatherWait bounds the wait for more requests.
const maxGatherWait = 2 * time.Millisecond

func newGatherer(reqs <-chan *request, stop <-chan struct{}, max int) *gatherer {
	t := time.NewTimer(time.Hour)
	t.Stop()
	return &gatherer{reqs: reqs, stop: stop, batch: make([]*request, 0, max), max: max, timer: t}
}

// next returns the next batch, blocking until there is at least one request;
// ok is false once stop is closed.
func (g *gatherer) next() (batch []*request, ok bool) {
	clear(g.batch)
	g.batch = g.batch[:0]
	select {
	case <-g.stop:
		return nil, false
	case r := <-g.reqs:
		g.batch = append(g.batch, r)
	}
	g.takeWaiting()
	if want := min(g.want, g.max); len(g.batch) < want && g.wait > 0 {
		g.waitFor(want)
	}
	return g.batch, true
}

// takeWaiting adds the requests already queued, without blocking.
func (g *gatherer) takeWaiting() {
	for len(g.batch) < g.max {
		select {
		case r := <-g.reqs:
			g.batch = append(g.batch, r)
		default:
			return
		}
	}
}

// waitFor adds requests until the batch holds want or the wait is over.
func (g *gatherer) waitFor(want int) {
	g.timer.Reset(g.wait)
	defer g.timer.Stop()
	for len(g.batch) < want {
		select {
		case r := <-g.reqs:
			g.batch = append(g.batch, r)
		case <-g.timer.C:
			return
		case <-g.stop:
			return
		}
	}
}

// committed records the size of the batch just committed and how long its
// commit took: the next batch waits at most a quarter of that.
func (g *gatherer) committed(size int, took time.Duration) {
	g.want = max(size, g.want-(g.want+7)/8)
	g.wait = min(took/4, maxGatherWait)
}
