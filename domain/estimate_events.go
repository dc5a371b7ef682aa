package domain

// Event type names of the estimate streams ("estimate-<uuid>").
const (
	EvEstimateOpened            = "carecost.estimate.opened"
	EvEstimateLineAdded         = "carecost.estimate.line_added"
	EvEstimateLineChanged       = "carecost.estimate.line_changed"
	EvEstimateLineRemoved       = "carecost.estimate.line_removed"
	EvEstimateHouseholdChanged  = "carecost.estimate.household_changed"
	EvEstimateAssessmentChanged = "carecost.estimate.assessment_changed"
	EvEstimateBasisChanged      = "carecost.estimate.pricing_basis_changed"
	EvEstimatePriced            = "carecost.estimate.priced"
	EvEstimatePresented         = "carecost.estimate.presented"
	EvEstimateDecided           = "carecost.estimate.decided"
	EvEstimateRevised           = "carecost.estimate.revised"
	EvEstimateSuperseded        = "carecost.estimate.superseded"
	EvEstimateCancelled         = "carecost.estimate.cancelled"
)

// Personal is the personal data of an estimate: the client reference and the
// household's economic figures. Every estimate payload keeps its personal data
// in this one sub-object (JSON key "personal") and nowhere else, so it can be
// encrypted with a per-client key, and erased by shredding that key, in one
// place.
type Personal struct {
	ClientRef string    `json:"client_ref" carecost:"required"`
	Household Household `json:"household" carecost:"required"`
}

// Basis says what an estimate is priced against: a tariff, an income-limit
// catalogue (optional when no fee is income-based) and a pricing date.
type Basis struct {
	TariffID          string `json:"tariff"`
	IncomeCatalogueID string `json:"income_catalogue,omitempty"`
	PricingDate       Date   `json:"pricing_date"`
}

// EstimateOpened: a case manager opened an estimate (a revision of a decided
// one when RevisionOf is set, with its lines copied).
type EstimateOpened struct {
	Schema
	EstimateID string   `json:"estimate_id"`
	Personal   Personal `json:"personal"`
	Maple      int      `json:"maple"`
	Segment    Segment  `json:"segment"`
	Basis      Basis    `json:"basis"`
	Lines      []Line   `json:"lines,omitempty"`
	RevisionOf string   `json:"revision_of,omitempty"`
	// Team is the team of the case manager who opened the estimate (of the
	// original, for a revision): the team whose case managers see it.
	Team string `json:"team,omitempty"`
}

// EstimateLineAdded: a service line added.
type EstimateLineAdded struct {
	Schema
	Line Line `json:"line"`
}

// EstimateLineChanged: a service line replaced.
type EstimateLineChanged struct {
	Schema
	Line Line `json:"line"`
}

// EstimateLineRemoved: a service line removed.
type EstimateLineRemoved struct {
	Schema
	LineID string `json:"line_id"`
}

// EstimateHouseholdChanged: the client reference or household figures
// changed.
type EstimateHouseholdChanged struct {
	Schema
	Personal Personal `json:"personal"`
}

// EstimateAssessmentChanged: the MAPLe level or service-need segment changed.
type EstimateAssessmentChanged struct {
	Schema
	Maple   int     `json:"maple"`
	Segment Segment `json:"segment"`
}

// EstimateBasisChanged: the tariff, income-limit catalogue or pricing date
// changed.
type EstimateBasisChanged struct {
	Schema
	Basis Basis `json:"basis"`
}

// EstimatePriced: the figures the case manager saw after a change, with the
// log position up to which the catalogue was known. The quote comes last in
// JSON but for its personal figures, which are in the payload's "personal"
// part (pricing_codec.go).
type EstimatePriced struct {
	Schema
	CataloguePosition Position `json:"catalogue_position"`
	Quote             Quote    `json:"quote"`
}

// EstimatePresented: the estimate was shown to the client.
type EstimatePresented struct {
	Schema
}

// Decision is an official's decision on an estimate.
type Decision struct {
	Number        string `json:"decision_number" carecost:"required"`
	Date          Date   `json:"decision_date" carecost:"required"`
	EffectiveFrom Date   `json:"effective_from" carecost:"required"`
	// Presented says whether the estimate was presented to the client
	// before the decision. A decided event records it (nil only in
	// decisions recorded before it was kept); a request may leave it out
	// for an estimate that was presented.
	Presented *bool `json:"presented,omitempty"`
	// NotPresentedReason says why an estimate was decided without being
	// presented: required then, refused otherwise.
	NotPresentedReason string `json:"not_presented_reason,omitempty"`
}

// EstimateDecided: the decision, pinning what it was computed with: the
// quote (pricing date, tariff and income-table versions, every entry used,
// the totals) and the log position up to which the catalogue was known. The
// quote's personal figures are in the payload's "personal" part, as in
// EstimatePriced.
type EstimateDecided struct {
	Schema
	Decision
	// RevisionOf names the decision this one replaces, when the estimate
	// is a revision (as its opened event says).
	RevisionOf        string   `json:"revision_of,omitempty"`
	CataloguePosition Position `json:"catalogue_position"`
	Quote             Quote    `json:"quote"`
	// VersionWarning is set when the tariff or income-limit catalogue
	// version in effect on the effective-from date is not the one in
	// effect on the pricing date, which the decision was priced with.
	// Absent: no warning (and in decisions recorded before it was kept).
	VersionWarning *VersionWarning `json:"version_warning,omitempty"`
	// PresentedTotals are the totals of the estimate as it was presented
	// to the client; the decision's own (Quote) differ from them when a
	// price changed in between. Absent for an estimate decided without
	// being presented (and in decisions recorded before they were kept).
	PresentedTotals *QuoteTotals `json:"presented_totals,omitempty"`
}

// VersionWarning names the versions in effect on a decision's
// effective-from date, when one differs from the version the decision was
// priced with (in effect on its pricing date). A version 0 means none was
// in effect on that date; IncomeVersion is 0 too for a decision priced
// without an income-limit catalogue.
type VersionWarning struct {
	EffectiveFrom Date `json:"effective_from"`
	TariffVersion int  `json:"tariff_version"`
	IncomeVersion int  `json:"income_version,omitempty"`
}

// QuoteTotals are a quote's totals per month, one-off and per year.
type QuoteTotals struct {
	Monthly Totals `json:"monthly"`
	OneOff  Totals `json:"one_off"`
	Yearly  Totals `json:"yearly"`
}

// TotalsOf returns the totals of q.
func TotalsOf(q Quote) QuoteTotals {
	return QuoteTotals{Monthly: q.Monthly, OneOff: q.OneOff, Yearly: q.Yearly}
}

// TotalsChanged reports whether the decision's totals differ from those
// presented to the client (false when none were recorded).
func (p *EstimateDecided) TotalsChanged() bool {
	return p.PresentedTotals != nil && *p.PresentedTotals != TotalsOf(p.Quote)
}

// EstimateRevised: a revision of this decided estimate was opened.
type EstimateRevised struct {
	Schema
	RevisionID string `json:"revision_id"`
}

// EstimateSuperseded: a revision of this estimate was decided.
type EstimateSuperseded struct {
	Schema
	RevisionID string `json:"revision_id"`
}

// EstimateCancelled: the estimate was dropped before a decision.
type EstimateCancelled struct {
	Schema
	Reason string `json:"reason,omitempty"`
}

// EventType implements Payload.
func (*EstimateOpened) EventType() string { return EvEstimateOpened }

// EventType implements Payload.
func (*EstimateLineAdded) EventType() string { return EvEstimateLineAdded }

// EventType implements Payload.
func (*EstimateLineChanged) EventType() string { return EvEstimateLineChanged }

// EventType implements Payload.
func (*EstimateLineRemoved) EventType() string { return EvEstimateLineRemoved }

// EventType implements Payload.
func (*EstimateHouseholdChanged) EventType() string { return EvEstimateHouseholdChanged }

// EventType implements Payload.
func (*EstimateAssessmentChanged) EventType() string { return EvEstimateAssessmentChanged }

// EventType implements Payload.
func (*EstimateBasisChanged) EventType() string { return EvEstimateBasisChanged }

// EventType implements Payload.
func (*EstimatePriced) EventType() string { return EvEstimatePriced }

// EventType implements Payload.
func (*EstimatePresented) EventType() string { return EvEstimatePresented }

// EventType implements Payload.
func (*EstimateDecided) EventType() string { return EvEstimateDecided }

// EventType implements Payload.
func (*EstimateRevised) EventType() string { return EvEstimateRevised }

// EventType implements Payload.
func (*EstimateSuperseded) EventType() string { return EvEstimateSuperseded }

// EventType implements Payload.
func (*EstimateCancelled) EventType() string { return EvEstimateCancelled }

func init() {
	register(1, func() Payload { return &EstimateOpened{} })
	register(1, func() Payload { return &EstimateLineAdded{} })
	register(1, func() Payload { return &EstimateLineChanged{} })
	register(1, func() Payload { return &EstimateLineRemoved{} })
	register(1, func() Payload { return &EstimateHouseholdChanged{} })
	register(1, func() Payload { return &EstimateAssessmentChanged{} })
	register(1, func() Payload { return &EstimateBasisChanged{} })
	register(1, func() Payload { return &EstimatePresented{} })
	register(1, func() Payload { return &EstimateRevised{} })
	register(1, func() Payload { return &EstimateSuperseded{} })
	register(1, func() Payload { return &EstimateCancelled{} })
}
