package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"carecost/domain"
)

// batch is one write transaction of the writer. Requests are applied one
// after the other. The writer's cache of stream heads holds the versions the
// earlier requests produced, so later requests of the same batch check
// against them. Positions are the rowids SQLite gives the inserted rows:
// one more than the largest, so the log has no holes.
type batch struct {
	w      *writer
	now    int64 // recorded_at of the batch's appended events
	last   int64 // position of the last event written
	lastAt int64 // recorded_at of the last event written
	wrote  bool  // at least one event was inserted
	err    error // a failure that aborts the whole batch
}

// apply appends the events of r if the stream is at the expected version.
// A conflict is the caller's alone: it writes nothing and leaves the batch
// usable. Any other failure is stored in b.err and aborts the batch.
func (b *batch) apply(ctx context.Context, r *request) (domain.AppendResult, error) {
	cur, err := b.head(ctx, r.stream)
	if err != nil {
		b.err = err
		return domain.AppendResult{}, err
	}
	if !expectedMatches(r.expected, cur) {
		return b.conflict(ctx, r, cur)
	}
	return b.insert(ctx, r, cur)
}

// head returns the version of the stream's last event, -1 when it has none.
func (b *batch) head(ctx context.Context, stream string) (int64, error) {
	if v, ok := b.w.heads[stream]; ok {
		return v, nil
	}
	var v sql.NullInt64
	if err := b.w.maxVersion.QueryRowContext(ctx, stream).Scan(&v); err != nil {
		return 0, err
	}
	cur := int64(-1)
	if v.Valid {
		cur = v.Int64
	}
	b.w.heads[stream] = cur
	return cur, nil
}

func expectedMatches(e domain.ExpectedVersion, cur int64) bool {
	return e == domain.AnyVersion || int64(e) == cur
}

// insert writes the events of r after version cur. The events of one request
// go in together or not at all: several are wrapped in a savepoint.
func (b *batch) insert(ctx context.Context, r *request, cur int64) (domain.AppendResult, error) {
	multi := len(r.events) > 1
	if multi {
		if _, err := b.w.conn.ExecContext(ctx, "SAVEPOINT request"); err != nil {
			b.err = err
			return domain.AppendResult{}, err
		}
	}
	v, pos := cur, int64(0)
	for i := range r.events {
		e := &r.events[i]
		v++
		res, err := b.w.insert.ExecContext(ctx, e.ID, r.stream, v, e.Type, blob(e.Data), blob(e.Metadata), b.now)
		if err == nil {
			pos, err = res.LastInsertId()
		}
		if err != nil {
			return b.insertFailed(ctx, r, cur, multi, err)
		}
	}
	if multi {
		if _, err := b.w.conn.ExecContext(ctx, "RELEASE request"); err != nil {
			b.err = err
			return domain.AppendResult{}, err
		}
	}
	b.w.heads[r.stream] = v
	b.last, b.lastAt, b.wrote = pos, b.now, true
	return domain.AppendResult{Version: uint64(v), Position: domain.SeqPosition(uint64(pos)), RecordedAt: recordedAt(b.now)}, nil
}

// insertFailed undoes the partial request after a failed insert. A
// constraint violation means an event id is taken: the request is either a
// repeat (its first result is returned) or a conflict.
func (b *batch) insertFailed(ctx context.Context, r *request, cur int64, multi bool, err error) (domain.AppendResult, error) {
	if multi {
		_, e1 := b.w.conn.ExecContext(ctx, "ROLLBACK TO request")
		_, e2 := b.w.conn.ExecContext(ctx, "RELEASE request")
		if e := errors.Join(e1, e2); e != nil {
			b.err = errors.Join(err, e)
			return domain.AppendResult{}, b.err
		}
	}
	if !isConstraint(err) {
		b.err = err
		return domain.AppendResult{}, err
	}
	// The cached head may be stale if another process wrote the stream.
	delete(b.w.heads, r.stream)
	return b.conflict(ctx, r, cur)
}

// conflict returns the first result when r repeats an earlier append, and a
// wrapped domain.ErrConcurrency otherwise.
func (b *batch) conflict(ctx context.Context, r *request, cur int64) (domain.AppendResult, error) {
	res, ok, err := b.repeated(ctx, r)
	switch {
	case err != nil:
		b.err = err
		return domain.AppendResult{}, err
	case ok:
		return res, nil
	}
	return domain.AppendResult{}, fmt.Errorf("sqlite: append to %q: expected version %s, stream is at %s: %w",
		r.stream, describeExpected(r.expected), describeVersion(cur), domain.ErrConcurrency)
}

// repeated reports whether every event of r is already stored, in r's
// stream, at consecutive versions in r's order. It then returns the version
// and position of the last of them: the result of the first append.
func (b *batch) repeated(ctx context.Context, r *request) (domain.AppendResult, bool, error) {
	var pos, first, v, at int64
	var stream string
	for i := range r.events {
		err := b.w.findID.QueryRowContext(ctx, r.events[i].ID).Scan(&pos, &stream, &v, &at)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.AppendResult{}, false, nil
		}
		if err != nil {
			return domain.AppendResult{}, false, err
		}
		if i == 0 {
			first = v
		}
		if stream != r.stream || v != first+int64(i) {
			return domain.AppendResult{}, false, nil
		}
	}
	return domain.AppendResult{Version: uint64(v), Position: domain.SeqPosition(uint64(pos)), RecordedAt: recordedAt(at)}, true, nil
}

// blob stores nil as NULL and anything else as a BLOB.
func blob(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}
