package admin

import (
	"context"
	"errors"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// route is one entry of the route table: what Fiber needs to serve it and
// what the OpenAPI document says about it, in one place so the two cannot
// drift apart.
type route struct {
	method  string
	path    string // Fiber template: /api/v1/estimates/:id
	handler fiber.Handler
	summary string
	tag     string
	// query lists the query parameters the route takes; any other is refused.
	query []param
	// body is a zero value of the request body (nil: none); optional says
	// an empty body is allowed.
	body     any
	optional bool
	// form is a zero value of an HTML form's fields (a body of
	// application/x-www-form-urlencoded, with json tags naming them).
	form any
	// resp is a zero value of the success body; produces is its media type
	// when it is not JSON.
	resp     any
	produces string
	status   int
	// write marks a command: it takes the actor, idempotency and correlation
	// headers and answers with X-Carecost-Position.
	write bool
	// versioned marks a change to an estimate, a tariff or an income-limit
	// catalogue, which takes If-Match or expected_version; on a GET it marks
	// a response with an ETag.
	versioned bool
	// refusals are further error statuses the route answers, beside the
	// ones its kind implies (a 409 of a route that is not a command).
	refusals []int
	// rule says who may use the route.
	rule rule
	// page marks a page of the console: HTML for people, left out of the
	// OpenAPI document, its errors shown as pages (console.go).
	page bool
}

// param is a query or path parameter.
type param struct {
	name     string
	typ      string // OpenAPI type: string, integer or boolean
	format   string
	enum     []string
	desc     string
	required bool
}

// expectedParam is the query form of If-Match.
var expectedParam = param{name: "expected_version", typ: "integer",
	desc: "the stream version the change expects (the ETag of the GET, without quotes); a stale one is a 409"}

// queryParams returns the query parameters of the route.
func (r route) queryParams() []param {
	if r.versioned && r.method != fiber.MethodGet {
		return append(r.query[:len(r.query):len(r.query)], expectedParam)
	}
	return r.query
}

// pathParams returns the names of the route's path parameters.
func (r route) pathParams() []string {
	var out []string
	for _, seg := range strings.Split(r.path, "/") {
		if strings.HasPrefix(seg, ":") {
			out = append(out, seg[1:])
		}
	}
	return out
}

// successStatus returns the status of a successful answer.
func (r route) successStatus() int {
	if r.status == 0 {
		return fiber.StatusOK
	}
	return r.status
}

// register installs the middleware and every route of the table; every
// GET route answers HEAD as well (the same answer without the body).
func (s *Server) register() {
	s.app.Use(s.observe, recoverPanic)
	s.table = s.routes()
	for _, r := range s.table {
		if !r.rule.defined() {
			panic("admin: route " + r.method + " " + r.path + " has no access rule")
		}
		r.query = r.queryParams()
		handlers := []fiber.Handler{enter, s.authorize(r), checkQuery(r)}
		if r.page {
			handlers = append([]fiber.Handler{markPage}, handlers...)
		}
		if r.body != nil {
			handlers = append(handlers, requireJSON)
		}
		if waitsForPosition(r) {
			handlers = append(handlers, s.readYourWrites)
		}
		handlers = append(handlers, r.handler)
		s.app.Add(r.method, r.path, handlers...)
		if r.method == fiber.MethodGet {
			s.app.Add(fiber.MethodHead, r.path, handlers...)
		}
	}
}

// allowedMethods returns the methods the route table serves at path (HEAD
// with GET), in the router's order, none when no route has that path. Like
// the router it ignores a trailing slash; a path parameter matches any
// non-empty segment.
func (s *Server) allowedMethods(path string) []string {
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	segs := strings.Split(path, "/")
	var out []string
	for _, r := range s.table {
		if matchTemplate(strings.Split(r.path, "/"), segs) && !slices.Contains(out, r.method) {
			out = append(out, r.method)
			if r.method == fiber.MethodGet {
				out = append(out, fiber.MethodHead)
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int {
		return slices.Index(fiber.DefaultMethods, a) - slices.Index(fiber.DefaultMethods, b)
	})
	return out
}

// matchTemplate reports whether the segments of a path match those of a
// route template.
func matchTemplate(template, path []string) bool {
	if len(template) != len(path) {
		return false
	}
	for i, t := range template {
		if strings.HasPrefix(t, ":") {
			if path[i] == "" {
				return false
			}
		} else if t != path[i] {
			return false
		}
	}
	return true
}

// waitsForPosition reports whether a route is a query of the read models,
// which honours X-Carecost-Position.
func waitsForPosition(r route) bool {
	return r.method == fiber.MethodGet && strings.HasPrefix(r.path, "/api/v1/")
}

// readYourWrites makes a query that names a position (X-Carecost-Position,
// as a command answered) wait, bounded, until the read models have applied
// it; past the bound it answers what there is, with X-Carecost-Stale: true.
// When a read model that has not reached the position is stopped before an
// event it cannot apply, the answer is at once a 503 naming it.
func (s *Server) readYourWrites(c *fiber.Ctx) error {
	h := c.Get(headerPosition)
	if h == "" {
		return c.Next()
	}
	pos, err := domain.ParsePosition(h)
	if err != nil {
		return domain.Invalidf(headerPosition, "%q is not a log position", h)
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), s.waitTimeout)
	err = s.waiter.WaitFor(ctx, pos)
	cancel()
	if errors.Is(err, projections.ErrStopped) {
		return err
	}
	if err != nil {
		c.Set(headerStale, "true")
	}
	return c.Next()
}
