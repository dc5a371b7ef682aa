package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"strings"

	"carecost/domain"
)

// PriceHistory is the bitemporal price-history projection: every published
// version of every tariff and income-limit catalogue with its valid time
// (valid_from) and its recorded time (log position and time of
// publication), and every tariff entry of every published version. It
// answers "what did this service cost on that date, as known at that
// moment", a tariff's change history, and which decisions a later version
// touched.
type PriceHistory struct {
	db *DB
}

// NewPriceHistory returns the price-history projection over db.
func NewPriceHistory(db *DB) *PriceHistory { return &PriceHistory{db: db} }

// Name implements Projection.
func (*PriceHistory) Name() string { return "history" }

// Version implements Projection.
func (*PriceHistory) Version() int { return 1 }

// Schema implements Projection.
func (*PriceHistory) Schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS published_versions (kind TEXT NOT NULL, id TEXT NOT NULL, version INTEGER NOT NULL,
			valid_from TEXT NOT NULL, corrects INTEGER NOT NULL, note TEXT NOT NULL, published_by TEXT NOT NULL,
			recorded_at INTEGER NOT NULL, commit_pos INTEGER NOT NULL, prepare_pos INTEGER NOT NULL,
			PRIMARY KEY (kind, id, version))`,
		`CREATE INDEX IF NOT EXISTS published_valid ON published_versions(kind, id, valid_from, commit_pos, prepare_pos)`,
		`CREATE TABLE IF NOT EXISTS published_entries (tariff_id TEXT NOT NULL, version INTEGER NOT NULL, service TEXT NOT NULL,
			mode TEXT NOT NULL, entry TEXT NOT NULL, PRIMARY KEY (tariff_id, version, service, mode))`,
	}
}

// Reset implements Projection.
func (*PriceHistory) Reset(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []string{"published_versions", "published_entries"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
	}
	return nil
}

// Apply implements Projection.
func (h *PriceHistory) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	for _, r := range events {
		if r.Type != domain.EvTariffVersionPublished && r.Type != domain.EvIncomeVersionPublished {
			continue
		}
		e, err := domain.DecodeEvent(r)
		if err != nil {
			return err
		}
		switch p := e.Payload.(type) {
		case *domain.TariffVersionPublished:
			id := strings.TrimPrefix(r.Stream, "tariff-")
			err = insertPublished(ctx, tx, "tariff", id, p.Version, p.ValidFrom, p.Corrects, p.Note, e)
			if err == nil {
				err = insertEntries(ctx, tx, id, p.Version, p.Entries)
			}
		case *domain.IncomeVersionPublished:
			err = insertPublished(ctx, tx, "income_catalogue", strings.TrimPrefix(r.Stream, "incometable-"), p.Version, p.ValidFrom, p.Corrects, p.Note, e)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func insertPublished(ctx context.Context, tx *sql.Tx, kind, id string, version int, from domain.Date, corrects int, note string, e domain.Event) error {
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO published_versions (kind, id, version, valid_from, corrects, note,
		published_by, recorded_at, commit_pos, prepare_pos) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		kind, id, version, from.String(), corrects, note, e.Meta.ActorID, e.RecordedAt.UnixNano(), e.Position.Commit, e.Position.Prepare)
	return err
}

func insertEntries(ctx context.Context, tx *sql.Tx, id string, version int, entries []domain.Entry) error {
	for _, en := range entries {
		body, _ := json.Marshal(en)
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO published_entries (tariff_id, version, service, mode, entry)
			VALUES (?, ?, ?, ?, ?)`, id, version, en.Service, string(en.Mode), string(body)); err != nil {
			return err
		}
	}
	return nil
}

func sortChanges(cs []EntryChange) {
	slices.SortFunc(cs, func(a, b EntryChange) int {
		if c := strings.Compare(a.Service, b.Service); c != 0 {
			return c
		}
		return strings.Compare(string(a.Mode), string(b.Mode))
	})
}

// Wants implements Filter: publications of tariff and income-limit versions.
func (*PriceHistory) Wants(e domain.RecordedEvent) bool {
	return e.Type == domain.EvTariffVersionPublished || e.Type == domain.EvIncomeVersionPublished
}
