package admin

import (
	"embed"
	"path"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// staticFiles are the console's style sheets (and scripts), built into
// carecost: the Content-Security-Policy allows no inline style or script.
//
//go:embed static
var staticFiles embed.FS

// handleStatic handles GET /static/:name: a file of staticFiles, 404 for
// any other name (embed keeps the files within the folder).
func (s *Server) handleStatic(c *fiber.Ctx) error {
	name := c.Params("name")
	b, err := staticFiles.ReadFile("static/" + name)
	if err != nil {
		return &domain.Error{Code: domain.ENotFound, Message: "there is no such file"}
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	c.Type(strings.TrimPrefix(path.Ext(name), "."), "utf-8")
	return c.Send(b)
}
