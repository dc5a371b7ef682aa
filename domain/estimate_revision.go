package domain

import (
	"slices"
	"time"
)

// The revision of a decision, seen from the two estimates it involves: the
// original O (decided, in force) and the revision R (a new estimate opened
// as a copy of O). The rules that keep "in force" true:
//   - O records each revision opened from it (EstimateRevised), and a new
//     one only when its latest revision is finished without a decision
//     (cancelled, abandoned, or its id taken by another estimate): so at
//     most one revision of O is open, and at most one is ever decided. A
//     latest revision recorded but not opened yet is being opened (its
//     opening follows at once) until UnopenedRevisionTimeout has passed;
//     after that its opening was cut off, and the next revision abandons it.
//   - R's decision is the moment O stops being in force. O's
//     EstimateSuperseded follows it and may be missing for a while after a
//     crash; read models derive O's state from R's decision, and the
//     revisions process writes the missing event.

// UnopenedRevisionTimeout is how long a revision recorded on its original
// may stay unopened before the next revision of that original abandons it.
const UnopenedRevisionTimeout = time.Minute

// Revise records that revision revisionID of this decided estimate is
// opened. last is the estimate's latest revision so far (nil when none),
// loaded as it stands; now is the time to judge an unopened one by. The
// decision stays in force until the revision is decided.
func (e *Estimate) Revise(revisionID string, last *Estimate, now time.Time) error {
	switch {
	case !e.Exists():
		return &Error{Code: ENotFound, Message: "there is no estimate " + e.id}
	case revisionID == e.id:
		return Invalidf("revision_id", "a revision needs an id of its own, not the id of the estimate it revises")
	case e.status == EstSuperseded:
		return &Error{Code: EConflict, Message: "estimate " + e.id + " was replaced by the decision of its revision " + e.supersededBy + "; revise that one instead"}
	case e.status != EstDecided:
		return &Error{Code: EConflict, Message: "only a decided estimate in force can be revised; this one is " + string(e.status)}
	}
	if last != nil && last.id == revisionID {
		// Recorded before, never opened: the revision is opened now.
		return nil
	}
	if err := e.revisionFinished(last, now); err != nil {
		return err
	}
	record(e, &EstimateRevised{RevisionID: revisionID})
	return nil
}

// revisionFinished returns nil when last, a revision of e, can no longer be
// decided, so another may be opened.
func (e *Estimate) revisionFinished(last *Estimate, now time.Time) error {
	switch {
	case last == nil || last.abandoned != "":
		return nil
	case !last.Exists() && now.Sub(e.revisedAt) < UnopenedRevisionTimeout:
		return &Error{Code: EConflict, Field: "id", Message: "estimate " + e.id + " has a revision being opened, " + last.id + "; try again in a moment"}
	case !last.Exists() || last.revisionOf != e.id:
		// Its opening was cut off (see Abandon), or its id went to
		// another estimate.
		return nil
	}
	switch last.status {
	case EstDraft, EstPresented:
		return &Error{Code: EConflict, Field: "id", Message: "estimate " + e.id + " already has an open revision, " + last.id + "; decide or cancel it first"}
	case EstDecided, EstSuperseded:
		return &Error{Code: EConflict, Message: "estimate " + e.id + " was replaced by the decision of its revision " + last.id + "; revise that one instead"}
	}
	return nil
}

// lastRevision returns the id of the latest revision recorded, or "".
func (e *Estimate) lastRevision() string {
	if len(e.revisions) == 0 {
		return ""
	}
	return e.revisions[len(e.revisions)-1]
}

// Abandon marks this estimate, a revision of original recorded there but
// never opened, as abandoned in favour of replacedBy: it can never open.
func (e *Estimate) Abandon(original, replacedBy string) error {
	if e.Exists() || e.abandoned != "" {
		return &Error{Code: EConflict, Message: "estimate " + e.id + " was opened meanwhile"}
	}
	record(e, &EstimateRevisionAbandoned{RevisionOf: original, ReplacedBy: replacedBy})
	return nil
}

// OpenRevision opens this (new) estimate as a revision of old, copying its
// client, household, assessment, basis and lines; pricingDate, when set,
// replaces the pricing date.
func (e *Estimate) OpenRevision(old *Estimate, pricingDate Date, pricer Pricer) error {
	if err := e.unused("revision_id"); err != nil {
		return err
	}
	b := old.basis
	if !pricingDate.IsZero() {
		b.PricingDate = pricingDate
	}
	return e.open(&EstimateOpened{EstimateID: e.id, Personal: old.personal, Maple: old.maple, Segment: old.segment,
		Basis: b, Lines: numberLines(old.lines), RevisionOf: old.id, Team: old.team}, pricer)
}

// unused returns a conflict naming field unless the estimate's id is free.
func (e *Estimate) unused(field string) error {
	switch {
	case e.Exists():
		return &Error{Code: EConflict, Field: field, Message: "estimate " + e.id + " already exists"}
	case e.abandoned != "":
		return &Error{Code: EConflict, Field: field, Message: "the id " + e.id + " belonged to an abandoned revision of " + e.abandoned + "; use a new id"}
	}
	return nil
}

// Supersede records that revision revisionID of this estimate was decided.
// The decision of the revision checked supersedableBy before it was made;
// so Supersede does nothing when that is recorded already, and nothing when
// the estimate is no decision in force of which revisionID is a revision
// (which only a log from before these rules can hold).
func (e *Estimate) Supersede(revisionID string) {
	if e.status == EstDecided && slices.Contains(e.revisions, revisionID) {
		record(e, &EstimateSuperseded{RevisionID: revisionID})
	}
}

// supersedableBy says whether revision revisionID may replace e: e is
// decided and in force, or already replaced by that same revision, and
// revisionID is its latest revision.
func (e *Estimate) supersedableBy(revisionID string) error {
	switch {
	case !e.Exists():
		return &Error{Code: EConflict, Message: "the revised estimate " + e.id + " does not exist"}
	case e.status == EstSuperseded && e.supersededBy == revisionID:
		return nil
	case e.status != EstDecided:
		return &Error{Code: EConflict, Message: "the revised estimate " + e.id + " is " + string(e.status) + ", not a decision in force, so this revision cannot replace it"}
	case !slices.Contains(e.revisions, revisionID):
		return &Error{Code: EConflict, Message: "estimate " + revisionID + " is not a revision of " + e.id}
	case e.lastRevision() != revisionID:
		return &Error{Code: EConflict, Message: "estimate " + revisionID + " is no longer the open revision of " + e.id + "; its latest revision is " + e.lastRevision()}
	}
	return nil
}
