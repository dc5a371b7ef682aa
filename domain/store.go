package domain

import (
	"context"
	"errors"
	"time"
)

// The event-store port. Adapters live under eventstore/ (sqlite, esdb) and all
// run one conformance suite; the domain only sees this contract.

// Sentinel errors of the event-store port.
var (
	// ErrConcurrency is returned by Append when the stream's version is not the
	// expected one, or when the event ids were appended before with a different
	// batch.
	ErrConcurrency = errors.New("eventstore: wrong expected version")
	// ErrStreamNotFound is returned by ReadStream when the stream has no events
	// (up to the as-of position, when one is given).
	ErrStreamNotFound = errors.New("eventstore: stream not found")
	// ErrClosed is returned by every call after Close, and by Subscription.Next
	// once the subscription is closed.
	ErrClosed = errors.New("eventstore: closed")
	// ErrUnavailable is returned when the store cannot be reached.
	ErrUnavailable = errors.New("eventstore: unavailable")
)

// ExpectedVersion is the version a stream must have for an append to succeed:
// an exact version (the version of its last event, counting from 0), or one of
// NoStream and AnyVersion.
type ExpectedVersion int64

const (
	// NoStream: the stream must not exist yet.
	NoStream ExpectedVersion = -1
	// AnyVersion: append whatever the stream's version (no concurrency check).
	AnyVersion ExpectedVersion = -2
)

// ExactVersion returns the ExpectedVersion for a stream whose last event has
// version v.
func ExactVersion(v uint64) ExpectedVersion { return ExpectedVersion(v) }

// EventData is an event to append. ID is a UUID in text form; appending the
// same ids again returns the first result (idempotency). Data and Metadata are
// JSON.
type EventData struct {
	ID       string
	Type     string
	Data     []byte
	Metadata []byte
}

// RecordedEvent is an event as stored: its stream, its version in the stream
// (0 for the first), its position in the global log and the time the store
// recorded it.
type RecordedEvent struct {
	ID         string
	Stream     string
	Type       string
	Version    uint64
	Position   Position
	Data       []byte
	Metadata   []byte
	RecordedAt time.Time
}

// AppendResult says where an append landed: the version and the global
// position of the last event written, and the time the store recorded the
// events (the RecordedAt a read returns for them). For a repeated append it
// is the result of the first.
type AppendResult struct {
	Version    uint64
	Position   Position
	RecordedAt time.Time
}

// ReadStreamOptions select events of one stream: versions from From
// (inclusive), at most Limit of them (0: all), and, when AsOf is not zero, only
// events at or before that global position.
type ReadStreamOptions struct {
	From  uint64
	Limit int
	AsOf  Position
}

// ReadAllOptions select events of the global log: strictly after After, at
// most Limit (0: all), and, when AsOf is not zero, at or before that position.
type ReadAllOptions struct {
	After Position
	Limit int
	AsOf  Position
}

// EventStore is the port every store adapter implements (DESIGN.md section 4).
type EventStore interface {
	// Append writes events to stream, all or nothing, if the stream is at the
	// expected version; else it returns ErrConcurrency. Events whose ids were
	// appended before return the result of that first append.
	Append(ctx context.Context, stream string, expected ExpectedVersion, events ...EventData) (AppendResult, error)
	// ReadStream returns the stream's events in version order.
	ReadStream(ctx context.Context, stream string, opts ReadStreamOptions) ([]RecordedEvent, error)
	// ReadAll returns events of the global log in position order.
	ReadAll(ctx context.Context, opts ReadAllOptions) ([]RecordedEvent, error)
	// Subscribe returns a catch-up subscription: every event after the given
	// position in log order, then live events as they are appended.
	Subscribe(ctx context.Context, after Position) (Subscription, error)
	// Head returns the position of the last event in the log (zero when empty).
	Head(ctx context.Context) (Position, error)
	// Close releases the store; later calls return ErrClosed.
	Close() error
}

// Subscription delivers events in global order, at least once across
// restarts (the consumer keeps its checkpoint).
type Subscription interface {
	// Next blocks until the next event, ctx is done, or the subscription is
	// closed (ErrClosed). Called with a ctx that is already done, it returns
	// an event only when one is at hand without waiting (consumers use this
	// to gather a batch), else an error.
	Next(ctx context.Context) (RecordedEvent, error)
	// Close ends the subscription.
	Close() error
}

// ProgressSubscription is implemented by subscriptions that read past
// events they do not deliver (a store that filters the log on its side, as
// EventStoreDB's $all subscription with a filter on the application's type
// prefix does) and can say how far they have read. Stores whose logs hold
// only the application's events (SQLite, the memory store) have no such
// stretches and do not implement it.
type ProgressSubscription interface {
	Subscription
	// NextOrProgress is Next, except that it may return a position alone
	// (progress not zero, the event empty) instead of an event: the
	// subscription has read the log up to progress, past events it does
	// not deliver, and every event at or before progress that it delivers
	// has been returned already. A consumer that applied every event
	// returned before may take progress as its checkpoint: subscribing or
	// reading after it misses none of the application's events. Each
	// progress is after the last event or progress returned before it.
	NextOrProgress(ctx context.Context) (e RecordedEvent, progress Position, err error)
}

// ProgressReader is implemented by stores whose ReadAll passes over events
// that are not the application's and that know how far a read looked.
type ProgressReader interface {
	// ReadAllProgress is ReadAll, and also returns the position the read
	// looked up to: the last position of the log it read (opts.After when
	// it read nothing), at or after the last event it returns. Every event
	// of the application after opts.After and at or before that position
	// is among the events returned; so, when fewer than opts.Limit come
	// back, a reader that applied them may take the position as its
	// checkpoint.
	ReadAllProgress(ctx context.Context, opts ReadAllOptions) ([]RecordedEvent, Position, error)
}

// ImportEvent is an event of another log to import: its stream, the version
// the stream must be at before it (ExactVersion(v-1), NoStream for a
// stream's first event, or AnyVersion to append it at the stream's end), the
// event itself, and the time it was recorded there.
type ImportEvent struct {
	Stream   string
	Expected ExpectedVersion
	EventData
	RecordedAt time.Time
}

// ImportResult says what an import did: how many events it wrote, how many
// it found stored already (the events of an earlier import of the same
// log), and the position of the last event of the call, written now or
// before.
type ImportResult struct {
	Imported int
	Skipped  int
	Position Position
}

// Importer is the import path of a store that has one: it appends events
// with the recorded times and ids they were given, in the order given, so a
// log copied from another store keeps its order, ids and times. The rules:
//
//   - Times never go backwards: every event's RecordedAt is at or after the
//     one before it in the call and at or after the last recorded time of
//     the log; otherwise nothing is written and the error is EInvalid,
//     naming the event (events[i].recorded_at). After an import, Append
//     records its events at those times or later.
//   - Idempotent and resumable: the events of the call that are stored
//     already (the same id, in the same stream at the same version, with
//     the same type and recorded time) are skipped, as long as they come
//     first in the call. So importing the same events again writes nothing,
//     and importing a log again after a copy that stopped half-way writes
//     only the rest. An id stored otherwise, or a stored event after one
//     that is not, is ErrConcurrency.
//   - All or nothing per call; a stream not at the expected version is
//     ErrConcurrency. A store without transactions across streams
//     (EventStoreDB) writes a call stream by stream instead: a call that
//     fails part-way leaves a prefix of it written, which the same call run
//     again completes, since the stored events it begins with are skipped.
//
// Import does not wait for or merge with concurrent appends beyond the
// store's own serialisation: the caller owns the log while it copies.
type Importer interface {
	Import(ctx context.Context, events []ImportEvent) (ImportResult, error)
}

// CheckImport checks what an import can be refused for without looking at
// the store: streams, ids and types given, an id only once, expected
// versions valid, times given and never going backwards.
func CheckImport(events []ImportEvent) error {
	if len(events) == 0 {
		return Invalidf("events", "there are no events to import")
	}
	seen := make(map[string]int, len(events))
	for i, e := range events {
		field := func(name string) string { return fieldIndex("events", i) + "." + name }
		switch {
		case e.Stream == "":
			return Invalidf(field("stream"), "the stream name is empty")
		case e.ID == "":
			return Invalidf(field("id"), "the event id is empty")
		case e.Type == "":
			return Invalidf(field("type"), "the event type is empty")
		case e.Expected < AnyVersion:
			return Invalidf(field("expected"), "%d is not an expected version", e.Expected)
		case e.RecordedAt.IsZero():
			return Invalidf(field("recorded_at"), "the recorded time is missing")
		case i > 0 && e.RecordedAt.Before(events[i-1].RecordedAt):
			return Invalidf(field("recorded_at"), "%s is before the event before it (%s): recorded times never go backwards",
				e.RecordedAt.Format(time.RFC3339Nano), events[i-1].RecordedAt.Format(time.RFC3339Nano))
		}
		if j, ok := seen[e.ID]; ok {
			return Invalidf(field("id"), "event id %q is also event %d", e.ID, j)
		}
		seen[e.ID] = i
	}
	return nil
}

// ImportTimeError is the error of an import whose event i is recorded
// before the log's last recorded time.
func ImportTimeError(i int, at, last time.Time) error {
	return Invalidf(fieldIndex("events", i)+".recorded_at", "%s is before the last recorded time of the log (%s): recorded times never go backwards",
		at.Format(time.RFC3339Nano), last.Format(time.RFC3339Nano))
}
