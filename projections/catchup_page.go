package projections

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"carecost/domain"
)

// commitPage applies a page of catch-up to the read models behind its end
// in one transaction, with their checkpoints: a replay then commits once a
// page, not once a page and a projection. What it applied is up to the
// page's end; when a projection is stopped or any of them fails, nothing of
// the page is kept (failed names the projection that failed) and the
// caller applies the page to each projection still behind on its own, as
// live batches are (handle), so that a projection that cannot apply an
// event stops at it and the others go on. Processes (which act on the
// world, not only on their tables) are always left to handle.
func (r *Runner) commitPage(ctx context.Context, page []domain.RecordedEvent) (failed string) {
	if len(page) == 0 {
		return ""
	}
	last := page[len(page)-1].Position
	type part struct {
		p      Projection
		events []domain.RecordedEvent
		skip   bool // nothing it wants: its checkpoint only moves
	}
	var parts []part
	for _, p := range r.projs {
		if _, isProcess := p.(process); isProcess {
			continue
		}
		cp := r.Checkpoint(p.Name())
		if !cp.Less(last) {
			continue
		}
		i := slices.IndexFunc(page, func(e domain.RecordedEvent) bool { return cp.Less(e.Position) })
		f, filters := p.(Filter)
		parts = append(parts, part{p: p, events: page[i:], skip: filters && !slices.ContainsFunc(page[i:], f.Wants)})
	}
	if len(parts) < 2 {
		return "" // one: handle's own transaction is the same
	}
	r.noteSkips(page)
	for _, pt := range parts {
		mu := r.serial[pt.p.Name()]
		mu.Lock()
		defer mu.Unlock()
		if r.Failure(pt.p.Name()) != nil {
			return ""
		}
	}
	start := time.Now()
	after := func(ok bool) {
		for _, pt := range parts {
			if c, is := pt.p.(Committer); is && !pt.skip {
				c.Committed(ok)
			}
		}
	}
	err := r.db.writeThen(ctx, func(tx *sql.Tx) error {
		for _, pt := range parts {
			if pt.skip {
				continue
			}
			if err := applySafely(ctx, tx, pt.p, pt.events); err != nil {
				failed = pt.p.Name()
				return fmt.Errorf("projections: %s: %w", pt.p.Name(), err)
			}
			if err := r.db.writeCheckpoint(ctx, tx, pt.p.Name(), r.tablesVersion(pt.p), last); err != nil {
				return err
			}
		}
		return nil
	}, after)
	if err != nil {
		return failed
	}
	took := time.Since(start)
	for _, pt := range parts {
		r.setPos(pt.p.Name(), last)
		if pt.skip {
			r.markUnsaved(pt.p.Name())
			continue
		}
		r.m.applied(pt.p.Name(), len(pt.events), took)
		r.markSaved(pt.p.Name())
	}
	return ""
}
