package admin

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"carecost/projections"
)

// readyTimeout bounds the readiness check.
const readyTimeout = 2 * time.Second

// healthBody is the answer of /healthz.
type healthBody struct {
	Status string `json:"status"`
}

// readyBody is the answer of /readyz: "ready", or "not_ready" with the
// reason.
type readyBody struct {
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

// statusBody is the answer of /api/v1/status: where each projection stands.
type statusBody struct {
	Projections []projections.Status `json:"projections"`
	// StoreAway: the event store does not answer just now; each head is
	// the last one read.
	StoreAway bool `json:"store_away,omitempty"`
}

// knownStatus is implemented by a Health that can answer while the store is
// away (projections.Runner.StatusKnown).
type knownStatus interface {
	StatusKnown(ctx context.Context) ([]projections.Status, bool, error)
}

// statusKnown returns the projections' status, from the last head read
// while the store is away (away true) when the Health can.
func (s *Server) statusKnown(ctx context.Context) ([]projections.Status, bool, error) {
	if k, ok := s.health.(knownStatus); ok {
		return k.StatusKnown(ctx)
	}
	st, err := s.health.Status(ctx)
	return st, false, err
}

// handleHealthz handles GET /healthz: the process is alive.
func (s *Server) handleHealthz(c *fiber.Ctx) error {
	return c.JSON(healthBody{Status: "ok"})
}

// handleReadyz handles GET /readyz: 200 when the store is reachable and the
// projections have caught up, else 503 with the reason.
func (s *Server) handleReadyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), readyTimeout)
	defer cancel()
	if err := s.health.Ready(ctx); err != nil {
		return c.Status(fiber.StatusServiceUnavailable).JSON(readyBody{Status: "not_ready", Reason: err.Error()})
	}
	return c.JSON(readyBody{Status: "ready"})
}

// handleStatus handles GET /api/v1/status.
func (s *Server) handleStatus(c *fiber.Ctx) error {
	st, away, err := s.statusKnown(c.UserContext())
	if err != nil {
		return err
	}
	if st == nil {
		st = []projections.Status{}
	}
	return c.JSON(statusBody{Projections: st, StoreAway: away})
}

// newMetricsHandler serves the registry in the Prometheus exposition
// formats.
func newMetricsHandler(s *Server) fiber.Handler {
	return adaptor.HTTPHandler(promhttp.HandlerFor(s.registry, promhttp.HandlerOpts{Registry: s.registry}))
}

// handleMetrics handles GET /metrics.
func (s *Server) handleMetrics(c *fiber.Ctx) error { return s.metricsHTTP(c) }
