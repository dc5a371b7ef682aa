package memstore

import (
	"encoding/json"
	"fmt"
	"time"

	"carecost/domain"
)

// loggedEvent is a recorded event in the JSON of a log file.
type loggedEvent struct {
	ID         string          `json:"id"`
	Stream     string          `json:"stream"`
	Type       string          `json:"type"`
	Version    uint64          `json:"version"`
	Position   domain.Position `json:"position"`
	Data       json.RawMessage `json:"data"`
	Metadata   json.RawMessage `json:"metadata"`
	RecordedAt time.Time       `json:"recorded_at"`
}

// ReadLog reads a log file: a JSON array of recorded events in log order,
// each an object with id, stream, type, version, position, data and
// metadata (JSON values, as stored) and recorded_at.
func ReadLog(data []byte) ([]domain.RecordedEvent, error) {
	var in []loggedEvent
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, fmt.Errorf("memstore: read log: %w", err)
	}
	out := make([]domain.RecordedEvent, len(in))
	for i, e := range in {
		out[i] = domain.RecordedEvent{ID: e.ID, Stream: e.Stream, Type: e.Type, Version: e.Version, Position: e.Position,
			Data: []byte(e.Data), Metadata: []byte(e.Metadata), RecordedAt: e.RecordedAt}
	}
	return out, nil
}

// FromLog returns a store holding events as they were recorded (their
// positions and times): positions 1, 2, 3, ... in order, and each stream's
// versions from 0 without a gap. Each event counts as appended alone: a
// command whose events were appended together, retried, is refused as
// another batch. Options are those of New.
func FromLog(events []domain.RecordedEvent, opts ...Option) (*Store, error) {
	s := New(opts...)
	for i, e := range events {
		v, ok := s.versions[e.Stream]
		if !ok {
			v = -1
		}
		if e.Position != domain.SeqPosition(uint64(i+1)) || int64(e.Version) != v+1 {
			return nil, fmt.Errorf("memstore: event %d (%s version %d at %s) is out of order", i, e.Stream, e.Version, e.Position)
		}
		if _, dup := s.byID[e.ID]; dup {
			return nil, fmt.Errorf("memstore: event id %s is in the log twice", e.ID)
		}
		s.index[e.ID] = len(s.events)
		s.events = append(s.events, e)
		s.versions[e.Stream] = v + 1
		s.byID[e.ID] = appended{stream: e.Stream, ids: []string{e.ID},
			res: domain.AppendResult{Version: e.Version, Position: e.Position, RecordedAt: e.RecordedAt}}
	}
	return s, nil
}
