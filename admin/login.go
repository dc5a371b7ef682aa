package admin

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/prometheus/client_golang/prometheus"

	"carecost/admin/openid"
)

// signIn is what the sign-in pages need.
type signIn struct {
	sessions *Sessions
	oidc     *openid.Provider
	limiter  LoginLimiter
	logins   *prometheus.CounterVec
}

func newSignIn(cfg Config) signIn {
	si := signIn{sessions: cfg.Sessions, oidc: cfg.OIDC, limiter: cfg.LoginLimiter, logins: newLoginCounter(cfg.Registry)}
	if si.sessions == nil {
		si.sessions = NewSessions(SessionConfig{})
	}
	if si.limiter == nil {
		si.limiter = noLimit{}
	}
	return si
}

// handleLoginPage handles GET /login: the sign-in form, or who is signed
// in with the sign-out button; a failure of the last attempt is shown once.
func (s *Server) handleLoginPage(c *fiber.Ctx) error {
	t := loginTexts(s.pageLang(c))
	sess, err := s.signin.sessions.get(c)
	if err != nil {
		return err
	}
	p := loginPage{page: page{T: t, consoleBase: consoleBase{Title: t.Title, CSRF: csrfToken(sess)}}}
	if _, ok := c.Locals(localSession).(sessionInfo); ok {
		id, _ := identityOf(c)
		p.SignedIn = &signedInView{User: id.User, DisplayName: id.DisplayName, Roles: strings.Join(id.Roles, ", ")}
	}
	if code, _ := sess.Get(keyFlash).(string); code != "" {
		p.Name, _ = sess.Get(keyFlashName).(string)
		p.Wait, _ = sess.Get(keyFlashWait).(int64)
		p.flash(code)
		sess.Delete(keyFlashWait)
		sess.Delete(keyFlash)
		sess.Delete(keyFlashName)
	}
	if s.signin.oidc != nil {
		p.Provider = strings.Replace(t.ProviderButton, "%s", s.signin.oidc.Label(), 1)
	}
	if err := s.signin.sessions.save(sess); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	p.Next = localPath(c.Query("next"))
	return s.render(c, c.Response().StatusCode(), "login", &p)
}

// waitText says a wait of secs seconds briefly, the same in both
// languages: whole minutes from a minute on ("15 min"), else seconds.
func waitText(secs int64) string {
	if secs >= 60 {
		return strconv.FormatInt((secs+59)/60, 10) + " min"
	}
	return strconv.FormatInt(max(secs, 1), 10) + " s"
}

// flash puts the failures named by codes (comma-separated) on the page.
func (p *loginPage) flash(codes string) {
	for _, code := range strings.Split(codes, ",") {
		if code == "signed_out" {
			p.Notice = p.T.SignedOut
			continue
		}
		f, ok := flashes[code]
		if !ok {
			continue
		}
		msg := f.text(p.T)
		if code == "limited" {
			msg = strings.Replace(msg, "%s", waitText(p.Wait), 1)
		}
		p.Errors = append(p.Errors, fieldError{Field: f.field, Message: msg})
		switch f.field {
		case "name":
			p.NameError = msg
		case "password":
			p.PasswordError = msg
		}
	}
}

// handleLogin handles POST /login (a form: name, password, _csrf): the
// password is checked, and the person is sent to / signed in, or back to
// the form with what went wrong (post/redirect/get). A wrong name and a
// wrong password say the same.
func (s *Server) handleLogin(c *fiber.Ctx) error {
	sess, err := s.signin.sessions.get(c)
	if err != nil {
		return err
	}
	form := c.Request().PostArgs()
	name := strings.ToLower(strings.TrimSpace(string(form.Peek("name")))) // string() copies
	password := string(form.Peek("password"))
	token, _ := sess.Get(keyCSRF).(string)
	if !validCSRF(c, token) {
		s.countLogin(c, "password", loginExpired, name, "the form's CSRF token does not match the session")
		return s.backToLogin(c, sess, "expired", name)
	}
	var missing []string
	if name == "" {
		missing = append(missing, "missing_name")
	}
	if password == "" {
		missing = append(missing, "missing_password")
	}
	if len(missing) > 0 {
		return s.backToLogin(c, sess, strings.Join(missing, ","), name)
	}
	ip := limitKey(s.clientAddr(c))
	if ok, wait := s.signin.limiter.Allow(c.UserContext(), name, ip); !ok {
		// Answered at once with 429 (not sent back with 303) so that a
		// script learns it must wait; a browser shows the form, saying so.
		secs := max(int64((wait+time.Second-1)/time.Second), 1)
		c.Set(fiber.HeaderRetryAfter, strconv.FormatInt(secs, 10))
		s.countLogin(c, "password", loginLimited, name, "too many attempts")
		sess.Set(keyFlashWait, secs)
		if err := s.remember(sess, "limited", name); err != nil {
			return err
		}
		c.Status(fiber.StatusTooManyRequests)
		return s.handleLoginPage(c)
	}
	why, err := s.checkPassword(c, name, password)
	if err != nil {
		s.countLogin(c, "password", loginError, name, err.Error())
		return err
	}
	s.signin.limiter.Record(c.UserContext(), name, ip, why == "")
	if why != "" {
		s.countLogin(c, "password", loginRefused, name, why)
		return s.backToLogin(c, sess, "wrong", name)
	}
	if err := s.signin.sessions.signIn(sess, name, "password"); err != nil {
		return err
	}
	s.countLogin(c, "password", loginOK, name, "")
	s.useLanguageOf(c, name)
	next := localPath(string(c.Request().PostArgs().Peek("next")))
	if next == "" {
		next = "/"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// backToLogin sends the person back to the form (303), remembering what
// went wrong and the name typed, to show once.
func (s *Server) backToLogin(c *fiber.Ctx, sess *session.Session, codes, name string) error {
	if err := s.remember(sess, codes, name); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// remember keeps what went wrong and the name typed in sess, for the form
// to show once.
func (s *Server) remember(sess *session.Session, codes, name string) error {
	sess.Set(keyFlash, codes)
	if len(name) > 256 {
		name = name[:256]
	}
	sess.Set(keyFlashName, name)
	return s.signin.sessions.save(sess)
}

// handleLogout handles POST /logout: the session ends on the server, and
// the person is sent to the sign-in page.
func (s *Server) handleLogout(c *fiber.Ctx) error {
	if _, ok := c.Locals(localSession).(sessionInfo); ok {
		sess, err := s.signin.sessions.get(c)
		if err != nil {
			return err
		}
		if err := sess.Destroy(); err != nil {
			return err
		}
		// A new, anonymous session says so on the next page.
		if err := sess.Regenerate(); err != nil {
			return err
		}
		return s.backToLogin(c, sess, "signed_out", "")
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}
