package esdb

import (
	"context"
	"sync"

	kdb "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"carecost/domain"
)

// The head of the log is the position of the application's last event in
// $all. The server offers no filtered read backwards, so Head reads $all
// backwards until it meets one of ours; on a cluster shared with other
// applications that can be a long way (a hundred thousand events of others
// took over a second on the in-process server), and /readyz and every
// scrape of /metrics ask for the head. So the store remembers what it
// learnt (headMemo): our last event up to a position of $all. Head then
// reads only the events after that position. A read cut short (a deadline)
// is remembered too, and the next Head goes on below it rather than read it
// again. The subscription teaches it as well: each event of ours it
// delivers is our last one up to there, and a checkpoint it reports (one
// known to be safe) says none of ours lies between the last one and it.

// headMemo is what the store knows of the head.
type headMemo struct {
	mu sync.Mutex
	// known: last is the position of our last event at or before through
	// (zero when there is none).
	known         bool
	last, through domain.Position
	// A read cut short found none of ours from gapBottom to gapTop (both
	// examined), gapTop above through (when gapTop is not zero).
	gapTop, gapBottom domain.Position
}

// note records what a reader learnt of $all: our last event in (after,
// through] is last (zero: none of ours there). It extends what the memo
// knows when it starts where the memo's knowledge ends, or before.
func (m *headMemo) note(after, last, through domain.Position) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.known || m.through.Less(after) || !m.through.Less(through) {
		return
	}
	m.through = through
	if m.last.Less(last) {
		m.last = last
	}
}

// snapshot returns a copy of the memo's state.
func (m *headMemo) snapshot() headMemo {
	m.mu.Lock()
	defer m.mu.Unlock()
	return headMemo{known: m.known, last: m.last, through: m.through, gapTop: m.gapTop, gapBottom: m.gapBottom}
}

// learnt records a whole read: our last event up to through is last.
func (m *headMemo) learnt(last, through domain.Position) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.known && !m.through.Less(through) {
		return // a later read knows more
	}
	m.known, m.last, m.through = true, last, through
	if !m.through.Less(m.gapTop) {
		m.gapTop, m.gapBottom = domain.Position{}, domain.Position{}
	}
}

// cut records a read cut short: none of ours from bottom to top.
func (m *headMemo) cut(bottom, top domain.Position) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if top.IsZero() || (m.known && !m.through.Less(top)) {
		return
	}
	m.gapTop, m.gapBottom = top, bottom
}

// head returns the position of our last event in $all (zero when there is
// none), reading backwards from the end only as far as the memo needs.
func (s *Store) head(ctx context.Context, c *kdb.Client) (domain.Position, error) {
	snap := s.memo.snapshot()
	var newest, cursor domain.Position // the newest and the oldest event examined
	var from kdb.AllPosition = kdb.End{}
	jumped := false
	for {
		page, err := s.drain(ctx, c, "head", func(ctx context.Context) (*kdb.ReadStream, error) {
			return c.ReadAll(ctx, kdb.ReadAllOptions{Direction: kdb.Backwards, From: from}, s.cfg.page)
		})
		if err != nil {
			s.memo.cut(cursor, newest)
			return domain.Position{}, err
		}
		moved, next := false, domain.Position{}
		for _, e := range page {
			p := position(e.Position)
			if !cursor.IsZero() && !p.Less(cursor) {
				continue // the read starts at the position it was given
			}
			if newest.IsZero() {
				newest = p
			}
			cursor, moved = p, true
			switch {
			case snap.known && !snap.through.Less(p):
				// Below here the memo knows.
				s.memo.learnt(snap.last, newest)
				return snap.last, nil
			case s.ours(e):
				s.memo.learnt(p, newest)
				return p, nil
			case !jumped && !snap.gapTop.IsZero() && !snap.gapTop.Less(p) && !p.Less(snap.gapBottom):
				// A read cut short examined down to gapBottom: go on below it.
				jumped, cursor, next = true, snap.gapBottom, snap.gapBottom
			}
			if !next.IsZero() {
				break
			}
		}
		switch {
		case !next.IsZero():
			from = kdb.Position{Commit: next.Commit, Prepare: next.Prepare}
			continue
		case uint64(len(page)) < s.cfg.page || !moved:
			// The start of the log: none of ours.
			s.memo.learnt(domain.Position{}, newest)
			return domain.Position{}, nil
		}
		from = kdb.Position{Commit: cursor.Commit, Prepare: cursor.Prepare}
	}
}
