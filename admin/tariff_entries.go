package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// entryBody is the body of PUT .../entries/:service/:mode: the entry, whose
// service and mode come from the path.
type entryBody struct {
	domain.Entry
	ExpectedVersion *int64 `json:"expected_version,omitempty"`
}

// handleTariffEntryPut handles PUT
// /api/v1/tariffs/:id/versions/:version/entries/:service/:mode: adds or
// replaces the entry of a draft.
func (s *Server) handleTariffEntryPut(c *fiber.Ctx) error {
	var b entryBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	mode := string(b.Mode)
	if err := samePathValue("service", &b.Service, pathParam(c, "service")); err != nil {
		return err
	}
	if err := samePathValue("mode", &mode, pathParam(c, "mode")); err != nil {
		return err
	}
	b.Mode = domain.Mode(mode)
	id, n, cmd, err := s.versionCommand(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	r, err := s.commands.SetTariffEntry(c.UserContext(), cmd, id, n, b.Entry)
	if err != nil {
		return unprefix(err, "entry")
	}
	return s.respond(c, fiber.StatusOK, r, s.tariffVersionView(id, n))
}

// handleTariffEntryDelete handles DELETE
// /api/v1/tariffs/:id/versions/:version/entries/:service/:mode.
func (s *Server) handleTariffEntryDelete(c *fiber.Ctx) error {
	expected, err := bodyExpected(c)
	if err != nil {
		return err
	}
	id, n, cmd, err := s.versionCommand(c, expected)
	if err != nil {
		return err
	}
	service, mode := pathParam(c, "service"), domain.Mode(pathParam(c, "mode"))
	r, err := s.commands.RemoveTariffEntry(c.UserContext(), cmd, id, n, service, mode)
	if err != nil {
		return err
	}
	return s.respond(c, fiber.StatusOK, r, s.tariffVersionView(id, n))
}
