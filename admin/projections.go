package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// skipBody is the body of POST /api/v1/projections/{name}/skip: the
// position of the event the projection is stopped at ("57", as the status
// shows it), and why it may pass.
type skipBody struct {
	Position string `json:"position" carecost:"required"`
	Reason   string `json:"reason" carecost:"required"`
}

// handleProjectionSkip handles POST /api/v1/projections/:name/skip: the
// stopped projection goes past the event it cannot apply, recorded in the
// log with the reason and the actor, and resumes at once. The answer is the
// projection's status.
func (s *Server) handleProjectionSkip(c *fiber.Ctx) error {
	var b skipBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	pos, err := domain.ParsePosition(b.Position)
	if err != nil {
		return err
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	if s.skipper == nil {
		return domain.Errorf(domain.EUnavailable, "this carecost runs no projections")
	}
	name := pathParam(c, "name")
	r, err := s.skipper.Skip(c.UserContext(), cmd, projections.SkipRequest{Projection: name, Position: pos, Reason: b.Reason})
	if err != nil {
		return err
	}
	c.Set(headerPosition, r.Position.String())
	st, err := s.health.Status(c.UserContext())
	if err != nil {
		return err
	}
	for _, p := range st {
		if p.Name == name {
			return c.JSON(p)
		}
	}
	return c.JSON(projections.Status{Name: name})
}
