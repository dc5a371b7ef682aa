package admin

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/admin/abuse"
	"carecost/domain"
)

// Claim is whose credentials a request carried that failed.
type Claim struct {
	// User is the user the credentials named ("" when they name none
	// carecost knows).
	User string
	// Guess says the failure counts against User: the credentials are not
	// the user's (a wrong secret or password), rather than the user's own
	// that no longer work (a revoked or expired token).
	Guess bool
}

// Claimer is an Authenticator that can name the user of credentials it
// refused, so that the per-user limit and the lock count the failure;
// without it only the client's address is limited.
type Claimer interface {
	Claim(c *fiber.Ctx) Claim
}

// limitedAuth is the Authenticator of a Server: the configured one within
// the abuse limits. A request without credentials passes untouched. One
// with credentials from an address over its limit is refused unchecked;
// else it is checked. Credentials that work (a valid token, a live
// session) pass even when their user is locked: a lock stops guessing, and
// must not let anyone who knows a user's name shut that user's sessions
// and scripts out. Failed credentials are refused with a 429 when the user
// they named is over their limit or locked; else the failure is counted,
// logged, and may lock the user.
type limitedAuth struct {
	next   Authenticator
	limits *abuse.Limiter
	s      *Server
}

// Authenticate implements Authenticator.
func (a limitedAuth) Authenticate(c *fiber.Ctx) (Identity, bool, error) {
	if !carriesCredentials(c) {
		return a.next.Authenticate(c)
	}
	addr := a.s.clientAddr(c)
	key := limitKey(addr)
	if v := a.limits.Allow("", key); !v.OK() {
		return Identity{}, false, a.refuse(c, v)
	}
	id, ok, err := a.next.Authenticate(c)
	switch {
	case ok:
	case domain.ErrorCode(err) == domain.EUnauthenticated:
		var claim Claim
		if cl, ok := a.next.(Claimer); ok {
			claim = cl.Claim(c)
			claim.User = strings.Clone(claim.User) // the limiter keeps it
		}
		if v := a.limits.Allow(claim.User, ""); !v.OK() {
			return Identity{}, false, a.refuse(c, v)
		}
		counted := ""
		if claim.Guess {
			counted = claim.User
		}
		a.failed(c, claim, addr.String(), a.limits.Failed(counted, key))
	}
	return id, ok, err
}

// carriesCredentials reports whether the request carries credentials of a
// kind carecost reads: an Authorization header or a session cookie.
func carriesCredentials(c *fiber.Ctx) bool {
	h := &c.Request().Header
	return len(h.Peek(fiber.HeaderAuthorization)) > 0 || len(h.Cookie(sessionCookie)) > 0
}

// failed logs and counts a failure, and a lock it led to. Neither the
// credentials nor any part of them are logged.
func (a limitedAuth) failed(c *fiber.Ctx, claim Claim, addr string, f abuse.Failure) {
	a.s.authMetrics.failures.WithLabelValues(reasonInvalid).Inc()
	attrs := []slog.Attr{slog.String("reason", reasonInvalid), slog.String("user", claim.User), slog.Bool("counted_for_user", claim.Guess),
		slog.String("client", addr), slog.String("route", routeLabel(c)), slog.String("request_id", requestID(c))}
	if !f.Next.OK() {
		attrs = append(attrs, slog.String("now_refused", string(f.Next.Limit)), slog.String("retry_after", f.Next.RetryAfter.String()))
	}
	a.s.log.LogAttrs(c.UserContext(), slog.LevelWarn, "authentication failed", attrs...)
	if f.Locked {
		a.s.authMetrics.lockouts.Inc()
		a.s.log.LogAttrs(c.UserContext(), slog.LevelWarn, "account locked", slog.String("user", claim.User),
			slog.String("client", addr), slog.String("for", a.limits.Config().LockFor.String()), slog.String("request_id", requestID(c)))
	}
}

// refuse counts an attempt a limit refuses and returns its 429, with
// Retry-After in whole seconds. The messages are the same whether the user
// exists or not.
func (a limitedAuth) refuse(c *fiber.Ctx, v abuse.Verdict) error {
	a.s.authMetrics.failures.WithLabelValues(string(v.Limit)).Inc()
	secs := int64((v.RetryAfter + time.Second - 1) / time.Second)
	c.Set(fiber.HeaderRetryAfter, strconv.FormatInt(max(secs, 1), 10))
	wait := "try again in " + roughly(time.Duration(max(secs, 1))*time.Second)
	var msg string
	switch v.Limit {
	case abuse.Locked:
		msg = fmt.Sprintf("this account is locked for %s after repeated failed sign-ins; %s", roughly(a.limits.Config().LockFor), wait)
	case abuse.UserLimit:
		msg = "too many failed sign-ins for this account; " + wait
	default:
		msg = "too many failed sign-ins from your address; " + wait
	}
	return &apiError{errorDetail{Code: codeTooManyRequests, Message: msg}}
}

// roughly says d in whole minutes from a minute on, else in seconds.
func roughly(d time.Duration) string {
	if d < time.Minute {
		return plural(int64(d/time.Second), "second")
	}
	return plural(int64((d+time.Minute-1)/time.Minute), "minute")
}

func plural(n int64, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.FormatInt(n, 10) + " " + unit + "s"
}
