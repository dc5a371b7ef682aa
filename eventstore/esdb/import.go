package esdb

import (
	"context"
	"errors"
	"fmt"

	kdb "github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"

	"carecost/domain"
)

var _ domain.Importer = (*Store)(nil)

// Import implements domain.Importer on a server that stamps events with its
// own time: each event's recorded time travels in its user metadata
// (meta.go), and every read returns it as RecordedAt, with the metadata
// given.
//
// Before it writes, Import checks the whole call: the events it begins with
// that are stored already (the same id at the version of the stream they
// were given, with the same type and recorded time) are skipped; for the
// others, every stream must be at the version given, an event given
// AnyVersion must not be in its stream already, and no time may be before
// the recorded time of the application's last event in the log (as a read
// returns it). Any of these refused, nothing is written.
//
// It then writes stream by stream: the consecutive events of one stream go
// in one append, at the expected version of the first. The server has no
// transaction across streams, so a call that fails part-way (the server
// down, or another writer in a stream) has written the appends before the
// one that failed: a prefix of the call, which the same call run again
// skips before it writes the rest. The result then counts what was written.
//
// The server knows an event id only in the stream it was written to: an id
// stored in another stream than the one given is not found, and a real
// server writes it again (the test server refuses it as a conflict).
func (s *Store) Import(ctx context.Context, events []domain.ImportEvent) (domain.ImportResult, error) {
	const op = "import"
	if err := domain.CheckImport(events); err != nil {
		return domain.ImportResult{}, fmt.Errorf("esdb: import: %w", err)
	}
	data := make([]kdb.EventData, len(events))
	for i, e := range events {
		id, err := uuid.Parse(e.ID)
		if err != nil || id.String() != e.ID {
			return domain.ImportResult{}, domain.Invalidf(fmt.Sprintf("events[%d].id", i), "%q is not a UUID in lower-case text form", e.ID)
		}
		data[i] = kdb.EventData{EventID: id, EventType: e.Type, ContentType: kdb.ContentTypeJson, Data: e.Data, Metadata: withTime(e.Metadata, e.RecordedAt)}
	}
	c, err := s.get(op)
	if err != nil {
		return domain.ImportResult{}, err
	}
	var res domain.ImportResult
	skip, err := s.storedPrefix(ctx, c, events, &res)
	if err != nil {
		return domain.ImportResult{}, err
	}
	rest := events[skip:]
	if len(rest) == 0 {
		return res, nil
	}
	if err := s.checkImport(ctx, c, rest, skip); err != nil {
		return domain.ImportResult{}, err
	}
	var lastStream string
	var lastVersion uint64
	for start := 0; start < len(rest); {
		end := start + 1
		for end < len(rest) && rest[end].Stream == rest[start].Stream {
			end++
		}
		stream := rest[start].Stream
		cctx, cancel := context.WithTimeout(ctx, s.cfg.timeout)
		wr, err := c.AppendToStream(cctx, stream, kdb.AppendToStreamOptions{ExpectedRevision: revision(rest[start].Expected), Deadline: &s.cfg.timeout}, data[skip+start:skip+end]...)
		cancel()
		s.failed(c, err)
		if err != nil {
			err = s.wrap(ctx, op, err)
			if skip+start > 0 {
				err = fmt.Errorf("%w (events 0 to %d of the call are stored; the same call again writes the rest)", err, skip+start-1)
			}
			return res, err
		}
		res.Imported += end - start
		lastStream, lastVersion = stream, wr.NextExpectedVersion
		start = end
	}
	last, err := s.readStreamPage(ctx, c, lastStream, lastVersion, 1)
	if err != nil {
		return res, err
	}
	if len(last) != 1 || last[0].ID != rest[len(rest)-1].ID {
		return res, fmt.Errorf("esdb: import to %q: %w: the server answered version %d, which could not be read back", lastStream, domain.ErrUnavailable, lastVersion)
	}
	res.Position = last[0].Position
	return res, nil
}

// storedPrefix counts the events evs begins with that the server holds
// already, each at its place (its stream, at the version after the one
// given; anywhere in its stream when AnyVersion was given) with the same
// type and recorded time, and notes them in res. An event at its place with
// the same id but another type or time is a conflict.
func (s *Store) storedPrefix(ctx context.Context, c *kdb.Client, evs []domain.ImportEvent, res *domain.ImportResult) (int, error) {
	for i, e := range evs {
		got, err := s.atPlace(ctx, c, e)
		if err != nil {
			return 0, err
		}
		if got == nil {
			return i, nil
		}
		if got.Type != e.Type || !got.RecordedAt.Equal(e.RecordedAt) {
			return 0, fmt.Errorf("esdb: import: event %d: id %s is stored as another event (%s version %d, %s recorded at %s): %w",
				i, e.ID, got.Stream, got.Version, got.Type, got.RecordedAt, domain.ErrConcurrency)
		}
		res.Skipped++
		res.Position = got.Position
	}
	return len(evs), nil
}

// atPlace returns the event with e's id at e's place, or nil.
func (s *Store) atPlace(ctx context.Context, c *kdb.Client, e domain.ImportEvent) (*domain.RecordedEvent, error) {
	if e.Expected == domain.AnyVersion {
		return s.findInStream(ctx, c, e.Stream, e.ID)
	}
	page, err := s.readStreamPage(ctx, c, e.Stream, uint64(e.Expected+1), 1)
	if errors.Is(err, domain.ErrStreamNotFound) || (err == nil && (len(page) == 0 || page[0].ID != e.ID)) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return &page[0], nil
}

// findInStream returns the event of stream with the given id, or nil.
func (s *Store) findInStream(ctx context.Context, c *kdb.Client, stream, id string) (*domain.RecordedEvent, error) {
	for from := uint64(0); ; {
		page, err := s.readStreamPage(ctx, c, stream, from, s.cfg.page)
		if errors.Is(err, domain.ErrStreamNotFound) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		for i := range page {
			if page[i].ID == id {
				return &page[i], nil
			}
		}
		if uint64(len(page)) < s.cfg.page {
			return nil, nil
		}
		from = page[len(page)-1].Version + 1
	}
}

// checkImport checks the events of an import that are not stored yet
// (events skip and on of the call) before any is written: every stream is
// at the version given, no event given AnyVersion is in its stream already,
// and their times are not before the application's last recorded time.
func (s *Store) checkImport(ctx context.Context, c *kdb.Client, rest []domain.ImportEvent, skip int) error {
	heads := map[string]int64{}
	for i, e := range rest {
		v, ok := heads[e.Stream]
		if !ok {
			var err error
			if v, err = s.streamVersion(ctx, c, e.Stream); err != nil {
				return err
			}
		}
		if !expectedMatches(e.Expected, v) {
			return fmt.Errorf("esdb: import: event %d to %q: expected version %s, the stream is at %s: %w",
				skip+i, e.Stream, describeVersion(int64(e.Expected)), describeVersion(v), domain.ErrConcurrency)
		}
		if e.Expected == domain.AnyVersion {
			got, err := s.findInStream(ctx, c, e.Stream, e.ID)
			if err != nil {
				return err
			}
			if got != nil {
				return fmt.Errorf("esdb: import: event %d: id %s is stored already (%s version %d) after an event of the call that is not, so the order cannot be kept: %w",
					skip+i, e.ID, got.Stream, got.Version, domain.ErrConcurrency)
			}
		}
		heads[e.Stream] = v + 1
	}
	last, err := s.lastEvent(ctx, c, "import")
	if err != nil || last == nil {
		return err
	}
	at := recorded(last).RecordedAt
	for i, e := range rest {
		if e.RecordedAt.Before(at) {
			return domain.ImportTimeError(skip+i, e.RecordedAt, at)
		}
	}
	return nil
}

// streamVersion returns the version of stream's last event, -1 when it has
// none.
func (s *Store) streamVersion(ctx context.Context, c *kdb.Client, stream string) (int64, error) {
	evs, err := s.drain(ctx, c, "import", func(ctx context.Context) (*kdb.ReadStream, error) {
		return c.ReadStream(ctx, stream, kdb.ReadStreamOptions{Direction: kdb.Backwards, From: kdb.End{}}, 1)
	})
	if errors.Is(err, domain.ErrStreamNotFound) {
		return -1, nil
	}
	if err != nil {
		return 0, err
	}
	if len(evs) == 0 {
		return -1, nil
	}
	return int64(evs[0].EventNumber), nil
}

func expectedMatches(e domain.ExpectedVersion, v int64) bool {
	switch e {
	case domain.AnyVersion:
		return true
	case domain.NoStream:
		return v == -1
	}
	return int64(e) == v
}

func describeVersion(v int64) string {
	switch domain.ExpectedVersion(v) {
	case domain.NoStream:
		return "no stream"
	case domain.AnyVersion:
		return "any"
	}
	return fmt.Sprintf("version %d", v)
}
