package admin

import (
	"slices"
	"testing"

	"github.com/gofiber/fiber/v2"
)

// unversionedForms are the console's forms that change no versioned thing
// as it stood when the form was rendered: they create one, or they change
// the person's own settings or a projection's position.
var unversionedForms = []string{
	"/language",
	"/estimates",
	"/services",
	"/tariffs",
	"/income-catalogues",
	"/users",
	"/operations/projections/:name/skip",
	"/operations/projections/:name/rebuild",
}

// Every other form of the console names the version it was rendered from,
// so pagePost refuses it without one: a new form is either versioned or
// listed above, never silently neither.
func TestConsoleFormsAreVersioned(t *testing.T) {
	s := &Server{}
	for _, r := range s.consoleRoutes() {
		if r.method != fiber.MethodPost {
			continue
		}
		versioned := len(formFieldsOf(r.form, "expected_version", "expected_definition")) > 0
		switch listed := slices.Contains(unversionedForms, r.path); {
		case listed && versioned:
			t.Errorf("POST %s carries a version but is listed as unversioned", r.path)
		case !listed && !versioned:
			t.Errorf("POST %s changes a versioned thing but its form has no expected_version", r.path)
		}
	}
}
