package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// tariffCreateBody is the body of POST /api/v1/tariffs; ratios left out take
// the defaults (52/12 weeks and 365/12 days a month).
type tariffCreateBody struct {
	ID            string       `json:"id" carecost:"required"`
	Name          string       `json:"name" carecost:"required"`
	WeeksPerMonth domain.Ratio `json:"weeks_per_month,omitzero"`
	DaysPerMonth  domain.Ratio `json:"days_per_month,omitzero"`
}

// handleTariffIndex handles GET /api/v1/tariffs.
func (s *Server) handleTariffIndex(c *fiber.Ctx) error {
	ts, err := s.reads.Tariffs(c.UserContext())
	return list(c, ts, err)
}

// handleTariffCreate handles POST /api/v1/tariffs: a new price list without
// versions.
func (s *Server) handleTariffCreate(c *fiber.Ctx) error {
	var b tariffCreateBody
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
	r, err := s.commands.CreateTariff(c.UserContext(), cmd, b.ID, b.Name, b.WeeksPerMonth, b.DaysPerMonth)
	if err != nil {
		return err
	}
	c.Location("/api/v1/tariffs/" + b.ID)
	return s.respond(c, fiber.StatusCreated, r, s.tariffView(b.ID))
}

// handleTariffGet handles GET /api/v1/tariffs/:id: the tariff with every
// version; the ETag is its stream version.
func (s *Server) handleTariffGet(c *fiber.Ctx) error {
	return s.show(c, fiber.StatusOK, s.tariffView(pathParam(c, "id")))
}

// handleTariffHistory handles GET /api/v1/tariffs/:id/history: every
// publication with how each entry changed; 404 for a tariff that does not
// exist (one without publications has an empty history).
func (s *Server) handleTariffHistory(c *fiber.Ctx) error {
	id := pathParam(c, "id")
	if _, err := s.reads.Tariff(c.UserContext(), id); err != nil {
		return err
	}
	changes, err := s.reads.TariffChanges(c.UserContext(), id)
	return list(c, changes, err)
}

// handleTariffPrices handles GET /api/v1/tariffs/:id/prices: the price of a
// service in a production mode on a valid date, as known now or at a log
// position or time.
func (s *Server) handleTariffPrices(c *fiber.Ctx) error {
	q := &query{c: c}
	pq := projections.PriceQuery{TariffID: pathParam(c, "id"), Service: q.slug("service"),
		Mode: oneOf(q, "mode", domain.Modes), ValidAt: q.date("valid_at")}
	for _, req := range []struct {
		name  string
		empty bool
	}{{"service", pq.Service == ""}, {"mode", pq.Mode == ""}, {"valid_at", pq.ValidAt.IsZero()}} {
		if req.empty {
			q.fail(req.name, "%s is required", req.name)
		}
	}
	if q.err != nil {
		return q.err
	}
	var err error
	if pq.KnownAt, pq.KnownAtTime, err = s.knownAt(c, "known_at"); err != nil {
		return err
	}
	p, err := s.reads.PriceAt(c.UserContext(), pq)
	if err != nil {
		return err
	}
	return c.JSON(p)
}
