package domain

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
// used, the totals and the catalogue position. An estimate not presented to
// the client is decided only when the decision says why (Decision.Presented
// false with a NotPresentedReason).
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
	d, err := d.presentation(e.status)
	if err != nil {
		return err
	}
	q, pos, err := e.price(e.basis, e.maple, e.personal.Household, e.lines, pricer)
	if err != nil {
		return err
	}
	record(e, &EstimateDecided{Decision: d, RevisionOf: e.revisionOf, Quote: q, CataloguePosition: pos})
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
