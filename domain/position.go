package domain

import (
	"fmt"
	"strconv"
	"strings"
)

// Position is a place in the global event log. EventStoreDB's $all position is
// a (commit, prepare) pair; the SQLite store fills both with its sequence. The
// zero Position is "before the first event".
type Position struct {
	Commit  uint64
	Prepare uint64
}

// SeqPosition returns the Position of a store that counts events with one
// integer sequence.
func SeqPosition(seq uint64) Position { return Position{Commit: seq, Prepare: seq} }

// IsZero reports whether p is the start of the log.
func (p Position) IsZero() bool { return p.Commit == 0 && p.Prepare == 0 }

// Less reports whether p comes before q in log order.
func (p Position) Less(q Position) bool {
	if p.Commit != q.Commit {
		return p.Commit < q.Commit
	}
	return p.Prepare < q.Prepare
}

// Max returns the later of p and q.
func (p Position) Max(q Position) Position {
	if p.Less(q) {
		return q
	}
	return p
}

// String formats p as "N" when both parts are equal (SQLite) and as
// "commit/prepare" otherwise. ParsePosition reads both forms.
func (p Position) String() string {
	if p.Commit == p.Prepare {
		return strconv.FormatUint(p.Commit, 10)
	}
	return fmt.Sprintf("%d/%d", p.Commit, p.Prepare)
}

// ParsePosition parses the forms written by Position.String.
func ParsePosition(s string) (Position, error) {
	c, pr, two := strings.Cut(s, "/")
	commit, err := strconv.ParseUint(c, 10, 64)
	if err != nil {
		return Position{}, Invalidf("position", "%q is not a log position (a number, or commit/prepare)", s)
	}
	if !two {
		return SeqPosition(commit), nil
	}
	prepare, err := strconv.ParseUint(pr, 10, 64)
	if err != nil {
		return Position{}, Invalidf("position", "%q is not a log position (a number, or commit/prepare)", s)
	}
	return Position{Commit: commit, Prepare: prepare}, nil
}

// MarshalText writes the position as String does (for JSON and checkpoints).
func (p Position) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalText reads a position written by MarshalText.
func (p *Position) UnmarshalText(b []byte) error {
	q, err := ParsePosition(string(b))
	if err != nil {
		return err
	}
	*p = q
	return nil
}
