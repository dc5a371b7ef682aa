package admin

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// signedIn is the rule of a route for any signed-in user: every user
// holds at least one role.
var signedIn = only(allRoles...)

// signInRoutes are the routes of signing in and out.
func (s *Server) signInRoutes() []route {
	const get, post, html = fiber.MethodGet, fiber.MethodPost, fiber.MIMETextHTMLCharsetUTF8
	lang := enumParam("lang", "the language of the page, remembered in a cookie", []string{"fi", "en"})
	str := func(name, desc string) param { return param{name: name, typ: "string", desc: desc} }
	return []route{
		{method: get, path: "/login", handler: s.handleLoginPage, rule: anyone, query: []param{lang, str("next", "the console page to go to after signing in (a path of carecost)")},
			tag: "console", summary: "The sign-in page (Finnish and English), or who is signed in with a sign-out button", produces: html},
		{method: post, path: "/login", handler: s.handleLogin, rule: anyone, status: fiber.StatusSeeOther, form: loginForm{},
			tag: "console", summary: "Sign in with a user name and password: a form (name, password, _csrf); 303 to / signed in, or back to /login", produces: html},
		{method: post, path: "/logout", handler: s.handleLogout, rule: signedIn, status: fiber.StatusSeeOther, form: logoutForm{},
			tag: "console", summary: "Sign out: the session ends on the server; 303 to /login. A session needs its CSRF token (_csrf or X-Csrf-Token)", produces: html},
		{method: get, path: "/login/oidc", handler: s.handleOIDCStart, rule: anyone, status: fiber.StatusSeeOther,
			tag: "console", summary: "Sign in through the OpenID Connect provider: 303 to it (404 when none is configured)", produces: html},
		{method: get, path: "/login/oidc/callback", handler: s.handleOIDCCallback, rule: anyone, status: fiber.StatusSeeOther,
			tag: "console", summary: "Where the provider sends the person back: 303 to / signed in, or to /login", produces: html, query: []param{
				str("code", "the authorization code"), str("state", "the state the sign-in sent"), str("error", "the provider's error code"),
				str("error_description", "the provider's error text"), str("error_uri", "the provider's error page"),
				str("session_state", "the provider's session (ignored)"), str("iss", "the issuer (ignored; the ID token's is checked)")}},
		{method: get, path: "/api/v1/session", handler: s.handleSession, rule: signedIn,
			tag: "console", summary: "Who is signed in, and the session's CSRF token for scripts", resp: sessionBody{}},
	}
}

// loginForm is the sign-in form.
type loginForm struct {
	Name     string `json:"name"`
	Password string `json:"password"`
	CSRF     string `json:"_csrf"`
	Next     string `json:"next,omitempty"`
}

// logoutForm is the sign-out form; a request with an API token sends none.
type logoutForm struct {
	CSRF string `json:"_csrf,omitempty"`
}

// sessionBody answers GET /api/v1/session.
type sessionBody struct {
	User        string   `json:"user"`
	DisplayName string   `json:"display_name"`
	Roles       []string `json:"roles"`
	Team        string   `json:"team,omitempty"`
	// Method is how the request authenticated: password or oidc (a
	// session), or token.
	Method string `json:"method"`
	// CSRFToken goes with every change a session makes, as X-Csrf-Token
	// (only for a session).
	CSRFToken string `json:"csrf_token,omitempty"`
	// ExpiresAt is when the session ends at the latest (only for a
	// session; unused for 30 minutes it ends before).
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// handleSession handles GET /api/v1/session.
func (s *Server) handleSession(c *fiber.Ctx) error {
	id, _ := identityOf(c)
	b := sessionBody{User: id.User, DisplayName: id.DisplayName, Roles: id.Roles, Team: id.Team, Method: "token"}
	if info, ok := c.Locals(localSession).(sessionInfo); ok {
		exp := info.Expires.UTC()
		b.Method, b.CSRFToken, b.ExpiresAt = info.Method, info.CSRF, &exp
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(b)
}
