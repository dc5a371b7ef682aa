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
