package admin

import (
	"context"
	"time"

	"carecost/domain"
	"carecost/projections"
)

// Reads is what the console and the API read from the projections. Methods
// return a *domain.Error with code domain.ENotFound for a missing item.
type Reads interface {
	Estimates(ctx context.Context, f projections.EstimateFilter) ([]projections.EstimateSummary, error)
	Estimate(ctx context.Context, id string) (projections.EstimateDetail, error)
	Decisions(ctx context.Context, f projections.DecisionFilter) ([]projections.DecisionRecord, error)
	Decision(ctx context.Context, estimateID string) (projections.DecisionRecord, error)
	// InForce lists the estimates whose decision is in force (as known at
	// a position or time; zero: now) priced with a tariff or income-limit
	// catalogue on or after a date: domain.DecisionLister.
	InForce(ctx context.Context, kind domain.VersionKind, id string, from domain.Date, asOf domain.KnownAt) ([]string, error)
	Services(ctx context.Context) ([]projections.ServiceView, error)
	Service(ctx context.Context, id string) (projections.ServiceView, error)
	Tariffs(ctx context.Context) ([]projections.TariffView, error)
	Tariff(ctx context.Context, id string) (projections.TariffView, error)
	IncomeCatalogues(ctx context.Context) ([]projections.IncomeCatalogueView, error)
	IncomeCatalogue(ctx context.Context, id string) (projections.IncomeCatalogueView, error)
	// PriceAt answers "what did service S in mode M cost on valid date D, as
	// known at log position P (or at time T)": zero P and T mean now.
	PriceAt(ctx context.Context, q projections.PriceQuery) (projections.PricePoint, error)
	// TariffChanges returns a tariff's publications with their entry changes.
	TariffChanges(ctx context.Context, tariffID string) ([]projections.TariffChange, error)
}

// Waiter gives read-your-writes: WaitFor returns once every projection has
// applied the log up to pos, or with an error when ctx ends first.
type Waiter interface {
	WaitFor(ctx context.Context, pos domain.Position) error
}

// Health says whether carecost can serve: Ready returns nil when the store is
// reachable and the projections have caught up.
type Health interface {
	Ready(ctx context.Context) error
	Status(ctx context.Context) ([]projections.Status, error)
}

// Skipper lets operations move a stopped projection past the event it
// cannot apply (recorded in the log with the reason and the actor).
type Skipper interface {
	Skip(ctx context.Context, cmd domain.Command, req projections.SkipRequest) (domain.Result, error)
}

// clock returns the time; tests replace it.
type clock func() time.Time

// Rebuilder rebuilds a projection beside its live read model, which keeps
// answering until the rebuilt one replaces it.
type Rebuilder interface {
	StartRebuild(name string) (projections.RebuildProgress, error)
}
