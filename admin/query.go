package admin

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// Paging bounds of the list routes.
const (
	defaultLimit = 50
	maxLimit     = 500
)

// query reads query parameters, keeping the first error; each value is
// copied out of Fiber's buffers.
type query struct {
	c   *fiber.Ctx
	err error
}

func (q *query) fail(name, format string, args ...any) {
	if q.err == nil {
		q.err = domain.Invalidf(name, format, args...)
	}
}

// str returns parameter name ("" when absent), at most max characters.
func (q *query) str(name string, max int) string {
	v := q.c.Query(name)
	if len(v) > max {
		q.fail(name, "at most %d characters", max)
		return ""
	}
	return strings.Clone(v)
}

// oneOf returns parameter name, which must be one of allowed when present.
func oneOf[T ~string](q *query, name string, allowed []T) T {
	v := q.c.Query(name)
	if v == "" {
		return ""
	}
	if i := slices.Index(allowed, T(v)); i >= 0 {
		return allowed[i]
	}
	q.fail(name, "%q is not one of %v", v, allowed)
	return ""
}

// slug returns parameter name, a catalogue id when present.
func (q *query) slug(name string) string {
	v := q.str(name, 63)
	if v != "" {
		if err := domain.ValidSlug(name, v); err != nil && q.err == nil {
			q.err = err
		}
	}
	return v
}

// intIn returns parameter name as a whole number in [min, max], or def
// when absent.
func (q *query) intIn(name string, def, min, max int) int {
	v := q.c.Query(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		q.fail(name, "%q is not a whole number from %d to %d", v, min, max)
		return def
	}
	return n
}

// date returns parameter name as a date (zero when absent).
func (q *query) date(name string) domain.Date {
	v := q.c.Query(name)
	if v == "" {
		return domain.Date{}
	}
	d, err := domain.ParseDate(v)
	if err != nil {
		q.fail(name, "%s", domain.ErrorMessage(err))
	}
	return d
}

// boolean returns parameter name: true, false or absent (false).
func (q *query) boolean(name string) bool {
	switch v := q.c.Query(name); v {
	case "", "false":
		return false
	case "true":
		return true
	default:
		q.fail(name, "%q is not true or false", v)
		return false
	}
}

// optionalBool returns parameter name: true, false, or nil when absent.
func (q *query) optionalBool(name string) *bool {
	if q.c.Query(name) == "" {
		return nil
	}
	b := q.boolean(name)
	return &b
}

// knownAt returns parameter name as a log position or an RFC 3339 time.
// Position 0 (before the first event) and the zero time name no moment
// anything was known at; absent means now.
func (q *query) knownAt(name string) (domain.Position, time.Time) {
	v := q.c.Query(name)
	if v == "" {
		return domain.Position{}, time.Time{}
	}
	if p, err := domain.ParsePosition(v); err == nil {
		if p.IsZero() {
			q.fail(name, "%q is the start of the log, before anything was known; log positions count from 1 (leave %s out for now)", v, name)
		}
		return p, time.Time{}
	}
	t, err := time.Parse(time.RFC3339, v)
	if err != nil {
		q.fail(name, "%q is neither a log position (such as 42) nor a time (such as 2026-01-31T12:00:00+02:00)", v)
	} else if t.IsZero() {
		q.fail(name, "%q is the zero time, before anything was known (leave %s out for now)", v, name)
	}
	return domain.Position{}, t
}

// knownAt reads query parameter name of a read that answers "as known at"
// a moment: a log position (from 1) or an RFC 3339 time, the answer as the
// log stood then; absent, now. Every such read takes it through here, so
// each refuses the same way, naming the parameter: position 0 and the zero
// time (before anything was known), a position past the end of the log and
// a time still to come (their answers would change later). A time is kept
// as a time: a read answers it from the recorded times of what it reads
// (at or before that moment), not from a position looked up for it.
func (s *Server) knownAt(c *fiber.Ctx, name string) (domain.Position, time.Time, error) {
	q := &query{c: c}
	pos, at := q.knownAt(name)
	if q.err != nil {
		return pos, at, q.err
	}
	if at.After(s.now()) {
		return pos, at, domain.Invalidf(name, "%s is in the future; what will be known then is not known yet", at.Format(time.RFC3339))
	}
	if !pos.IsZero() {
		st, err := s.health.Status(c.UserContext())
		if err != nil {
			return pos, at, err
		}
		if len(st) > 0 && st[0].Head.Less(pos) {
			return pos, at, domain.Invalidf(name, "the log ends at position %s; %s is not written yet", st[0].Head, pos)
		}
	}
	return pos, at, nil
}

// bounds returns the limit and offset of a list.
func (q *query) bounds() (limit, offset int) {
	return q.intIn("limit", defaultLimit, 1, maxLimit), q.intIn("offset", 0, 0, 1<<30)
}
