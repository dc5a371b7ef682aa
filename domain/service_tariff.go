package domain

import "context"

func (c *Commands) tariff(ctx context.Context, cmd Command, id string, decide func(*Tariff) error) (Result, error) {
	if err := ValidSlug("tariff", id); err != nil {
		return Result{}, err
	}
	_, r, err := update(ctx, c.store, cmd, func() *Tariff { return NewTariff(id) }, decide)
	return r, err
}

// CreateTariff creates a tariff; zero ratios take the defaults.
func (c *Commands) CreateTariff(ctx context.Context, cmd Command, id, name string, weeks, days Ratio) (Result, error) {
	return c.tariff(ctx, cmd, id, func(t *Tariff) error { return t.Create(name, weeks, days) })
}

// CreateTariffDraft creates a draft version and returns its number.
func (c *Commands) CreateTariffDraft(ctx context.Context, cmd Command, id string, basedOn, corrects int, note string) (int, Result, error) {
	var n int
	r, err := c.tariff(ctx, cmd, id, func(t *Tariff) (err error) {
		n, err = t.CreateDraft(basedOn, corrects, note)
		return err
	})
	if err == nil && r.Replayed {
		n, err = lastVersionAt(ctx, c.store, NewTariff(id), r.Position)
	}
	return n, r, err
}

// SetTariffEntry adds or replaces an entry of a draft version.
func (c *Commands) SetTariffEntry(ctx context.Context, cmd Command, id string, version int, e Entry) (Result, error) {
	cat, err := c.Catalogue(ctx)
	if err != nil {
		return Result{}, err
	}
	if cat.Retired(e.Service) {
		return Result{}, &Error{Code: EConflict, Field: "service", Message: "service " + e.Service + " is retired; it takes no new prices"}
	}
	return c.tariff(ctx, cmd, id, func(t *Tariff) error { return t.SetEntry(version, e, cat.Service(e.Service)) })
}

// RemoveTariffEntry removes an entry from a draft version.
func (c *Commands) RemoveTariffEntry(ctx context.Context, cmd Command, id string, version int, service string, mode Mode) (Result, error) {
	return c.tariff(ctx, cmd, id, func(t *Tariff) error { return t.RemoveEntry(version, service, mode) })
}

// SetTariffSettings changes a draft's month conversions and note; zero
// ratios and a nil note leave those as they are.
func (c *Commands) SetTariffSettings(ctx context.Context, cmd Command, id string, version int, weeks, days Ratio, note *string) (Result, error) {
	return c.tariff(ctx, cmd, id, func(t *Tariff) error { return t.SetSettings(version, weeks, days, note) })
}

// PublishTariff publishes a draft version from validFrom.
func (c *Commands) PublishTariff(ctx context.Context, cmd Command, id string, version int, validFrom Date) (Result, error) {
	cat, err := c.Catalogue(ctx)
	if err != nil {
		return Result{}, err
	}
	return c.tariff(ctx, cmd, id, func(t *Tariff) error { return t.Publish(version, validFrom, cat.Service) })
}

// WithdrawTariffDraft drops a draft version.
func (c *Commands) WithdrawTariffDraft(ctx context.Context, cmd Command, id string, version int) (Result, error) {
	return c.tariff(ctx, cmd, id, func(t *Tariff) error { return t.Withdraw(version) })
}

func (c *Commands) income(ctx context.Context, cmd Command, id string, decide func(*IncomeCatalogue) error) (Result, error) {
	if err := ValidSlug("income_catalogue", id); err != nil {
		return Result{}, err
	}
	_, r, err := update(ctx, c.store, cmd, func() *IncomeCatalogue { return NewIncomeCatalogue(id) }, decide)
	return r, err
}

// CreateIncomeCatalogue creates an income-limit catalogue.
func (c *Commands) CreateIncomeCatalogue(ctx context.Context, cmd Command, id, name string) (Result, error) {
	return c.income(ctx, cmd, id, func(a *IncomeCatalogue) error { return a.Create(name) })
}

// CreateIncomeDraft creates a draft version (with table, or copied) and
// returns its number.
func (c *Commands) CreateIncomeDraft(ctx context.Context, cmd Command, id string, basedOn, corrects int, table *IncomeTable, note string) (int, Result, error) {
	var n int
	r, err := c.income(ctx, cmd, id, func(a *IncomeCatalogue) (err error) {
		n, err = a.CreateDraft(basedOn, corrects, table, note)
		return err
	})
	if err == nil && r.Replayed {
		n, err = lastVersionAt(ctx, c.store, NewIncomeCatalogue(id), r.Position)
	}
	return n, r, err
}

// SetIncomeDraft replaces the table of a draft version.
func (c *Commands) SetIncomeDraft(ctx context.Context, cmd Command, id string, version int, table IncomeTable, note string) (Result, error) {
	return c.income(ctx, cmd, id, func(a *IncomeCatalogue) error { return a.SetDraft(version, table, note) })
}

// PublishIncome publishes a draft version from validFrom.
func (c *Commands) PublishIncome(ctx context.Context, cmd Command, id string, version int, validFrom Date) (Result, error) {
	return c.income(ctx, cmd, id, func(a *IncomeCatalogue) error { return a.Publish(version, validFrom) })
}

// WithdrawIncomeDraft drops a draft version.
func (c *Commands) WithdrawIncomeDraft(ctx context.Context, cmd Command, id string, version int) (Result, error) {
	return c.income(ctx, cmd, id, func(a *IncomeCatalogue) error { return a.Withdraw(version) })
}

// versioned is an aggregate with numbered versions.
type versioned interface {
	aggregate
	lastVersion() int
}

// lastVersionAt returns the newest version number of a as of pos: the draft
// a command that landed at pos created (for a retried draft creation).
func lastVersionAt(ctx context.Context, s EventStore, a versioned, pos Position) (int, error) {
	if err := Load(ctx, s, a, pos); err != nil {
		return 0, err
	}
	return a.lastVersion(), nil
}

func (t *Tariff) lastVersion() int          { return t.versions.next() - 1 }
func (a *IncomeCatalogue) lastVersion() int { return a.versions.next() - 1 }
