package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// The console's language: Finnish unless the person chose another. A
// person who is not signed in chooses with a link (?lang=en, remembered in
// a cookie); a person signed in chooses with the header's buttons, which
// also remember the choice with their user (carecost.user.language_set),
// so it follows them to their next sign-in on any browser.

// languageForm is the form of the header's language buttons.
type languageForm struct {
	Lang string `json:"lang"`
	Next string `json:"next,omitempty"`
	CSRF string `json:"_csrf"`
}

// languageRoutes are the routes of choosing the language.
func (s *Server) languageRoutes() []route {
	return []route{pagePost("/language", s.handleLanguage, signedIn,
		"Choose the console's language (fi, en): remembered with the user and in a cookie; 303 back to the page", languageForm{})}
}

// handleLanguage handles POST /language.
func (s *Server) handleLanguage(c *fiber.Ctx) error {
	lang := formValue(c, "lang")
	if !s.catalogue.Has(lang) {
		return domain.Invalidf("lang", "%q is not a language of the console", lang)
	}
	id, _ := identityOf(c)
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	if _, err := s.commands.SetUserLanguage(c.UserContext(), cmd, id.User, lang); err != nil && domain.ErrorCode(err) != domain.ENotFound {
		// A person the identity provider signs in without a user of
		// carecost keeps the choice in the cookie only.
		return err
	}
	s.setLangCookie(c, lang)
	next := localPath(formValue(c, "next"))
	if next == "" {
		next = "/"
	}
	return c.Redirect(next, fiber.StatusSeeOther)
}

// useLanguageOf sets the language cookie to the language user name chose,
// when they chose one: called when they sign in.
func (s *Server) useLanguageOf(c *fiber.Ctx, name string) {
	u, err := s.commands.User(c.UserContext(), name)
	if err != nil || !s.catalogue.Has(u.Language()) {
		return
	}
	s.setLangCookie(c, u.Language())
}

// setLangCookie remembers lang in the browser for a year.
func (s *Server) setLangCookie(c *fiber.Ctx, lang string) {
	c.Cookie(&fiber.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		Secure: s.signin.sessions.Secure(), HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode})
}
