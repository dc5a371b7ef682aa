package admin

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"

	"carecost/domain"
)

// metrics are the HTTP and usage metrics of the API. HTTP metrics are
// labelled by route template, never by the raw path, so their number stays
// bounded.
type metrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	errors   *prometheus.CounterVec
	repeated prometheus.Counter
}

// Usage (estimates opened, decisions, quotes, ...) is not counted here but
// from the event log by the usage projection (projections.Usage), so it is
// the same on every instance and survives restarts; what no event records
// (quotes, what-ifs, users who only read) goes into the server's
// domain.UsageTally, which carecost records in the log now and then.

func newMetrics(reg *prometheus.Registry) *metrics {
	m := &metrics{
		requests: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "carecost", Subsystem: "http", Name: "requests_total",
			Help: "HTTP requests answered, by method, route template and status code.",
		}, []string{"method", "route", "code"})),
		duration: register(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: "carecost", Subsystem: "http", Name: "request_duration_seconds",
			Help: "Time to answer an HTTP request, by method and route template.", Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"})),
		errors: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "carecost", Name: "errors_total",
			Help: "Error responses of the API, by error code.",
		}, []string{"code"})),
		repeated: register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "carecost", Name: "commands_repeated_total",
			Help: "Commands answered again as their first run, for a request repeated with the same Idempotency-Key.",
		})),
	}
	// Every code from the start, at 0: increase() over a restart or a
	// quiet hour has a series to read.
	for code := range errorCodes {
		m.errors.WithLabelValues(code)
	}
	m.errors.WithLabelValues(domain.EInternal)
	return m
}

// register adds c to reg; when an equal collector is registered already
// (another part of carecost counts the same thing), that one is used.
func register[C prometheus.Collector](reg *prometheus.Registry, c C) C {
	err := reg.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(C); ok {
			return existing
		}
	}
	if err != nil {
		panic("admin: register metric: " + err.Error())
	}
	return c
}

// knownMethods are the methods carecost serves.
var knownMethods = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}

// methodLabel returns the method as a label: the package's own string (not
// the request's reused buffer), or "OTHER".
func methodLabel(m string) string {
	for _, k := range knownMethods {
		if m == k {
			return k
		}
	}
	return "OTHER"
}
