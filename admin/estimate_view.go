package admin

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// respondEstimate answers an estimate command at once with the estimate as
// the command left it, built from the aggregate in the shape of the read
// model, with the position its events landed at (X-Carecost-Position). A
// query that sends that position back waits for the read models, so the
// client reads its own writes without the command waiting for them.
func (s *Server) respondEstimate(c *fiber.Ctx, status int, r domain.Result, e *domain.Estimate) error {
	c.Set(headerPosition, r.Position.String())
	c.Set(fiber.HeaderETag, etag(r.Version))
	if r.Replayed {
		s.metrics.repeated.Inc()
	}
	d, err := estimateDetail(e, r)
	if err != nil {
		return err
	}
	return c.Status(status).JSON(d)
}

// estimateDetail is the read-model view of an estimate aggregate.
func estimateDetail(e *domain.Estimate, r domain.Result) (projections.EstimateDetail, error) {
	maple, seg := e.Assessment()
	b := e.Basis()
	opened, updated, decided := e.Times()
	d := projections.EstimateDetail{EstimateSummary: projections.EstimateSummary{ID: e.ID(), Status: string(e.Status()),
		ClientRef: e.Personal().ClientRef, Maple: maple, Segment: string(seg), Team: e.Team(), TariffID: b.TariffID, IncomeCatalogueID: b.IncomeCatalogueID,
		PricingDate: b.PricingDate, LineCount: len(e.Lines()), RevisionOf: e.RevisionOf(), SupersededBy: e.SupersededBy(),
		OpenedAt: opened, UpdatedAt: updated, Version: r.Version, Position: r.Position},
		Household: e.Personal().Household, Revisions: e.Revisions(), CancelReason: e.CancelReason(), Quote: json.RawMessage("null")}
	if !decided.IsZero() {
		d.DecidedAt = &decided
	}
	if dec := e.Decision(); dec != nil {
		d.DecisionNumber, d.DecisionDate, d.EffectiveFrom = dec.Number, dec.Date, dec.EffectiveFrom
	}
	if q := e.Quote(); q != nil {
		d.TariffVersion, d.Monthly, d.OneOff, d.Yearly = q.Tariff.Version, q.Monthly, q.OneOff, q.Yearly
		if q.IncomeCatalogue != nil {
			d.IncomeVersion = q.IncomeCatalogue.Version
		}
		raw, err := json.Marshal(q)
		if err != nil {
			return d, err
		}
		d.Quote = raw
	}
	return d, nil
}
