package domain

import "slices"

// Segment is a client's service-need segment (DOMAIN.md A.5, seed 000).
type Segment string

// Service-need segments.
const (
	SegOccasional  Segment = "occasional"
	SegContinuous  Segment = "continuous"
	SegMultiSector Segment = "multi_sector"
	SegAnticipated Segment = "anticipated"
)

// Segments lists every segment.
var Segments = []Segment{SegOccasional, SegContinuous, SegMultiSector, SegAnticipated}

// EstimateStatus is where an estimate is in its life (DOMAIN.md A.4).
type EstimateStatus string

// Estimate statuses.
const (
	EstDraft      EstimateStatus = "draft"
	EstPresented  EstimateStatus = "presented"
	EstDecided    EstimateStatus = "decided"
	EstSuperseded EstimateStatus = "superseded"
	EstCancelled  EstimateStatus = "cancelled"
)

func validAssessment(maple int, seg Segment) error {
	if maple < 1 || maple > 5 {
		return Invalidf("maple", "MAPLe is 1 to 5, got %d", maple)
	}
	if !slices.Contains(Segments, seg) {
		return Invalidf("segment", "%q is not a service-need segment; use one of %v", seg, Segments)
	}
	return nil
}

func (b Basis) validate() error {
	if err := ValidSlug("tariff", b.TariffID); err != nil {
		return err
	}
	if b.IncomeCatalogueID != "" {
		if err := ValidSlug("income_catalogue", b.IncomeCatalogueID); err != nil {
			return err
		}
	}
	if b.PricingDate.IsZero() {
		return Invalidf("pricing_date", "a pricing date is required")
	}
	return nil
}

func (p Personal) validate() error {
	if p.ClientRef == "" {
		return Invalidf("client_ref", "a client reference is required")
	}
	if err := CheckText("client_ref", p.ClientRef, 64, true, false); err != nil {
		return err
	}
	return prefixField("household", p.Household.Validate())
}

func (d Decision) validate() error {
	if d.Number == "" || len(d.Number) > 64 {
		return Invalidf("decision_number", "a decision number of 1 to 64 characters is required")
	}
	if err := CheckText("decision_number", d.Number, 64, true, false); err != nil {
		return err
	}
	if d.Date.IsZero() {
		return Invalidf("decision_date", "a decision date is required")
	}
	if d.EffectiveFrom.IsZero() {
		return Invalidf("effective_from", "an effective-from date is required")
	}
	if d.NotPresentedReason != "" {
		return CheckText("not_presented_reason", d.NotPresentedReason, 500, true, true)
	}
	return nil
}

// presentation completes d with whether the estimate, now in status, was
// presented to the client: an estimate still a draft is decided only when
// the decision says why it was not presented.
func (d Decision) presentation(status EstimateStatus) (Decision, error) {
	said := d.Presented
	switch {
	case status == EstPresented && said != nil && !*said:
		return d, Invalidf("presented", "the estimate was presented to the client; leave presented out or set it to true")
	case status == EstPresented && d.NotPresentedReason != "":
		return d, Invalidf("not_presented_reason", "the estimate was presented to the client, so there is no reason to give for not presenting it")
	case status == EstPresented:
		d.Presented = new(true)
	case said == nil || *said:
		return d, &Error{Code: EConflict, Field: "presented", Message: "the estimate has not been presented to the client: present it first, " +
			"or decide it without presenting by sending presented: false and a not_presented_reason"}
	case d.NotPresentedReason == "":
		return d, Invalidf("not_presented_reason", "say why the estimate is decided without presenting it to the client")
	}
	return d, nil
}
