package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"carecost/domain"
)

// published is a row of published_versions.
type published struct {
	version, corrects int
	validFrom         domain.Date
	note, by          string
	recordedAt        time.Time
	pos               domain.Position
}

const publishedColumns = `version, corrects, valid_from, note, published_by, recorded_at, commit_pos, prepare_pos`

func scanPublished(s scanner) (published, error) {
	var p published
	var from string
	var at int64
	err := s.Scan(&p.version, &p.corrects, &from, &p.note, &p.by, &at, &p.pos.Commit, &p.pos.Prepare)
	p.validFrom, p.recordedAt = parseDate(from), time.Unix(0, at).UTC()
	return p, err
}

// PriceAt answers: what did a service in a production mode cost on a valid
// date, as known at a log position or a time (both zero: as known now). It
// takes the version in effect on that date among the versions published by
// then, and that version's entry.
func (h *PriceHistory) PriceAt(ctx context.Context, q PriceQuery) (PricePoint, error) {
	cond, args := `kind = 'tariff' AND id = ? AND valid_from <= ?`, []any{q.TariffID, q.ValidAt.String()}
	if !q.KnownAt.IsZero() {
		cond += ` AND (commit_pos < ? OR (commit_pos = ? AND prepare_pos <= ?))`
		args = append(args, q.KnownAt.Commit, q.KnownAt.Commit, q.KnownAt.Prepare)
	}
	if !q.KnownAtTime.IsZero() {
		cond += ` AND recorded_at <= ?`
		args = append(args, q.KnownAtTime.UnixNano())
	}
	p, err := scanPublished(h.db.r.QueryRowContext(ctx, `SELECT `+publishedColumns+` FROM published_versions WHERE `+cond+`
		ORDER BY valid_from DESC, commit_pos DESC, prepare_pos DESC LIMIT 1`, args...))
	if err == sql.ErrNoRows {
		return PricePoint{}, &domain.Error{Code: domain.ENotFound, Message: fmt.Sprintf("tariff %s had no version in effect on %s as known then", q.TariffID, q.ValidAt)}
	}
	if err != nil {
		return PricePoint{}, fmt.Errorf("projections: price at: %w", err)
	}
	var body string
	err = h.db.r.QueryRowContext(ctx, `SELECT entry FROM published_entries WHERE tariff_id = ? AND version = ? AND service = ? AND mode = ?`,
		q.TariffID, p.version, q.Service, string(q.Mode)).Scan(&body)
	if err == sql.ErrNoRows {
		return PricePoint{}, &domain.Error{Code: domain.ENotFound, Message: fmt.Sprintf("version %d of tariff %s has no price for %s as %s", p.version, q.TariffID, q.Service, q.Mode)}
	}
	if err != nil {
		return PricePoint{}, fmt.Errorf("projections: price at: %w", err)
	}
	pt := PricePoint{TariffID: q.TariffID, Version: p.version, ValidFrom: p.validFrom, Corrects: p.corrects, RecordedAt: p.recordedAt, Position: p.pos}
	return pt, json.Unmarshal([]byte(body), &pt.Entry)
}

// TariffChanges returns a tariff's publications in the order they were
// recorded, each with the version it replaced on its valid-from (as known
// just before it) and how each entry changed.
func (h *PriceHistory) TariffChanges(ctx context.Context, tariffID string) ([]TariffChange, error) {
	rows, err := h.db.r.QueryContext(ctx, `SELECT `+publishedColumns+` FROM published_versions WHERE kind = 'tariff' AND id = ?
		ORDER BY commit_pos, prepare_pos`, tariffID)
	if err != nil {
		return nil, fmt.Errorf("projections: tariff changes: %w", err)
	}
	var pubs []published
	for rows.Next() {
		p, err := scanPublished(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		pubs = append(pubs, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	entries, err := h.entries(ctx, tariffID)
	if err != nil {
		return nil, err
	}
	out := []TariffChange{}
	for i, p := range pubs {
		c := TariffChange{Version: p.version, ValidFrom: p.validFrom, Corrects: p.corrects, Note: p.note, PublishedAt: p.recordedAt, PublishedBy: p.by, Position: p.pos}
		c.Replaces = inEffect(pubs[:i], p.validFrom)
		c.Changes = diffEntries(entries[c.Replaces], entries[p.version])
		out = append(out, c)
	}
	return out, nil
}

// inEffect returns the version in effect on d among pubs (0: none).
func inEffect(pubs []published, d domain.Date) int {
	best := -1
	for i, p := range pubs {
		if !p.validFrom.After(d) && (best < 0 || !p.validFrom.Before(pubs[best].validFrom)) {
			best = i
		}
	}
	if best < 0 {
		return 0
	}
	return pubs[best].version
}

// entries returns the entries of every published version of a tariff.
func (h *PriceHistory) entries(ctx context.Context, tariffID string) (map[int]map[domain.EntryKey]domain.Entry, error) {
	rows, err := h.db.r.QueryContext(ctx, `SELECT version, entry FROM published_entries WHERE tariff_id = ?`, tariffID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]map[domain.EntryKey]domain.Entry{}
	for rows.Next() {
		var v int
		var body string
		var e domain.Entry
		if err := rows.Scan(&v, &body); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(body), &e); err != nil {
			return nil, err
		}
		if out[v] == nil {
			out[v] = map[domain.EntryKey]domain.Entry{}
		}
		out[v][e.Key()] = e
	}
	return out, rows.Err()
}

// diffEntries lists the entries that differ between two versions.
func diffEntries(before, after map[domain.EntryKey]domain.Entry) []EntryChange {
	out := []EntryChange{}
	for k, a := range after {
		if b, ok := before[k]; !ok || !reflect.DeepEqual(a, b) {
			c := EntryChange{Service: k.Service, Mode: k.Mode, After: &a}
			if ok {
				c.Before = &b
			}
			out = append(out, c)
		}
	}
	for k, b := range before {
		if _, ok := after[k]; !ok {
			out = append(out, EntryChange{Service: k.Service, Mode: k.Mode, Before: &b})
		}
	}
	sortChanges(out)
	return out
}
