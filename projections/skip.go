package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"carecost/domain"
)

// SkipRequest asks to let a stopped projection go past the event it is
// stopped at, without applying it.
type SkipRequest struct {
	Projection string
	// Position is the position of the event the projection is stopped at.
	Position domain.Position
	// Reason says why (required: one line, at most 500 characters).
	Reason string
}

type skipKey struct {
	projection string
	position   domain.Position
}

// Skip records in the log, as carecost.projection.event_skipped with the
// actor of cmd, that the projection goes past the event it is stopped at,
// and lets the projection resume at once. Only that event can be skipped:
// another position is refused (EInvalid, field "position"), and so is a
// projection that is not stopped (EConflict). A retried command (the same
// command id) answers as its first run did.
func (r *Runner) Skip(ctx context.Context, cmd domain.Command, req SkipRequest) (domain.Result, error) {
	if _, ok := r.byName[req.Projection]; !ok {
		return domain.Result{}, &domain.Error{Code: domain.ENotFound, Field: "projection",
			Message: fmt.Sprintf("there is no projection %q; there are %s", req.Projection, strings.Join(r.Projections(), ", "))}
	}
	s := domain.ProjectionEventSkipped{Projection: req.Projection, Position: req.Position, Reason: req.Reason}
	if f := r.Failure(req.Projection); f != nil {
		s.EventID = f.EventID
	}
	res, err := domain.SkipEvent(ctx, r.store, cmd, s, func() error { return r.checkSkip(s) })
	if err != nil {
		return res, err
	}
	if s.EventID != "" {
		r.honour(s)
	}
	return res, nil
}

// checkSkip refuses a skip of anything but the event the projection is
// stopped at.
func (r *Runner) checkSkip(s domain.ProjectionEventSkipped) error {
	f := r.Failure(s.Projection)
	switch {
	case f == nil:
		return domain.Errorf(domain.EConflict, "projection %s is not stopped (its checkpoint is %s): there is no event to skip",
			s.Projection, r.Checkpoint(s.Projection))
	case f.Position != s.Position:
		return domain.Invalidf("position", "projection %s is stopped at position %s, not %s: only the event it is stopped at can be skipped",
			s.Projection, f.Position, s.Position)
	case f.EventID != s.EventID:
		return domain.Errorf(domain.EConflict, "projection %s stopped at another event meanwhile; look at its status again", s.Projection)
	}
	return nil
}

// honour keeps a recorded skip and resumes the projection when it is
// stopped at that event.
func (r *Runner) honour(s domain.ProjectionEventSkipped) {
	r.mu.Lock()
	r.skips[skipKey{s.Projection, s.Position}] = s.EventID
	r.mu.Unlock()
	if r.resumeAt(s.Projection, s.Position, s.EventID) {
		r.log.Info("projection resumes: the event it was stopped at was skipped", "projection", s.Projection,
			"position", s.Position.String(), "event_id", s.EventID)
	}
}

// skipFor reports whether an operator skipped e for the named projection.
func (r *Runner) skipFor(name string, e domain.RecordedEvent) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	id, ok := r.skips[skipKey{name, e.Position}]
	return ok && id == e.ID
}

// pass moves the checkpoint of p past e, an event it cannot apply that an
// operator skipped.
func (r *Runner) pass(ctx context.Context, p Projection, e domain.RecordedEvent) error {
	err := r.db.write(ctx, func(tx *sql.Tx) error { return r.db.writeCheckpoint(ctx, tx, p.Name(), r.tablesVersion(p), e.Position) })
	if err != nil {
		return err
	}
	r.setPos(p.Name(), e.Position)
	r.markSaved(p.Name())
	r.m.skipped.WithLabelValues(p.Name()).Inc()
	r.log.Warn("projection passed over an event it cannot apply, as an operator decided", "projection", p.Name(),
		"position", e.Position.String(), "event_id", e.ID, "event_type", e.Type)
	return nil
}

// loadSkips reads the skips recorded in the log.
func (r *Runner) loadSkips(ctx context.Context) error {
	recs, err := r.store.ReadStream(ctx, domain.ProjectionsStream, domain.ReadStreamOptions{})
	if errors.Is(err, domain.ErrStreamNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("projections: read the skips: %w", err)
	}
	r.noteSkips(recs)
	return nil
}

// noteSkips honours the skips among events (recorded by this carecost or
// another one).
func (r *Runner) noteSkips(events []domain.RecordedEvent) {
	for _, e := range events {
		if e.Type != domain.EvProjectionEventSkipped {
			continue
		}
		p, err := domain.DecodePayload(e.Type, e.Data)
		if s, ok := p.(*domain.ProjectionEventSkipped); err == nil && ok {
			r.honour(*s)
		} else {
			r.log.Warn("a skip in the log cannot be read; it is not honoured", "position", e.Position.String(), "event_id", e.ID)
		}
	}
}
