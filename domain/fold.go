package domain

// Fold applies a stored event of the tariff's stream, for read models that
// keep aggregates in memory.
func (t *Tariff) Fold(e Event) { replay(t, e) }

// Fold applies a stored event of the catalogue's stream.
func (c *Catalogue) Fold(e Event) { replay(c, e) }

// Fold applies a stored event of the income-limit catalogue's stream.
func (c *IncomeCatalogue) Fold(e Event) { replay(c, e) }

// Fold applies a stored event of the estimate's stream.
func (e *Estimate) Fold(ev Event) { replay(e, ev) }
