package projections

import "carecost/domain"

// Set is every projection of carecost over one read-model database, with
// all their queries on one value.
type Set struct {
	*EstimateTotals
	*DecisionAudit
	*CatalogueViews
	*PriceHistory
	*UserDirectory
	*Usage
}

// NewSet returns the projections over db; some read events from the store
// by address (the pricing of an estimate, the quote of a decision).
func NewSet(db *DB, store domain.EventStore) *Set {
	return &Set{EstimateTotals: NewEstimateTotals(db, store), DecisionAudit: NewDecisionAudit(db, store), CatalogueViews: NewCatalogueViews(db, store), PriceHistory: NewPriceHistory(db),
		UserDirectory: NewUserDirectory(db), Usage: NewUsage(db)}
}

// All returns the projections in the order they are applied.
func (s *Set) All() []Projection {
	return []Projection{s.CatalogueViews, s.PriceHistory, s.EstimateTotals, s.DecisionAudit, s.UserDirectory, s.Usage}
}

// NewProjection returns a fresh instance of the named projection over db,
// or nil when there is none by that name: a rebuild beside the live read
// models builds one over a database of its own (Runner.Shadows).
func NewProjection(name string, db *DB, store domain.EventStore) Projection {
	for _, p := range NewSet(db, store).All() {
		if p.Name() == name {
			return p
		}
	}
	return nil
}
