package domain

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// Actor is who runs a command.
type Actor struct {
	ID   string `json:"id"`
	Role string `json:"role"`
}

// Command is the envelope of a command: its id (events derive their ids from
// it, so a retried command appends nothing twice), the correlation id, the
// actor, and, when the caller says so, the stream version it expects
// (optimistic concurrency seen by clients).
type Command struct {
	ID            string
	CorrelationID string
	Actor         Actor
	Expected      *int64
	// Fingerprint identifies the request (say, a hash of its method, path
	// and body). With a command id, a later command with the same id but
	// another fingerprint is refused instead of answered as a retry.
	Fingerprint string
}

func (c Command) meta() Meta {
	id := c.ID
	if id == "" {
		id = NewID()
	}
	// The correlation and causation ids are written only when they differ
	// from the command id; DecodeEvent fills them in again.
	corr := c.CorrelationID
	if corr == id {
		corr = ""
	}
	return Meta{CommandID: id, CorrelationID: corr, ActorID: c.Actor.ID, ActorRole: c.Actor.Role, Request: c.Fingerprint}
}

// Result says where a command's events landed: the stream's version and the
// global position of its last event (for read-your-writes).
type Result struct {
	Version  int64    `json:"version"`
	Position Position `json:"position"`
	// Replayed: the command (the same command id) had run before; nothing
	// new was written and the result is where the first run landed.
	Replayed bool `json:"-"`
}

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
// command method, append its events with the expected version; on a lost race
// (and when the caller expected no particular version) load again and retry.
func update[A aggregate](ctx context.Context, s EventStore, cmd Command, fresh func() A, decide func(A) error) (A, Result, error) {
	meta := cmd.meta()
	// asFirstRun gives back the aggregate as the first run of a command that
	// ran before left it.
	asFirstRun := func(r Result, err error) (A, Result, error) {
		a := fresh()
		if err != nil {
			return a, Result{}, err
		}
		return a, r, Load(ctx, s, a, r.Position)
	}
	for attempt := 1; ; attempt++ {
		a := fresh()
		if err := Load(ctx, s, a, Position{}); err != nil {
			return a, Result{}, err
		}
		b := a.base()
		if cmd.Expected != nil && *cmd.Expected != b.version {
			// A retry of a command that ran finds the record moved on.
			if r, ok, err := ranBefore(ctx, s, cmd, a.Stream()); ok || err != nil {
				return asFirstRun(r, err)
			}
			return a, Result{}, staleVersion(*cmd.Expected, b.version)
		}
		if err := decide(a); err != nil {
			// A retried command may be refused now because it ran before
			// (decide again a decided estimate): answer as the first run did.
			if r, ok, rerr := ranBefore(ctx, s, cmd, a.Stream()); ok || rerr != nil {
				return asFirstRun(r, rerr)
			}
			return a, Result{}, err
		}
		if len(b.changes) == 0 {
			return a, Result{Version: b.version, Position: b.position}, nil
		}
		from := b.version
		res, err := appendChanges(ctx, s, a, meta)
		if errors.Is(err, ErrConcurrency) && cmd.ID != "" && attempt == 1 {
			// The command's event ids may be taken: by its first run, or by
			// another request that used the same key.
			if r, ok, rerr := ranBefore(ctx, s, cmd, a.Stream()); ok || rerr != nil {
				return asFirstRun(r, rerr)
			}
		}
		switch {
		case errors.Is(err, ErrConcurrency) && cmd.Expected == nil && attempt < maxAttempts:
			continue
		case errors.Is(err, ErrConcurrency) && cmd.Expected == nil:
			return a, Result{}, &Error{Code: EConflict, Message: fmt.Sprintf("the record was changed by %d other commands at the same moment; try again", attempt)}
		case errors.Is(err, ErrConcurrency):
			return a, Result{}, staleVersion(from, -2)
		case err == nil && res.Version != from+int64(len(b.changes)):
			// The command ran before: the store returned the first result.
			if r, ok, rerr := ranBefore(ctx, s, cmd, a.Stream()); ok || rerr != nil {
				return asFirstRun(r, rerr)
			}
			res.Replayed = true
		}
		if err == nil && res.Replayed {
			return asFirstRun(res, nil)
		}
		return a, res, err
	}
}

// ranBefore answers a command that carries an id (an Idempotency-Key) and
// ran before on stream: ok with where its first run landed, or the error of
// a key used again for another request. Not ok when it has not run.
func ranBefore(ctx context.Context, s EventStore, cmd Command, stream string) (Result, bool, error) {
	if cmd.ID == "" {
		return Result{}, false, nil
	}
	res, req, ok, err := landed(ctx, s, stream, cmd.ID)
	switch {
	case err != nil:
		return Result{}, false, err
	case !ok:
		return Result{}, false, nil
	case req != "" && req != cmd.Fingerprint:
		return Result{}, false, keyReused()
	}
	return res, true, nil
}

// landed looks in stream for the events command commandID appended (their
// ids derive from it) and returns where the last of them landed and the
// fingerprint of the request that ran it.
func landed(ctx context.Context, s EventStore, stream, commandID string) (res Result, request string, ok bool, err error) {
	recs, err := s.ReadStream(ctx, stream, ReadStreamOptions{})
	if errors.Is(err, ErrStreamNotFound) {
		return Result{}, "", false, nil
	}
	if err != nil {
		return Result{}, "", false, err
	}
	want, n := EventID(commandID, stream, 0), 0
	for _, r := range recs {
		if r.ID != want {
			continue
		}
		if n == 0 {
			var m Meta
			if len(r.Metadata) > 0 {
				if err := json.Unmarshal(r.Metadata, &m); err != nil {
					return Result{}, "", false, err
				}
			}
			request = m.Request
		}
		res = Result{Version: int64(r.Version), Position: r.Position, Replayed: true}
		n++
		want = EventID(commandID, stream, n)
	}
	return res, request, n > 0, nil
}

// keyReused is the answer to a command id used again for another request.
func keyReused() error {
	return &Error{Code: EConflict, Field: "Idempotency-Key", Message: "this key was used for a different request; use a new key for a new request"}
}

// appendChanges appends the events a recorded, expecting the version a was
// loaded at.
func appendChanges(ctx context.Context, s EventStore, a aggregate, meta Meta) (Result, error) {
	b := a.base()
	events, err := EncodeEvents(a.Stream(), meta, b.changes)
	if err != nil {
		return Result{}, err
	}
	expected := NoStream
	if b.version >= 0 {
		expected = ExactVersion(uint64(b.version))
	}
	res, err := s.Append(ctx, a.Stream(), expected, events...)
	if err != nil {
		return Result{}, err
	}
	b.version, b.position = int64(res.Version), res.Position
	return Result{Version: b.version, Position: res.Position}, nil
}

func staleVersion(expected, actual int64) error {
	msg := "the record was changed by someone else; reload it and try again"
	if actual > -2 {
		msg = fmt.Sprintf("the record is at version %d, not %d: it was changed by someone else; reload it and try again", actual, expected)
	}
	return &Error{Code: EConflict, Field: "expected_version", Message: msg}
}
