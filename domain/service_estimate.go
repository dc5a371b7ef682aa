package domain

import "context"

// estimate runs a command on an existing estimate the actor may change.
// One the actor does not see (another team's) is not found, as if it did
// not exist; one they see but may not change (another team's, seen as a
// controller) is forbidden. Both are settled before anything else, the
// version the caller expects included, so the answer for an estimate the
// actor does not see is the same as for one that does not exist. Whether
// an estimate exists and its team never change once it is opened, so the
// check holds for the update that follows.
func (c *Commands) estimate(ctx context.Context, cmd Command, id string, decide func(*Estimate) error) (*Estimate, Result, error) {
	if err := ValidUUID("id", id); err != nil {
		return nil, Result{}, noEstimate(id)
	}
	// A cached estimate exists and keeps its team: only one not cached
	// needs reading first.
	team, exists := c.estimates.team(id)
	if !exists {
		e, err := c.loadEstimate(ctx, id)
		if err != nil {
			return nil, Result{}, err
		}
		team, exists = e.team, e.Exists()
	}
	if err := mayChange(cmd.Actor, id, exists, team); err != nil {
		return nil, Result{}, err
	}
	return c.updateEstimate(ctx, cmd, id, func(e *Estimate) error {
		if err := mayChange(cmd.Actor, id, e.Exists(), e.team); err != nil {
			return err
		}
		return decide(e)
	})
}

// mayChange refuses a command of actor on estimate id (of team) unless it
// exists and the actor may change it.
func mayChange(actor Actor, id string, exists bool, team string) error {
	switch {
	case !exists || !actor.Sees(team):
		return noEstimate(id)
	case !actor.Changes(team):
		yours := "you have no team"
		if actor.Team != "" {
			yours = "yours is " + actor.Team
		}
		return &Error{Code: EForbidden, Message: "estimate " + id + " belongs to team " + team +
			"; a case manager changes only the estimates of their own team, and " + yours}
	}
	return nil
}

func noEstimate(id string) error {
	return &Error{Code: ENotFound, Message: "there is no estimate " + id}
}

// updateEstimate runs the update loop on a cached copy of the estimate and
// keeps the result when the command landed. A retry answers with the
// estimate as the first run left it, which the cache does not keep.
func (c *Commands) updateEstimate(ctx context.Context, cmd Command, id string, decide func(*Estimate) error) (*Estimate, Result, error) {
	e, r, err := updateFrom(ctx, c.store, cmd, func() *Estimate { return c.estimates.get(id) }, func() *Estimate { return NewEstimate(id) }, decide)
	if err == nil && !r.Replayed && e.Exists() {
		c.estimates.put(e.clone())
	}
	return e, r, err
}

// loadEstimate returns estimate id as it now stands (not found: an empty
// aggregate), loading into a cached copy.
func (c *Commands) loadEstimate(ctx context.Context, id string) (*Estimate, error) {
	e := c.estimates.get(id)
	if err := Load(ctx, c.store, e, Position{}); err != nil {
		return nil, err
	}
	return e, nil
}

// OpenEstimate opens estimate id with a case and prices it.
func (c *Commands) OpenEstimate(ctx context.Context, cmd Command, id string, in CaseInput) (*Estimate, Result, error) {
	if err := ValidUUID("id", id); err != nil {
		return nil, Result{}, err
	}
	return c.updateEstimate(ctx, cmd, id, func(e *Estimate) error { return e.Open(in, cmd.Actor.Team, c.pricer(ctx)) })
}

// AddLine adds a line to an estimate and returns the line's id; a retry
// returns the id of the line its first run added.
func (c *Commands) AddLine(ctx context.Context, cmd Command, id string, l Line) (string, *Estimate, Result, error) {
	var lineID string
	e, r, err := c.estimate(ctx, cmd, id, func(e *Estimate) (err error) {
		lineID, err = e.AddLine(l, c.pricer(ctx))
		return err
	})
	if err == nil && r.Replayed {
		// The estimate as the first run left it ends with its line.
		lineID = ""
		if n := len(e.lines); n > 0 {
			lineID = e.lines[n-1].ID
		}
	}
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
