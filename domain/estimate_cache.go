package domain

import (
	"slices"
	"sync"
)

// estimateCache keeps recently used estimates in memory, so a command loads
// only the events appended since (usually none) instead of the whole stream.
// It hands out copies: a command that fails leaves the cached one untouched.
type estimateCache struct {
	mu  sync.Mutex
	m   map[string]*Estimate
	max int
}

func newEstimateCache(max int) *estimateCache {
	return &estimateCache{m: map[string]*Estimate{}, max: max}
}

// get returns a copy of the cached estimate id, or a new empty one.
func (c *estimateCache) get(id string) *Estimate {
	c.mu.Lock()
	e := c.m[id]
	c.mu.Unlock()
	if e == nil {
		return NewEstimate(id)
	}
	return e.clone()
}

// team returns the team of estimate id and true when the cache holds it
// (an estimate in the cache exists; its team never changes).
func (c *estimateCache) team(id string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.m[id]; e != nil {
		return e.team, true
	}
	return "", false
}

// put keeps e (which the caller no longer changes).
func (c *estimateCache) put(e *Estimate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= c.max {
		for id := range c.m {
			delete(c.m, id)
			break
		}
	}
	c.m[e.id] = e
}

// clone copies e deeply enough that commands on the copy never reach e: the
// slices it appends to are copied; quotes, decisions and households are
// replaced whole by apply, never changed in place, so they are shared.
func (e *Estimate) clone() *Estimate {
	c := *e
	c.lines, c.revisions, c.changes = slices.Clone(e.lines), slices.Clone(e.revisions), nil
	return &c
}
