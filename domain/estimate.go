package domain

import (
	"slices"
	"strings"
	"time"
)

// EstimateStream returns the stream name of estimate id.
func EstimateStream(id string) string { return "estimate-" + id }

// Pricer resolves a basis into the versions in effect and the log position up
// to which the catalogue was known. Commands that change an estimate price it
// through the Pricer they are given.
type Pricer func(b Basis) (PriceBasis, Position, error)

// Estimate is the cost-estimate aggregate (stream "estimate-<uuid>").
type Estimate struct {
	root
	id           string
	status       EstimateStatus
	personal     Personal
	maple        int
	segment      Segment
	basis        Basis
	lines        []Line
	nextLine     int
	quote        *Quote
	cataloguePos Position
	decision     *Decision
	presented    *QuoteTotals // the totals when the estimate was last presented
	revisionOf   string
	team         string
	revisions    []string
	revisedAt    time.Time // when the latest revision was recorded
	supersededBy string
	cancelReason string
	abandoned    string    // the revision of another estimate that never opened: the original's id
	openedAt     time.Time // recorded times: zero for events of the running command
	updatedAt    time.Time
	decidedAt    time.Time
}

// NewEstimate returns an empty estimate aggregate for id, to load or open.
func NewEstimate(id string) *Estimate { return &Estimate{root: newRoot(), id: strings.Clone(id)} }

// Stream returns the estimate's stream name.
func (e *Estimate) Stream() string { return EstimateStream(e.id) }

// Exists reports whether the estimate was opened.
func (e *Estimate) Exists() bool { return e.status != "" }

// ID returns the estimate id.
func (e *Estimate) ID() string { return e.id }

// Status returns the estimate's status.
func (e *Estimate) Status() EstimateStatus { return e.status }

// Personal returns the client reference and household.
func (e *Estimate) Personal() Personal { return e.personal }

// Assessment returns the MAPLe level and service-need segment.
func (e *Estimate) Assessment() (int, Segment) { return e.maple, e.segment }

// Basis returns what the estimate is priced against.
func (e *Estimate) Basis() Basis { return e.basis }

// Lines returns a copy of the estimate's lines.
func (e *Estimate) Lines() []Line { return slices.Clone(e.lines) }

// Quote returns the latest pricing (nil before the first).
func (e *Estimate) Quote() *Quote { return e.quote }

// CataloguePosition returns the position up to which the catalogue was known
// at the latest pricing.
func (e *Estimate) CataloguePosition() Position { return e.cataloguePos }

// Decision returns the decision, or nil.
func (e *Estimate) Decision() *Decision { return e.decision }

// Team returns the team the estimate belongs to ("" for one recorded
// without a team).
func (e *Estimate) Team() string { return e.team }

// RevisionOf returns the id of the estimate this one revises, or "".
func (e *Estimate) RevisionOf() string { return e.revisionOf }

// Revisions returns the ids of revisions opened from this estimate.
func (e *Estimate) Revisions() []string { return slices.Clone(e.revisions) }

// SupersededBy returns the id of the decided revision, or "".
func (e *Estimate) SupersededBy() string { return e.supersededBy }

// CancelReason returns why the estimate was cancelled.
func (e *Estimate) CancelReason() string { return e.cancelReason }

// Times returns when the estimate was opened, last changed and decided, as
// the store recorded them; zero for what the running command recorded.
func (e *Estimate) Times() (opened, updated, decided time.Time) {
	return e.openedAt, e.updatedAt, e.decidedAt
}

func (e *Estimate) apply(ev Event) {
	if changes(ev.Payload) {
		e.updatedAt = ev.RecordedAt
	}
	switch p := ev.Payload.(type) {
	case *EstimateOpened:
		e.status, e.personal, e.maple, e.segment, e.basis = EstDraft, p.Personal, p.Maple, p.Segment, p.Basis
		e.lines, e.revisionOf, e.openedAt, e.team = slices.Clone(p.Lines), p.RevisionOf, ev.RecordedAt, p.Team
		e.nextLine = len(p.Lines)
	case *EstimateLineAdded:
		e.lines = append(e.lines, p.Line)
		e.nextLine++
		e.status = EstDraft
	case *EstimateLineChanged:
		e.lines[e.lineIndex(p.Line.ID)] = p.Line
		e.status = EstDraft
	case *EstimateLineRemoved:
		e.lines = slices.Delete(e.lines, e.lineIndex(p.LineID), e.lineIndex(p.LineID)+1)
		e.status = EstDraft
	case *EstimateHouseholdChanged:
		e.personal, e.status = p.Personal, EstDraft
	case *EstimateAssessmentChanged:
		e.maple, e.segment, e.status = p.Maple, p.Segment, EstDraft
	case *EstimateBasisChanged:
		e.basis, e.status = p.Basis, EstDraft
	case *EstimatePriced:
		q := p.Quote
		e.quote, e.cataloguePos = &q, p.CataloguePosition
	case *EstimatePresented:
		e.status = EstPresented
		if e.quote != nil {
			t := TotalsOf(*e.quote)
			e.presented = &t
		}
	case *EstimateDecided:
		q, d := p.Quote, p.Decision
		e.status, e.quote, e.cataloguePos, e.decision, e.decidedAt = EstDecided, &q, p.CataloguePosition, &d, ev.RecordedAt
	case *EstimateRevised:
		e.revisions, e.revisedAt = append(e.revisions, p.RevisionID), ev.RecordedAt
	case *EstimateSuperseded:
		e.status, e.supersededBy = EstSuperseded, p.RevisionID
	case *EstimateCancelled:
		e.status, e.cancelReason = EstCancelled, p.Reason
	case *EstimateRevisionAbandoned:
		e.abandoned = p.RevisionOf
	}
}

// stamp implements stamper: the events of the command just appended were
// recorded at t.
func (e *Estimate) stamp(t time.Time) {
	for _, p := range e.changes {
		if changes(p) {
			e.updatedAt = t
		}
		switch p.(type) {
		case *EstimateOpened:
			e.openedAt = t
		case *EstimateDecided:
			e.decidedAt = t
		case *EstimateRevised:
			e.revisedAt = t
		}
	}
}

// changes reports whether an event changes the estimate (a no-op does not).
func changes(p Payload) bool {
	_, noop := p.(*CommandNoop)
	return !noop
}

func (e *Estimate) lineIndex(id string) int {
	return slices.IndexFunc(e.lines, func(l Line) bool { return l.ID == id })
}
