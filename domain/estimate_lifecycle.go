package domain

import "slices"

// Present records that the estimate was shown to the client.
func (e *Estimate) Present() error {
	if err := e.mutable(); err != nil {
		return err
	}
	if len(e.lines) == 0 {
		return Invalidf("lines", "add at least one service before presenting the estimate")
	}
	if e.status == EstPresented {
		return nil
	}
	record(e, &EstimatePresented{})
	return nil
}

// Decide records an official's decision. The estimate is priced afresh and
// the decision pins that pricing: the pricing date, the versions and entries
// used, the totals and the catalogue position.
func (e *Estimate) Decide(d Decision, pricer Pricer) error {
	if err := e.mutable(); err != nil {
		return err
	}
	if err := d.validate(); err != nil {
		return err
	}
	if len(e.lines) == 0 {
		return Invalidf("lines", "an estimate without services cannot be decided")
	}
	q, pos, err := e.price(e.basis, e.maple, e.personal.Household, e.lines, pricer)
	if err != nil {
		return err
	}
	record(e, &EstimateDecided{Decision: d, Quote: q, CataloguePosition: pos})
	return nil
}

// Cancel drops an estimate that is not decided.
func (e *Estimate) Cancel(reason string) error {
	if err := e.mutable(); err != nil {
		return err
	}
	if err := CheckText("reason", reason, 500, false, true); err != nil {
		return err
	}
	record(e, &EstimateCancelled{Reason: reason})
	return nil
}

// Revise records that revision revisionID of this decided estimate was
// opened. The decision stays in force until the revision is decided.
func (e *Estimate) Revise(revisionID string) error {
	if !e.Exists() {
		return &Error{Code: ENotFound, Message: "there is no estimate " + e.id}
	}
	if e.status != EstDecided {
		return &Error{Code: EConflict, Message: "only a decided estimate in force can be revised; this one is " + string(e.status)}
	}
	record(e, &EstimateRevised{RevisionID: revisionID})
	return nil
}

// OpenRevision opens this (new) estimate as a revision of old, copying its
// client, household, assessment, basis and lines; pricingDate, when set,
// replaces the pricing date.
func (e *Estimate) OpenRevision(old *Estimate, pricingDate Date, pricer Pricer) error {
	if e.Exists() {
		return &Error{Code: EConflict, Field: "id", Message: "estimate " + e.id + " already exists"}
	}
	b := old.basis
	if !pricingDate.IsZero() {
		b.PricingDate = pricingDate
	}
	return e.open(&EstimateOpened{EstimateID: e.id, Personal: old.personal, Maple: old.maple, Segment: old.segment,
		Basis: b, Lines: numberLines(old.lines), RevisionOf: old.id}, pricer)
}

// Supersede records that revision revisionID of this estimate was decided.
func (e *Estimate) Supersede(revisionID string) error {
	if err := e.canBeSupersededBy(revisionID); err != nil {
		return err
	}
	if e.status != EstSuperseded {
		record(e, &EstimateSuperseded{RevisionID: revisionID})
	}
	return nil
}

// canBeSupersededBy says whether revision revisionID may supersede e: e is
// decided and in force, or already superseded by that same revision.
func (e *Estimate) canBeSupersededBy(revisionID string) error {
	if e.status == EstSuperseded && e.supersededBy == revisionID {
		return nil
	}
	if e.status != EstDecided {
		return &Error{Code: EConflict, Message: "the revised estimate " + e.id + " is " + string(e.status) + ", not a decision in force, so this revision cannot replace it"}
	}
	if !slices.Contains(e.revisions, revisionID) {
		return &Error{Code: EConflict, Message: "estimate " + revisionID + " is not a revision of " + e.id}
	}
	return nil
}
