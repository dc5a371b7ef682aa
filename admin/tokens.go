package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/admin/auth"
	"carecost/domain"
	"carecost/projections"
)

// tokenBody is the body of POST /api/v1/tokens.
type tokenBody struct {
	User  string        `json:"user" carecost:"required"`
	Roles []domain.Role `json:"roles" carecost:"required"`
	// Expires is how long the token works: 90d, 12w or 36h, at most a year.
	Expires string `json:"expires" carecost:"required"`
	Label   string `json:"label,omitempty"`
}

// tokenCreated answers POST /api/v1/tokens: the token's record and, on the
// first answer only, the token itself. carecost keeps only a hash of its
// secret, so a retry (the same Idempotency-Key) answers without it.
type tokenCreated struct {
	projections.TokenView
	Token string `json:"token,omitempty"`
}

// handleTokenIndex handles GET /api/v1/tokens: every API token (of one
// user with ?user=), never a secret or its hash.
func (s *Server) handleTokenIndex(c *fiber.Ctx) error {
	q := &query{c: c}
	user := q.str("user", 64)
	if q.err != nil {
		return q.err
	}
	tokens, err := s.directory.Tokens(c.UserContext(), user)
	return list(c, tokens, err)
}

// handleTokenCreate handles POST /api/v1/tokens: a new API token of a user,
// carrying some of the user's roles, shown once in the answer.
func (s *Server) handleTokenCreate(c *fiber.Ctx) error {
	var b tokenBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	life, err := auth.ParseLifetime("expires", b.Expires)
	if err != nil {
		return err
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	id, secret, display := auth.NewToken()
	if cmd.ID != "" {
		// A retry must name the same token; its secret cannot be shown again.
		id = strings.ReplaceAll(domain.DeriveID("token/"+cmd.ID), "-", "")
		display = auth.TokenPrefix + id + "_" + secret
	}
	in := domain.TokenInput{ID: id, User: b.User, Roles: b.Roles, Label: b.Label, ExpiresAt: s.now().Add(life),
		SecretHash: domain.Hash(auth.HashSecret(secret))}
	r, err := s.commands.CreateToken(c.UserContext(), cmd, in)
	if err != nil {
		return err
	}
	t, err := s.commands.TokenAsOf(c.UserContext(), id, r.Position)
	if err != nil {
		return err
	}
	out := tokenCreated{TokenView: tokenView(t)}
	if r.Replayed {
		s.metrics.repeated.Inc()
	} else {
		out.Token = display
	}
	c.Set(headerPosition, r.Position.String())
	c.Set(fiber.HeaderETag, etag(t.StreamVersion()))
	c.Location("/api/v1/tokens/" + id)
	return c.Status(fiber.StatusCreated).JSON(out)
}

// handleTokenGet handles GET /api/v1/tokens/:id.
func (s *Server) handleTokenGet(c *fiber.Ctx) error {
	return s.show(c, fiber.StatusOK, s.tokenAt(pathParam(c, "id")))
}

// handleTokenRevoke handles POST /api/v1/tokens/:id/revoke: the token stops
// working at once.
func (s *Server) handleTokenRevoke(c *fiber.Ctx) error {
	if _, err := bodyExpected(c); err != nil {
		return err
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	id := pathParam(c, "id")
	r, err := s.commands.RevokeToken(c.UserContext(), cmd, id)
	if err != nil {
		return err
	}
	return s.answerAt(c, fiber.StatusOK, r, s.tokenAt(id))
}
