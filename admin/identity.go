package admin

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// Identity is who a request comes from, as authentication established it:
// the user (login name), display name, roles and team, and the credentials
// it came through (Via: "token:<id>" for an API token, "session:password"
// or "session:oidc" for a console session; empty when the authenticator
// does not say).
type Identity struct {
	User        string
	DisplayName string
	Roles       []string
	Team        string
	Via         string
}

// has reports whether the identity holds role.
func (id Identity) has(role string) bool { return slices.Contains(id.Roles, role) }

// Authenticator establishes who a request comes from. It answers ok false
// when the request carries no credentials at all, and an error (an
// EUnauthenticated domain error) when it carries wrong ones: unknown,
// expired, revoked, or of a disabled user.
type Authenticator interface {
	Authenticate(c *fiber.Ctx) (id Identity, ok bool, err error)
}

// noAuthenticator knows nobody: every route that needs a role answers 401.
type noAuthenticator struct{}

func (noAuthenticator) Authenticate(*fiber.Ctx) (Identity, bool, error) {
	return Identity{}, false, nil
}

// sessionCookie is the name of the console's session cookie.
const sessionCookie = "carecost_session"

// Locals keys of the authenticated request.
const (
	localIdentity = "carecost.identity"
	localRole     = "carecost.role"
)

// identityOf returns the identity of the request and the role its route
// allowed it under (zero on a public route without credentials).
func identityOf(c *fiber.Ctx) (Identity, string) {
	id, _ := c.Locals(localIdentity).(Identity)
	role, _ := c.Locals(localRole).(string)
	return id, role
}

// actorOf is the actor of the request's commands. Its strings are copies:
// the actor outlives the request (in events, in cached aggregates), and an
// authenticator may have read them from the request's reused buffers.
func actorOf(c *fiber.Ctx) domain.Actor {
	id, role := identityOf(c)
	roles := make([]string, len(id.Roles))
	for i, r := range id.Roles {
		roles[i] = strings.Clone(r)
	}
	return domain.Actor{ID: strings.Clone(id.User), Name: strings.Clone(id.DisplayName), Role: strings.Clone(role), Roles: roles,
		Team: strings.Clone(id.Team), Via: strings.Clone(id.Via)}
}

// authorize establishes who the request comes from and lets it through
// when the route's rule allows: a public route anyone, any other route an
// authenticated user holding one of its roles (401 without credentials,
// 403 with none of the roles).
func (s *Server) authorize(r route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if err := oneAuthorization(c); err != nil {
			return err
		}
		id, ok, err := s.auth.Authenticate(c)
		if domain.ErrorCode(err) == domain.EUnauthenticated {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="carecost", error="invalid_token"`)
		}
		if err != nil {
			return err
		}
		if ok {
			c.Locals(localIdentity, id)
		}
		if r.rule.public {
			return c.Next()
		}
		if !ok {
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="carecost"`)
			return &domain.Error{Code: domain.EUnauthenticated, Message: "sign in, or send an API token (Authorization: Bearer ...); docs/security.md"}
		}
		i := slices.IndexFunc(r.rule.roles, id.has)
		if i < 0 {
			return &domain.Error{Code: domain.EForbidden, Message: "this needs the role " + strings.Join(r.rule.roles, " or ") +
				"; you hold " + orNone(id.Roles)}
		}
		c.Locals(localRole, r.rule.roles[i])
		if r.path != metricsPath {
			// A scraper is not a person using carecost.
			s.usage.Seen(id.User, r.rule.roles[i])
		}
		return c.Next()
	}
}

// oneAuthorization refuses a request that names its user in a header the
// caller sets (X-Carecost-User, X-Carecost-Role: present at all, empty
// too), or that carries more than one Authorization header (which one
// counts would depend on who reads it).
func oneAuthorization(c *fiber.Ctx) error {
	h := &c.Request().Header
	for _, name := range []string{headerUser, headerRole} {
		if len(h.PeekAll(name)) > 0 {
			return domain.Invalidf(name, "%s is not read: who you are comes from signing in or an API token (docs/security.md)", name)
		}
	}
	if len(h.PeekAll(fiber.HeaderAuthorization)) > 1 {
		return domain.Invalidf(fiber.HeaderAuthorization, "send one Authorization header, not several")
	}
	return nil
}

func orNone(roles []string) string {
	if len(roles) == 0 {
		return "none"
	}
	return strings.Join(roles, ", ")
}
