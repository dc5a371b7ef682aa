package projections

import (
	"context"
	"database/sql"

	"carecost/domain"
)

// Projection is one read model: a plain struct that applies batches of
// events to its tables and answers queries from them. The runner calls Apply
// with the events after the projection's checkpoint, in log order, inside the
// transaction that also moves the checkpoint, so a crash never applies an
// event twice or skips one.
type Projection interface {
	// Name is the stable name of the projection ("estimates").
	Name() string
	// Version is the version of the projection's tables and logic; when it
	// changes, the projection is rebuilt from the start of the log.
	Version() int
	// Schema returns the statements that create its tables and indexes
	// (idempotent: CREATE ... IF NOT EXISTS).
	Schema() []string
	// Reset deletes every row, before a rebuild.
	Reset(ctx context.Context, tx *sql.Tx) error
	// Apply applies events, in log order, all after the checkpoint.
	Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error
}

// Filter is implemented by projections that apply only some events. A batch
// with none of them moves the projection's checkpoint in memory only; the
// checkpoint is written with the projection's next batch that writes rows,
// or by Flush. A crash then replays a few events the projection skips anyway.
type Filter interface {
	Wants(e domain.RecordedEvent) bool
}

// Committer is implemented by projections that keep rows in memory: after
// each Apply the runner says whether its transaction committed, before any
// other batch is applied, so the memory holds committed rows only.
type Committer interface {
	Committed(ok bool)
}

// Reloader is implemented by projections that keep in memory what is not
// a mere cache of their rows (totals served from memory): when a rebuild
// beside the live read model replaces their tables, Reload reads that state
// from the new rows, inside the switch's transaction. (Reset has emptied
// it just before, in the same transaction.)
type Reloader interface {
	Reload(ctx context.Context, tx *sql.Tx) error
}

// TablesKeeper is implemented by a projection whose tables are those of
// some earlier versions: a version that changes only what is written into
// them (a figure computed anew, a bug mended), not their columns. When the
// stored version is one of those, starting carecost does not empty the
// projection: its old rows keep answering, and the live events are applied
// to them, while the new version is built beside them (PendingRebuilds,
// StartRebuild); once caught up, the new rows replace the old in one
// transaction with the new version. Until then the stored version stays
// the old one, so a stop before the switch builds it anew at the next
// start.
type TablesKeeper interface {
	// TablesSince is the first version whose tables this version's are.
	TablesSince() int
}
