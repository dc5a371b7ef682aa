package domain

import (
	"errors"
	"reflect"
	"slices"
	"strings"
)

// CaseInput is a case to price or to open an estimate with: the client
// reference, MAPLe level, service-need segment, household, the basis (tariff,
// income-limit catalogue, pricing date) and the service lines.
type CaseInput struct {
	ClientRef string    `json:"client_ref,omitempty"`
	Maple     int       `json:"maple,omitempty"`
	Segment   Segment   `json:"segment,omitempty"`
	Household Household `json:"household" carecost:"required"`
	Basis
	Lines []Line `json:"lines"`
}

// checkForQuote checks what a quote reads of a case beyond the household and
// the lines: the segment and MAPLe, which a quote may leave out (they only
// drive hints) but not get wrong.
func (in CaseInput) checkForQuote() error {
	if in.Segment != "" && !slices.Contains(Segments, in.Segment) {
		return Invalidf("segment", "%q is not a service-need segment; use one of %v", in.Segment, Segments)
	}
	if in.Maple < 0 || in.Maple > 5 {
		return Invalidf("maple", "MAPLe is 1 to 5 (or left out in a quote), got %d", in.Maple)
	}
	return nil
}

// mutable returns a conflict error unless the estimate may still change.
func (e *Estimate) mutable() error {
	switch {
	case !e.Exists():
		return &Error{Code: ENotFound, Message: "there is no estimate " + e.id}
	case e.status == EstDecided || e.status == EstSuperseded:
		return &Error{Code: EConflict, Message: "the estimate is decided and cannot change; open a revision instead"}
	case e.status == EstCancelled:
		return &Error{Code: EConflict, Message: "the estimate is cancelled and cannot change"}
	}
	return nil
}

// price prices lines for the given state and records nothing.
func (e *Estimate) price(b Basis, maple int, h Household, lines []Line, pricer Pricer) (Quote, Position, error) {
	pb, pos, err := pricer(b)
	if err != nil {
		return Quote{}, Position{}, err
	}
	q, err := Price(PriceInput{PricingDate: b.PricingDate, Maple: maple, Household: h, Lines: lines}, pb)
	return q, pos, err
}

// recordPriced prices the estimate as it now stands and records the result.
func (e *Estimate) recordPriced(pricer Pricer) error {
	q, pos, err := e.price(e.basis, e.maple, e.personal.Household, e.lines, pricer)
	if err != nil {
		return err
	}
	record(e, &EstimatePriced{Quote: q.Compact(), CataloguePosition: pos})
	return nil
}

// Open opens the estimate with a case for team and prices it. Line ids are
// assigned in order: "l1", "l2", ...
func (e *Estimate) Open(c CaseInput, team string, pricer Pricer) error {
	if err := ValidUUID("id", e.id); err != nil {
		return err
	}
	if err := e.unused("id"); err != nil {
		return err
	}
	return e.open(&EstimateOpened{EstimateID: e.id, Personal: Personal{c.ClientRef, c.Household}, Maple: c.Maple,
		Segment: c.Segment, Basis: c.Basis, Lines: numberLines(c.Lines), Team: team}, pricer)
}

func (e *Estimate) open(ev *EstimateOpened, pricer Pricer) error {
	// A revision copies the client's details as its original holds them,
	// accepted by the rules of their day: a rule on text made stricter
	// since must not stop a decision from being revised.
	if err := ev.Personal.validate(); err != nil && ev.RevisionOf == "" {
		return err
	}
	if err := validAssessment(ev.Maple, ev.Segment); err != nil {
		return err
	}
	if err := ev.Basis.validate(); err != nil {
		return err
	}
	q, pos, err := e.price(ev.Basis, ev.Maple, ev.Personal.Household, ev.Lines, pricer)
	if err != nil {
		return err
	}
	record(e, ev)
	record(e, &EstimatePriced{Quote: q.Compact(), CataloguePosition: pos})
	return nil
}

func numberLines(lines []Line) []Line {
	out := make([]Line, len(lines))
	for i, l := range lines {
		l.ID = lineID(i)
		out[i] = l
	}
	return out
}

func lineID(i int) string { return "l" + itoa(i+1) }

// AddLine adds a service line and prices the estimate; it returns the new
// line's id.
func (e *Estimate) AddLine(l Line, pricer Pricer) (string, error) {
	if err := e.mutable(); err != nil {
		return "", err
	}
	l.ID = lineID(e.nextLine)
	lines := append(e.Lines(), l)
	if _, _, err := e.price(e.basis, e.maple, e.personal.Household, lines, pricer); err != nil {
		return "", unprefixLine(err, len(lines)-1)
	}
	record(e, &EstimateLineAdded{Line: l})
	return l.ID, e.recordPriced(pricer)
}

// ChangeLine replaces line l.ID and prices the estimate.
func (e *Estimate) ChangeLine(l Line, pricer Pricer) error {
	if err := e.mutable(); err != nil {
		return err
	}
	i := e.lineIndex(l.ID)
	if i < 0 {
		return &Error{Code: ENotFound, Field: "line_id", Message: "the estimate has no line " + l.ID}
	}
	lines := e.Lines()
	lines[i] = l
	if _, _, err := e.price(e.basis, e.maple, e.personal.Household, lines, pricer); err != nil {
		return unprefixLine(err, i)
	}
	if reflect.DeepEqual(e.lines[i], l) {
		return nil
	}
	record(e, &EstimateLineChanged{Line: l})
	return e.recordPriced(pricer)
}

// unprefixLine turns a "lines[i].field" error into "field": the caller sent
// one line, not the list.
func unprefixLine(err error, i int) error {
	var de *Error
	p := fieldIndex("lines", i)
	if !errors.As(err, &de) || !strings.HasPrefix(de.Field, p) {
		return err
	}
	c := *de
	c.Field = strings.TrimPrefix(strings.TrimPrefix(de.Field, p), ".")
	return &c
}

// RemoveLine removes line id and prices the estimate.
func (e *Estimate) RemoveLine(id string, pricer Pricer) error {
	if err := e.mutable(); err != nil {
		return err
	}
	if e.lineIndex(id) < 0 {
		return &Error{Code: ENotFound, Field: "line_id", Message: "the estimate has no line " + id}
	}
	record(e, &EstimateLineRemoved{LineID: id})
	return e.recordPriced(pricer)
}

// ChangeHousehold replaces the client reference and household figures.
func (e *Estimate) ChangeHousehold(p Personal, pricer Pricer) error {
	if err := e.mutable(); err != nil {
		return err
	}
	if err := p.validate(); err != nil {
		return err
	}
	if reflect.DeepEqual(p, e.personal) {
		return nil
	}
	if _, _, err := e.price(e.basis, e.maple, p.Household, e.lines, pricer); err != nil {
		return err
	}
	record(e, &EstimateHouseholdChanged{Personal: p})
	return e.recordPriced(pricer)
}

// ChangeAssessment changes the MAPLe level and service-need segment.
func (e *Estimate) ChangeAssessment(maple int, seg Segment, pricer Pricer) error {
	if err := e.mutable(); err != nil {
		return err
	}
	if err := validAssessment(maple, seg); err != nil {
		return err
	}
	if maple == e.maple && seg == e.segment {
		return nil
	}
	record(e, &EstimateAssessmentChanged{Maple: maple, Segment: seg})
	return e.recordPriced(pricer)
}

// ChangeBasis changes the tariff, income-limit catalogue or pricing date.
func (e *Estimate) ChangeBasis(b Basis, pricer Pricer) error {
	if err := e.mutable(); err != nil {
		return err
	}
	if err := b.validate(); err != nil {
		return err
	}
	if b == e.basis {
		return nil
	}
	if _, _, err := e.price(b, e.maple, e.personal.Household, e.lines, pricer); err != nil {
		return err
	}
	record(e, &EstimateBasisChanged{Basis: b})
	return e.recordPriced(pricer)
}

// Reprice prices the estimate against the catalogue as it is now, and
// records the result when it differs from the last one.
func (e *Estimate) Reprice(pricer Pricer) error {
	if err := e.mutable(); err != nil {
		return err
	}
	q, pos, err := e.price(e.basis, e.maple, e.personal.Household, e.lines, pricer)
	if err != nil {
		return err
	}
	q = q.Compact()
	if e.quote != nil && reflect.DeepEqual(q, e.quote.Compact()) {
		return nil
	}
	record(e, &EstimatePriced{Quote: q, CataloguePosition: pos})
	return nil
}
