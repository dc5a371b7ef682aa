package projections

import (
	"context"
	"errors"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmmetrics "github.com/ThreeDotsLabs/watermill/components/metrics"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"carecost/domain"
)

// Resume returns the position after which a projection resumes: its
// checkpoint. It is the Resume of the log subscriber.
func (r *Runner) Resume(_ context.Context, name string) (domain.Position, error) {
	return r.Checkpoint(name), nil
}

// NewRouter returns a Watermill router with one consumer handler per
// projection, each reading its own topic (the projection's name) from sub.
// Each handler applies its batch through Handle (which retries transient
// failures and stops the projection before an event it cannot apply). A
// stopped projection's handler holds its batch, unacknowledged, until the
// projection resumes (an operator skipped the event), then applies it from
// the checkpoint: the subscriber sends nothing more meanwhile, so a stopped
// projection neither spins nor loses its place. Watermill's router metrics
// are registered on reg.
func (r *Runner) NewRouter(sub message.Subscriber, reg prometheus.Registerer, logger watermill.LoggerAdapter) (*message.Router, error) {
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, logger)
	if err != nil {
		return nil, err
	}
	wmmetrics.NewPrometheusMetricsBuilder(reg, "carecost", "watermill").AddPrometheusRouterMetrics(router)
	router.AddMiddleware(middleware.Recoverer)
	for _, p := range r.projs {
		name := p.Name()
		router.AddConsumerHandler(name, name, sub, func(msg *message.Message) error {
			events, err := domain.UnmarshalEvents(msg.Payload)
			if err != nil {
				return err
			}
			return r.handleLive(msg.Context(), name, events)
		})
	}
	return router, nil
}

// handleLive applies a live batch; while the projection is stopped it waits
// for it to resume (or for ctx to end), then applies the batch again.
func (r *Runner) handleLive(ctx context.Context, name string, events []domain.RecordedEvent) error {
	for {
		err := r.Handle(ctx, name, events)
		if !errors.Is(err, ErrStopped) {
			return err
		}
		select {
		case <-r.resumed(name):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
