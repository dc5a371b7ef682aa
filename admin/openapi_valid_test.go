package admin_test

import (
	"context"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// loadOpenAPI loads the served document with an OpenAPI 3 library.
func loadOpenAPI(t *testing.T, e *env) *openapi3.T {
	t.Helper()
	_, raw := fetchOpenAPI(t, e)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	if err != nil {
		t.Fatalf("load the document: %v", err)
	}
	return doc
}

func TestOpenAPIDocumentIsValid(t *testing.T) {
	doc := loadOpenAPI(t, newEnv(t))
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid OpenAPI 3: %v", err)
	}
}

// TestOpenAPIDatesNullOnlyInAnswers checks that no date of a request is
// nullable (null is refused), while an answer's date is where carecost
// writes an unset one as null.
func TestOpenAPIDatesNullOnlyInAnswers(t *testing.T) {
	schemas := loadOpenAPI(t, newEnv(t)).Components.Schemas
	for _, c := range []struct {
		schema, field string
		nullable      bool
	}{
		{"BasisBody", "pricing_date", false}, {"OpenBody", "pricing_date", false}, {"CaseInput", "pricing_date", false},
		{"PublishBody", "valid_from", false}, {"ReviseBody", "pricing_date", false}, {"DecideBody", "decision_date", false},
		{"EstimateSummary", "pricing_date", true}, {"TariffVersion", "valid_from", false}, {"PricePoint", "valid_from", true}, {"TariffRef", "valid_from", true},
	} {
		s := schemas[c.schema]
		if s == nil || s.Value.Properties[c.field] == nil {
			t.Errorf("%s.%s is not in the document", c.schema, c.field)
			continue
		}
		if got := s.Value.Properties[c.field].Value.Nullable; got != c.nullable {
			t.Errorf("%s.%s: nullable = %v, want %v", c.schema, c.field, got, c.nullable)
		}
	}
}
