package domain

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// maxAttempts bounds the retries of a command that lost a race: each loss
// means another command on the same stream won, so 32 attempts outlast 31
// concurrent writers of one record.
const maxAttempts = 32

// Load replays the stream of a into it, up to asOf when that is not zero.
func Load(ctx context.Context, s EventStore, a aggregate, asOf Position) error {
	b := a.base()
	recs, err := s.ReadStream(ctx, a.Stream(), ReadStreamOptions{From: uint64(b.version + 1), AsOf: asOf})
	if errors.Is(err, ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("domain: load %s: %w", a.Stream(), err)
	}
	for _, r := range recs {
		e, err := DecodeEvent(r)
		if err != nil {
			return err
		}
		replay(a, e)
	}
	return nil
}

// update is the one update shape of carecost: load the aggregate, run one
// command method (which makes every check and records events, writing
// nothing), append its events with the expected version; on a lost race,
// when the caller expected no particular version, load again and retry.
//
// A command with an id (an Idempotency-Key) answers as its first run
// whenever it ran before: also when it would be refused now, when it would
// now write something else, and when its first run changed nothing (such a
// run records a CommandNoop, so the key is remembered).
func update[A aggregate](ctx context.Context, s EventStore, cmd Command, empty func() A, decide func(A) error) (A, Result, error) {
	return updateFrom(ctx, s, cmd, empty, empty, decide)
}

// updateFrom is update for an aggregate kept in a cache: start returns the
// cached copy to load the newest events into, empty a new aggregate (to
// rebuild a past state).
func updateFrom[A aggregate](ctx context.Context, s EventStore, cmd Command, start, empty func() A, decide func(A) error) (A, Result, error) {
	u := updater[A]{ctx: ctx, s: s, cmd: cmd, meta: cmd.meta(), start: start, empty: empty}
	for attempt := 1; ; attempt++ {
		a, r, err, again := u.try(attempt, decide)
		if !again {
			return a, r, err
		}
	}
}

// updater holds what every attempt of one command shares.
type updater[A aggregate] struct {
	ctx   context.Context
	s     EventStore
	cmd   Command
	meta  Meta
	start func() A // the aggregate to load the newest events into
	empty func() A // a new aggregate
}

// try runs one attempt; again says the attempt lost a race and the command
// should run again on the record as it now stands.
func (u *updater[A]) try(attempt int, decide func(A) error) (a A, r Result, err error, again bool) {
	a = u.start()
	if err := Load(u.ctx, u.s, a, Position{}); err != nil {
		return a, Result{}, err, false
	}
	b := a.base()
	if u.cmd.Expected != nil && *u.cmd.Expected != b.version {
		// A retry of a command that ran finds the record moved on.
		a, r, err = u.ifRanBefore(a.Stream(), staleVersion(*u.cmd.Expected, b.version))
		return a, r, err, false
	}
	if err := decide(a); err != nil {
		// A retried command may be refused now because it ran before
		// (decide again a decided estimate): answer as the first run did.
		a, r, err = u.ifRanBefore(a.Stream(), err)
		return a, r, err, false
	}
	if len(b.changes) == 0 {
		if u.cmd.ID == "" || b.version < 0 {
			return a, Result{Version: b.version, Position: b.position}, nil, false
		}
		record(a, &CommandNoop{})
	}
	from, n := b.version, len(b.changes)
	res, err := appendChanges(u.ctx, u.s, a, u.meta)
	return u.settle(attempt, a, from, n, res, err)
}

// settle turns the outcome of an append into the command's answer.
func (u *updater[A]) settle(attempt int, a A, from int64, n int, res AppendResult, err error) (A, Result, error, bool) {
	lost := errors.Is(err, ErrConcurrency)
	switch {
	case lost && u.cmd.ID != "" && attempt == 1:
		// The command's event ids may be taken: by its first run, or by
		// another request that used the same key.
		if r, ok, rerr := ranBefore(u.ctx, u.s, u.cmd, a.Stream()); ok || rerr != nil {
			a, r, rerr = u.asFirstRun(r, rerr)
			return a, r, rerr, false
		}
	case err == nil && int64(res.Version) != from+int64(n):
		// The store returned the result of the command's first run.
		r, ok, rerr := ranBefore(u.ctx, u.s, u.cmd, a.Stream())
		if !ok && rerr == nil {
			r = Result{Version: int64(res.Version), Position: res.Position, Replayed: true}
		}
		a, r, rerr = u.asFirstRun(r, rerr)
		return a, r, rerr, false
	}
	switch {
	case lost && u.cmd.Expected == nil && attempt < maxAttempts:
		return a, Result{}, nil, true
	case lost && u.cmd.Expected == nil:
		return a, Result{}, &Error{Code: EConflict, Message: fmt.Sprintf("the record was changed by %d other commands at the same moment; try again", attempt)}, false
	case lost:
		return a, Result{}, staleVersion(from, -2), false
	case err != nil:
		return a, Result{}, err, false
	}
	stamp(a, res.RecordedAt)
	return a, Result{Version: int64(res.Version), Position: res.Position}, nil, false
}

// ifRanBefore answers as the command's first run when it ran before on
// stream, else with refusal (nil: the caller goes on).
func (u *updater[A]) ifRanBefore(stream string, refusal error) (A, Result, error) {
	r, ok, err := ranBefore(u.ctx, u.s, u.cmd, stream)
	if ok || err != nil {
		return u.asFirstRun(r, err)
	}
	return u.empty(), Result{}, refusal
}

// asFirstRun gives back the aggregate as the first run of a command that
// ran before left it.
func (u *updater[A]) asFirstRun(r Result, err error) (A, Result, error) {
	a := u.empty()
	if err != nil {
		return a, Result{}, err
	}
	return a, r, Load(u.ctx, u.s, a, r.Position)
}

// appendChanges appends the events a recorded, expecting the version a was
// loaded at.
func appendChanges(ctx context.Context, s EventStore, a aggregate, meta Meta) (AppendResult, error) {
	b := a.base()
	events, err := EncodeEvents(a.Stream(), meta, b.changes)
	if err != nil {
		return AppendResult{}, err
	}
	expected := NoStream
	if b.version >= 0 {
		expected = ExactVersion(uint64(b.version))
	}
	res, err := s.Append(ctx, a.Stream(), expected, events...)
	if err != nil {
		return AppendResult{}, err
	}
	b.version, b.position = int64(res.Version), res.Position
	return res, nil
}

// stamper is implemented by aggregates that keep recorded times: after an
// append they take the time the store recorded the command's events, which
// their apply saw as zero.
type stamper interface {
	stamp(at time.Time)
}

func stamp(a aggregate, at time.Time) {
	if s, ok := a.(stamper); ok && !at.IsZero() {
		s.stamp(at)
	}
}

func staleVersion(expected, actual int64) error {
	msg := "the record was changed by someone else; reload it and try again"
	if actual > -2 {
		msg = fmt.Sprintf("the record is at version %d, not %d: it was changed by someone else; reload it and try again", actual, expected)
	}
	return &Error{Code: EConflict, Field: "expected_version", Message: msg}
}
