package admin

import (
	"bytes"
	"fmt"
	"log/slog"
	"mime"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// Headers of the API.
const (
	headerRequestID   = "X-Request-ID"
	headerUser        = "X-Carecost-User"
	headerRole        = "X-Carecost-Role"
	headerIdempotency = "Idempotency-Key"
	headerCorrelation = "X-Correlation-ID"
	headerPosition    = "X-Carecost-Position"
	headerStale       = "X-Carecost-Stale"
)

// Keys of the request's locals: its id and the template of its route.
const (
	localRequestID = "carecost.request_id"
	localRoute     = "carecost.route"
)

// unmatchedRoute labels requests that matched no route.
const unmatchedRoute = "unmatched"

var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,128}$`)

// observe gives each request its id, answers its error, logs it and counts
// it by route template.
func (s *Server) observe(c *fiber.Ctx) error {
	start := s.now()
	identify(c)
	secure(c)
	if err := c.Next(); err != nil {
		if err := s.handleError(c, err); err != nil {
			return err
		}
	}
	s.record(c, start)
	return nil
}

// identify gives the request its id: the client's X-Request-ID when it is
// a sane one, else a new one.
func identify(c *fiber.Ctx) {
	id := c.Get(headerRequestID)
	if requestIDPattern.MatchString(id) {
		id = strings.Clone(id)
	} else {
		id = domain.NewID()
	}
	c.Locals(localRequestID, id)
	c.Set(headerRequestID, id)
}

// guardMethods wraps next, the handler of Fiber's HTTP server: a request
// whose method the router knows goes to next; any other is answered by
// refuse, on a Fiber context. (The router would answer it with a plain-text
// 400 before any middleware runs.) The server's request type is inferred
// from acquire, so admin needs no import of Fiber's HTTP engine.
func guardMethods[R interface{ Method() []byte }, H ~func(R)](next H, acquire func(R) *fiber.Ctx, release func(*fiber.Ctx), refuse func(*fiber.Ctx)) H {
	return func(r R) {
		if slices.Contains(fiber.DefaultMethods, string(r.Method())) {
			next(r)
			return
		}
		c := acquire(r)
		defer release(c)
		refuse(c)
	}
}

// refuseUnknownMethod answers a request whose method the router does not
// know with a JSON error: 405 with Allow when carecost serves the path,
// else 501.
func (s *Server) refuseUnknownMethod(c *fiber.Ctx) {
	start := s.now()
	identify(c)
	secure(c)
	method := c.Method() // the request's buffer: used here only
	if len(method) > 32 {
		method = method[:32] + "..."
	}
	refusal := &apiError{errorDetail{Code: codeNotImplemented, Message: fmt.Sprintf("carecost does not know the method %q", method)}}
	if allow := s.allowedMethods(c.Path()); len(allow) > 0 {
		c.Set(fiber.HeaderAllow, strings.Join(allow, ", "))
		refusal = &apiError{errorDetail{Code: codeMethodNotAllowed,
			Message: fmt.Sprintf("this resource does not take %q; it takes %s", method, strings.Join(allow, ", "))}}
	}
	if err := s.handleError(c, refusal); err != nil {
		s.log.Error("answer an unknown method", "request_id", requestID(c), "error", err.Error())
	}
	s.record(c, start)
}

// observeUnrouted gives a request that Fiber refused before routing an id
// and the security headers, and records it.
func (s *Server) observeUnrouted(c *fiber.Ctx, start time.Time) {
	id := domain.NewID()
	c.Locals(localRequestID, id)
	c.Set(headerRequestID, id)
	secure(c)
	s.record(c, start)
}

// record logs the request, with its path (never the query string, where
// a client reference may stand), the authenticated user and the client's
// address, so the log says who read which record; and updates the HTTP
// metrics. Labels are the package's own strings or the route template,
// never request bytes.
func (s *Server) record(c *fiber.Ctx, start time.Time) {
	d := s.now().Sub(start)
	status := c.Response().StatusCode()
	method, route := methodLabel(c.Method()), routeLabel(c)
	s.metrics.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	s.metrics.duration.WithLabelValues(method, route).Observe(d.Seconds())
	id, _ := identityOf(c)
	s.log.LogAttrs(c.UserContext(), slog.LevelInfo, "request",
		slog.String("method", method), slog.String("route", route), slog.String("path", loggedPath(c)), slog.Int("status", status),
		slog.Duration("duration", d), slog.String("user", id.User), slog.String("request_id", requestID(c)),
		slog.String("client", s.clientAddr(c).String()))
}

// maxLoggedPath bounds the path a request log line shows.
const maxLoggedPath = 200

// loggedPath is the request's path as sent (without the query string),
// cut to maxLoggedPath bytes.
func loggedPath(c *fiber.Ctx) string {
	p := c.Request().URI().PathOriginal()
	if i := bytes.IndexByte(p, '?'); i >= 0 {
		p = p[:i]
	}
	if len(p) > maxLoggedPath {
		return string(p[:maxLoggedPath]) + "..."
	}
	return string(p)
}

// routeLabel returns the template of the route that answered (as enter
// recorded it), or unmatchedRoute.
func routeLabel(c *fiber.Ctx) string {
	if r, ok := c.Locals(localRoute).(string); ok {
		return r
	}
	return unmatchedRoute
}

// requestID returns the request's id ("" before observe ran).
func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// recoverPanic turns a panic in a handler into an internal error, with the
// stack for the log.
func recoverPanic(c *fiber.Ctx) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("admin: panic: %v\n%s", r, debug.Stack())
		}
	}()
	return c.Next()
}

// requireJSON refuses a request body that is not JSON. An empty body is no
// body, whatever its Content-Type says: the handler decides whether it
// needs one.
func requireJSON(c *fiber.Ctx) error {
	if len(c.Body()) == 0 {
		return c.Next()
	}
	ct := c.Get(fiber.HeaderContentType)
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || (mt != fiber.MIMEApplicationJSON && !strings.HasSuffix(mt, "+json")) {
		return errUnsupportedMedia(ct)
	}
	return c.Next()
}

// enter is the first handler of every route: it records the route
// template for the log and the metrics.
func enter(c *fiber.Ctx) error {
	c.Locals(localRoute, c.Route().Path)
	return c.Next()
}

// checkQuery follows authorization on every route: it refuses query
// parameters the route does not take, so a typo is an error rather than a
// silently ignored filter. (After authorization: whoever may not use the
// route learns nothing of it.)
func checkQuery(r route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var bad, twice string
		var seen []string
		c.Context().QueryArgs().VisitAll(func(k, _ []byte) {
			if bad == "" && !slices.ContainsFunc(r.query, func(p param) bool { return p.name == string(k) }) {
				bad = string(k)
			}
			if twice == "" && slices.Contains(seen, string(k)) {
				twice = string(k)
			}
			seen = append(seen, string(k))
		})
		if bad != "" {
			return &queryError{name: bad, err: domain.Invalidf(bad, "%s %s takes no query parameter %q", r.method, r.path, bad)}
		}
		if twice != "" {
			return &queryError{name: twice, twice: true, err: domain.Invalidf(twice, "the query parameter %q is given twice; give it once", twice)}
		}
		return c.Next()
	}
}

// queryError refuses a query parameter the route does not take, or one
// given twice: the API's answer is its domain error, a page names the
// parameter in the person's language.
type queryError struct {
	name  string
	twice bool
	err   *domain.Error
}

func (e *queryError) Error() string { return e.err.Error() }
func (e *queryError) Unwrap() error { return e.err }
