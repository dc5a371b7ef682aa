package projections

import (
	"cmp"
	"fmt"
	"strings"
	"time"

	"carecost/domain"
)

// estimateRow is an estimate being folded. Its ClientRef stays empty: the
// personal data is written to estimate_personal, when it changed in the
// batch (personal), and not kept in memory afterwards.
type estimateRow struct {
	EstimateSummary
	personal       *domain.Personal // set in the batch that changed it
	household      string           // its household's JSON, when Prepare wrote it ("": not yet)
	revisions      []string
	cancelReason   string
	pricingVersion int64  // stream version of the latest priced or decided event (-1: none)
	pricing        []byte // its payload, when it is in the batch being applied
	pricingPos     domain.Position
	pricingFresh   bool // pricing changed in this batch
	pricingDecide  bool // the latest pricing is a decision
	dirty          bool // changed in this batch
}

func (r *estimateRow) apply(e domain.RecordedEvent, prepared *preparedCache[preparedEstimate]) error {
	r.ID, r.Version, r.Position, r.UpdatedAt = strings.TrimPrefix(e.Stream, "estimate-"), int64(e.Version), e.Position, e.RecordedAt
	switch e.Type {
	case domain.EvEstimateOpened:
		pr, err := decodeOpened(e, prepared)
		if err != nil {
			return err
		}
		p := pr.opened
		r.Status, r.personal, r.household, r.Maple, r.Segment = string(domain.EstDraft), &p.Personal, pr.household, p.Maple, string(p.Segment)
		r.setBasis(p.Basis)
		r.LineCount, r.RevisionOf, r.OpenedAt, r.Team = len(p.Lines), p.RevisionOf, e.RecordedAt, p.Team
		meta := pr.by
		if meta == nil {
			if meta, err = openedBy(e); err != nil {
				return err
			}
		}
		r.OpenedBy, r.OpenedByName = meta.ActorID, meta.ActorName
	case domain.EvEstimateLineAdded:
		r.LineCount++
		r.Status = string(domain.EstDraft)
	case domain.EvEstimateLineRemoved:
		r.LineCount--
		r.Status = string(domain.EstDraft)
	case domain.EvEstimatePriced, domain.EvEstimateDecided:
		// Read (and upcast) by summarise, only the batch's last one: the
		// estimate does not depend on a pricing a later one replaces, nor on
		// the payload of a line it only counts, so a replay leaves them
		// untouched.
		r.pricing, r.pricingFresh, r.pricingDecide = e.Data, true, e.Type == domain.EvEstimateDecided
		r.pricingVersion, r.pricingPos = int64(e.Version), e.Position
		if r.pricingDecide {
			at := e.RecordedAt
			r.Status, r.DecidedAt = string(domain.EstDecided), &at
		}
	default:
		return r.applyOther(e)
	}
	return nil
}

func (r *estimateRow) setBasis(b domain.Basis) {
	r.TariffID, r.IncomeCatalogueID, r.PricingDate = b.TariffID, b.IncomeCatalogueID, b.PricingDate
}

// applyOther applies the small events that carry their own payload.
func (r *estimateRow) applyOther(e domain.RecordedEvent) error {
	p, err := domain.DecodePayload(e.Type, e.Data)
	if err != nil {
		return err
	}
	switch p := p.(type) {
	case *domain.EstimateLineChanged:
		r.Status = string(domain.EstDraft)
	case *domain.EstimateHouseholdChanged:
		r.personal, r.household, r.Status = &p.Personal, "", string(domain.EstDraft)
	case *domain.EstimateAssessmentChanged:
		r.Maple, r.Segment, r.Status = p.Maple, string(p.Segment), string(domain.EstDraft)
	case *domain.EstimateBasisChanged:
		r.setBasis(p.Basis)
		r.Status = string(domain.EstDraft)
	case *domain.EstimatePresented:
		r.Status = string(domain.EstPresented)
	case *domain.EstimateRevised:
		r.revisions = append(r.revisions, p.RevisionID)
	case *domain.EstimateSuperseded:
		// The revision's decision superseded the estimate already (supersede);
		// this follow-up changes nothing then.
		r.Status, r.SupersededBy = string(domain.EstSuperseded), cmp.Or(r.SupersededBy, p.RevisionID)
	case *domain.EstimateCancelled:
		r.Status, r.cancelReason = string(domain.EstCancelled), p.Reason
	}
	return nil
}

// decodeOpened decodes an opened event, or takes it as Prepare decoded it
// (then with who opened it and its household's JSON).
func decodeOpened(e domain.RecordedEvent, prepared *preparedCache[preparedEstimate]) (preparedEstimate, error) {
	if pr, ok := prepared.take(e.Position); ok && (pr.opened != nil || pr.err != nil) {
		return pr, pr.err
	}
	d, err := domain.DecodePayload(e.Type, e.Data)
	if err != nil {
		return preparedEstimate{}, err
	}
	p, ok := d.(*domain.EstimateOpened)
	if !ok {
		return preparedEstimate{}, fmt.Errorf("projections: %s decoded as %T", e.Type, d)
	}
	return preparedEstimate{opened: p}, nil
}

// openedBy reads who opened an estimate from its opened event's metadata.
func openedBy(e domain.RecordedEvent) (*domain.Meta, error) {
	meta, err := domain.DecodeMeta(e.Metadata)
	if err != nil {
		return nil, fmt.Errorf("projections: %s metadata: %w", e.Type, err)
	}
	return &meta, nil
}

// summarise reads the totals and versions of the latest pricing (or takes
// them as Prepare read them).
func (r *estimateRow) summarise(prepared *preparedCache[preparedEstimate]) error {
	typ := domain.EvEstimatePriced
	if r.pricingDecide {
		typ = domain.EvEstimateDecided
	}
	var h pricingHead
	var err error
	if pr, ok := prepared.take(r.pricingPos); ok && (pr.head != nil || pr.err != nil) {
		if pr.head != nil {
			h = *pr.head
		}
		err = pr.err
	} else {
		h, err = readPricingHead(typ, r.pricing)
	}
	if err != nil {
		return err
	}
	r.TariffVersion, r.IncomeVersion, r.Monthly, r.OneOff, r.Yearly = h.TariffVersion, h.IncomeVersion, h.Monthly, h.OneOff, h.Yearly
	if r.pricingDecide {
		r.DecisionNumber, r.DecisionDate, r.EffectiveFrom = h.Decision.Number, h.Decision.Date, h.Decision.EffectiveFrom
	}
	return nil
}

func unixNanos(t *time.Time) int64 {
	if t == nil || t.IsZero() {
		return 0
	}
	return t.UnixNano()
}
