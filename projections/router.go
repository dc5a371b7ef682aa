package projections

import (
	"context"
	"time"

	"github.com/ThreeDotsLabs/watermill"
	wmmetrics "github.com/ThreeDotsLabs/watermill/components/metrics"
	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/prometheus/client_golang/prometheus"

	"carecost/domain"
)

// PoisonTopic is the topic poisoned batches go to.
const PoisonTopic = "poison"

// Resume returns the position after which a projection resumes: its
// checkpoint. It is the Resume of the log subscriber.
func (r *Runner) Resume(_ context.Context, name string) (domain.Position, error) {
	return r.Checkpoint(name), nil
}

// NewRouter returns a Watermill router with one consumer handler per
// projection, each reading its own topic (the projection's name) from sub.
// A failing batch is retried with backoff; a batch that still fails goes to
// the poison queue (kept in the read-model database and logged) so the
// projection moves on, and `carecost rebuild` repairs it. Watermill's router
// metrics are registered on reg.
func (r *Runner) NewRouter(sub message.Subscriber, reg prometheus.Registerer, logger watermill.LoggerAdapter) (*message.Router, error) {
	router, err := message.NewRouter(message.RouterConfig{CloseTimeout: 10 * time.Second}, logger)
	if err != nil {
		return nil, err
	}
	poison, err := middleware.PoisonQueue(&poisonPublisher{r: r}, PoisonTopic)
	if err != nil {
		return nil, err
	}
	retry := middleware.Retry{MaxRetries: 3, InitialInterval: 100 * time.Millisecond, MaxInterval: 2 * time.Second,
		Multiplier: 2, RandomizationFactor: 0.2, Logger: logger}
	router.AddMiddleware(poison, retry.Middleware)
	wmmetrics.NewPrometheusMetricsBuilder(reg, "carecost", "watermill").AddPrometheusRouterMetrics(router)
	router.AddMiddleware(middleware.Recoverer)
	for _, p := range r.projs {
		name := p.Name()
		router.AddConsumerHandler(name, name, sub, func(msg *message.Message) error {
			events, err := domain.UnmarshalEvents(msg.Payload)
			if err != nil {
				return err
			}
			return r.Handle(msg.Context(), name, events)
		})
	}
	return router, nil
}
