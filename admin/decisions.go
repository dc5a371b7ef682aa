package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/projections"
)

// handleDecisionIndex handles GET /api/v1/decisions: the audit trail of
// decisions, filtered by tariff, decision date and whether a later
// correction touched them.
func (s *Server) handleDecisionIndex(c *fiber.Ctx) error {
	q := &query{c: c}
	f := projections.DecisionFilter{
		TariffID:    q.slug("tariff"),
		DecidedFrom: q.date("decided_from"),
		DecidedTo:   q.date("decided_to"),
		Touched:     q.optionalBool("touched"),
		InForce:     q.optionalBool("in_force"),
	}
	f.Limit, f.Offset = q.bounds()
	if q.err == nil && !f.DecidedTo.IsZero() && f.DecidedTo.Before(f.DecidedFrom) {
		q.fail("decided_to", "decided_to is before decided_from")
	}
	if q.err != nil {
		return q.err
	}
	recs, err := s.reads.Decisions(c.UserContext(), f)
	return list(c, recs, err)
}

// handleDecisionGet handles GET /api/v1/decisions/:estimate_id: one decision
// with everything it was computed with.
func (s *Server) handleDecisionGet(c *fiber.Ctx) error {
	rec, err := s.reads.Decision(c.UserContext(), pathParam(c, "estimate_id"))
	if err != nil {
		return err
	}
	return c.JSON(rec)
}
