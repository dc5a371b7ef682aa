package memstore

import (
	"context"
	"slices"

	"carecost/domain"
)

// Import implements domain.Importer: events go in at the times given, in
// the order given, all or nothing; the stored events they begin with are
// skipped.
func (s *Store) Import(_ context.Context, evs []domain.ImportEvent) (domain.ImportResult, error) {
	if err := domain.CheckImport(evs); err != nil {
		return domain.ImportResult{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return domain.ImportResult{}, domain.ErrClosed
	}
	var res domain.ImportResult
	skip, err := s.stored(evs, &res)
	if err != nil {
		return domain.ImportResult{}, err
	}
	rest := evs[skip:]
	if len(rest) == 0 {
		return res, nil
	}
	// Every check before the first write.
	heads := map[string]int64{}
	last := s.lastRecorded()
	for i, e := range rest {
		if _, taken := s.index[e.ID]; taken {
			return domain.ImportResult{}, domain.ErrConcurrency
		}
		v, ok := heads[e.Stream]
		if !ok {
			if v, ok = s.versions[e.Stream]; !ok {
				v = -1
			}
		}
		if e.Expected != domain.AnyVersion && int64(e.Expected) != v {
			return domain.ImportResult{}, domain.ErrConcurrency
		}
		heads[e.Stream] = v + 1
		if at := e.RecordedAt.UTC(); at.Before(last) {
			return domain.ImportResult{}, domain.ImportTimeError(skip+i, at, last)
		}
	}
	for _, e := range rest {
		r := s.put(domain.RecordedEvent{ID: e.ID, Stream: e.Stream, Type: e.Type, Version: uint64(s.head(e.Stream) + 1),
			Data: slices.Clone(e.Data), Metadata: slices.Clone(e.Metadata), RecordedAt: e.RecordedAt.UTC().Round(0)})
		s.byID[e.ID] = appended{stream: e.Stream, ids: []string{e.ID}, res: r}
		res.Imported++
		res.Position = r.Position
	}
	s.woken()
	return res, nil
}

// stored counts the events evs begins with that the log holds already, the
// same events at the same place, and notes them in res.
func (s *Store) stored(evs []domain.ImportEvent, res *domain.ImportResult) (int, error) {
	for i, e := range evs {
		at, ok := s.index[e.ID]
		if !ok {
			return i, nil
		}
		had := s.events[at]
		if had.Stream != e.Stream || had.Type != e.Type || !had.RecordedAt.Equal(e.RecordedAt) ||
			(e.Expected != domain.AnyVersion && int64(had.Version) != int64(e.Expected)+1) {
			return 0, domain.ErrConcurrency
		}
		res.Skipped++
		res.Position = had.Position
	}
	return len(evs), nil
}

// head returns the version of the stream's last event, -1 when it has none.
func (s *Store) head(stream string) int64 {
	if v, ok := s.versions[stream]; ok {
		return v
	}
	return -1
}
