package sqlite

import "sync"

// streamHeads remembers the version of the last event of the streams this
// Store has written or read, so a read that asks for events past a stream's
// end (a cached aggregate checking for news) returns without a query. The
// writer raises a stream's head before it acknowledges the append, and
// reads only raise heads, so a remembered head is never ahead of the log
// and never behind an acknowledged append. It relies on one process owning
// the file, as the package says.
type streamHeads struct {
	mu sync.RWMutex
	m  map[string]uint64
}

// maxRememberedHeads bounds the memory of streamHeads; past it the map
// starts over (a forgotten stream is read from the database again).
const maxRememberedHeads = 1 << 20

func newStreamHeads() *streamHeads { return &streamHeads{m: make(map[string]uint64)} }

// get returns the remembered head of stream.
func (h *streamHeads) get(stream string) (uint64, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	v, ok := h.m[stream]
	return v, ok
}

// raise remembers that stream has an event at version v.
func (h *streamHeads) raise(stream string, v uint64) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if cur, ok := h.m[stream]; ok && cur >= v {
		return
	}
	if len(h.m) >= maxRememberedHeads {
		clear(h.m)
	}
	h.m[stream] = v
}
