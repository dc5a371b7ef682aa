package domain

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// KnownAt is a moment of the log's past: a position, or a time (the log as
// it stood then: every event recorded at or before it). The zero KnownAt is
// now.
type KnownAt struct {
	Position Position  `json:"position,omitzero"`
	Time     time.Time `json:"time,omitzero"`
}

// IsZero reports whether k is now.
func (k KnownAt) IsZero() bool { return k.Position.IsZero() && k.Time.IsZero() }

// includes reports whether event r was in the log at k.
func (k KnownAt) includes(r RecordedEvent) bool {
	switch {
	case !k.Position.IsZero():
		return !k.Position.Less(r.Position)
	case !k.Time.IsZero():
		return !r.RecordedAt.After(k.Time)
	}
	return true
}

// loadKnownAt replays the stream of a into it as the log stood at k.
func loadKnownAt(ctx context.Context, s EventStore, a aggregate, k KnownAt) error {
	if k.Time.IsZero() {
		return Load(ctx, s, a, k.Position)
	}
	b := a.base()
	recs, err := s.ReadStream(ctx, a.Stream(), ReadStreamOptions{From: uint64(b.version + 1)})
	if errors.Is(err, ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("domain: load %s: %w", a.Stream(), err)
	}
	for _, r := range recs {
		if !k.includes(r) {
			break
		}
		e, err := DecodeEvent(r)
		if err != nil {
			return err
		}
		replay(a, e)
	}
	return nil
}
