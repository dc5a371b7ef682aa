package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"carecost/domain"
)

var _ domain.Importer = (*Store)(nil)

// Import implements domain.Importer: the events go in at the times given,
// in the order given, in one transaction; the stored events they begin
// with (an earlier import of the same log) are skipped. The writer
// goroutine runs it like an append, so it is serialised with every other
// write; appends after it are recorded at its last time or later.
func (s *Store) Import(ctx context.Context, events []domain.ImportEvent) (domain.ImportResult, error) {
	if err := domain.CheckImport(events); err != nil {
		return domain.ImportResult{}, fmt.Errorf("sqlite: import: %w", err)
	}
	if s.closed.Load() {
		return domain.ImportResult{}, errClosed("import")
	}
	if err := ctx.Err(); err != nil {
		return domain.ImportResult{}, fmt.Errorf("sqlite: import: %w", err)
	}
	r := requests.Get().(*request)
	r.ctx, r.stream, r.expected, r.events, r.imports, r.out = ctx, "", 0, nil, events, result{}
	out, err := s.send(ctx, r)
	return out.imp, err
}

// importEvents writes an import's events. Like a conflicting append, a
// refused import writes nothing and leaves the batch usable; any other
// failure is stored in b.err and aborts the batch. It returns the streams
// it wrote with their last versions.
func (b *batch) importEvents(ctx context.Context, evs []domain.ImportEvent) (domain.ImportResult, map[string]int64, error) {
	var res domain.ImportResult
	skip, err := b.storedPrefix(ctx, evs, &res)
	if err != nil {
		return domain.ImportResult{}, nil, err
	}
	rest := evs[skip:]
	if len(rest) == 0 {
		return res, nil, nil
	}
	last := b.w.lastTime
	if b.wrote {
		last = b.lastAt
	}
	heads := map[string]int64{}
	versions := make([]int64, len(rest))
	for i, e := range rest {
		if at := e.RecordedAt.UnixNano(); at < last {
			return domain.ImportResult{}, nil, domain.ImportTimeError(skip+i, e.RecordedAt, recordedAt(last))
		}
		v, ok := heads[e.Stream]
		if !ok {
			if v, err = b.head(ctx, e.Stream); err != nil {
				b.err = err
				return domain.ImportResult{}, nil, err
			}
		}
		if !expectedMatches(e.Expected, v) {
			return domain.ImportResult{}, nil, fmt.Errorf("sqlite: import: event %d to %q: expected version %s, stream is at %s: %w",
				skip+i, e.Stream, describeExpected(e.Expected), describeVersion(v), domain.ErrConcurrency)
		}
		versions[i], heads[e.Stream] = v+1, v+1
	}
	pos, err := b.insertImported(ctx, rest, versions)
	if err != nil {
		return domain.ImportResult{}, nil, err
	}
	for stream, v := range heads {
		b.w.heads[stream] = v
	}
	b.last, b.lastAt, b.wrote = pos, rest[len(rest)-1].RecordedAt.UnixNano(), true
	b.now = max(b.now, b.lastAt)
	res.Imported, res.Position = len(rest), domain.SeqPosition(uint64(pos))
	return res, heads, nil
}

// insertImported inserts evs at versions, in a savepoint, and returns the
// position of the last. A taken event id undoes them all and is a conflict.
func (b *batch) insertImported(ctx context.Context, evs []domain.ImportEvent, versions []int64) (int64, error) {
	if _, err := b.w.conn.ExecContext(ctx, "SAVEPOINT import"); err != nil {
		b.err = err
		return 0, err
	}
	var pos int64
	for i := range evs {
		e := &evs[i]
		res, err := b.w.insert.ExecContext(ctx, e.ID, e.Stream, versions[i], e.Type, blob(e.Data), blob(e.Metadata), e.RecordedAt.UnixNano())
		if err == nil {
			pos, err = res.LastInsertId()
		}
		if err != nil {
			_, e1 := b.w.conn.ExecContext(ctx, "ROLLBACK TO import")
			_, e2 := b.w.conn.ExecContext(ctx, "RELEASE import")
			if e := errors.Join(e1, e2); e != nil || !isConstraint(err) {
				b.err = errors.Join(err, e)
				return 0, b.err
			}
			return 0, fmt.Errorf("sqlite: import: event %s: its id or its version of %q is taken: %w", e.ID, e.Stream, domain.ErrConcurrency)
		}
	}
	if _, err := b.w.conn.ExecContext(ctx, "RELEASE import"); err != nil {
		b.err = err
		return 0, err
	}
	return pos, nil
}

// storedPrefix counts the events evs begins with that the log holds
// already, the same events at the same place, and notes them in res. An id
// stored as another event is a conflict.
func (b *batch) storedPrefix(ctx context.Context, evs []domain.ImportEvent, res *domain.ImportResult) (int, error) {
	for i, e := range evs {
		var pos, v, at int64
		var stream, typ string
		err := b.w.findEvent.QueryRowContext(ctx, e.ID).Scan(&pos, &stream, &v, &typ, &at)
		if errors.Is(err, sql.ErrNoRows) {
			return i, nil
		}
		if err != nil {
			b.err = err
			return 0, err
		}
		if stream != e.Stream || typ != e.Type || at != e.RecordedAt.UnixNano() ||
			(e.Expected != domain.AnyVersion && v != int64(e.Expected)+1) {
			return 0, fmt.Errorf("sqlite: import: event %d: id %s is stored as another event (%s version %d): %w",
				i, e.ID, stream, v, domain.ErrConcurrency)
		}
		res.Skipped++
		res.Position = domain.SeqPosition(uint64(pos))
	}
	return len(evs), nil
}
