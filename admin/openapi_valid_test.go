package admin_test

import (
	"context"
	"fmt"
	"os"
	"strings"
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

// Every schema carries an example that its schema accepts, with no field
// the schema does not declare; every example file names a schema.
func TestOpenAPIExamplesMatchTheirSchemas(t *testing.T) {
	schemas := loadOpenAPI(t, newEnv(t)).Components.Schemas
	for name, ref := range schemas {
		s := ref.Value
		if s.Example == nil {
			t.Errorf("schema %s has no example", name)
			continue
		}
		if err := s.VisitJSON(s.Example); err != nil {
			t.Errorf("the example of %s does not match it: %v", name, err)
		}
		for _, f := range undeclared(s, s.Example, name) {
			t.Errorf("the example of %s has %s, which its schema does not declare", name, f)
		}
	}
	files, err := os.ReadDir("examples")
	if err != nil || len(files) < 30 {
		t.Fatalf("%d example files: %v", len(files), err)
	}
	for _, f := range files {
		if name := strings.TrimSuffix(f.Name(), ".json"); schemas[name] == nil {
			t.Errorf("examples/%s names no schema", f.Name())
		}
	}
}

// undeclared lists the fields of value, at path, that schema s does not
// declare (a schema that declares no properties takes any).
func undeclared(s *openapi3.Schema, value any, path string) []string {
	for len(s.AllOf) == 1 {
		s = s.AllOf[0].Value
	}
	var out []string
	switch v := value.(type) {
	case map[string]any:
		for k, field := range v {
			p := s.Properties[k]
			if p == nil && len(s.Properties) > 0 {
				out = append(out, path+"."+k)
			} else if p != nil {
				out = append(out, undeclared(p.Value, field, path+"."+k)...)
			}
		}
	case []any:
		for i, el := range v {
			if s.Items != nil {
				out = append(out, undeclared(s.Items.Value, el, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	}
	return out
}
