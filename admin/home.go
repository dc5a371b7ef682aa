package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// homePage is the front page: to a person signed in, the sections their
// roles open, each saying what it is for; to anyone else what carecost is
// and the way to sign in.
type homePage struct {
	consoleBase
	Sections []homeSection
}

// homeSection is a section of the front page.
type homeSection struct{ Key, Href, Help string }

// handleHome handles GET /: the front page.
func (s *Server) handleHome(c *fiber.Ctx) error {
	p := &homePage{consoleBase: consoleBase{Title: "home.title", Section: "nav.home"}}
	id, _ := identityOf(c)
	if id.User != "" {
		for _, n := range s.nav(id, "") {
			if n.Href == "/" {
				continue
			}
			p.Sections = append(p.Sections, homeSection{Key: n.Key, Href: n.Href, Help: "home." + strings.TrimPrefix(n.Key, "nav.")})
		}
	} else {
		p.Title = "carecost"
	}
	return s.render(c, fiber.StatusOK, "home", p)
}
