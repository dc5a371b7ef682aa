package admin

import (
	"context"
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
	evs, err := s.estimateEvents(c.UserContext(), actorOf(c), pathParam(c, "id"))
	if err != nil {
		return err
	}
	out := make([]eventView, len(evs))
	for i, e := range evs {
		out[i] = eventView{ID: e.ID, Type: e.Payload.EventType(), Version: e.Version, Position: e.Position,
			RecordedAt: e.RecordedAt, Metadata: e.Meta, Payload: e.Payload}
	}
	return c.JSON(out)
}

// estimateEvents returns every event of estimate id in order, decoded, read
// from the event store itself: ENotFound when there is no such estimate or
// actor does not see its team (the API's history and the console's
// decision page).
func (s *Server) estimateEvents(ctx context.Context, actor domain.Actor, id string) ([]domain.Event, error) {
	notFound := &domain.Error{Code: domain.ENotFound, Message: "there is no estimate " + id}
	if domain.ValidUUID("id", id) != nil {
		return nil, notFound
	}
	recs, err := s.commands.Store().ReadStream(ctx, domain.EstimateStream(id), domain.ReadStreamOptions{})
	if errors.Is(err, domain.ErrStreamNotFound) {
		return nil, notFound
	}
	if err != nil {
		return nil, err
	}
	out := make([]domain.Event, 0, len(recs))
	for _, r := range recs {
		e, err := domain.DecodeEvent(r)
		if err != nil {
			return nil, err
		}
		if o, ok := e.Payload.(*domain.EstimateOpened); ok && !actor.Sees(o.Team) {
			return nil, notFound
		}
		out = append(out, e)
	}
	return out, nil
}
