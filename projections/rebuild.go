package projections

import (
	"context"
	"database/sql"
	"strings"

	"carecost/domain"
)

// Rebuild empties the named projections (all when none is named) and applies
// the whole log again. Run it while no live handler feeds those projections
// (carecost rebuild refuses to run beside a serving carecost). When a
// projection stops before an event it cannot apply, Rebuild returns its
// *StoppedError naming each stopped projection.
func (r *Runner) Rebuild(ctx context.Context, names ...string) error {
	if len(names) == 0 {
		names = r.Projections()
	}
	err := r.db.write(ctx, func(tx *sql.Tx) error {
		for _, n := range names {
			p, ok := r.byName[n]
			if !ok {
				return domain.Invalidf("projection", "there is no projection %q; there are %s", n, strings.Join(r.Projections(), ", "))
			}
			if err := r.reset(ctx, tx, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, n := range names {
		r.setPos(n, domain.Position{})
	}
	if err := r.CatchUp(ctx); err != nil {
		return err
	}
	return r.stoppedErr()
}

// stoppedErr returns a *StoppedError naming every stopped projection, or
// nil.
func (r *Runner) stoppedErr() error {
	if fs := r.Failures(); len(fs) > 0 {
		return &StoppedError{Failures: fs}
	}
	return nil
}
