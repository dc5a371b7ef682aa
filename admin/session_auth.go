package admin

import (
	"crypto/subtle"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// Where a session-authenticated request that changes something carries
// its CSRF token: a header (scripts) or a form field (forms).
const (
	headerCSRF = "X-Csrf-Token"
	fieldCSRF  = "_csrf"
)

// localSession marks a request a session authenticated: its sessionInfo.
const localSession = "carecost.session"

// sessionInfo is what a session-authenticated request knows of its
// session beyond the identity.
type sessionInfo struct {
	CSRF    string
	Method  string
	Expires time.Time
}

// SessionAuth authenticates a request by the console's session cookie.
// The identity is the user's as it stands now (roles, team, enabled),
// read on every request, never what was true at sign-in. A session that
// ended (idle, absolute, signed out, its user disabled or gone) is no
// credential: the request is anonymous and the cookie cleared. A request
// that changes something (any method but GET, HEAD, OPTIONS, TRACE) must
// carry the session's CSRF token, else it is refused with 403: a cookie
// is sent by the browser whoever made the page.
type SessionAuth struct {
	Sessions *Sessions
	Commands *domain.Commands
	// OutageGrace is BearerTokens.OutageGrace, for a session's user.
	OutageGrace time.Duration
}

// Authenticate implements Authenticator.
func (a SessionAuth) Authenticate(c *fiber.Ctx) (Identity, bool, error) {
	if c.Cookies(sessionCookie) == "" {
		return Identity{}, false, nil
	}
	sess, err := a.Sessions.get(c)
	if err != nil {
		return Identity{}, false, err
	}
	name, _ := sess.Get(keyUser).(string)
	if name == "" {
		return Identity{}, false, nil // before signing in: the login page's
	}
	if a.Sessions.expired(sess) {
		return Identity{}, false, sess.Destroy()
	}
	u, err := a.Commands.UserOrRecent(c.UserContext(), name, a.OutageGrace)
	if domain.ErrorCode(err) == domain.ENotFound || (err == nil && (u.Disabled() || len(u.Roles()) == 0)) {
		return Identity{}, false, sess.Destroy()
	}
	if err != nil {
		return Identity{}, false, err
	}
	token, _ := sess.Get(keyCSRF).(string)
	if !safeMethod(c.Method()) && !validCSRF(c, token) {
		return Identity{}, false, &domain.Error{Code: domain.EForbidden, Field: headerCSRF,
			Message: "a change through the console needs its CSRF token (the " + headerCSRF + " header or the " + fieldCSRF + " form field)"}
	}
	if set := u.PasswordSetAt(); !set.IsZero() && signedInBefore(sess, set) {
		// The password was set (reset by an admin) after this sign-in:
		// whoever signed in with the old one is out.
		return Identity{}, false, sess.Destroy()
	}
	method, _ := sess.Get(keyMethod).(string)
	started, _ := sess.Get(keyStarted).(int64)
	c.Locals(localSession, sessionInfo{CSRF: token, Method: method, Expires: time.Unix(started, 0).Add(a.Sessions.absolute)})
	if seen, _ := sess.Get(keySeen).(int64); a.Sessions.now().Sub(time.Unix(seen, 0)) >= seenEvery {
		sess.Set(keySeen, a.Sessions.now().Unix())
		if err := sess.Save(); err != nil {
			return Identity{}, false, err
		}
	}
	id := Identity{User: u.Name(), DisplayName: u.DisplayName(), Team: u.Team(), Via: "session:" + method}
	for _, r := range u.Roles() {
		id.Roles = append(id.Roles, string(r))
	}
	return id, true, nil
}

// safeMethod reports whether a method changes nothing.
func safeMethod(m string) bool {
	switch m {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
		return true
	}
	return false
}

// validCSRF reports whether the request carries token, in the header or
// in a form body (never the query: a URL ends up in logs and Referers).
func validCSRF(c *fiber.Ctx, token string) bool {
	if token == "" {
		return false
	}
	got := c.Get(headerCSRF)
	if got == "" && strings.HasPrefix(string(c.Request().Header.ContentType()), fiber.MIMEApplicationForm) {
		got = string(c.Request().PostArgs().Peek(fieldCSRF))
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(token)) == 1
}

// FirstOf composes authenticators: the first that finds credentials in a
// request (or wrong ones) decides, so a request authenticates one way.
// Put BearerTokens first: a request with a token is not read as a session
// (and needs no CSRF token, since a browser never adds one by itself).
func FirstOf(auths ...Authenticator) Authenticator { return chain(auths) }

type chain []Authenticator

// Claim implements Claimer: the claim of the first authenticator that
// names a user.
func (ch chain) Claim(c *fiber.Ctx) Claim {
	for _, a := range ch {
		if cl, ok := a.(Claimer); ok {
			if claim := cl.Claim(c); claim.User != "" {
				return claim
			}
		}
	}
	return Claim{}
}

func (ch chain) Authenticate(c *fiber.Ctx) (Identity, bool, error) {
	for _, a := range ch {
		if id, ok, err := a.Authenticate(c); ok || err != nil {
			return id, ok, err
		}
	}
	return Identity{}, false, nil
}
