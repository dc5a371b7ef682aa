package domain

import (
	"context"
	"time"
)

// Commands runs every command of carecost against an event store through the
// one update shape (load, decide, append, retry on a lost race).
type Commands struct {
	store     EventStore
	cache     *catalogueCache
	estimates *estimateCache
	users     *aggCache[*User]
	tokens    *aggCache[*Token]
	// NumberHolders, when set, names the estimates whose decision has a
	// decision number (compared as NormalDecisionNumber does): the
	// decisions read model, which knows the decisions recorded before
	// numbers were reserved in streams of their own.
	NumberHolders func(ctx context.Context, number string) ([]string, error)
	// Clock gives the time commands judge by (an unopened revision's age,
	// see UnopenedRevisionTimeout); nil is time.Now. Recorded times come
	// from the store, never from it.
	Clock func() time.Time
}

func (c *Commands) now() time.Time {
	if c.Clock != nil {
		return c.Clock()
	}
	return time.Now()
}

// NewCommands returns the command side over store.
func NewCommands(store EventStore) *Commands {
	return &Commands{store: store, cache: newCatalogueCache(store), estimates: newEstimateCache(10000),
		users: newAggCache(maxCachedUsers, NewUser), tokens: newAggCache(maxCachedUsers, NewToken)}
}

// Store returns the event store the commands write to.
func (c *Commands) Store() EventStore { return c.store }

func (c *Commands) pricer(ctx context.Context) Pricer {
	return func(b Basis) (PriceBasis, Position, error) { return c.cache.basis(ctx, b) }
}

// Quote prices a case against the catalogue as it is now, storing nothing.
func (c *Commands) Quote(ctx context.Context, in CaseInput) (Quote, error) {
	if err := in.checkForQuote(); err != nil {
		return Quote{}, err
	}
	if err := in.Basis.validate(); err != nil {
		return Quote{}, err
	}
	pb, _, err := c.cache.basis(ctx, in.Basis)
	if err != nil {
		return Quote{}, err
	}
	return Price(PriceInput{PricingDate: in.PricingDate, Maple: in.Maple, Household: in.Household, Lines: numberLines(in.Lines)}, pb)
}

// Catalogue loads the catalogue of services.
func (c *Commands) Catalogue(ctx context.Context) (*Catalogue, error) {
	return c.CatalogueAsOf(ctx, Position{})
}

// CatalogueAsOf loads the catalogue of services as of a log position
// (zero: now).
func (c *Commands) CatalogueAsOf(ctx context.Context, asOf Position) (*Catalogue, error) {
	a := NewCatalogue()
	return a, Load(ctx, c.store, a, asOf)
}

// Tariff loads tariff id as of a log position (zero: now); ENotFound when it
// does not exist.
func (c *Commands) Tariff(ctx context.Context, id string, asOf Position) (*Tariff, error) {
	a := NewTariff(id)
	if err := Load(ctx, c.store, a, asOf); err != nil {
		return nil, err
	}
	if !a.Exists() {
		return nil, &Error{Code: ENotFound, Message: "there is no tariff " + id}
	}
	return a, nil
}

// IncomeCatalogue loads income-limit catalogue id as of a log position.
func (c *Commands) IncomeCatalogue(ctx context.Context, id string, asOf Position) (*IncomeCatalogue, error) {
	a := NewIncomeCatalogue(id)
	if err := Load(ctx, c.store, a, asOf); err != nil {
		return nil, err
	}
	if !a.Exists() {
		return nil, &Error{Code: ENotFound, Message: "there is no income-limit catalogue " + id}
	}
	return a, nil
}

// Estimate loads estimate id.
func (c *Commands) Estimate(ctx context.Context, id string) (*Estimate, error) {
	a := NewEstimate(id)
	if err := Load(ctx, c.store, a, Position{}); err != nil {
		return nil, err
	}
	if !a.Exists() {
		return nil, &Error{Code: ENotFound, Message: "there is no estimate " + id}
	}
	return a, nil
}

// DefineService adds a service to the catalogue or changes it.
func (c *Commands) DefineService(ctx context.Context, cmd Command, s Service) (Result, error) {
	_, r, err := update(ctx, c.store, cmd, NewCatalogue, func(a *Catalogue) error { return a.Define(s) })
	return r, err
}

// RetireService marks a service as no longer offered.
func (c *Commands) RetireService(ctx context.Context, cmd Command, id string) (Result, error) {
	_, r, err := update(ctx, c.store, cmd, NewCatalogue, func(a *Catalogue) error { return a.Retire(id) })
	return r, err
}
