package admin

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// view reads the fresh projection of what a command changed.
type view struct {
	// id names the resource in a stale answer.
	id string
	// versioned: the resource's stream version is its entity tag.
	versioned bool
	// number is the tariff or income-limit version a command created (0: none).
	number int
	// read returns the body and the stream version: from the read models
	// as they stand when at is zero, else from the log as it stood at that
	// position (what a retried command answers with, as its first run left
	// the resource).
	read func(ctx context.Context, at domain.Position) (any, int64, error)
}

// commandResult is the answer to a command whose projections did not catch
// up in time (X-Carecost-Stale: true): where its events landed.
type commandResult struct {
	ID            string          `json:"id"`
	Version       int             `json:"version,omitempty"`
	StreamVersion int64           `json:"stream_version"`
	Position      domain.Position `json:"position"`
	Stale         bool            `json:"stale"`
}

// respond finishes a command: it sets the position header, waits (bounded)
// until the projections have applied the command's events and answers
// with the fresh view. When the wait times out it answers with the command
// result and X-Carecost-Stale: true. A retried command (the same
// Idempotency-Key) answers at once with the resource as its first run left
// it.
func (s *Server) respond(c *fiber.Ctx, status int, r domain.Result, v view) error {
	c.Set(headerPosition, r.Position.String())
	ctx := c.UserContext()
	if r.Replayed {
		s.metrics.repeated.Inc()
		return s.showAt(c, status, v, r.Position)
	}
	wctx, cancel := context.WithTimeout(ctx, s.waitTimeout)
	err := s.waiter.WaitFor(wctx, r.Position)
	cancel()
	if err != nil {
		c.Set(headerStale, "true")
		if v.versioned {
			c.Set(fiber.HeaderETag, etag(r.Version))
		}
		return c.Status(status).JSON(commandResult{ID: v.id, Version: v.number, StreamVersion: r.Version, Position: r.Position, Stale: true})
	}
	return s.show(c, status, v)
}

// show answers with a view as it stands, with its entity tag.
func (s *Server) show(c *fiber.Ctx, status int, v view) error {
	return s.showAt(c, status, v, domain.Position{})
}

// showAt answers with a view as of a log position (zero: the read models as
// they stand), with its entity tag.
func (s *Server) showAt(c *fiber.Ctx, status int, v view, at domain.Position) error {
	body, version, err := v.read(c.UserContext(), at)
	if err != nil {
		return err
	}
	if v.versioned {
		c.Set(fiber.HeaderETag, etag(version))
	}
	return c.Status(status).JSON(body)
}

// estimateView reads an estimate for actor: another team's is not found.
func (s *Server) estimateView(id string, actor domain.Actor) view {
	return view{id: id, versioned: true, read: func(ctx context.Context, _ domain.Position) (any, int64, error) {
		d, err := s.reads.Estimate(ctx, id)
		if err == nil && !actor.Sees(d.Team) {
			return nil, 0, &domain.Error{Code: domain.ENotFound, Message: "there is no estimate " + id}
		}
		return d, d.Version, err
	}}
}

func (s *Server) tariffView(id string) view {
	return view{id: id, versioned: true, read: func(ctx context.Context, at domain.Position) (any, int64, error) {
		t, err := s.tariffAt(ctx, id, at)
		return t, t.Version, err
	}}
}

// tariffAt reads tariff id from the read models (at zero) or from the log
// as it stood at a position.
func (s *Server) tariffAt(ctx context.Context, id string, at domain.Position) (projections.TariffView, error) {
	if at.IsZero() {
		return s.reads.Tariff(ctx, id)
	}
	t, err := s.commands.Tariff(ctx, id, at)
	if err != nil {
		return projections.TariffView{}, err
	}
	return projections.TariffViewOf(t), nil
}

func (s *Server) incomeView(id string) view {
	return view{id: id, versioned: true, read: func(ctx context.Context, at domain.Position) (any, int64, error) {
		ic, err := s.incomeAt(ctx, id, at)
		return ic, ic.Version, err
	}}
}

// incomeAt reads income-limit catalogue id as tariffAt reads a tariff.
func (s *Server) incomeAt(ctx context.Context, id string, at domain.Position) (projections.IncomeCatalogueView, error) {
	if at.IsZero() {
		return s.reads.IncomeCatalogue(ctx, id)
	}
	ic, err := s.commands.IncomeCatalogue(ctx, id, at)
	if err != nil {
		return projections.IncomeCatalogueView{}, err
	}
	return projections.IncomeCatalogueViewOf(ic), nil
}

func (s *Server) serviceView(id string) view {
	return view{id: id, read: func(ctx context.Context, at domain.Position) (any, int64, error) {
		if at.IsZero() {
			sv, err := s.reads.Service(ctx, id)
			return sv, 0, err
		}
		cat, err := s.commands.CatalogueAsOf(ctx, at)
		if err != nil {
			return nil, 0, err
		}
		sv, ok := projections.ServiceViewOf(cat, id)
		if !ok {
			return nil, 0, &domain.Error{Code: domain.ENotFound, Message: "there is no service " + id}
		}
		return sv, 0, nil
	}}
}

// list answers with items, an empty list rather than null.
func list[T any](c *fiber.Ctx, items []T, err error) error {
	if err != nil {
		return err
	}
	if items == nil {
		items = []T{}
	}
	return c.JSON(items)
}
