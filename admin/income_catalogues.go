package admin

import (
	"github.com/gofiber/fiber/v2"
)

// incomeCreateBody is the body of POST /api/v1/income-catalogues.
type incomeCreateBody struct {
	ID   string `json:"id" carecost:"required"`
	Name string `json:"name" carecost:"required"`
}

// handleIncomeIndex handles GET /api/v1/income-catalogues.
func (s *Server) handleIncomeIndex(c *fiber.Ctx) error {
	ics, err := s.reads.IncomeCatalogues(c.UserContext())
	return list(c, ics, err)
}

// handleIncomeCreate handles POST /api/v1/income-catalogues: a new
// income-limit catalogue without versions.
func (s *Server) handleIncomeCreate(c *fiber.Ctx) error {
	var b incomeCreateBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	if err := validNewID(b.ID); err != nil {
		return err
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	r, err := s.commands.CreateIncomeCatalogue(c.UserContext(), cmd, b.ID, b.Name)
	if err != nil {
		return err
	}
	c.Location("/api/v1/income-catalogues/" + b.ID)
	return s.respond(c, fiber.StatusCreated, r, s.incomeView(b.ID))
}

// handleIncomeGet handles GET /api/v1/income-catalogues/:id: the catalogue
// with every version; the ETag is its stream version.
func (s *Server) handleIncomeGet(c *fiber.Ctx) error {
	return s.show(c, fiber.StatusOK, s.incomeView(pathParam(c, "id")))
}
