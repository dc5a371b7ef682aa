package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// handleDecisionIndex handles GET /api/v1/decisions: the audit trail of
// decisions, filtered by tariff (and version), service, who decided,
// segment, decision date, whether a later correction touched them, whether
// they are in force, whether they carry a version warning and whether
// their totals differ from those presented to the client.
func (s *Server) handleDecisionIndex(c *fiber.Ctx) error {
	q := &query{c: c}
	f := projections.DecisionFilter{
		TariffID:      q.slug("tariff"),
		TariffVersion: q.intIn("tariff_version", 0, 1, 1<<30),
		Service:       q.slug("service"),
		DecidedBy:     q.str("decided_by", maxHeaderValue),
		Segment:       string(oneOf(q, "segment", domain.Segments)),
		DecidedFrom:   q.date("decided_from"),
		DecidedTo:     q.date("decided_to"),
		Touched:       q.optionalBool("touched"),
		InForce:       q.optionalBool("in_force"),
		// The checks recorded with a decision.
		VersionWarning: q.optionalBool("version_warning"),
		TotalsChanged:  q.optionalBool("totals_changed"),
	}
	if q.err == nil && f.TariffVersion != 0 && f.TariffID == "" {
		q.fail("tariff_version", "name the tariff too (tariff)")
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
