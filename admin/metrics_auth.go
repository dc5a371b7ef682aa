package admin

import (
	"github.com/prometheus/client_golang/prometheus"

	"carecost/admin/abuse"
)

// Reasons of carecost_auth_failures_total: credentials refused as wrong,
// or an attempt refused by a limit (abuse.AddressLimit, abuse.UserLimit,
// abuse.Locked), whatever its credentials.
const reasonInvalid = "invalid"

var authFailureReasons = []string{reasonInvalid, string(abuse.AddressLimit), string(abuse.UserLimit), string(abuse.Locked)}

// authMetrics count failed authentication. Their labels are the reasons
// above, never a user or an address.
type authMetrics struct {
	failures *prometheus.CounterVec
	lockouts prometheus.Counter
}

func newAuthMetrics(reg *prometheus.Registry) *authMetrics {
	m := &authMetrics{
		failures: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "carecost", Subsystem: "auth", Name: "failures_total",
			Help: "Failed authentication: wrong credentials (invalid), or attempts refused by a limit (address_limit, user_limit, locked).",
		}, []string{"reason"})),
		lockouts: register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "carecost", Subsystem: "auth", Name: "lockouts_total",
			Help: "Users locked after repeated failed authentication.",
		})),
	}
	for _, r := range authFailureReasons {
		m.failures.WithLabelValues(r)
	}
	return m
}
