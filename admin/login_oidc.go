package admin

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/admin/openid"
	"carecost/domain"
)

// handleOIDCStart handles GET /login/oidc: it remembers a new sign-in
// (state, nonce, PKCE verifier) in the person's session and sends them to
// the provider.
func (s *Server) handleOIDCStart(c *fiber.Ctx) error {
	if s.signin.oidc == nil {
		return &domain.Error{Code: domain.ENotFound, Message: "signing in through OpenID Connect is not configured"}
	}
	sess, err := s.signin.sessions.get(c)
	if err != nil {
		return err
	}
	url, pd, err := s.signin.oidc.Begin(c.UserContext())
	if err != nil {
		s.countLogin(c, "oidc", loginError, "", err.Error())
		return s.backToLogin(c, sess, "provider_failed", "")
	}
	sess.Set(keyOIDC, strings.Join([]string{pd.State, pd.Nonce, pd.Verifier, strconv.FormatInt(pd.Started.Unix(), 10)}, " "))
	csrfToken(sess)
	if err := s.signin.sessions.save(sess); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(url, fiber.StatusSeeOther)
}

// pendingOf reads the sign-in handleOIDCStart remembered (zero: none).
func pendingOf(v string) openid.Pending {
	f := strings.Fields(v)
	if len(f) != 4 {
		return openid.Pending{}
	}
	started, _ := strconv.ParseInt(f[3], 10, 64)
	return openid.Pending{State: f[0], Nonce: f[1], Verifier: f[2], Started: time.Unix(started, 0)}
}

// handleOIDCCallback handles GET /login/oidc/callback, where the provider
// sends the person back: the sign-in the session began (used once) is
// finished, the user's record made or brought up to date from the claims,
// and the person signed in with a new session.
func (s *Server) handleOIDCCallback(c *fiber.Ctx) error {
	if s.signin.oidc == nil {
		return &domain.Error{Code: domain.ENotFound, Message: "signing in through OpenID Connect is not configured"}
	}
	sess, err := s.signin.sessions.get(c)
	if err != nil {
		return err
	}
	raw, _ := sess.Get(keyOIDC).(string)
	sess.Delete(keyOIDC)
	if e := c.Query("error"); e != "" {
		if len(e) > 64 {
			e = e[:64]
		}
		s.countLogin(c, "oidc", loginRefused, "", "the provider answered "+strings.Clone(e))
		return s.backToLogin(c, sess, "provider_failed", "")
	}
	u, err := s.signin.oidc.Finish(c.UserContext(), pendingOf(raw), strings.Clone(c.Query("state")), strings.Clone(c.Query("code")))
	if err != nil {
		result, flash := loginRefused, "provider_failed"
		switch {
		case errors.Is(err, openid.ErrState):
			result = loginExpired
		case errors.Is(err, openid.ErrUser):
			flash = "provider_no_role"
		case errors.Is(err, openid.ErrProvider):
			result = loginError
		}
		s.countLogin(c, "oidc", result, u.Name, err.Error())
		return s.backToLogin(c, sess, flash, "")
	}
	if err := s.recordOIDCUser(c, u); err != nil {
		var refusal oidcRefusal
		if !errors.As(err, &refusal) {
			s.countLogin(c, "oidc", loginError, u.Name, err.Error())
			return err
		}
		s.countLogin(c, "oidc", loginRefused, u.Name, refusal.why)
		return s.backToLogin(c, sess, refusal.flash, "")
	}
	if err := s.signin.sessions.signIn(sess, u.Name, "oidc"); err != nil {
		return err
	}
	s.countLogin(c, "oidc", loginOK, u.Name, "")
	s.useLanguageOf(c, u.Name)
	return c.Redirect("/", fiber.StatusSeeOther)
}
