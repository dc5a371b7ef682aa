package domain

import "context"

// Revise opens estimate newID as a revision of the decided estimate id;
// pricingDate, when set, replaces the pricing date. Every check (the
// original, its latest revision, the new id, the revision's pricing) comes
// before the first write: the revision is recorded on the original, with
// its expected version, then opened.
func (c *Commands) Revise(ctx context.Context, cmd Command, id, newID string, pricingDate Date) (*Estimate, Result, error) {
	if err := ValidUUID("revision_id", newID); err != nil {
		return nil, Result{}, err
	}
	old, _, err := c.estimate(ctx, cmd, id, func(o *Estimate) error {
		last, err := c.revisionBefore(ctx, o, newID)
		if err != nil {
			return err
		}
		if err := o.Revise(newID, last, c.now()); err != nil {
			return err
		}
		r, err := c.loadEstimate(ctx, newID)
		if err != nil {
			return err
		}
		if err := r.OpenRevision(o, pricingDate, c.pricer(ctx)); err != nil {
			return err
		}
		return c.abandonUnopened(ctx, cmd, o, last, newID)
	})
	if err != nil {
		return nil, Result{}, err
	}
	follow := cmd
	follow.Expected = nil
	return c.updateEstimate(ctx, follow, newID, func(r *Estimate) error { return r.OpenRevision(old, pricingDate, c.pricer(ctx)) })
}

// revisionBefore loads the latest revision of o (nil when none).
func (c *Commands) revisionBefore(ctx context.Context, o *Estimate, newID string) (*Estimate, error) {
	last := o.lastRevision()
	if last == "" {
		return nil, nil
	}
	if last == newID {
		return NewEstimate(last), nil
	}
	return c.loadEstimate(ctx, last)
}

// abandonUnopened makes sure a latest revision of o that was recorded but
// never opened can never open, now that revision newID takes its place.
// This is the one write before the original's: it touches only a stream
// nobody opened, and only after every check passed.
func (c *Commands) abandonUnopened(ctx context.Context, cmd Command, o, last *Estimate, newID string) error {
	if last == nil || last.id == newID || last.Exists() || last.abandoned != "" {
		return nil
	}
	abandon := Command{ID: DeriveID("abandon/" + last.id), CorrelationID: cmd.CorrelationID, Actor: cmd.Actor}
	_, _, err := update(ctx, c.store, abandon, func() *Estimate { return NewEstimate(last.id) }, func(l *Estimate) error {
		return l.Abandon(o.id, newID)
	})
	if ErrorCode(err) == EConflict {
		return &Error{Code: EConflict, Field: "id", Message: "estimate " + o.id + " already has an open revision, " + last.id + "; decide or cancel it first"}
	}
	return err
}

// Decide records a decision. A revision's decision replaces the decision
// it revises: that one is checked first (still in force, and this its
// open revision). Then the decision number is reserved (decision_number.go)
// and the decided event appended; every check comes before the
// reservation, so a refused decision writes nothing. The revision's
// decided event is the one write that matters; the original's superseded
// event follows at once, and CompleteRevision writes it if it went missing.
func (c *Commands) Decide(ctx context.Context, cmd Command, id string, d Decision) (*Estimate, Result, error) {
	e, r, err := c.estimate(ctx, cmd, id, func(e *Estimate) error {
		if err := e.Decide(d, DateOf(c.now()), c.pricer(ctx)); err != nil {
			return err
		}
		if e.revisionOf != "" {
			o, err := c.loadEstimate(ctx, e.revisionOf)
			if err != nil {
				return err
			}
			if err := o.supersedableBy(id); err != nil {
				return err
			}
		}
		return c.reserveNumber(ctx, cmd, id, d)
	})
	if err == nil && e.RevisionOf() != "" {
		follow := Command{CorrelationID: cmd.CorrelationID, Actor: cmd.Actor}
		// Best effort: a failure here leaves the pair for the revisions
		// process, and read models already show the original replaced.
		_ = c.CompleteRevision(ctx, follow, id, e.RevisionOf())
	}
	return e, r, err
}

// CompleteRevision records on original that its revision revisionID was
// decided, unless that is recorded already. It is idempotent: the revisions
// process calls it for every decided revision it reads from the log.
func (c *Commands) CompleteRevision(ctx context.Context, cmd Command, revisionID, original string) error {
	cmd.ID, cmd.Expected = "", nil
	_, _, err := c.updateEstimate(ctx, cmd, original, func(o *Estimate) error {
		o.Supersede(revisionID)
		return nil
	})
	return err
}
