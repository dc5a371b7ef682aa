package admin

import (
	"log/slog"

	"github.com/gofiber/fiber/v2"

	"carecost/admin/auth"
	"carecost/domain"
)

// checkPassword checks name's password through auth.CheckPassword (an
// unknown name costs the same work) and says why it does not sign the
// user in ("" when it does): for the log, never for the page.
func (s *Server) checkPassword(c *fiber.Ctx, name, password string) (string, error) {
	u, err := s.commands.User(c.UserContext(), name)
	if err != nil && domain.ErrorCode(err) != domain.ENotFound {
		return "", err
	}
	var hash string
	if u != nil {
		hash = string(u.PasswordHash())
	}
	ok, err := auth.CheckPassword(hash, password)
	switch {
	case err != nil:
		return "", err
	case u == nil:
		return "no such user", nil
	case hash == "":
		return "the user has no password (OpenID Connect only)", nil
	case !ok:
		return "wrong password", nil
	case u.Disabled():
		return "the user is disabled", nil
	case len(u.Roles()) == 0:
		return "the user holds no role", nil
	}
	return "", nil
}

// countLogin counts and logs a sign-in attempt (never its password, code
// or token).
func (s *Server) countLogin(c *fiber.Ctx, method, result, name, why string) {
	s.signin.logins.WithLabelValues(method, result).Inc()
	level := slog.LevelWarn
	if result == loginOK {
		level = slog.LevelInfo
	}
	if len(name) > 64 {
		name = name[:64] + "..."
	}
	s.log.LogAttrs(c.UserContext(), level, "sign-in", slog.String("method", method), slog.String("result", result),
		slog.String("user", name), slog.String("reason", why), slog.String("client", s.clientAddr(c).String()),
		slog.String("request_id", requestID(c)))
}
