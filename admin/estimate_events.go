package admin

import (
	"errors"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// eventView is one event of an estimate's history as the store holds it.
type eventView struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	Version    uint64          `json:"version"`
	Position   domain.Position `json:"position"`
	RecordedAt time.Time       `json:"recorded_at"`
	Metadata   domain.Meta     `json:"metadata"`
	Payload    domain.Payload  `json:"payload"`
}

// handleEstimateEvents handles GET /api/v1/estimates/:id/events: every event
// of the estimate in order, with who recorded it and when, read from the
// event store itself.
func (s *Server) handleEstimateEvents(c *fiber.Ctx) error {
	id := pathParam(c, "id")
	notFound := &domain.Error{Code: domain.ENotFound, Message: "there is no estimate " + id}
	if domain.ValidUUID("id", id) != nil {
		return notFound
	}
	recs, err := s.commands.Store().ReadStream(c.UserContext(), domain.EstimateStream(id), domain.ReadStreamOptions{})
	if errors.Is(err, domain.ErrStreamNotFound) {
		return notFound
	}
	if err != nil {
		return err
	}
	actor := actorOf(c)
	out := make([]eventView, 0, len(recs))
	for _, r := range recs {
		e, err := domain.DecodeEvent(r)
		if err != nil {
			return err
		}
		if o, ok := e.Payload.(*domain.EstimateOpened); ok && !actor.Sees(o.Team) {
			return notFound
		}
		out = append(out, eventView{ID: e.ID, Type: r.Type, Version: e.Version, Position: e.Position,
			RecordedAt: e.RecordedAt, Metadata: e.Meta, Payload: e.Payload})
	}
	return c.JSON(out)
}
