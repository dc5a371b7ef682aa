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
	st, err := s.projectionStatus(c, name)
	if err != nil {
		return err
	}
	return c.JSON(st)
}

// projectionStatus returns the named projection's status.
func (s *Server) projectionStatus(c *fiber.Ctx, name string) (projections.Status, error) {
	st, err := s.health.Status(c.UserContext())
	if err != nil {
		return projections.Status{}, err
	}
	for _, p := range st {
		if p.Name == name {
			return p, nil
		}
	}
	return projections.Status{Name: name}, nil
}

// handleProjectionRebuild handles POST /api/v1/projections/:name/rebuild:
// the projection is rebuilt beside its live read model, which answers until
// the rebuilt one has caught up with the log and replaces it. The answer,
// 202 at once, is the projection's status with the rebuild's progress;
// GET /api/v1/status follows it. A projection being rebuilt already is a
// conflict (409).
func (s *Server) handleProjectionRebuild(c *fiber.Ctx) error {
	if err := decodeBody(c, &emptyBody{}, true); err != nil {
		return err
	}
	if s.rebuilder == nil {
		return domain.Errorf(domain.EUnavailable, "this carecost runs no projections")
	}
	name := pathParam(c, "name")
	if _, err := s.rebuilder.StartRebuild(name); err != nil {
		return err
	}
	s.log.Info("projection rebuild requested", "projection", name, "user", actorOf(c).ID)
	st, err := s.projectionStatus(c, name)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusAccepted).JSON(st)
}
