package esdb

import (
	"context"
	"errors"
	"io"
	"strings"

	kdb "github.com/EventStore/EventStore-Client-Go/v4/esdb"

	"carecost/domain"
)

// ours reports whether e is one of the application's events: its type has
// the store's prefix, and it is no system event.
func (s *Store) ours(e *kdb.RecordedEvent) bool {
	return e != nil && !strings.HasPrefix(e.EventType, "$") && strings.HasPrefix(e.EventType, s.cfg.prefix)
}

func position(p kdb.Position) domain.Position {
	return domain.Position{Commit: p.Commit, Prepare: p.Prepare}
}

// recorded is e as the port returns it; an imported event's recorded time
// and metadata come out of its user metadata (meta.go).
func recorded(e *kdb.RecordedEvent) domain.RecordedEvent {
	meta, at := e.UserMetadata, e.CreatedDate
	if m, t, ok := splitTime(meta); ok {
		meta, at = m, t
	}
	return domain.RecordedEvent{
		ID:         e.EventID.String(),
		Stream:     e.StreamID,
		Type:       e.EventType,
		Version:    e.EventNumber,
		Position:   position(e.Position),
		Data:       e.Data,
		Metadata:   meta,
		RecordedAt: at,
	}
}

// drain reads rs to its end, within the store's deadline.
func (s *Store) drain(ctx context.Context, c *kdb.Client, op string, open func(context.Context) (*kdb.ReadStream, error)) ([]*kdb.RecordedEvent, error) {
	cctx, cancel := context.WithTimeout(ctx, s.cfg.timeout)
	defer cancel()
	rs, err := open(cctx)
	if err != nil {
		s.failed(c, err)
		return nil, s.wrap(ctx, op, err)
	}
	defer rs.Close()
	var out []*kdb.RecordedEvent
	for {
		e, err := rs.Recv()
		if errors.Is(err, io.EOF) {
			s.failed(c, nil)
			return out, nil
		}
		if err != nil {
			s.failed(c, err)
			return nil, s.wrap(ctx, op, err)
		}
		if e.Event != nil {
			out = append(out, e.Event)
		}
	}
}

// readStreamPage reads up to n events of stream from version from.
func (s *Store) readStreamPage(ctx context.Context, c *kdb.Client, stream string, from, n uint64) ([]domain.RecordedEvent, error) {
	evs, err := s.drain(ctx, c, "read stream", func(ctx context.Context) (*kdb.ReadStream, error) {
		return c.ReadStream(ctx, stream, kdb.ReadStreamOptions{Direction: kdb.Forwards, From: kdb.Revision(from)}, n)
	})
	if err != nil {
		return nil, err
	}
	out := make([]domain.RecordedEvent, len(evs))
	for i, e := range evs {
		out[i] = recorded(e)
	}
	return out, nil
}

// ReadStream returns the stream's events from opts.From in version order, at
// most opts.Limit, and with opts.AsOf only those at or before it.
func (s *Store) ReadStream(ctx context.Context, stream string, opts domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	if opts.Limit < 0 {
		return nil, domain.Invalidf("limit", "%d is not a limit", opts.Limit)
	}
	c, err := s.get("read stream")
	if err != nil {
		return nil, err
	}
	var out []domain.RecordedEvent
	from := opts.From
	for {
		n := s.cfg.page
		if opts.Limit > 0 {
			n = min(n, uint64(opts.Limit-len(out)))
		}
		page, err := s.readStreamPage(ctx, c, stream, from, n)
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			if !opts.AsOf.IsZero() && opts.AsOf.Less(e.Position) {
				return s.asOf(ctx, c, stream, opts, out)
			}
			out = append(out, e)
		}
		if uint64(len(page)) < n || (opts.Limit > 0 && len(out) >= opts.Limit) {
			return s.asOf(ctx, c, stream, opts, out)
		}
		from = page[len(page)-1].Version + 1
	}
}

// asOf returns out, or ErrStreamNotFound when nothing was read as of a
// position the stream had not begun at.
func (s *Store) asOf(ctx context.Context, c *kdb.Client, stream string, opts domain.ReadStreamOptions, out []domain.RecordedEvent) ([]domain.RecordedEvent, error) {
	if len(out) > 0 || opts.AsOf.IsZero() {
		return out, nil
	}
	first, err := s.readStreamPage(ctx, c, stream, 0, 1)
	if err != nil {
		return nil, err
	}
	if len(first) == 0 || opts.AsOf.Less(first[0].Position) {
		return nil, errNotFound(stream)
	}
	return out, nil
}

func errNotFound(stream string) error {
	return errors.Join(domain.ErrStreamNotFound, errors.New("esdb: stream "+stream+" has no events as of then"))
}

// ReadAll returns the application's events of $all strictly after
// opts.After (reads of $all include their start position, so the event
// there is skipped), at most opts.Limit, and with opts.AsOf only those at
// or before it.
func (s *Store) ReadAll(ctx context.Context, opts domain.ReadAllOptions) ([]domain.RecordedEvent, error) {
	out, _, err := s.ReadAllProgress(ctx, opts)
	return out, err
}

// ReadAllProgress is ReadAll, and also returns the last position of $all
// it looked at (domain.ProgressReader): reads of $all have no server-side
// filter, so the adapter sees every event it passes over, and that
// position is one it read.
func (s *Store) ReadAllProgress(ctx context.Context, opts domain.ReadAllOptions) ([]domain.RecordedEvent, domain.Position, error) {
	if opts.Limit < 0 {
		return nil, domain.Position{}, domain.Invalidf("limit", "%d is not a limit", opts.Limit)
	}
	c, err := s.get("read all")
	if err != nil {
		return nil, domain.Position{}, err
	}
	var out []domain.RecordedEvent
	cursor := opts.After // the last position looked at
	for {
		var from kdb.AllPosition = kdb.Start{}
		if !cursor.IsZero() {
			from = kdb.Position{Commit: cursor.Commit, Prepare: cursor.Prepare}
		}
		page, err := s.drain(ctx, c, "read all", func(ctx context.Context) (*kdb.ReadStream, error) {
			return c.ReadAll(ctx, kdb.ReadAllOptions{Direction: kdb.Forwards, From: from}, s.cfg.page)
		})
		if err != nil {
			return nil, domain.Position{}, err
		}
		moved := false
		for _, e := range page {
			p := position(e.Position)
			if !cursor.Less(p) && !(cursor.IsZero() && p.IsZero()) {
				continue // the start position itself, or before it
			}
			if !opts.AsOf.IsZero() && opts.AsOf.Less(p) {
				return out, cursor, nil
			}
			cursor, moved = p, true
			if s.ours(e) {
				out = append(out, recorded(e))
				if opts.Limit > 0 && len(out) == opts.Limit {
					return out, cursor, nil
				}
			}
		}
		if uint64(len(page)) < s.cfg.page || !moved {
			return out, cursor, nil
		}
	}
}

// Head returns the position of the application's last event in $all, read
// backwards from the end past system and other applications' events.
func (s *Store) Head(ctx context.Context) (domain.Position, error) {
	c, err := s.get("head")
	if err != nil {
		return domain.Position{}, err
	}
	return s.head(ctx, c)
}

// lastEvent returns the application's last event in $all (nil when there
// is none), read backwards from the end.
func (s *Store) lastEvent(ctx context.Context, c *kdb.Client, op string) (*kdb.RecordedEvent, error) {
	var from kdb.AllPosition = kdb.End{}
	var cursor domain.Position
	for {
		page, err := s.drain(ctx, c, op, func(ctx context.Context) (*kdb.ReadStream, error) {
			return c.ReadAll(ctx, kdb.ReadAllOptions{Direction: kdb.Backwards, From: from}, s.cfg.page)
		})
		if err != nil {
			return nil, err
		}
		moved := false
		for _, e := range page {
			p := position(e.Position)
			if !cursor.IsZero() && !p.Less(cursor) {
				continue
			}
			cursor, moved = p, true
			if s.ours(e) {
				return e, nil
			}
		}
		if uint64(len(page)) < s.cfg.page || !moved {
			return nil, nil
		}
		from = kdb.Position{Commit: cursor.Commit, Prepare: cursor.Prepare}
	}
}
