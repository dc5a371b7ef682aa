package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// changeUser runs a command on the user of the path and answers with the
// user as it left them.
func (s *Server) changeUser(c *fiber.Ctx, body any, run func(cmd domain.Command, name string) (domain.Result, error)) error {
	if body != nil {
		if err := decodeBody(c, body, false); err != nil {
			return err
		}
	} else if _, err := bodyExpected(c); err != nil {
		return err
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	name := pathParam(c, "name")
	r, err := run(cmd, name)
	if err != nil {
		return err
	}
	return s.answerAt(c, fiber.StatusOK, r, s.userAt(name))
}

// handleUserRoles handles PUT /api/v1/users/:name/roles.
func (s *Server) handleUserRoles(c *fiber.Ctx) error {
	var b rolesBody
	return s.changeUser(c, &b, func(cmd domain.Command, name string) (domain.Result, error) {
		return s.commands.SetUserRoles(c.UserContext(), cmd, name, b.Roles)
	})
}

// handleUserTeam handles PUT /api/v1/users/:name/team.
func (s *Server) handleUserTeam(c *fiber.Ctx) error {
	var b teamBody
	return s.changeUser(c, &b, func(cmd domain.Command, name string) (domain.Result, error) {
		return s.commands.SetUserTeam(c.UserContext(), cmd, name, b.Team)
	})
}

// handleUserPassword handles PUT /api/v1/users/:name/password.
func (s *Server) handleUserPassword(c *fiber.Ctx) error {
	var b passwordBody
	return s.changeUser(c, &b, func(cmd domain.Command, name string) (domain.Result, error) {
		h, err := hashPassword(b.Password)
		if err != nil {
			return domain.Result{}, err
		}
		return s.commands.SetUserPassword(c.UserContext(), cmd, name, h)
	})
}

// handleUserDisable handles POST /api/v1/users/:name/disable: the user can
// no longer sign in, and their tokens stop working at once.
func (s *Server) handleUserDisable(c *fiber.Ctx) error {
	return s.changeUser(c, nil, func(cmd domain.Command, name string) (domain.Result, error) {
		return s.commands.DisableUser(c.UserContext(), cmd, name)
	})
}

// handleUserEnable handles POST /api/v1/users/:name/enable.
func (s *Server) handleUserEnable(c *fiber.Ctx) error {
	return s.changeUser(c, nil, func(cmd domain.Command, name string) (domain.Result, error) {
		return s.commands.EnableUser(c.UserContext(), cmd, name)
	})
}
