package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// decideBody is the body of POST /api/v1/estimates/:id/decide.
type decideBody struct {
	domain.Decision
	ExpectedVersion *int64 `json:"expected_version,omitempty"`
}

// cancelBody is the body of POST /api/v1/estimates/:id/cancel.
type cancelBody struct {
	Reason          string `json:"reason,omitempty"`
	ExpectedVersion *int64 `json:"expected_version,omitempty"`
}

// reviseBody is the body of POST /api/v1/estimates/:id/revise: the new
// estimate's id (generated when left out) and, optionally, a new pricing
// date.
type reviseBody struct {
	RevisionID      string      `json:"revision_id,omitempty"`
	PricingDate     domain.Date `json:"pricing_date,omitzero"`
	ExpectedVersion *int64      `json:"expected_version,omitempty"`
}

// handleReprice handles POST /api/v1/estimates/:id/reprice: prices the
// estimate against the catalogue as it is now.
func (s *Server) handleReprice(c *fiber.Ctx) error {
	expected, err := bodyExpected(c)
	if err != nil {
		return err
	}
	return s.changeEstimate(c, expected, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.Reprice(c.UserContext(), cmd, id)
	})
}

// handlePresent handles POST /api/v1/estimates/:id/present: the estimate was
// shown to the client.
func (s *Server) handlePresent(c *fiber.Ctx) error {
	expected, err := bodyExpected(c)
	if err != nil {
		return err
	}
	return s.changeEstimate(c, expected, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.Present(c.UserContext(), cmd, id)
	})
}

// handleDecide handles POST /api/v1/estimates/:id/decide: records the
// decision, pinning the prices in effect.
func (s *Server) handleDecide(c *fiber.Ctx) error {
	var b decideBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	return s.changeEstimate(c, b.ExpectedVersion, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.Decide(c.UserContext(), cmd, id, b.Decision)
	})
}

// handleCancel handles POST /api/v1/estimates/:id/cancel.
func (s *Server) handleCancel(c *fiber.Ctx) error {
	var b cancelBody
	if err := decodeBody(c, &b, true); err != nil {
		return err
	}
	return s.changeEstimate(c, b.ExpectedVersion, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.Cancel(c.UserContext(), cmd, id, b.Reason)
	})
}

// handleRevise handles POST /api/v1/estimates/:id/revise: opens a revision
// of a decided estimate and answers with the new estimate.
func (s *Server) handleRevise(c *fiber.Ctx) error {
	var b reviseBody
	if err := decodeBody(c, &b, true); err != nil {
		return err
	}
	id, cmd, err := s.estimateCommand(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	newID := newID(b.RevisionID, cmd, "revision/"+id)
	e, r, err := s.commands.Revise(c.UserContext(), cmd, id, newID, b.PricingDate)
	if err != nil {
		return err
	}
	c.Location("/api/v1/estimates/" + newID)
	return s.respondEstimate(c, fiber.StatusCreated, r, e)
}
