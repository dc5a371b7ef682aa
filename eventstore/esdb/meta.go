package esdb

import (
	"bytes"
	"time"
)

// The server stamps every event with its own "created" time, so an
// imported event carries the time it was recorded at in its user metadata,
// which the store writes as
//
//	{"carecost.recorded_at":"<RFC 3339 time in UTC, nanoseconds>"}
//
// for an event without metadata, and as
//
//	{"carecost.recorded_at":"<time>","carecost.metadata":<the metadata given>}
//
// for one with metadata. Every read (ReadStream, ReadAll, Subscribe, Head
// and the read-back of Append) undoes it: RecordedAt is the time, and
// Metadata the bytes given, unchanged. Append refuses metadata of that form,
// so an appended event's metadata is never taken for an imported one's.
const (
	timeOpen = `{"carecost.recorded_at":"`
	metaKey  = `,"carecost.metadata":`
)

// withTime returns the user metadata that carries meta and the recorded
// time at.
func withTime(meta []byte, at time.Time) []byte {
	text := at.UTC().Format(time.RFC3339Nano)
	b := make([]byte, 0, len(timeOpen)+len(text)+len(metaKey)+len(meta)+2)
	b = append(b, timeOpen...)
	b = append(b, text...)
	b = append(b, '"')
	if len(meta) > 0 {
		b = append(b, metaKey...)
		b = append(b, meta...)
	}
	return append(b, '}')
}

// splitTime undoes withTime: it returns the metadata and the recorded time
// that stored carries, and false when stored is not exactly what withTime
// writes.
func splitTime(stored []byte) ([]byte, time.Time, bool) {
	rest, ok := bytes.CutPrefix(stored, []byte(timeOpen))
	if !ok {
		return nil, time.Time{}, false
	}
	q := bytes.IndexByte(rest, '"')
	if q < 0 {
		return nil, time.Time{}, false
	}
	text := string(rest[:q])
	at, err := time.Parse(time.RFC3339Nano, text)
	if err != nil || at.UTC().Format(time.RFC3339Nano) != text {
		return nil, time.Time{}, false
	}
	rest = rest[q+1:]
	switch {
	case len(rest) == 1 && rest[0] == '}':
		return nil, at.UTC(), true
	case len(rest) > len(metaKey)+1 && bytes.HasPrefix(rest, []byte(metaKey)) && rest[len(rest)-1] == '}':
		return rest[len(metaKey) : len(rest)-1], at.UTC(), true
	}
	return nil, time.Time{}, false
}
