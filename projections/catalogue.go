package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"carecost/domain"
)

// CatalogueViews is the catalogue-views projection: the services, and every
// tariff and income-limit catalogue with all their versions (drafts and
// withdrawn ones included), as the admin console shows them. It folds the
// catalogue streams into aggregates kept in memory (loaded from the log on
// first use) and rewrites the rows of each aggregate a batch touched.
type CatalogueViews struct {
	db    *DB
	store domain.EventStore
	cache map[string]folder // by stream
}

// folder is an aggregate a read model keeps in memory.
type folder interface {
	Fold(domain.Event)
	StreamVersion() int64
}

// NewCatalogueViews returns the catalogue projection over db and the store.
func NewCatalogueViews(db *DB, store domain.EventStore) *CatalogueViews {
	return &CatalogueViews{db: db, store: store, cache: map[string]folder{}}
}

// Name implements Projection.
func (*CatalogueViews) Name() string { return "catalogue" }

// Version implements Projection.
func (*CatalogueViews) Version() int { return 1 }

// Schema implements Projection.
func (*CatalogueViews) Schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS services (id TEXT PRIMARY KEY, body TEXT NOT NULL, retired INTEGER NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS tariffs (id TEXT PRIMARY KEY, body TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS income_catalogues (id TEXT PRIMARY KEY, body TEXT NOT NULL)`,
	}
}

// Reset implements Projection.
func (c *CatalogueViews) Reset(ctx context.Context, tx *sql.Tx) error {
	c.cache = map[string]folder{}
	for _, t := range []string{"services", "tariffs", "income_catalogues"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
	}
	return nil
}

// Apply implements Projection.
func (c *CatalogueViews) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	touched := map[string]folder{}
	var order []string
	for _, r := range events {
		a, err := c.aggregate(ctx, r)
		if err != nil {
			return err
		}
		if a == nil {
			continue
		}
		if r.Version > uint64(a.StreamVersion()) || a.StreamVersion() < 0 {
			e, err := domain.DecodeEvent(r)
			if err != nil {
				return err
			}
			a.Fold(e)
		}
		if touched[r.Stream] == nil {
			order = append(order, r.Stream)
		}
		touched[r.Stream] = a
	}
	for _, s := range order {
		if err := c.write(ctx, tx, s, touched[s]); err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// aggregate returns the cached aggregate of the event's stream, loading its
// events before this one from the log on first use; nil for other streams.
func (c *CatalogueViews) aggregate(ctx context.Context, r domain.RecordedEvent) (folder, error) {
	if a := c.cache[r.Stream]; a != nil && uint64(a.StreamVersion()+1) >= r.Version {
		return a, nil
	}
	var a folder
	switch {
	case r.Stream == domain.CatalogueStream:
		a = domain.NewCatalogue()
	case strings.HasPrefix(r.Stream, "tariff-"):
		a = domain.NewTariff(strings.TrimPrefix(r.Stream, "tariff-"))
	case strings.HasPrefix(r.Stream, "incometable-"):
		a = domain.NewIncomeCatalogue(strings.TrimPrefix(r.Stream, "incometable-"))
	default:
		return nil, nil
	}
	if r.Version > 0 {
		before, err := c.store.ReadStream(ctx, r.Stream, domain.ReadStreamOptions{Limit: int(r.Version)})
		if err != nil {
			return nil, fmt.Errorf("load %s: %w", r.Stream, err)
		}
		for _, b := range before {
			e, err := domain.DecodeEvent(b)
			if err != nil {
				return nil, err
			}
			a.Fold(e)
		}
	}
	c.cache[r.Stream] = a
	return a, nil
}

func (c *CatalogueViews) write(ctx context.Context, tx *sql.Tx, stream string, a folder) error {
	switch a := a.(type) {
	case *domain.Catalogue:
		return writeServices(ctx, tx, a)
	case *domain.Tariff:
		return upsertBody(ctx, tx, "tariffs", a.ID(), TariffViewOf(a))
	case *domain.IncomeCatalogue:
		return upsertBody(ctx, tx, "income_catalogues", a.ID(), IncomeCatalogueViewOf(a))
	}
	return nil
}

// ServiceViewOf is the view of service id of the catalogue, as the read
// model keeps it; ok is false when there is no such service.
func ServiceViewOf(a *domain.Catalogue, id string) (ServiceView, bool) {
	s := a.Service(id)
	if s == nil {
		return ServiceView{}, false
	}
	return ServiceView{Service: *s, Retired: a.Retired(id)}, true
}

func writeServices(ctx context.Context, tx *sql.Tx, a *domain.Catalogue) error {
	for _, s := range a.Services() {
		body, _ := json.Marshal(s)
		if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO services (id, body, retired) VALUES (?, ?, ?)`,
			s.ID, string(body), a.Retired(s.ID)); err != nil {
			return err
		}
	}
	return nil
}

func upsertBody(ctx context.Context, tx *sql.Tx, table, id string, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO `+table+` (id, body) VALUES (?, ?)`, id, string(body))
	return err
}

// TariffViewOf is the view of a tariff aggregate, as the read model keeps
// it.
func TariffViewOf(t *domain.Tariff) TariffView {
	v := TariffView{ID: t.ID(), Name: t.Name(), Version: t.StreamVersion(), Position: t.Position(), Versions: []domain.TariffVersion{}}
	for _, vi := range t.Versions() {
		tv, _ := t.Version(vi.Number)
		v.Versions = append(v.Versions, tv)
	}
	v.WeeksPerMonth, v.DaysPerMonth = t.Defaults()
	return v
}

// IncomeCatalogueViewOf is the view of an income-limit catalogue aggregate,
// as the read model keeps it.
func IncomeCatalogueViewOf(c *domain.IncomeCatalogue) IncomeCatalogueView {
	v := IncomeCatalogueView{ID: c.ID(), Name: c.Name(), Version: c.StreamVersion(), Position: c.Position(), Versions: []domain.IncomeVersion{}}
	for _, vi := range c.Versions() {
		iv, _ := c.Version(vi.Number)
		v.Versions = append(v.Versions, iv)
	}
	return v
}

// Wants implements Filter: the events of the catalogue, tariff and
// income-limit catalogue streams.
func (*CatalogueViews) Wants(e domain.RecordedEvent) bool {
	return e.Stream == domain.CatalogueStream || strings.HasPrefix(e.Stream, "tariff-") || strings.HasPrefix(e.Stream, "incometable-")
}
