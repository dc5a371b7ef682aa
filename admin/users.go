package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/admin/auth"
	"carecost/domain"
)

// userBody is the body of POST /api/v1/users. Without a password the user
// signs in only through OpenID Connect (or reaches the API by token).
type userBody struct {
	Name        string        `json:"name" carecost:"required"`
	DisplayName string        `json:"display_name" carecost:"required"`
	Team        string        `json:"team,omitempty"`
	Roles       []domain.Role `json:"roles" carecost:"required"`
	Password    string        `json:"password,omitempty"`
}

// rolesBody, teamBody and passwordBody change one thing of a user.
type (
	rolesBody struct {
		Roles []domain.Role `json:"roles" carecost:"required"`
	}
	teamBody struct {
		Team string `json:"team" carecost:"required"`
	}
	passwordBody struct {
		Password string `json:"password" carecost:"required"`
	}
)

// handleUserIndex handles GET /api/v1/users: every user, never a hash.
func (s *Server) handleUserIndex(c *fiber.Ctx) error {
	users, err := s.directory.Users(c.UserContext())
	return list(c, users, err)
}

// handleUserGet handles GET /api/v1/users/:name.
func (s *Server) handleUserGet(c *fiber.Ctx) error {
	return s.show(c, fiber.StatusOK, s.userAt(pathParam(c, "name")))
}

// handleUserCreate handles POST /api/v1/users: adds a user (an admin's
// act, recorded with who did it).
func (s *Server) handleUserCreate(c *fiber.Ctx) error {
	var b userBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	in := domain.UserInput{Name: b.Name, DisplayName: b.DisplayName, Team: b.Team, Roles: b.Roles}
	if b.Password != "" {
		if in.PasswordHash, err = hashPassword(b.Password); err != nil {
			return err
		}
	}
	r, err := s.commands.AddUser(c.UserContext(), cmd, in)
	if err != nil {
		return err
	}
	c.Location("/api/v1/users/" + b.Name)
	return s.answerAt(c, fiber.StatusCreated, r, s.userAt(b.Name))
}

// hashPassword hashes a new password, refusing one the policy refuses.
func hashPassword(pw string) (domain.Hash, error) {
	if err := auth.CheckPasswordPolicy(pw); err != nil {
		return "", &domain.Error{Code: domain.EInvalid, Field: "password", Message: domain.ErrorMessage(err)}
	}
	h, err := auth.HashPassword(pw)
	return domain.Hash(h), err
}

// answerAt answers a command with the record as the command left it, read
// from the log at the position its events landed (a retry's first run's).
func (s *Server) answerAt(c *fiber.Ctx, status int, r domain.Result, v view) error {
	c.Set(headerPosition, r.Position.String())
	return s.showAt(c, status, v, r.Position)
}
