package projections

import (
	"context"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"carecost/domain"
)

// metrics are the projections' Prometheus metrics: events applied, batch
// durations, stops and skips as they happen, and at scrape time the head of
// the log, each checkpoint, whether each projection is stopped, and the lag
// in events and seconds.
type metrics struct {
	r        *Runner
	appliedC *prometheus.CounterVec
	failures *prometheus.CounterVec
	skipped  *prometheus.CounterVec
	batchH   *prometheus.HistogramVec
	head     *prometheus.Desc
	up       *prometheus.Desc
	cp       *prometheus.Desc
	stopped  *prometheus.Desc
	lagE     *prometheus.Desc
	lagS     *prometheus.Desc
	// rebuilds beside the live read models
	rebuildEvents  *prometheus.CounterVec
	rebuildRunning *prometheus.Desc
	rebuildLeft    *prometheus.Desc
}

func newMetrics(r *Runner) *metrics {
	return &metrics{r: r,
		appliedC: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "carecost_projection_events_applied_total",
			Help: "Events applied to each projection."}, []string{"projection"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "carecost_projection_failures_total",
			Help: "Times a projection stopped before an event it cannot apply."}, []string{"projection"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "carecost_projection_events_skipped_total",
			Help: "Events a projection passed over without applying them, as an operator decided."}, []string{"projection"}),
		batchH: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "carecost_projection_batch_duration_seconds",
			Help: "Time to apply one batch of events to a projection, with its checkpoint.", Buckets: prometheus.ExponentialBuckets(0.0005, 4, 8)}, []string{"projection"}),
		head:    prometheus.NewDesc("carecost_event_log_head_position", "Position of the last event in the log.", nil, nil),
		up:      prometheus.NewDesc("carecost_event_store_up", "1 when the event store answered this scrape (its head within 2 s), else 0.", nil, nil),
		cp:      prometheus.NewDesc("carecost_projection_checkpoint_position", "Position up to which each projection applied the log.", []string{"projection"}, nil),
		stopped: prometheus.NewDesc("carecost_projection_stopped", "1 while a projection is stopped before an event it cannot apply, else 0.", []string{"projection"}, nil),
		lagE:    prometheus.NewDesc("carecost_projection_lag_events", "Events in the log not yet applied to each projection (stores with dense positions only).", []string{"projection"}, nil),
		lagS:    prometheus.NewDesc("carecost_projection_lag_seconds", "Age of the oldest event not yet applied to each projection.", []string{"projection"}, nil),
		rebuildEvents: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "carecost_projection_rebuild_events_total",
			Help: "Events of the log read into the new tables of rebuilds beside the live read models."}, []string{"projection"}),
		rebuildRunning: prometheus.NewDesc("carecost_projection_rebuild_running", "1 while a projection is being rebuilt beside its live read model, else 0.", []string{"projection"}, nil),
		rebuildLeft:    prometheus.NewDesc("carecost_projection_rebuild_remaining_seconds", "Estimated time left of a running rebuild (0 when none runs or no estimate exists yet).", []string{"projection"}, nil),
	}
}

// served makes the per-projection series of the counters and the batch
// histogram exist from the start (at 0), so that a dashboard, rate() and
// increase() see them after a restart before the first event, stop, skip
// or rebuild.
func (m *metrics) served(names []string) {
	for _, n := range names {
		for _, v := range []*prometheus.CounterVec{m.rebuildEvents, m.appliedC, m.failures, m.skipped} {
			v.WithLabelValues(n)
		}
		m.batchH.WithLabelValues(n)
	}
}

func (m *metrics) applied(name string, n int, d time.Duration) {
	m.appliedC.WithLabelValues(name).Add(float64(n))
	m.batchH.WithLabelValues(name).Observe(d.Seconds())
}

// Describe implements prometheus.Collector.
func (m *metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range []prometheus.Collector{m.appliedC, m.failures, m.skipped, m.batchH, m.rebuildEvents} {
		c.Describe(ch)
	}
	for _, d := range []*prometheus.Desc{m.head, m.up, m.cp, m.stopped, m.lagE, m.lagS, m.rebuildRunning, m.rebuildLeft} {
		ch <- d
	}
}

// Collect implements prometheus.Collector. The lag in events is the
// difference of positions, on a store whose positions number the events
// without holes (DenseLog); on any other store it is left out (unknown),
// and the head and checkpoint positions say how far behind a projection is.
// Nothing here reads more than one event per projection.
func (m *metrics) Collect(ch chan<- prometheus.Metric) {
	for _, c := range []prometheus.Collector{m.appliedC, m.failures, m.skipped, m.batchH, m.rebuildEvents} {
		c.Collect(ch)
	}
	for _, name := range m.r.Projections() {
		ch <- prometheus.MustNewConstMetric(m.stopped, prometheus.GaugeValue, b2f(m.r.Failure(name) != nil), name)
		rb, _ := m.r.rebuildProgress(name, domain.Position{})
		ch <- prometheus.MustNewConstMetric(m.rebuildRunning, prometheus.GaugeValue, b2f(rb.Running()), name)
		if !rb.Running() {
			ch <- prometheus.MustNewConstMetric(m.rebuildLeft, prometheus.GaugeValue, 0, name)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	head, err := m.r.store.Head(ctx)
	ch <- prometheus.MustNewConstMetric(m.up, prometheus.GaugeValue, b2f(err == nil))
	if err != nil {
		return
	}
	dense := m.r.dense()
	ch <- prometheus.MustNewConstMetric(m.head, prometheus.GaugeValue, float64(head.Commit))
	for _, name := range m.r.Projections() {
		cp := m.r.Checkpoint(name)
		ch <- prometheus.MustNewConstMetric(m.cp, prometheus.GaugeValue, float64(cp.Commit), name)
		if dense {
			ch <- prometheus.MustNewConstMetric(m.lagE, prometheus.GaugeValue, float64(lagEvents(cp, head)), name)
		}
		ch <- prometheus.MustNewConstMetric(m.lagS, prometheus.GaugeValue, m.lagSeconds(ctx, cp, head), name)
		if rb, ok := m.r.rebuildProgress(name, head); ok && rb.Running() {
			left := 0.0
			if rb.RemainingSeconds != nil {
				left = float64(*rb.RemainingSeconds)
			}
			ch <- prometheus.MustNewConstMetric(m.rebuildLeft, prometheus.GaugeValue, left, name)
		}
	}
}

// lagEvents is the number of events after cp up to head, in a dense log.
func lagEvents(cp, head domain.Position) uint64 {
	if !cp.Less(head) {
		return 0
	}
	return head.Commit - cp.Commit
}

// lagSeconds is the age of the first event after cp.
func (m *metrics) lagSeconds(ctx context.Context, cp, head domain.Position) float64 {
	if !cp.Less(head) {
		return 0
	}
	evs, err := m.r.store.ReadAll(ctx, domain.ReadAllOptions{After: cp, Limit: 1})
	if err != nil || len(evs) == 0 {
		return 0
	}
	return time.Since(evs[0].RecordedAt).Seconds()
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// Collector returns the runner's metrics, to register on the registry.
func (r *Runner) Collector() prometheus.Collector { return r.m }
