package domain

import "context"

func (c *Commands) estimate(ctx context.Context, cmd Command, id string, decide func(*Estimate) error) (*Estimate, Result, error) {
	if err := ValidUUID("id", id); err != nil {
		return nil, Result{}, &Error{Code: ENotFound, Message: "there is no estimate " + id}
	}
	return c.updateEstimate(ctx, cmd, id, decide)
}

// updateEstimate runs the update loop on a cached copy of the estimate and
// keeps the result when the command landed.
func (c *Commands) updateEstimate(ctx context.Context, cmd Command, id string, decide func(*Estimate) error) (*Estimate, Result, error) {
	e, r, err := update(ctx, c.store, cmd, func() *Estimate { return c.estimates.get(id) }, decide)
	if err == nil && r.Replayed && e.version != r.Version {
		// A retry: answer with the estimate as the first run left it, not
		// with the cached copy of today.
		e = NewEstimate(id)
		err = Load(ctx, c.store, e, r.Position)
		return e, r, err
	}
	if err == nil && e.Exists() && e.version == r.Version {
		c.estimates.put(e.clone())
	}
	return e, r, err
}

// OpenEstimate opens estimate id with a case and prices it.
func (c *Commands) OpenEstimate(ctx context.Context, cmd Command, id string, in CaseInput) (*Estimate, Result, error) {
	if err := ValidUUID("id", id); err != nil {
		return nil, Result{}, err
	}
	return c.updateEstimate(ctx, cmd, id, func(e *Estimate) error { return e.Open(in, c.pricer(ctx)) })
}

// AddLine adds a line to an estimate and returns the line's id.
func (c *Commands) AddLine(ctx context.Context, cmd Command, id string, l Line) (string, *Estimate, Result, error) {
	var lineID string
	e, r, err := c.estimate(ctx, cmd, id, func(e *Estimate) (err error) {
		lineID, err = e.AddLine(l, c.pricer(ctx))
		return err
	})
	return lineID, e, r, err
}

// ChangeLine replaces a line of an estimate.
func (c *Commands) ChangeLine(ctx context.Context, cmd Command, id string, l Line) (*Estimate, Result, error) {
	return c.estimate(ctx, cmd, id, func(e *Estimate) error { return e.ChangeLine(l, c.pricer(ctx)) })
}

// RemoveLine removes a line of an estimate.
func (c *Commands) RemoveLine(ctx context.Context, cmd Command, id, lineID string) (*Estimate, Result, error) {
	return c.estimate(ctx, cmd, id, func(e *Estimate) error { return e.RemoveLine(lineID, c.pricer(ctx)) })
}

// ChangeHousehold replaces the client reference and household figures.
func (c *Commands) ChangeHousehold(ctx context.Context, cmd Command, id string, p Personal) (*Estimate, Result, error) {
	return c.estimate(ctx, cmd, id, func(e *Estimate) error { return e.ChangeHousehold(p, c.pricer(ctx)) })
}

// ChangeAssessment changes the MAPLe level and service-need segment.
func (c *Commands) ChangeAssessment(ctx context.Context, cmd Command, id string, maple int, seg Segment) (*Estimate, Result, error) {
	return c.estimate(ctx, cmd, id, func(e *Estimate) error { return e.ChangeAssessment(maple, seg, c.pricer(ctx)) })
}

// ChangeBasis changes the tariff, income-limit catalogue or pricing date.
func (c *Commands) ChangeBasis(ctx context.Context, cmd Command, id string, b Basis) (*Estimate, Result, error) {
	return c.estimate(ctx, cmd, id, func(e *Estimate) error { return e.ChangeBasis(b, c.pricer(ctx)) })
}

// Reprice prices an estimate against the catalogue as it is now.
func (c *Commands) Reprice(ctx context.Context, cmd Command, id string) (*Estimate, Result, error) {
	return c.estimate(ctx, cmd, id, func(e *Estimate) error { return e.Reprice(c.pricer(ctx)) })
}

// Present records that an estimate was shown to the client.
func (c *Commands) Present(ctx context.Context, cmd Command, id string) (*Estimate, Result, error) {
	return c.estimate(ctx, cmd, id, func(e *Estimate) error { return e.Present() })
}

// Cancel drops an estimate that is not decided.
func (c *Commands) Cancel(ctx context.Context, cmd Command, id, reason string) (*Estimate, Result, error) {
	return c.estimate(ctx, cmd, id, func(e *Estimate) error { return e.Cancel(reason) })
}

// Decide records a decision. When the estimate revises a decided one, that
// one is marked superseded.
//
// Deciding a revision supersedes the estimate it revises. That estimate is
// checked first, so a revision whose original can no longer be superseded
// is refused with nothing written (and only one revision of an estimate can
// be open at a time, see Revise).
func (c *Commands) Decide(ctx context.Context, cmd Command, id string, d Decision) (*Estimate, Result, error) {
	e, r, err := c.estimate(ctx, cmd, id, func(e *Estimate) error {
		if of := e.RevisionOf(); of != "" && e.mutable() == nil {
			old, err := c.Estimate(ctx, of)
			if err != nil {
				return err
			}
			if err := old.canBeSupersededBy(id); err != nil {
				return err
			}
		}
		return e.Decide(d, c.pricer(ctx))
	})
	if err != nil || e.RevisionOf() == "" {
		return e, r, err
	}
	follow := cmd
	follow.Expected = nil
	_, r2, err := c.estimate(ctx, follow, e.RevisionOf(), func(old *Estimate) error { return old.Supersede(id) })
	r.Position = r.Position.Max(r2.Position)
	return e, r, err
}

// Revise opens estimate newID as a revision of the decided estimate id;
// pricingDate, when set, replaces the pricing date.
func (c *Commands) Revise(ctx context.Context, cmd Command, id, newID string, pricingDate Date) (*Estimate, Result, error) {
	if err := ValidUUID("revision_id", newID); err != nil {
		return nil, Result{}, err
	}
	// Price the revision first, so a revision that cannot open leaves the
	// decided estimate untouched.
	if old, err := c.Estimate(ctx, id); err != nil {
		return nil, Result{}, err
	} else if err := NewEstimate(newID).OpenRevision(old, pricingDate, c.pricer(ctx)); err != nil {
		return nil, Result{}, err
	}
	old, _, err := c.estimate(ctx, cmd, id, func(e *Estimate) error {
		if err := c.noOpenRevision(ctx, e, newID); err != nil {
			return err
		}
		return e.Revise(newID)
	})
	if err != nil {
		return nil, Result{}, err
	}
	follow := cmd
	follow.Expected = nil
	return c.updateEstimate(ctx, follow, newID, func(e *Estimate) error { return e.OpenRevision(old, pricingDate, c.pricer(ctx)) })
}

// noOpenRevision refuses a second revision of e while its last one is still
// open (a draft or presented): two open revisions could both be decided. A
// revision that was recorded but never opened (its opening failed) does not
// block. Deciding a revision checks the original again (Decide).
func (c *Commands) noOpenRevision(ctx context.Context, e *Estimate, newID string) error {
	revs := e.revisions
	if len(revs) == 0 || revs[len(revs)-1] == newID {
		return nil
	}
	last := revs[len(revs)-1]
	r, err := c.Estimate(ctx, last)
	if ErrorCode(err) == ENotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if r.status == EstDraft || r.status == EstPresented {
		return &Error{Code: EConflict, Field: "id", Message: "estimate " + e.id + " already has an open revision, " + last + "; decide or cancel it first"}
	}
	return nil
}
