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
// failures and stops the projection before an event it cannot apply), and
// a message that carries progress alone (a store's subscription read past
// events that are not the application's) through Progress. A
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
			events, progress, err := domain.UnmarshalBatch(msg.Payload)
			if err != nil {
				return err
			}
			if !progress.IsZero() {
				return r.whenRunning(msg.Context(), name, func() error { return r.Progress(msg.Context(), name, progress) })
			}
			return r.whenRunning(msg.Context(), name, func() error { return r.Handle(msg.Context(), name, events) })
		})
	}
	return router, nil
}

// whenRunning runs fn (Handle or Progress of the named projection); while
// the projection is stopped it waits for it to resume (or for ctx to end),
// then runs fn again.
func (r *Runner) whenRunning(ctx context.Context, name string, fn func() error) error {
	for {
		err := fn()
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
