package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// handleServiceIndex handles GET /api/v1/services: every catalogue service,
// retired ones included.
func (s *Server) handleServiceIndex(c *fiber.Ctx) error {
	svcs, err := s.reads.Services(c.UserContext())
	return list(c, svcs, err)
}

// handleServiceGet handles GET /api/v1/services/:id.
func (s *Server) handleServiceGet(c *fiber.Ctx) error {
	return s.show(c, fiber.StatusOK, s.serviceView(pathParam(c, "id")))
}

// handleServicePut handles PUT /api/v1/services/:id: defines the service or
// changes its definition. The id in the path wins; a different id in the
// body is an error.
func (s *Server) handleServicePut(c *fiber.Ctx) error {
	var svc domain.Service
	if err := decodeBody(c, &svc, false); err != nil {
		return err
	}
	id := pathParam(c, "id")
	if err := samePathValue("id", &svc.ID, id); err != nil {
		return err
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	r, err := s.commands.DefineService(c.UserContext(), cmd, svc)
	if err != nil {
		return err
	}
	return s.respond(c, fiber.StatusOK, r, s.serviceView(id))
}

// handleServiceRetire handles POST /api/v1/services/:id/retire: the service
// is no longer offered but stays for history.
func (s *Server) handleServiceRetire(c *fiber.Ctx) error {
	if err := decodeBody(c, &emptyBody{}, true); err != nil {
		return err
	}
	id := pathParam(c, "id")
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	r, err := s.commands.RetireService(c.UserContext(), cmd, id)
	if err != nil {
		return err
	}
	return s.respond(c, fiber.StatusOK, r, s.serviceView(id))
}
