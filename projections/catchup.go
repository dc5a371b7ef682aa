package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"carecost/domain"
)

// CatchUp applies the log to every projection until none is behind the
// head. The log is read once, in pages, by a reader running ahead of the
// projections, and each page goes to each projection still behind it. A
// projection that stops before an event it cannot apply is left there (see
// Handle); the others go on, and CatchUp returns nil: Ready, Status and the
// metrics say which stopped, and where.
func (r *Runner) CatchUp(ctx context.Context) error {
	start, from := time.Now(), r.lowest()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	pages := make(chan readPage, 2)
	readErr := make(chan error, 1)
	var end stretch
	go func() { readErr <- r.readLog(ctx, from, pages, &end) }()
	n := 0
	for pg := range pages {
		if err := r.catchUpPage(pg.context(ctx), pg.events); err != nil {
			return err
		}
		n += len(pg.events)
		if r.pageDone != nil {
			r.pageDone(len(pg.events))
		}
	}
	if err := <-readErr; err != nil {
		return err
	}
	if end.after.Less(end.through) {
		r.passStretch(end.after, end.through)
	}
	if err := r.Flush(ctx); err != nil {
		return err
	}
	if n > 0 {
		r.log.Info("projections caught up", "events", n, "took", time.Since(start).Round(time.Millisecond).String())
	}
	r.mu.Lock()
	r.caughtUp = true
	r.mu.Unlock()
	return nil
}

// catchUpPage applies a page to each projection behind its end: all of
// them in one transaction when they can (commitPage), else each on its
// own (Handle: a projection that cannot apply an event stops there, the
// others go on).
func (r *Runner) catchUpPage(ctx context.Context, page []domain.RecordedEvent) error {
	failed := r.commitPage(ctx, page)
	for _, p := range r.projs {
		if !r.Checkpoint(p.Name()).Less(page[len(page)-1].Position) {
			continue // up to date, or applied by commitPage
		}
		if err := r.handle(ctx, p.Name(), page, p.Name() == failed); err != nil && !errors.Is(err, ErrStopped) {
			return err
		}
	}
	return nil
}

// DenseLog is implemented by stores whose positions number the events 1, 2,
// 3, ... without holes (domain.SeqPosition). Catch-up then reads two stretches
// of the log at once, which keeps both cores busy during a replay.
type DenseLog interface {
	DensePositions() bool
}

// dense reports whether the store's positions number the events without
// holes.
func (r *Runner) dense() bool {
	d, ok := r.store.(DenseLog)
	return ok && d.DensePositions()
}

// stretch is the end of the log as a store that says how far its reads
// looked (domain.ProgressReader) read it: none of the application's events
// after after, up to through.
type stretch struct {
	after, through domain.Position
}

// readLog sends the log after from in pages, in order, then closes pages.
// When the store says how far its last read looked, end says it.
func (r *Runner) readLog(ctx context.Context, from domain.Position, pages chan<- readPage, end *stretch) error {
	defer close(pages)
	if r.dense() {
		head, err := r.store.Head(ctx)
		if err != nil {
			return err
		}
		if err := r.readSplit(ctx, from.Commit, head.Commit, pages); err != nil {
			return err
		}
		from = head.Max(from)
	}
	if pr, ok := r.store.(domain.ProgressReader); ok {
		return r.readPagesProgress(ctx, pr, from, pages, end)
	}
	return r.readPages(ctx, from, pages)
}

// readSplit reads the positions (from, to] of a dense log with two readers
// taking turns page by page, and sends the pages in order.
func (r *Runner) readSplit(ctx context.Context, from, to uint64, pages chan<- readPage) error {
	size := uint64(r.PageSize)
	if to <= from {
		return nil
	}
	n := int((to - from + size - 1) / size)
	var lanes [2]chan readPage
	errs := make(chan error, 2)
	for w := range lanes {
		lanes[w] = make(chan readPage, 1)
		go func() {
			defer close(lanes[w])
			for k := w; k < n; k += 2 {
				lo := from + uint64(k)*size
				page, err := r.store.ReadAll(ctx, domain.ReadAllOptions{After: domain.SeqPosition(lo), AsOf: domain.SeqPosition(min(lo+size, to)), Limit: r.PageSize})
				if err != nil {
					errs <- err
					return
				}
				select {
				case lanes[w] <- r.prepare(page):
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	for k := range n {
		pg, ok := <-lanes[k%2]
		if !ok {
			return firstErr(errs, ctx)
		}
		if len(pg.events) == 0 {
			continue
		}
		select {
		case pages <- pg:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

func firstErr(errs chan error, ctx context.Context) error {
	select {
	case err := <-errs:
		return err
	default:
		return ctx.Err()
	}
}

// readPages sends pages of the log after from until a read returns nothing.
func (r *Runner) readPages(ctx context.Context, from domain.Position, pages chan<- readPage) error {
	for {
		page, err := r.store.ReadAll(ctx, domain.ReadAllOptions{After: from, Limit: r.PageSize})
		if err != nil {
			return fmt.Errorf("projections: read the log after %s: %w", from, err)
		}
		if len(page) == 0 {
			return nil
		}
		select {
		case pages <- r.prepare(page):
		case <-ctx.Done():
			return ctx.Err()
		}
		from = page[len(page)-1].Position
	}
}

// readPagesProgress sends pages of the log after from until a read returns
// fewer events than a page holds; end is where that read found none of the
// application's events, up to where it looked.
func (r *Runner) readPagesProgress(ctx context.Context, pr domain.ProgressReader, from domain.Position, pages chan<- readPage, end *stretch) error {
	for {
		page, through, err := pr.ReadAllProgress(ctx, domain.ReadAllOptions{After: from, Limit: r.PageSize})
		if err != nil {
			return fmt.Errorf("projections: read the log after %s: %w", from, err)
		}
		if len(page) > 0 {
			select {
			case pages <- r.prepare(page):
			case <-ctx.Done():
				return ctx.Err()
			}
			from = page[len(page)-1].Position
		}
		if r.PageSize <= 0 || len(page) < r.PageSize {
			*end = stretch{after: from, through: through}
			return nil
		}
	}
}
