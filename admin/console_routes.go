package admin

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// consoleRoutes are the console's pages, area by area. Each area keeps its
// pages, handlers, templates (views/<area>_*.html) and words
// (messages/*/<area>.json) in files of its own.
func (s *Server) consoleRoutes() []route {
	return slices.Concat(s.languageRoutes(), s.estimatePages(), s.cataloguePages(), s.auditPages(), s.userPages(), s.operationsPages())
}

// requiredViews are the templates carecost renders: one missing, or one
// that does not parse, fails the start, not a request.
var requiredViews = slices.Concat([]string{"layout", "login", "error", "home", "partials"},
	estimateViews, catalogueViews, auditViews, userViews, operationsViews)

// pageGet is a console page read with GET (and HEAD): query lists the
// query parameters it takes besides lang.
func pageGet(path string, h fiber.Handler, r rule, summary string, query ...param) route {
	return route{method: fiber.MethodGet, path: path, handler: h, rule: r, page: true, tag: "console",
		summary: summary, produces: fiber.MIMETextHTMLCharsetUTF8, query: append(query, langParam)}
}

// pagePost is a console form's POST: form is a zero value of its fields
// (json tags naming them). It answers 303 after a change
// (post/redirect/get), or the form again with the messages beside its
// fields.
func pagePost(path string, h fiber.Handler, r rule, summary string, form any) route {
	return route{method: fiber.MethodPost, path: path, handler: h, rule: r, page: true, tag: "console",
		summary: summary, produces: fiber.MIMETextHTMLCharsetUTF8, form: form, status: fiber.StatusSeeOther, query: []param{langParam}}
}

// formValue returns the form field name, trimmed and copied out of the
// request's buffers.
func formValue(c *fiber.Ctx, name string) string {
	return strings.Clone(strings.TrimSpace(c.FormValue(name)))
}

// formValues returns every value of the form field name, trimmed and
// copied (a repeated field, a multiple select).
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	c.Request().PostArgs().VisitAll(func(k, v []byte) {
		if string(k) == name {
			out = append(out, strings.TrimSpace(string(v)))
		}
	})
	return out
}
