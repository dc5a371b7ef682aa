package domain

import "fmt"

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

// Decide records an official's decision, taken on today (the Helsinki date
// of the command's clock). The estimate is priced afresh and the decision
// pins that pricing: the pricing date, the versions and entries used, the
// totals and the catalogue position. An estimate not presented to the
// client is decided only when the decision says why (Decision.Presented
// false with a NotPresentedReason). The decision date is neither after
// today nor before the day the estimate (for a revision: the revision) was
// opened. The decided event also records the totals presented to the
// client and a warning when the versions in effect on the effective-from
// date are not those of the pricing date.
func (e *Estimate) Decide(d Decision, today Date, pricer Pricer) error {
	if err := e.mutable(); err != nil {
		return err
	}
	if err := d.validate(); err != nil {
		return err
	}
	if err := e.decisionDate(d.Date, today); err != nil {
		return err
	}
	if len(e.lines) == 0 {
		return Invalidf("lines", "an estimate without services cannot be decided")
	}
	d, err := d.presentation(e.status)
	if err != nil {
		return err
	}
	q, pos, err := e.price(e.basis, e.maple, e.personal.Household, e.lines, pricer)
	if err != nil {
		return err
	}
	warn, err := versionWarning(e.basis, d.EffectiveFrom, q, pricer)
	if err != nil {
		return err
	}
	ev := &EstimateDecided{Decision: d, RevisionOf: e.revisionOf, Quote: q, CataloguePosition: pos, VersionWarning: warn}
	if e.status == EstPresented && e.presented != nil {
		t := *e.presented
		ev.PresentedTotals = &t
	}
	record(e, ev)
	return nil
}

// decisionDate refuses a decision date after today or before the day the
// estimate was opened (as the store recorded it, in Helsinki).
func (e *Estimate) decisionDate(date, today Date) error {
	if date.After(today) {
		return &Error{Code: ERefused, Field: "decision_date", Message: fmt.Sprintf(
			"the decision date %s is in the future: a decision is recorded on or after the day it is taken (today is %s)", date, today)}
	}
	if e.openedAt.IsZero() {
		return nil
	}
	if opened := DateOf(e.openedAt); date.Before(opened) {
		what := "estimate"
		if e.revisionOf != "" {
			what = "revision"
		}
		return &Error{Code: ERefused, Field: "decision_date", Message: fmt.Sprintf(
			"the decision date %s is before the %s was opened on %s", date, what, opened)}
	}
	return nil
}

// versionWarning compares the versions quote q was priced with (those in
// effect on the pricing date) with those in effect on effectiveFrom: nil
// when they are the same.
func versionWarning(b Basis, effectiveFrom Date, q Quote, pricer Pricer) (*VersionWarning, error) {
	if effectiveFrom == q.PricingDate {
		return nil, nil
	}
	at := b
	at.PricingDate = effectiveFrom
	w := &VersionWarning{EffectiveFrom: effectiveFrom}
	pb, _, err := pricer(at)
	switch {
	case err == nil:
		w.TariffVersion = pb.Tariff.Number
		if pb.Income != nil {
			w.IncomeVersion = pb.Income.Number
		}
	case ErrorCode(err) == EInvalid || ErrorCode(err) == ENotFound:
		// No version in effect on that date: 0 says so.
	default:
		return nil, err
	}
	income := 0
	if q.IncomeCatalogue != nil {
		income = q.IncomeCatalogue.Version
	}
	if w.TariffVersion == q.Tariff.Version && w.IncomeVersion == income {
		return nil, nil
	}
	return w, nil
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
