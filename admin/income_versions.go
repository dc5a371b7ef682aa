package admin

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// incomeDraftBody is the body of POST /api/v1/income-catalogues/:id/versions:
// a new draft with its table, or copied from based_on (or the version it
// corrects).
type incomeDraftBody struct {
	BasedOn         int                 `json:"based_on,omitempty"`
	Corrects        int                 `json:"corrects,omitempty"`
	Table           *domain.IncomeTable `json:"table,omitempty"`
	Note            string              `json:"note,omitempty"`
	ExpectedVersion *int64              `json:"expected_version,omitempty"`
}

// incomeDraftCreated is the answer to a new draft: its number and the
// catalogue.
type incomeDraftCreated struct {
	Version int `json:"version"`
	projections.IncomeCatalogueView
}

// incomeTableBody is the body of PUT .../versions/:version: the draft's
// whole table.
type incomeTableBody struct {
	Table           *domain.IncomeTable `json:"table" carecost:"required"`
	Note            string              `json:"note,omitempty"`
	ExpectedVersion *int64              `json:"expected_version,omitempty"`
}

// handleIncomeDraftCreate handles POST /api/v1/income-catalogues/:id/versions.
func (s *Server) handleIncomeDraftCreate(c *fiber.Ctx) error {
	var b incomeDraftBody
	if err := decodeBody(c, &b, true); err != nil {
		return err
	}
	cmd, err := s.command(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	id := pathParam(c, "id")
	n, r, err := s.commands.CreateIncomeDraft(c.UserContext(), cmd, id, b.BasedOn, b.Corrects, b.Table, b.Note)
	if err != nil {
		return err
	}
	v := s.incomeView(id)
	v.number, v.read = n, func(ctx context.Context, at domain.Position) (any, int64, error) {
		ic, err := s.incomeAt(ctx, id, at)
		return incomeDraftCreated{Version: n, IncomeCatalogueView: ic}, ic.Version, err
	}
	c.Location("/api/v1/income-catalogues/" + id + "/versions/" + strconv.Itoa(n))
	return s.respond(c, fiber.StatusCreated, r, v)
}

// handleIncomeVersionGet handles GET
// /api/v1/income-catalogues/:id/versions/:version.
func (s *Server) handleIncomeVersionGet(c *fiber.Ctx) error {
	n, err := versionParam(c)
	if err != nil {
		return err
	}
	return s.show(c, fiber.StatusOK, s.incomeVersionView(pathParam(c, "id"), n))
}

// handleIncomeDraftPut handles PUT
// /api/v1/income-catalogues/:id/versions/:version: replaces a draft's table.
func (s *Server) handleIncomeDraftPut(c *fiber.Ctx) error {
	var b incomeTableBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	if b.Table == nil {
		return domain.Invalidf("table", "the income table is required")
	}
	id, n, cmd, err := s.versionCommand(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	r, err := s.commands.SetIncomeDraft(c.UserContext(), cmd, id, n, *b.Table, b.Note)
	if err != nil {
		return err
	}
	return s.respond(c, fiber.StatusOK, r, s.incomeVersionView(id, n))
}

// incomeVersionView reads version n of income-limit catalogue id; the ETag
// is the catalogue's stream version.
func (s *Server) incomeVersionView(id string, n int) view {
	return view{id: id, versioned: true, number: n, read: func(ctx context.Context, at domain.Position) (any, int64, error) {
		ic, err := s.incomeAt(ctx, id, at)
		if err != nil {
			return nil, 0, err
		}
		for _, v := range ic.Versions {
			if v.Number == n {
				return v, ic.Version, nil
			}
		}
		return nil, 0, &domain.Error{Code: domain.ENotFound, Field: "version",
			Message: "income-limit catalogue " + id + " has no version " + strconv.Itoa(n)}
	}}
}

// handleIncomePublish handles POST
// /api/v1/income-catalogues/:id/versions/:version/publish.
func (s *Server) handleIncomePublish(c *fiber.Ctx) error {
	var b publishBody
	if err := decodeBody(c, &b, true); err != nil {
		return err
	}
	id, n, cmd, err := s.versionCommand(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	r, err := s.commands.PublishIncome(c.UserContext(), cmd, id, n, b.ValidFrom)
	if err != nil {
		return err
	}
	return s.respond(c, fiber.StatusOK, r, s.incomeVersionView(id, n))
}

// handleIncomeWithdraw handles POST
// /api/v1/income-catalogues/:id/versions/:version/withdraw: drops a draft.
func (s *Server) handleIncomeWithdraw(c *fiber.Ctx) error {
	expected, err := bodyExpected(c)
	if err != nil {
		return err
	}
	id, n, cmd, err := s.versionCommand(c, expected)
	if err != nil {
		return err
	}
	r, err := s.commands.WithdrawIncomeDraft(c.UserContext(), cmd, id, n)
	if err != nil {
		return err
	}
	return s.respond(c, fiber.StatusOK, r, s.incomeVersionView(id, n))
}
