package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"carecost/domain"
)

// Handle applies a batch of events in log order to the named projection.
// Events at or before the checkpoint are passed over, so at-least-once
// delivery applies each event once. The batch is applied in one
// transaction with the checkpoint; when that fails, its events are applied
// one by one, so everything before a failing event is kept. An event that
// still fails (after a few tries when the failure is transient, such as a
// busy database) stops the projection at the position before it: Handle
// returns a *StoppedError, at once for every later batch too, until the
// event is skipped (Skip) or a build that applies it starts. An event an
// operator skipped is passed over when it fails. The runner's checkpoints
// are the truth while it runs: one process owns the read models (the data
// folder's lock).
func (r *Runner) Handle(ctx context.Context, name string, events []domain.RecordedEvent) error {
	return r.handle(ctx, name, events, false)
}

// handle is Handle; oneByOne applies the events one by one at once (a page
// whose batch failed already, in commitPage).
func (r *Runner) handle(ctx context.Context, name string, events []domain.RecordedEvent, oneByOne bool) error {
	p, ok := r.byName[name]
	if !ok {
		return fmt.Errorf("projections: no projection %q", name)
	}
	r.noteSkips(events)
	r.serial[name].Lock()
	defer r.serial[name].Unlock()
	if f := r.Failure(name); f != nil {
		return &StoppedError{Failures: []Failure{*f}}
	}
	cp := r.Checkpoint(name)
	i := slices.IndexFunc(events, func(e domain.RecordedEvent) bool { return cp.Less(e.Position) })
	if i < 0 {
		return nil
	}
	if oneByOne && len(events[i:]) > 1 {
		for j := i; j < len(events); j++ {
			if err := r.apply(ctx, p, events[j:j+1]); err != nil {
				return err
			}
		}
		return nil
	}
	return r.apply(ctx, p, events[i:])
}

// apply applies events after the checkpoint of p: as one batch, else one by
// one down to the event that fails.
func (r *Runner) apply(ctx context.Context, p Projection, events []domain.RecordedEvent) error {
	if f, ok := p.(Filter); ok && !slices.ContainsFunc(events, f.Wants) {
		r.setPos(p.Name(), events[len(events)-1].Position)
		r.markUnsaved(p.Name())
		return nil
	}
	err := r.retrying(ctx, p, events, func() error { return r.commit(ctx, p, events) })
	switch {
	case err == nil:
		return nil
	case !eventsFault(ctx, err):
		return err
	case len(events) > 1:
		for i := range events {
			if err := r.apply(ctx, p, events[i:i+1]); err != nil {
				return err
			}
		}
		return nil
	}
	return r.cannotApply(ctx, p, events[0], err)
}

// commit applies events to p in one transaction with its checkpoint.
func (r *Runner) commit(ctx context.Context, p Projection, events []domain.RecordedEvent) error {
	start, last := time.Now(), events[len(events)-1].Position
	var after func(bool)
	if c, ok := p.(Committer); ok {
		after = c.Committed
	}
	err := r.db.writeThen(ctx, func(tx *sql.Tx) error {
		if err := applySafely(ctx, tx, p, events); err != nil {
			return fmt.Errorf("projections: %s: %w", p.Name(), err)
		}
		return r.db.writeCheckpoint(ctx, tx, p.Name(), r.tablesVersion(p), last)
	}, after)
	if err != nil {
		return err
	}
	r.m.applied(p.Name(), len(events), time.Since(start))
	r.setPos(p.Name(), last)
	r.markSaved(p.Name())
	return nil
}

// applySafely runs Apply, turning a panic into an error, after refusing
// the events p wants that a newer build wrote (a payload schema this build
// does not know could be misread).
func applySafely(ctx context.Context, tx *sql.Tx, p Projection, events []domain.RecordedEvent) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v", v)
		}
	}()
	if !schemasChecked(ctx) { // else checked by catch-up's reader (prepare)
		f, filters := p.(Filter)
		for _, e := range events {
			if filters && !f.Wants(e) {
				continue
			}
			if err := domain.CheckSchema(e.Type, e.Data); err != nil {
				return err
			}
		}
	}
	return p.Apply(ctx, tx, events)
}

// retrying runs fn, and again after a pause while it fails with a
// transient error, at most r.Retry.Attempts times in all.
func (r *Runner) retrying(ctx context.Context, p Projection, events []domain.RecordedEvent, fn func() error) error {
	delay := r.Retry.Delay
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || attempt >= r.Retry.Attempts || !transient(err) || !eventsFault(ctx, err) {
			return err
		}
		r.log.Warn("projection retries a batch after a transient failure", "projection", p.Name(),
			"first_position", events[0].Position.String(), "last_position", events[len(events)-1].Position.String(), "error", safeText(err))
		if !pause(ctx, delay) {
			return err
		}
		delay *= 4
	}
}

// eventsFault reports whether err may be the fault of the events applied:
// not when carecost is stopping (ctx ended, the store closed).
func eventsFault(ctx context.Context, err error) bool {
	return ctx.Err() == nil && !errors.Is(err, context.Canceled) && !errors.Is(err, domain.ErrClosed)
}

// transient reports whether err may pass if tried again: a busy or locked
// database, a full disk, an unavailable store or a timeout. A decode error
// or an unknown schema fails the same way every time.
func transient(err error) bool {
	if errors.Is(err, domain.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"sqlite_busy", "sqlite_locked", "database is locked", "database table is locked", "sqlite_full", "sqlite_ioerr"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// pause waits d, or less when ctx ends; it reports whether it waited d.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
