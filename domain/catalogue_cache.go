package domain

import (
	"context"
	"sync"
)

// catalogueCache keeps the catalogue, tariffs and income-limit catalogues
// loaded for pricing, reading only the events appended since the last use.
type catalogueCache struct {
	store    EventStore
	mu       sync.Mutex
	cat      *Catalogue
	catAt    int64 // catalogue version the services snapshot was taken at
	services map[string]Service
	tariffs  map[string]*Tariff
	incomes  map[string]*IncomeCatalogue
}

func newCatalogueCache(s EventStore) *catalogueCache {
	return &catalogueCache{store: s, cat: NewCatalogue(), catAt: -2, tariffs: map[string]*Tariff{}, incomes: map[string]*IncomeCatalogue{}}
}

// basis resolves b into the versions in effect on its pricing date, as the
// log stands now, and the position up to which those streams were read.
func (c *catalogueCache) basis(ctx context.Context, b Basis) (PriceBasis, Position, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := Load(ctx, c.store, c.cat, Position{}); err != nil {
		return PriceBasis{}, Position{}, err
	}
	if c.catAt != c.cat.version {
		c.services, c.catAt = map[string]Service{}, c.cat.version
		for _, s := range c.cat.Services() {
			c.services[s.ID] = s
		}
	}
	pos := c.cat.position
	t, err := c.tariff(ctx, b.TariffID)
	if err != nil {
		return PriceBasis{}, Position{}, err
	}
	tv, ok := t.VersionAt(b.PricingDate)
	if !ok {
		return PriceBasis{}, Position{}, Invalidf("pricing_date", "tariff %s has no published version in effect on %s", b.TariffID, b.PricingDate)
	}
	pb := PriceBasis{Tariff: tv, Services: lookupIn(c.services)}
	pos = pos.Max(t.position)
	if b.IncomeCatalogueID != "" {
		ic, err := c.income(ctx, b.IncomeCatalogueID)
		if err != nil {
			return PriceBasis{}, Position{}, err
		}
		iv, ok := ic.VersionAt(b.PricingDate)
		if !ok {
			return PriceBasis{}, Position{}, Invalidf("pricing_date", "income-limit catalogue %s has no published version in effect on %s", b.IncomeCatalogueID, b.PricingDate)
		}
		pb.Income, pos = &iv, pos.Max(ic.position)
	}
	return pb, pos, nil
}

func lookupIn(m map[string]Service) ServiceLookup {
	return func(id string) *Service {
		s, ok := m[id]
		if !ok {
			return nil
		}
		return &s
	}
}

func (c *catalogueCache) tariff(ctx context.Context, id string) (*Tariff, error) {
	t := c.tariffs[id]
	if t == nil {
		t = NewTariff(id)
	}
	if err := Load(ctx, c.store, t, Position{}); err != nil {
		return nil, err
	}
	if !t.Exists() {
		return nil, Invalidf("tariff", "there is no tariff %q", id)
	}
	c.tariffs[t.ID()] = t
	return t, nil
}

func (c *catalogueCache) income(ctx context.Context, id string) (*IncomeCatalogue, error) {
	ic := c.incomes[id]
	if ic == nil {
		ic = NewIncomeCatalogue(id)
	}
	if err := Load(ctx, c.store, ic, Position{}); err != nil {
		return nil, err
	}
	if !ic.Exists() {
		return nil, Invalidf("income_catalogue", "there is no income-limit catalogue %q", id)
	}
	c.incomes[ic.ID()] = ic
	return ic, nil
}
