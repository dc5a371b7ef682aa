package admin

import (
	"carecost/admin/abuse"
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// LoginLimiter bounds sign-in attempts, by the name tried and the address
// they come from. carecost asks it before checking a password and tells it
// how the check went after; it never passes the password.
type LoginLimiter interface {
	// Allow reports whether an attempt at name from ip may be checked
	// now; when not, retryAfter says how long to wait.
	Allow(ctx context.Context, name, ip string) (ok bool, retryAfter time.Duration)
	// Record tells how the attempt Allow let through ended.
	Record(ctx context.Context, name, ip string, succeeded bool)
}

// noLimit lets every attempt through.
type noLimit struct{}

func (noLimit) Allow(context.Context, string, string) (bool, time.Duration) { return true, 0 }
func (noLimit) Record(context.Context, string, string, bool)                {}

// The results a sign-in is counted under.
const (
	loginOK      = "ok"      // signed in
	loginRefused = "refused" // wrong name or password, disabled, no role, a bad answer from the provider
	loginLimited = "limited" // the LoginLimiter said wait
	loginExpired = "expired" // the form's CSRF token, or the provider's state, did not match
	loginError   = "error"   // carecost or the provider failed
)

// newLoginCounter counts sign-in attempts by method and result.
func newLoginCounter(reg *prometheus.Registry) *prometheus.CounterVec {
	return register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: "carecost", Name: "logins_total",
		Help: "Sign-in attempts by method (password, oidc) and result (ok, refused, limited, expired, error).",
	}, []string{"method", "result"}))
}

// abuseLogins puts sign-ins under the limits of failed authentication
// (package abuse) that API tokens are under: a failed sign-in counts
// against the name tried and the client address, a lock holds for both.
// A lock is logged and counted as a token guesser's is.
type abuseLogins struct {
	l *abuse.Limiter
	s *Server
}

func (a abuseLogins) Allow(_ context.Context, name, addr string) (bool, time.Duration) {
	v := a.l.Allow(name, addr)
	return v.OK(), v.RetryAfter
}

func (a abuseLogins) Record(ctx context.Context, name, addr string, succeeded bool) {
	if succeeded {
		a.l.Succeeded(name)
		return
	}
	if f := a.l.Failed(name, addr); f.Locked {
		a.s.authMetrics.lockouts.Inc()
		a.s.log.LogAttrs(ctx, slog.LevelWarn, "account locked", slog.String("user", name), slog.String("client", addr),
			slog.String("for", a.l.Config().LockFor.String()), slog.String("method", "password"))
	}
}
