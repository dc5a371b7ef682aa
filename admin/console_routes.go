package admin

import (
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// consoleRoutes are the console's pages, area by area. Each area keeps its
// pages, handlers, templates (views/<area>_*.html) and words
// (messages/*/<area>.json) in files of its own.
func (s *Server) consoleRoutes() []route {
	return slices.Concat(s.languageRoutes(), s.estimatePages(), s.cataloguePages(), s.auditPages(), s.userPages(), s.operationsPages(), s.impactPages())
}

// requiredViews are the templates carecost renders: one missing, or one
// that does not parse, fails the start, not a request.
var requiredViews = slices.Concat([]string{"layout", "login", "error", "home", "partials"},
	estimateViews, catalogueViews, auditViews, userViews, operationsViews, impactViews)

// pageGet is a console page read with GET (and HEAD): query lists the
// query parameters it takes besides lang.
func pageGet(path string, h fiber.Handler, r rule, summary string, query ...param) route {
	return route{method: fiber.MethodGet, path: path, handler: h, rule: r, page: true, tag: "console",
		summary: summary, produces: fiber.MIMETextHTMLCharsetUTF8, query: append(query, langParam)}
}

// pagePost is a console form's POST: form is a zero value of its fields
// (json tags naming them). It answers 303 after a change
// (post/redirect/get), or the form again with the messages beside its
// fields. A form of a versioned thing (one with an expected_version or
// expected_definition field) must say which version it was rendered from:
// without it a change could overwrite one made meanwhile, so the form is
// refused before its handler runs (versionedForm).
func pagePost(path string, h fiber.Handler, r rule, summary string, form any) route {
	if versionFields := formFieldsOf(form, "expected_version", "expected_definition"); len(versionFields) > 0 {
		h = versionedForm(versionFields, h)
	}
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

// formFieldsOf returns which of names the form's fields (json tags, in
// embedded structs too) hold.
func formFieldsOf(form any, names ...string) []string {
	var out []string
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous && f.Type.Kind() == reflect.Struct {
				walk(f.Type)
				continue
			}
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if slices.Contains(names, name) && !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	if t := reflect.TypeOf(form); t != nil && t.Kind() == reflect.Struct {
		walk(t)
	}
	return out
}

// definitionShape is a service's definition as its forms carry it
// (definitionOf).
var definitionShape = regexp.MustCompile(`^[0-9a-f]{16}$`)

// versionedForm refuses a form whose version fields (expected_version: a
// whole number from 0; expected_definition: a definition's hash) are
// missing or malformed: 422, a page saying to reload the form, nothing
// written. The console's own forms always carry them.
func versionedForm(fields []string, h fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		for _, f := range fields {
			ok := false
			switch f {
			case "expected_version":
				_, ok = expectedField(c)
			case "expected_definition":
				ok = definitionShape.MatchString(formValue(c, f))
			}
			if !ok {
				return &formError{status: fiber.StatusUnprocessableEntity, key: "error.expected_version",
					err: domain.Invalidf(f, "the form does not say which version it was filled in from (a whole number from 0); reload the page and try again")}
			}
		}
		return h(c)
	}
}

// formError refuses a whole form: a page with status and the catalogue's
// message key instead of the form (for what no field of the form can
// show).
type formError struct {
	status int
	key    string
	err    *domain.Error
}

func (e *formError) Error() string { return e.err.Error() }
func (e *formError) Unwrap() error { return e.err }
