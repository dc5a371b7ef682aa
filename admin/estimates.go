package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// estimateStatuses lists the statuses the estimate list filters on.
var estimateStatuses = []domain.EstimateStatus{domain.EstDraft, domain.EstPresented, domain.EstDecided, domain.EstSuperseded, domain.EstCancelled}

// openBody is the body of POST /api/v1/estimates: a case and, optionally,
// the estimate's id (a UUID). A case without a pricing date is priced on
// today's date in Helsinki; one without a tariff or an income-limit
// catalogue takes the only one (docs/case-format.md).
type openBody struct {
	ID               string `json:"id,omitempty"`
	domain.CaseInput `carecost:"required=client_ref,maple,segment"`
}

// handleEstimateIndex handles GET /api/v1/estimates: estimates filtered by
// status, segment, MAPLe, client, tariff and opening date, a page at a time.
func (s *Server) handleEstimateIndex(c *fiber.Ctx) error {
	q := &query{c: c}
	f := projections.EstimateFilter{
		Status:     string(oneOf(q, "status", estimateStatuses)),
		Segment:    string(oneOf(q, "segment", domain.Segments)),
		Maple:      q.intIn("maple", 0, 1, 5),
		ClientRef:  q.str("client_ref", 64),
		TariffID:   q.slug("tariff"),
		OpenedFrom: q.date("opened_from"),
		OpenedTo:   q.date("opened_to"),
	}
	f.Limit, f.Offset = q.bounds()
	f.Team, f.Scoped = actorOf(c).Scope()
	if q.err == nil && !f.OpenedTo.IsZero() && f.OpenedTo.Before(f.OpenedFrom) {
		q.fail("opened_to", "opened_to is before opened_from")
	}
	if q.err != nil {
		return q.err
	}
	found, err := s.reads.Estimates(c.UserContext(), f)
	return list(c, found, err)
}

// handleEstimateGet handles GET /api/v1/estimates/:id: the estimate with its
// household, latest quote and links; the ETag is its stream version.
func (s *Server) handleEstimateGet(c *fiber.Ctx) error {
	return s.show(c, fiber.StatusOK, s.estimateView(pathParam(c, "id"), actorOf(c)))
}

// handleEstimateOpen handles POST /api/v1/estimates: opens and prices an
// estimate. Without an id in the body, a request with an Idempotency-Key
// names the same estimate every time it is retried.
func (s *Server) handleEstimateOpen(c *fiber.Ctx) error {
	var b openBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	id := newID(b.ID, cmd, "estimate")
	if b.PricingDate.IsZero() {
		b.PricingDate = domain.DateOf(s.now())
	}
	if err := s.basisDefaults(c.UserContext(), &b.Basis); err != nil {
		return err
	}
	// A retry (the same Idempotency-Key) names the same estimate, and the
	// domain answers it as the first run did.
	e, r, err := s.commands.OpenEstimate(c.UserContext(), cmd, id, b.CaseInput)
	if err != nil {
		return err
	}
	c.Location("/api/v1/estimates/" + id)
	return s.respondEstimate(c, fiber.StatusCreated, r, e)
}
