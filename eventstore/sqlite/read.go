package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"time"

	"carecost/domain"
)

const eventColumns = "position, event_id, stream, version, type, data, metadata, recorded_at"

// readers holds the statements of the read-only pool.
type readers struct {
	stream     *sql.Stmt
	streamFrom *sql.Stmt
	all        *sql.Stmt
	head       *sql.Stmt
}

func newReaders(ctx context.Context, db *sql.DB) (*readers, error) {
	rd := &readers{}
	if err := prepareAll(ctx, db, rd.statements()); err != nil {
		return nil, err
	}
	return rd, nil
}

func (rd *readers) statements() []statement {
	return []statement{
		{&rd.stream, "SELECT " + eventColumns + " FROM events WHERE stream = ? AND version >= ? AND position <= ? ORDER BY version LIMIT ?"},
		{&rd.streamFrom, "SELECT position FROM events WHERE stream = ? AND version = 0"},
		{&rd.all, "SELECT " + eventColumns + " FROM events WHERE position > ? AND position <= ? ORDER BY position LIMIT ?"},
		{&rd.head, "SELECT coalesce(max(position), 0) FROM events"},
	}
}

func (rd *readers) close() error { return closeAll(rd.statements()) }

// ReadStream returns the events of stream in version order, from version
// opts.From, at most opts.Limit of them (0: all), and only those at or before
// opts.AsOf when it is not zero. A stream without events (up to opts.AsOf)
// gives a wrapped domain.ErrStreamNotFound; a stream that has events, but
// none from opts.From, gives an empty slice.
func (s *Store) ReadStream(ctx context.Context, stream string, opts domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	op := fmt.Sprintf("read stream %q", stream)
	if s.closed.Load() {
		return nil, errClosed(op)
	}
	if opts.Limit < 0 {
		return nil, fmt.Errorf("sqlite: %s: %w", op, domain.Invalidf("limit", "%d is negative", opts.Limit))
	}
	if head, ok := s.heads.get(stream); ok && opts.AsOf.IsZero() && opts.From > head {
		return []domain.RecordedEvent{}, nil // past the end of a stream we know
	}
	events, err := s.readStream(ctx, s.rd.stream, stream, opts)
	if err != nil {
		return nil, s.readErr(op, err)
	}
	if len(events) > 0 {
		s.heads.raise(stream, events[len(events)-1].Version)
		return events, nil
	}
	// Nothing to return: read again, and look for the stream's start, in one
	// snapshot, so a stream created between two reads is not half seen.
	events, found, err := s.readStreamOrStart(ctx, stream, opts)
	switch {
	case err != nil:
		return nil, s.readErr(op, err)
	case !found:
		return nil, fmt.Errorf("sqlite: %s: %w", op, domain.ErrStreamNotFound)
	}
	return events, nil
}

func (s *Store) readStream(ctx context.Context, st *sql.Stmt, stream string, opts domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	rows, err := st.QueryContext(ctx, stream, clamp(opts.From), asOf(opts.AsOf), limit(opts.Limit))
	if err != nil {
		return nil, err
	}
	return scanEvents(rows, nil)
}

// readStreamOrStart reads the stream and whether it had begun by opts.AsOf,
// both in one read transaction.
func (s *Store) readStreamOrStart(ctx context.Context, stream string, opts domain.ReadStreamOptions) ([]domain.RecordedEvent, bool, error) {
	tx, err := s.rdb.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, false, err
	}
	defer tx.Rollback()
	events, err := s.readStream(ctx, tx.StmtContext(ctx, s.rd.stream), stream, opts)
	if err != nil || len(events) > 0 {
		return events, true, err
	}
	var first int64
	err = tx.StmtContext(ctx, s.rd.streamFrom).QueryRowContext(ctx, stream).Scan(&first)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	}
	return events, first <= asOf(opts.AsOf), nil
}

// ReadAll returns events of the global log in position order: strictly
// after opts.After, at most opts.Limit of them (0: all), and only those at or
// before opts.AsOf when it is not zero.
func (s *Store) ReadAll(ctx context.Context, opts domain.ReadAllOptions) ([]domain.RecordedEvent, error) {
	if s.closed.Load() {
		return nil, errClosed("read all")
	}
	if opts.Limit < 0 {
		return nil, fmt.Errorf("sqlite: read all: %w", domain.Invalidf("limit", "%d is negative", opts.Limit))
	}
	events, err := s.readAll(ctx, opts.After.Commit, asOf(opts.AsOf), opts.Limit, nil)
	if err != nil {
		return nil, s.readErr("read all", err)
	}
	return events, nil
}

// readAll appends to buf the events after position after, up to position
// upTo, at most n of them (0: all), through a connection of the raw pool
// (raw.go).
func (s *Store) readAll(ctx context.Context, after uint64, upTo int64, n int, buf []domain.RecordedEvent) ([]domain.RecordedEvent, error) {
	r, err := s.raw.get()
	if err != nil {
		return buf, err
	}
	if n > 0 && cap(buf) == 0 {
		buf = make([]domain.RecordedEvent, 0, min(n, 1<<16))
	}
	buf, err = r.page(ctx, clamp(after), upTo, limit(n), buf)
	if err != nil {
		r.close()
		return buf, err
	}
	s.raw.put(r)
	return buf, nil
}

// scanEvents appends the rows to buf and closes them. The bytes of a page
// are copied into one arena, and the stream and type names repeated along
// a page are shared, so a long read allocates little per event.
func scanEvents(rows *sql.Rows, buf []domain.RecordedEvent) ([]domain.RecordedEvent, error) {
	defer rows.Close()
	var pos, version, at int64
	var id, stream, typ, data, meta sql.RawBytes
	var arena []byte
	names := map[string]string{}
	for rows.Next() {
		if err := rows.Scan(&pos, &id, &stream, &version, &typ, &data, &meta, &at); err != nil {
			return buf, err
		}
		if cap(arena)-len(arena) < len(data)+len(meta) {
			arena = make([]byte, 0, max(1<<16, len(data)+len(meta)))
		}
		e := domain.RecordedEvent{ID: string(id), Stream: intern(names, stream), Type: intern(names, typ),
			Position: domain.SeqPosition(uint64(pos)), Version: uint64(version), RecordedAt: recordedAt(at)}
		start := len(arena)
		arena = append(arena, data...)
		e.Data = arena[start:len(arena):len(arena)]
		arena = append(arena, meta...)
		e.Metadata = arena[start+len(data) : len(arena) : len(arena)]
		buf = append(buf, e)
	}
	return buf, rows.Err()
}

// intern returns b as a string, shared with earlier equal ones.
func intern(names map[string]string, b []byte) string {
	if s, ok := names[string(b)]; ok {
		return s
	}
	s := string(b)
	names[s] = s
	return s
}

// asOf is the highest position a read may return: p, or every position when
// p is zero.
func asOf(p domain.Position) int64 {
	if p.IsZero() {
		return math.MaxInt64
	}
	return clamp(p.Commit)
}

// clamp converts u to the int64 SQLite stores, saturating.
func clamp(u uint64) int64 {
	if u > math.MaxInt64 {
		return math.MaxInt64
	}
	return int64(u)
}

// limit is the SQL LIMIT for n: -1 (none) when n is 0.
func limit(n int) int64 {
	if n <= 0 {
		return -1
	}
	return int64(n)
}

// recordedAt turns a stored recorded_at (Unix nanoseconds) into the time
// reads and append results give.
func recordedAt(nanos int64) time.Time { return time.Unix(0, nanos).UTC() }
