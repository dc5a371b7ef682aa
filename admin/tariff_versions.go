package admin

import (
	"context"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// draftBody is the body of POST /api/v1/tariffs/:id/versions: a new draft,
// copied from based_on (or the version it corrects), or empty.
type draftBody struct {
	BasedOn         int    `json:"based_on,omitempty"`
	Corrects        int    `json:"corrects,omitempty"`
	Note            string `json:"note,omitempty"`
	ExpectedVersion *int64 `json:"expected_version,omitempty"`
}

// tariffDraftCreated is the answer to a new draft: its number and the tariff.
type tariffDraftCreated struct {
	Version int `json:"version"`
	projections.TariffView
}

// settingsBody is the body of PATCH /api/v1/tariffs/:id/versions/:version;
// what is left out stays as it is.
type settingsBody struct {
	WeeksPerMonth   domain.Ratio `json:"weeks_per_month,omitzero"`
	DaysPerMonth    domain.Ratio `json:"days_per_month,omitzero"`
	Note            *string      `json:"note,omitempty"`
	ExpectedVersion *int64       `json:"expected_version,omitempty"`
}

// handleTariffDraftCreate handles POST /api/v1/tariffs/:id/versions.
func (s *Server) handleTariffDraftCreate(c *fiber.Ctx) error {
	var b draftBody
	if err := decodeBody(c, &b, true); err != nil {
		return err
	}
	cmd, err := s.command(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	id := pathParam(c, "id")
	n, r, err := s.commands.CreateTariffDraft(c.UserContext(), cmd, id, b.BasedOn, b.Corrects, b.Note)
	if err != nil {
		return err
	}
	v := s.tariffView(id)
	v.number, v.read = n, func(ctx context.Context, at domain.Position) (any, int64, error) {
		t, err := s.tariffAt(ctx, id, at)
		return tariffDraftCreated{Version: n, TariffView: t}, t.Version, err
	}
	c.Location("/api/v1/tariffs/" + id + "/versions/" + strconv.Itoa(n))
	return s.respond(c, fiber.StatusCreated, r, v)
}

// handleTariffVersionGet handles GET /api/v1/tariffs/:id/versions/:version.
func (s *Server) handleTariffVersionGet(c *fiber.Ctx) error {
	n, err := versionParam(c)
	if err != nil {
		return err
	}
	return s.show(c, fiber.StatusOK, s.tariffVersionView(pathParam(c, "id"), n))
}

// handleTariffSettings handles PATCH /api/v1/tariffs/:id/versions/:version:
// a draft's month conversions and note.
func (s *Server) handleTariffSettings(c *fiber.Ctx) error {
	var b settingsBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	id, n, cmd, err := s.versionCommand(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	r, err := s.commands.SetTariffSettings(c.UserContext(), cmd, id, n, b.WeeksPerMonth, b.DaysPerMonth, b.Note)
	if err != nil {
		return err
	}
	return s.respond(c, fiber.StatusOK, r, s.tariffVersionView(id, n))
}

// versionCommand reads the :id and :version path parameters and builds the
// command envelope.
func (s *Server) versionCommand(c *fiber.Ctx, fromBody *int64) (string, int, domain.Command, error) {
	n, err := versionParam(c)
	if err != nil {
		return "", 0, domain.Command{}, err
	}
	cmd, err := s.command(c, fromBody)
	return pathParam(c, "id"), n, cmd, err
}

// tariffVersionView reads version n of tariff id; the ETag is the tariff's
// stream version.
func (s *Server) tariffVersionView(id string, n int) view {
	return view{id: id, versioned: true, number: n, read: func(ctx context.Context, at domain.Position) (any, int64, error) {
		t, err := s.tariffAt(ctx, id, at)
		if err != nil {
			return nil, 0, err
		}
		for _, v := range t.Versions {
			if v.Number == n {
				return v, t.Version, nil
			}
		}
		return nil, 0, &domain.Error{Code: domain.ENotFound, Field: "version", Message: "tariff " + id + " has no version " + strconv.Itoa(n)}
	}}
}
