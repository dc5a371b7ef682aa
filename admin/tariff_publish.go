package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// publishBody is the body of the publish routes: the valid-from date, which
// a correction may leave out (it keeps the date of the version it corrects).
type publishBody struct {
	ValidFrom       domain.Date `json:"valid_from,omitzero"`
	ExpectedVersion *int64      `json:"expected_version,omitempty"`
}

// handleTariffPublish handles POST
// /api/v1/tariffs/:id/versions/:version/publish.
func (s *Server) handleTariffPublish(c *fiber.Ctx) error {
	var b publishBody
	if err := decodeBody(c, &b, true); err != nil {
		return err
	}
	id, n, cmd, err := s.versionCommand(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	r, err := s.commands.PublishTariff(c.UserContext(), cmd, id, n, b.ValidFrom)
	if err != nil {
		return err
	}
	return s.respond(c, fiber.StatusOK, r, s.tariffVersionView(id, n))
}

// handleTariffWithdraw handles POST
// /api/v1/tariffs/:id/versions/:version/withdraw: drops a draft.
func (s *Server) handleTariffWithdraw(c *fiber.Ctx) error {
	expected, err := bodyExpected(c)
	if err != nil {
		return err
	}
	id, n, cmd, err := s.versionCommand(c, expected)
	if err != nil {
		return err
	}
	r, err := s.commands.WithdrawTariffDraft(c.UserContext(), cmd, id, n)
	if err != nil {
		return err
	}
	return s.respond(c, fiber.StatusOK, r, s.tariffVersionView(id, n))
}
