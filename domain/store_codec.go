package domain

import (
	"encoding/binary"
	"errors"
	"time"
)

// MarshalEvents writes recorded events in a compact binary form, to carry a
// batch of the log in one message (length-prefixed fields, varint numbers).
func MarshalEvents(events []RecordedEvent) []byte {
	size := 0
	for _, e := range events {
		size += len(e.ID) + len(e.Stream) + len(e.Type) + len(e.Data) + len(e.Metadata) + 60
	}
	b := binary.AppendUvarint(make([]byte, 0, size), uint64(len(events)))
	for _, e := range events {
		for _, s := range [][]byte{[]byte(e.ID), []byte(e.Stream), []byte(e.Type), e.Data, e.Metadata} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = binary.AppendUvarint(b, e.Version)
		b = binary.AppendUvarint(b, e.Position.Commit)
		b = binary.AppendUvarint(b, e.Position.Prepare)
		b = binary.AppendVarint(b, e.RecordedAt.UnixNano())
	}
	return b
}

// MarshalProgress writes a batch without events that carries a position
// the log was read up to (see ProgressSubscription); UnmarshalBatch reads
// it.
func MarshalProgress(p Position) []byte {
	b := binary.AppendUvarint(nil, 0)
	b = binary.AppendUvarint(b, p.Commit)
	return binary.AppendUvarint(b, p.Prepare)
}

// UnmarshalBatch reads a batch written by MarshalEvents (progress zero) or
// by MarshalProgress (no events, progress the position it carries).
func UnmarshalBatch(b []byte) (events []RecordedEvent, progress Position, err error) {
	if len(b) > 0 && b[0] == 0 && len(b) > 1 {
		r := &reader{b: b[1:]}
		p := Position{Commit: r.uvarint(), Prepare: r.uvarint()}
		if r.err != nil || len(r.b) != 0 || p.IsZero() {
			return nil, Position{}, errCodec
		}
		return nil, p, nil
	}
	events, err = UnmarshalEvents(b)
	return events, Position{}, err
}

var errCodec = errors.New("domain: malformed event batch")

// UnmarshalEvents reads events written by MarshalEvents.
func UnmarshalEvents(b []byte) ([]RecordedEvent, error) {
	r := &reader{b: b}
	n := r.uvarint()
	if r.err != nil || n > uint64(len(b)) {
		return nil, errCodec
	}
	out := make([]RecordedEvent, n)
	for i := range out {
		e := &out[i]
		e.ID, e.Stream, e.Type = string(r.bytes()), string(r.bytes()), string(r.bytes())
		e.Data, e.Metadata = r.bytes(), r.bytes()
		e.Version = r.uvarint()
		e.Position = Position{Commit: r.uvarint(), Prepare: r.uvarint()}
		e.RecordedAt = time.Unix(0, r.varint()).UTC()
	}
	if r.err != nil || len(r.b) != 0 {
		return nil, errCodec
	}
	return out, nil
}

type reader struct {
	b   []byte
	err error
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.err, r.b = errCodec, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.err, r.b = errCodec, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) bytes() []byte {
	n := r.uvarint()
	if n > uint64(len(r.b)) {
		r.err, r.b = errCodec, nil
		return nil
	}
	s := r.b[:n:n]
	r.b = r.b[n:]
	return s
}
