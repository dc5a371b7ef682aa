package domain

import (
	"context"
	"errors"
	"sort"
	"sync"
	"time"
)

// Usage that leaves no event of its own (a quote, a what-if, a user who
// only reads) is tallied in memory by each carecost instance and recorded
// now and then as a UsageTallied event, so that the usage read model, and
// the metrics it feeds, count it from the log like everything else: the
// same on every instance, kept across restarts, rebuilt with the rest.
// What happens between a tally's last recording and a crash is not
// counted; a stop records it first.

// EvUsageTallied is the event type of a tally.
const EvUsageTallied = "carecost.usage.tallied"

// UsageStreamPrefix begins the streams of tallies ("usage-<instance>").
const UsageStreamPrefix = "usage-"

// UsageTallied records what one instance counted since its previous tally:
// quotes and what-ifs computed, and the users it served, each under the
// role a request of theirs ran as. A user is a user id of carecost (the
// events' actors), never client data.
type UsageTallied struct {
	Schema
	Quotes  int           `json:"quotes,omitempty"`
	WhatIfs int           `json:"whatifs,omitempty"`
	Active  []ActiveActor `json:"active,omitempty"`
}

// ActiveActor is a user seen under a role.
type ActiveActor struct {
	ID   string `json:"id"`
	Role string `json:"role"`
}

// EventType implements Payload.
func (*UsageTallied) EventType() string { return EvUsageTallied }

func init() {
	register(1, func() Payload { return &UsageTallied{} })
}

// UsageTally counts, in memory, the usage of one instance that no command
// records. It is safe for concurrent use; the zero value is not: use
// NewUsageTally.
type UsageTally struct {
	mu      sync.Mutex
	quotes  int
	whatifs int
	seen    map[ActiveActor]struct{}
	// flush serialises RecordUsage; pending is a tally whose append
	// failed, kept with its command id.
	flush     sync.Mutex
	pending   *UsageTallied
	pendingID string
	// version is the instance stream's version after this tally's last
	// append (known: there was one): the next append expects it. Before
	// the first the stream is expected not to exist (an instance's id is
	// new at each start), unless an append found it there (anyVersion).
	version    uint64
	known      bool
	anyVersion bool
}

// NewUsageTally returns an empty tally.
func NewUsageTally() *UsageTally { return &UsageTally{seen: map[ActiveActor]struct{}{}} }

// Quote counts a quote computed.
func (t *UsageTally) Quote() {
	t.mu.Lock()
	t.quotes++
	t.mu.Unlock()
}

// WhatIf counts a what-if computed.
func (t *UsageTally) WhatIf() {
	t.mu.Lock()
	t.whatifs++
	t.mu.Unlock()
}

// Seen notes that user id was served under role.
func (t *UsageTally) Seen(id, role string) {
	if id == "" || role == "" {
		return
	}
	a := ActiveActor{ID: id, Role: role}
	t.mu.Lock()
	if _, ok := t.seen[a]; !ok {
		t.seen[a] = struct{}{}
	}
	t.mu.Unlock()
}

// take empties the tally and returns what it held (nil when nothing).
func (t *UsageTally) take() *UsageTallied {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.quotes == 0 && t.whatifs == 0 && len(t.seen) == 0 {
		return nil
	}
	p := &UsageTallied{Quotes: t.quotes, WhatIfs: t.whatifs, Active: make([]ActiveActor, 0, len(t.seen))}
	for a := range t.seen {
		p.Active = append(p.Active, a)
	}
	sort.Slice(p.Active, func(i, j int) bool {
		if p.Active[i].ID != p.Active[j].ID {
			return p.Active[i].ID < p.Active[j].ID
		}
		return p.Active[i].Role < p.Active[j].Role
	})
	t.quotes, t.whatifs, t.seen = 0, 0, map[ActiveActor]struct{}{}
	return p
}

// RecordUsage appends what t counted, when anything, as a UsageTallied
// event to the instance's stream, and empties t; it reports whether it
// appended. A tally whose append failed is kept, with its command id, and
// appended first by the next call: the event's id derives from that id, so
// an append that reached the store although it reported an error is not
// recorded twice. It appends at the stream's version (none before the
// first: the instance's stream is new at each start, and has no other
// writer), so a store that keeps ids apart only at a version (EventStoreDB,
// where an append at any version is kept apart from an earlier one of the
// same ids only on a best effort) does not take a retried tally for a new
// one.
func (c *Commands) RecordUsage(ctx context.Context, t *UsageTally, instance string) (bool, error) {
	t.flush.Lock()
	defer t.flush.Unlock()
	wrote := false
	for {
		if t.pending == nil {
			if t.pending = t.take(); t.pending == nil {
				return wrote, nil
			}
			t.pendingID = NewID()
		}
		stream := UsageStreamPrefix + instance
		cmd := Command{ID: t.pendingID, Actor: Actor{ID: "carecost", Role: "system"}}
		events, err := EncodeEvents(stream, cmd.meta(), []Payload{t.pending})
		expected := NoStream
		switch {
		case t.known:
			expected = ExactVersion(t.version)
		case t.anyVersion:
			expected = AnyVersion
		}
		var res AppendResult
		if err == nil {
			res, err = c.store.Append(ctx, stream, expected, events...)
		}
		if errors.Is(err, ErrConcurrency) && !t.anyVersion {
			// Another writer on this instance's stream (an instance id
			// given twice): go on from its version.
			t.known, t.anyVersion = false, true
			continue
		}
		if err != nil {
			return wrote, err
		}
		t.pending, wrote, t.version, t.known, t.anyVersion = nil, true, res.Version, true, false
	}
}

// UsageEvery is how often an instance records its tally.
const UsageEvery = time.Minute
