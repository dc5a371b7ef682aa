package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// lineBody is the body of the line routes: one service line.
type lineBody struct {
	domain.Line
	ExpectedVersion *int64 `json:"expected_version,omitempty"`
}

// handleLineAdd handles POST /api/v1/estimates/:id/lines: adds a line and
// prices the estimate. carecost assigns the line id (l1, l2, ...).
func (s *Server) handleLineAdd(c *fiber.Ctx) error {
	var b lineBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	if b.ID != "" {
		return domain.Invalidf("id", "carecost assigns the line id; leave it out")
	}
	id, cmd, err := s.estimateCommand(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	lineID, e, r, err := s.commands.AddLine(c.UserContext(), cmd, id, b.Line)
	if err != nil {
		return err
	}
	c.Location("/api/v1/estimates/" + id + "/lines/" + lineID)
	return s.respondEstimate(c, fiber.StatusCreated, r, e)
}

// handleLineChange handles PUT /api/v1/estimates/:id/lines/:line: replaces
// the line and prices the estimate.
func (s *Server) handleLineChange(c *fiber.Ctx) error {
	var b lineBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	if err := samePathValue("id", &b.ID, pathParam(c, "line")); err != nil {
		return err
	}
	id, cmd, err := s.estimateCommand(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	e, r, err := s.commands.ChangeLine(c.UserContext(), cmd, id, b.Line)
	if err != nil {
		return err
	}
	return s.respondEstimate(c, fiber.StatusOK, r, e)
}

// handleLineRemove handles DELETE /api/v1/estimates/:id/lines/:line.
func (s *Server) handleLineRemove(c *fiber.Ctx) error {
	expected, err := bodyExpected(c)
	if err != nil {
		return err
	}
	id, cmd, err := s.estimateCommand(c, expected)
	if err != nil {
		return err
	}
	e, r, err := s.commands.RemoveLine(c.UserContext(), cmd, id, pathParam(c, "line"))
	if err != nil {
		return err
	}
	return s.respondEstimate(c, fiber.StatusOK, r, e)
}

// estimateCommand reads the :id path parameter and builds the command
// envelope.
func (s *Server) estimateCommand(c *fiber.Ctx, fromBody *int64) (string, domain.Command, error) {
	cmd, err := s.command(c, fromBody)
	return pathParam(c, "id"), cmd, err
}
