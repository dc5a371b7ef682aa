package domain

import (
	"errors"
	"strings"
	"sync"
	"time"
)

// cached is an aggregate an aggCache keeps: it copies itself deeply enough
// that commands on the copy never reach the original.
type cached[A any] interface {
	aggregate
	clone() A
}

// aggCache keeps recently used aggregates of one kind (users, tokens) in
// memory, by id, so a command or a lookup loads only the events appended
// since (usually none) instead of the whole stream. It hands out copies: a
// command that fails leaves the cached one untouched. It holds up to max
// aggregates and drops one at random when full.
type aggCache[A cached[A]] struct {
	mu      sync.Mutex
	m       map[string]A
	read    map[string]time.Time // when each was last read whole from the log
	max     int
	empty   func(id string) A
	timeNow func() time.Time
}

func newAggCache[A cached[A]](max int, empty func(id string) A) *aggCache[A] {
	return &aggCache[A]{m: map[string]A{}, read: map[string]time.Time{}, max: max, empty: empty, timeNow: time.Now}
}

// forget drops the cached aggregate id.
func (c *aggCache[A]) forget(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.m, id)
	delete(c.read, id)
}

// orRecent returns got and err, or, when err says the store is away, a
// copy of the cached aggregate id if it was read up to the log's end at
// most maxAge ago (and exists: exists says so).
func (c *aggCache[A]) orRecent(got A, err error, id string, maxAge time.Duration, exists func(A) bool) (A, error) {
	if !errors.Is(err, ErrUnavailable) {
		return got, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.m[id]
	if !ok || c.timeNow().Sub(c.read[id]) > maxAge || !exists(a) {
		return got, err
	}
	return a.clone(), nil
}

// get returns a copy of the cached aggregate id, or a new empty one.
func (c *aggCache[A]) get(id string) A {
	c.mu.Lock()
	a, ok := c.m[id]
	c.mu.Unlock()
	if !ok {
		return c.empty(id)
	}
	return a.clone()
}

// put keeps a copy of a under id, unless the cache holds a later version
// of it already.
func (c *aggCache[A]) put(id string, a A) {
	kept := a.clone()
	c.mu.Lock()
	defer c.mu.Unlock()
	old, ok := c.m[id]
	if ok && old.base().version >= kept.base().version {
		if old.base().version == kept.base().version {
			c.read[id] = c.timeNow()
		}
		return
	}
	if !ok && len(c.m) >= c.max {
		for k := range c.m {
			delete(c.m, k)
			delete(c.read, k)
			break
		}
	}
	id = strings.Clone(id)
	c.m[id], c.read[id] = kept, c.timeNow()
}
