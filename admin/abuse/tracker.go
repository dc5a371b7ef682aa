package abuse

import "time"

// sweepEvery is how often expired entries are dropped.
const sweepEvery = time.Minute

// tracker keeps the recent failures of users, or of addresses.
type tracker struct {
	entries map[string]*entry
	// keep is how many failures an entry remembers: the most any rule
	// counts.
	keep int
	// expiry is how long after its last failure (or its lock's end) an
	// entry counts for nothing.
	expiry time.Duration
	max    int
	swept  time.Time
}

func newTracker(keep int, expiry time.Duration, max int) tracker {
	return tracker{entries: map[string]*entry{}, keep: keep, expiry: expiry, max: max}
}

// entry is the record of one user or address.
type entry struct {
	// fails are the times of the last failures, oldest first.
	fails       []time.Time
	lockedUntil time.Time
}

// entry returns the entry of key, making it when there is none. When the
// tracker is full it drops the expired entries, and then, if it is still
// full, one entry that is not locked (or any one).
func (t *tracker) entry(key string, now time.Time) *entry {
	if e, ok := t.entries[key]; ok {
		return e
	}
	if len(t.entries) >= t.max {
		t.sweep(now)
	}
	if len(t.entries) >= t.max {
		t.evictOne(now)
	}
	e := &entry{}
	t.entries[key] = e
	return e
}

// sweep drops the entries that count for nothing any more.
func (t *tracker) sweep(now time.Time) {
	t.swept = now
	for k, e := range t.entries {
		if e.expired(now, t.expiry) {
			delete(t.entries, k)
		}
	}
}

func (t *tracker) evictOne(now time.Time) {
	var victim string
	for k, e := range t.entries {
		victim = k
		if !e.locked(now) {
			break
		}
	}
	delete(t.entries, victim)
}

// fail records a failure at now, remembering the last keep.
func (e *entry) fail(now time.Time, keep int) {
	if len(e.fails) >= keep {
		e.fails = append(e.fails[:0], e.fails[len(e.fails)-keep+1:]...)
	}
	e.fails = append(e.fails, now)
}

func (e *entry) locked(now time.Time) bool { return now.Before(e.lockedUntil) }

// count returns the failures within window before now.
func (e *entry) count(now time.Time, window time.Duration) int {
	n := 0
	for _, f := range e.fails {
		if now.Sub(f) < window {
			n++
		}
	}
	return n
}

// wait returns how long until r allows another failure (0: now).
func (e *entry) wait(now time.Time, r Rule) time.Duration {
	n := e.count(now, r.Window)
	if n < r.Max {
		return 0
	}
	// The failures within the window are the last n; the first n-r.Max+1
	// of them must leave it.
	return e.fails[len(e.fails)-r.Max].Add(r.Window).Sub(now)
}

// expired reports whether the entry counts for nothing at now.
func (e *entry) expired(now time.Time, expiry time.Duration) bool {
	if e.locked(now) {
		return false
	}
	last := e.lockedUntil
	if n := len(e.fails); n > 0 && e.fails[n-1].After(last) {
		last = e.fails[n-1]
	}
	return now.Sub(last) >= expiry
}
