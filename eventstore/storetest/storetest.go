// Package storetest is the conformance suite of the event-store port: every
// adapter under eventstore/ runs Run against itself, so that all of them keep
// the promises of domain.EventStore (DESIGN.md section 4) in the same way,
// and those of domain.Importer when the adapter has the import path.
//
// The suite uses only the port. It names its streams with a random prefix
// and measures positions from the store's head, so it can run against a store
// that already holds events, as long as nothing else writes to it while a
// subtest runs.
package storetest

import (
	"testing"

	"carecost/domain"
)

// Open returns a store for one subtest and a Reopen that opens the same data
// again. The store may already hold events, but nothing else may write to it
// while the subtest runs. The suite closes every store it is given.
type Open func(t *testing.T) (domain.EventStore, Reopen)

// Reopen opens the store again over the data of the store Open returned,
// after the suite has closed that one, the way a restarted process finds it.
type Reopen func(t *testing.T) domain.EventStore

// Option changes what Run checks.
type Option func(*config)

type config struct {
	dense       bool
	byStream    bool
	serverClock bool
}

// DensePositions tells Run that the store numbers its events 1, 2, 3, ...
// with domain.SeqPosition, so positions must follow each other without holes.
// Without it Run checks only that positions increase strictly and that reads
// of the log miss no event.
func DensePositions() Option { return func(c *config) { c.dense = true } }

// ImportStreamByStream tells Run that the store's Import is not all or
// nothing across streams (domain.Importer): a call that fails part-way
// leaves a prefix of it written, which the same call run again completes.
// Run then checks that instead of all or nothing.
func ImportStreamByStream() Option { return func(c *config) { c.byStream = true } }

// ServerClock tells Run that the store records appends at a clock it does
// not hold behind imported times (a server's). Imports into a log that
// holds events then end within microseconds of its last event, rather than
// minutes after it, so that appends after them come later.
func ServerClock() Option { return func(c *config) { c.serverClock = true } }

// Run runs every case of the suite against the stores open returns, each as
// a named subtest of t.
func Run(t *testing.T, open Open, opts ...Option) {
	h := &harness{open: open, prefix: "storetest-" + newID()[:8]}
	for _, o := range opts {
		o(&h.cfg)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { c.run(t, h) })
	}
	if !h.imports(t) {
		return
	}
	for _, c := range importCases {
		if h.cfg.byStream && c.atomic {
			c.name, c.run = partialImportCase.name, partialImportCase.run
		}
		t.Run(c.name, func(t *testing.T) { c.run(t, h) })
	}
}

// imports reports whether the stores open returns have the import path
// (domain.Importer); the suite checks it for those that do.
func (h *harness) imports(t *testing.T) bool {
	s, _ := h.open(t)
	defer s.Close()
	_, ok := s.(domain.Importer)
	return ok
}

var cases = []struct {
	name string
	run  func(*testing.T, *harness)
}{
	{"appends to a new stream with NoStream", testAppendNoStream},
	{"rejects a wrong expected version", testWrongExpectedVersion},
	{"returns the first result for a repeated event id", testRepeatedEventID},
	{"rejects a batch that repeats only part of an earlier one", testPartialRepeat},
	{"AnyVersion appends without a check", testAnyVersion},
	{"all or nothing: a batch that conflicts writes nothing", testAllOrNothing},
	{"ReadStream of a missing stream returns ErrStreamNotFound", testMissingStream},
	{"reads a stream from a version", testReadStreamFrom},
	{"reads a stream as of a position", testReadStreamAsOf},
	{"reads all after a position in global order", testReadAllAfter},
	{"reads all as of a position", testReadAllAsOf},
	{"Head returns the last position", testHead},
	{"an acknowledged append is at once in Head and in a new subscription", testAckedIsVisible},
	{"subscription catches up then goes live", testSubscribeCatchUp},
	{"subscription resumes after a position across a restart", testSubscribeResume},
	{"subscription sees concurrent appends exactly once in order", testSubscribeConcurrent},
	{"Next after the subscription's Close returns ErrClosed", testSubscriptionClose},
	{"Next with a done context returns only events at hand, without waiting", testNextDone},
	{"many goroutines appending to the same stream: one wins per version, no lost or duplicated events, versions gap-free", testSameStreamRace},
	{"many goroutines appending to different streams: every event exactly once, positions gap-free and strictly increasing", testManyStreams},
	{"close then reopen: everything still there", testReopen},
	{"calls after Close return ErrClosed", testClosed},
}
