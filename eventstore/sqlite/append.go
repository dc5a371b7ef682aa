package sqlite

import (
	"context"
	"fmt"
	"strconv"
	"sync"

	"carecost/domain"
)

// request is one Append call waiting for the writer.
type request struct {
	ctx      context.Context
	stream   string
	expected domain.ExpectedVersion
	events   []domain.EventData
	imports  []domain.ImportEvent // an Import call's events, instead of stream and events
	out      result               // filled by the writer
	res      chan result          // receives out once
}

type result struct {
	res   domain.AppendResult
	imp   domain.ImportResult
	heads map[string]int64 // an import's streams and their last versions
	err   error
}

var requests = sync.Pool{New: func() any { return &request{res: make(chan result, 1)} }}

// Append writes events to stream, all or nothing, if the stream is at the
// expected version, and returns the version and position of the last one.
// A stream at another version gives a wrapped domain.ErrConcurrency. When the
// events' ids are already stored as one earlier append to the same stream,
// Append writes nothing and returns that append's result, even if the stream
// has moved on since; ids stored otherwise give domain.ErrConcurrency.
//
// Concurrent calls are committed together by the writer goroutine. When ctx
// ends before the answer, Append returns ctx's error and the append may still
// complete; callers retry with the same event ids.
func (s *Store) Append(ctx context.Context, stream string, expected domain.ExpectedVersion, events ...domain.EventData) (domain.AppendResult, error) {
	if err := validateAppend(stream, expected, events); err != nil {
		return domain.AppendResult{}, fmt.Errorf("sqlite: append to %q: %w", stream, err)
	}
	if s.closed.Load() {
		return domain.AppendResult{}, errClosed("append")
	}
	if err := ctx.Err(); err != nil {
		return domain.AppendResult{}, fmt.Errorf("sqlite: append to %q: %w", stream, err)
	}
	r := requests.Get().(*request)
	r.ctx, r.stream, r.expected, r.events, r.imports, r.out = ctx, stream, expected, events, nil, result{}
	out, err := s.send(ctx, r)
	return out.res, err
}

// send hands r to the writer and waits for its answer.
func (s *Store) send(ctx context.Context, r *request) (result, error) {
	op := r.op()
	select {
	case s.reqs <- r:
	case <-s.done:
		requests.Put(r)
		return result{}, errClosed("append")
	case <-ctx.Done():
		requests.Put(r)
		return result{}, fmt.Errorf("sqlite: %s: %w", op, ctx.Err())
	}
	return s.await(ctx, r)
}

// await waits for the writer's answer to r. r goes back to the pool only
// once the writer is done with it.
func (s *Store) await(ctx context.Context, r *request) (result, error) {
	select {
	case out := <-r.res:
		r.ctx, r.events, r.imports = nil, nil, nil
		requests.Put(r)
		return out, out.err
	case <-ctx.Done():
		return result{}, fmt.Errorf("sqlite: %s: %w", r.op(), ctx.Err())
	case <-s.exited:
		select {
		case out := <-r.res:
			return out, out.err
		default:
			return result{}, errClosed("append")
		}
	}
}

// op names what r asks for, for errors.
func (r *request) op() string {
	if r.imports != nil {
		return "import"
	}
	return fmt.Sprintf("append to %q", r.stream)
}

// validateAppend rejects an append that no stream state could accept.
func validateAppend(stream string, expected domain.ExpectedVersion, events []domain.EventData) error {
	switch {
	case stream == "":
		return domain.Invalidf("stream", "the stream name is empty")
	case expected < domain.AnyVersion:
		return domain.Invalidf("expected", "%d is not an expected version", expected)
	case len(events) == 0:
		return domain.Invalidf("events", "there are no events to append")
	}
	for i, e := range events {
		switch {
		case e.ID == "":
			return domain.Invalidf(fmt.Sprintf("events[%d].id", i), "the event id is empty")
		case e.Type == "":
			return domain.Invalidf(fmt.Sprintf("events[%d].type", i), "the event type is empty")
		}
	}
	if i, ok := repeatedID(events); ok {
		return domain.Invalidf(fmt.Sprintf("events[%d].id", i), "event id %q appears twice", events[i].ID)
	}
	return nil
}

// repeatedID returns the index of the first event whose id an earlier event
// of the same batch already has.
func repeatedID(events []domain.EventData) (int, bool) {
	if len(events) <= 16 {
		for i := 1; i < len(events); i++ {
			for _, prev := range events[:i] {
				if prev.ID == events[i].ID {
					return i, true
				}
			}
		}
		return 0, false
	}
	seen := make(map[string]struct{}, len(events))
	for i, e := range events {
		if _, ok := seen[e.ID]; ok {
			return i, true
		}
		seen[e.ID] = struct{}{}
	}
	return 0, false
}

func describeExpected(e domain.ExpectedVersion) string {
	switch e {
	case domain.NoStream:
		return "no stream"
	case domain.AnyVersion:
		return "any"
	}
	return strconv.FormatInt(int64(e), 10)
}

func describeVersion(v int64) string {
	if v < 0 {
		return "no stream"
	}
	return strconv.FormatInt(v, 10)
}
