package admin

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"carecost/admin/openid"
	"carecost/domain"
)

// oidcActor is who records what a provider's claims say of a user: the
// user events name it, so the audit shows a role came from a sign-in.
var oidcActor = domain.Actor{ID: "carecost", Name: "OpenID Connect sign-in", Role: "system"}

// oidcRefusal is a user the claims may not sign in, with the page's flash.
type oidcRefusal struct{ why, flash string }

func (r oidcRefusal) Error() string { return "admin: " + r.why }

// recordOIDCUser makes the carecost user of a provider's sign-in, or
// brings its roles and team to what the claims say, through the user
// commands (each change an event). A user with a local password is not
// taken over, a disabled one stays out, and one whose claims give a case
// manager no team is refused.
func (s *Server) recordOIDCUser(c *fiber.Ctx, u openid.User) error {
	ctx := c.UserContext()
	cmd := domain.Command{Actor: oidcActor, CorrelationID: requestID(c)}
	if slices.Contains(u.Roles, domain.RoleCaseManager) && u.Team == "" {
		return oidcRefusal{why: "the groups make the user a case manager without a team", flash: "provider_no_role"}
	}
	for attempt := 0; ; attempt++ {
		cur, err := s.commands.User(ctx, u.Name)
		if domain.ErrorCode(err) == domain.ENotFound {
			_, err = s.commands.AddUser(ctx, cmd, domain.UserInput{Name: u.Name, DisplayName: u.DisplayName, Team: u.Team, Roles: u.Roles})
			if domain.ErrorCode(err) == domain.EConflict && attempt == 0 {
				continue // another sign-in added it first
			}
			return err
		}
		if err != nil {
			return err
		}
		switch {
		case cur.PasswordHash() != "":
			return oidcRefusal{why: "a local account of that name exists", flash: "local_account"}
		case cur.Disabled():
			return oidcRefusal{why: "the user is disabled", flash: "provider_failed"}
		}
		// A case manager needs a team first; one who stops being one may
		// leave their team after.
		if slices.Contains(u.Roles, domain.RoleCaseManager) {
			if _, err := s.commands.SetUserTeam(ctx, cmd, u.Name, u.Team); err != nil {
				return err
			}
			_, err = s.commands.SetUserRoles(ctx, cmd, u.Name, u.Roles)
			return err
		}
		if _, err := s.commands.SetUserRoles(ctx, cmd, u.Name, u.Roles); err != nil {
			return err
		}
		_, err = s.commands.SetUserTeam(ctx, cmd, u.Name, u.Team)
		return err
	}
}
