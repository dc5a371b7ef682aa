package admin

import (
	"embed"
	"fmt"
	"io/fs"
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
)

// The console's templates and static files, embedded in the program.
//
//go:embed views
var consoleFS embed.FS

// layoutView wraps every page.
const layoutView = "layout"

// loadViews parses every template of fsys's views folder at once.
func loadViews(fsys fs.FS) (*html.Engine, error) {
	sub, err := fs.Sub(fsys, "views")
	if err != nil {
		return nil, fmt.Errorf("admin: the templates: %w", err)
	}
	engine := html.NewFileSystem(http.FS(sub), ".html")
	if err := engine.Load(); err != nil {
		return nil, fmt.Errorf("admin: parse the templates: %w", err)
	}
	for _, name := range requiredViews {
		if engine.Templates.Lookup(name) == nil {
			return nil, fmt.Errorf("admin: the template %s.html is missing", name)
		}
	}
	return engine, nil
}

// page is what every page's template gets: its words, its title and the
// session's CSRF token (also in a meta tag, csrf-token, for scripts).
type page struct {
	consoleBase
	T *loginText
}

// loginPage is the sign-in page.
type loginPage struct {
	page
	// Name is the user name typed, kept after a failed sign-in.
	Name string
	// Next is the console page to go to after signing in ("": the front
	// page).
	Next string
	// Wait is how many seconds a limited sign-in must wait.
	Wait int64
	// Errors are the summary: each links to the field it concerns.
	Errors                   []fieldError
	NameError, PasswordError string
	// Notice says something went well (signed out).
	Notice string
	// Provider is the label of the OpenID Connect button ("": none).
	Provider string
	// SignedIn is who is signed in already, with the sign-out button.
	SignedIn *signedInView
}

// fieldError is one entry of the error summary.
type fieldError struct {
	Field, Message string
	// stale: the message says the form was stale (a conflict, 409).
	stale bool
}

// signedInView names the signed-in user.
type signedInView struct{ User, DisplayName, Roles string }

// lang returns the language of the request's pages: the lang query
// parameter (remembered in a cookie for a year), else the cookie, else
// Finnish.
func (s *Server) lang(c *fiber.Ctx) string {
	if q := c.Query("lang"); s.catalogue.Has(q) {
		lang := s.catalogue.Lang(q).Code // a string of ours, not the request's buffer
		s.setLangCookie(c, lang)
		return lang
	}
	if l := c.Cookies(langCookie); s.catalogue.Has(l) {
		return s.catalogue.Lang(l).Code
	}
	return defaultLang
}
