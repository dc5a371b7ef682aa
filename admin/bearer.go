package admin

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/admin/auth"
	"carecost/domain"
)

// BearerTokens authenticates a request by the API token it sends,
// "Authorization: Bearer cct_<id>_<secret>": a token carecost made, whose
// secret matches, not revoked, not expired, of a user who is enabled; the
// identity has the token's roles the user still holds. Every failure is the
// same 401, so an answer tells nothing of which part was wrong.
type BearerTokens struct {
	Commands *domain.Commands
	// Now gives the time tokens expire by (nil: time.Now).
	Now func() time.Time
	// OutageGrace: while the store is away, a token and its user read
	// from the log at most this long ago are still let in (0: none are;
	// DefaultOutageGrace).
	OutageGrace time.Duration
}

// Authenticate implements Authenticator.
func (b BearerTokens) Authenticate(c *fiber.Ctx) (Identity, bool, error) {
	h := strings.Clone(c.Get(fiber.HeaderAuthorization)) // its id is kept in the token cache
	if h == "" {
		return Identity{}, false, nil
	}
	token, ok := bearerToken(h)
	if !ok {
		return Identity{}, false, &domain.Error{Code: domain.EUnauthenticated, Message: "send an API token as Authorization: Bearer <token>"}
	}
	id, err := b.identity(c, token)
	return id, err == nil, err
}

// bearerToken returns the credentials of an Authorization header of the
// Bearer scheme, whose name is matched without regard to case (RFC 9110,
// 11.1), trimmed of spaces.
func bearerToken(h string) (string, bool) {
	const scheme = "Bearer "
	if len(h) < len(scheme) || !strings.EqualFold(h[:len(scheme)], scheme) {
		return "", false
	}
	return strings.TrimSpace(h[len(scheme):]), true
}

// DefaultOutageGrace is how long after this instance last read a user or
// an API token from the log it lets them in while the store is away
// (BearerTokens.OutageGrace, SessionAuth.OutageGrace; serve's
// --outage-grace): reads of the read models go on through a short outage
// for whoever was just working; commands answer 503 anyway. The price: a
// user disabled, or a token revoked, on another instance while this one
// cannot reach the store (or just before) is let in here for at most that
// long. docs/security.md says so.
const DefaultOutageGrace = 2 * time.Minute

// invalidToken is the answer to every token that does not authenticate.
var invalidToken = &domain.Error{Code: domain.EUnauthenticated, Message: "the API token is not valid: unknown, revoked or expired, or its user is disabled"}

func (b BearerTokens) identity(c *fiber.Ctx, token string) (Identity, error) {
	id, secret, ok := auth.ParseToken(token)
	if !ok {
		return Identity{}, invalidToken
	}
	ctx := c.UserContext()
	t, err := b.Commands.TokenOrRecent(ctx, id, b.OutageGrace)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound:
		return Identity{}, invalidToken
	case err != nil:
		return Identity{}, err
	case !auth.CheckSecret(string(t.SecretHash()), secret) || !t.Active(b.now()):
		return Identity{}, invalidToken
	}
	u, err := b.Commands.UserOrRecent(ctx, t.User(), b.OutageGrace)
	switch {
	case domain.ErrorCode(err) == domain.ENotFound:
		return Identity{}, invalidToken
	case err != nil:
		return Identity{}, err // the store away: a 503, not a token refused
	}
	roles := t.RolesFor(u)
	if len(roles) == 0 {
		return Identity{}, invalidToken
	}
	out := Identity{User: u.Name(), DisplayName: u.DisplayName(), Team: u.Team(), Via: "token:" + t.ID()}
	for _, r := range roles {
		out.Roles = append(out.Roles, string(r))
	}
	return out, nil
}

func (b BearerTokens) now() time.Time {
	if b.Now != nil {
		return b.Now()
	}
	return time.Now()
}
