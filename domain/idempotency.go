package domain

import (
	"context"
	"errors"
)

// EvCommandNoop is the event type of CommandNoop.
const EvCommandNoop = "carecost.command.noop"

// CommandNoop: a command with an id (an Idempotency-Key) ran and changed
// nothing (say, presenting an estimate already presented). It is recorded
// so that a retry of the command answers as this first run did, and never
// runs again to write later or to answer with a later state. It moves the
// stream's version and nothing else.
type CommandNoop struct {
	Schema
}

// EventType implements Payload.
func (*CommandNoop) EventType() string { return EvCommandNoop }

func init() { register(1, func() Payload { return &CommandNoop{} }) }

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
			if request, err = requestOf(r); err != nil {
				return Result{}, "", false, err
			}
		}
		res = Result{Version: int64(r.Version), Position: r.Position, Replayed: true}
		n++
		want = EventID(commandID, stream, n)
	}
	return res, request, n > 0, nil
}

// requestOf returns the request fingerprint kept in an event's metadata.
func requestOf(r RecordedEvent) (string, error) {
	m, err := DecodeMeta(r.Metadata)
	return m.Request, err
}

// keyReused is the answer to a command id used again for another request.
func keyReused() error {
	return &Error{Code: EConflict, Field: "Idempotency-Key", Message: "this key was used for a different request; use a new key for a new request"}
}
