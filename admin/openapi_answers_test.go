package admin_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// The examples of a quote and of an opened estimate are what carecost
// answers to the examples of their requests, figures and all.
func TestOpenAPIAnswerExamplesAreReal(t *testing.T) {
	e := newEnv(t)
	schemas := loadOpenAPI(t, e).Components.Schemas
	example := func(name string) any { return schemas[name].Value.Example }
	body := func(name string) string {
		b, err := json.Marshal(example(name))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	var quote any
	e.do("POST", "/api/v1/quote", body("CaseInput")).wantStatus(t, http.StatusOK).decode(t, &quote)
	if !reflect.DeepEqual(quote, example("Quote")) {
		t.Errorf("the quote of the CaseInput example is not the Quote example:\n%v\n%v", quote, example("Quote"))
	}
	var opened map[string]any
	e.do("POST", "/api/v1/estimates", body("OpenBody")).wantStatus(t, http.StatusCreated).decode(t, &opened)
	want := maps.Clone(example("EstimateDetail").(map[string]any))
	for _, k := range []string{"id", "opened_at", "updated_at", "position"} {
		delete(opened, k)
		delete(want, k)
	}
	if !reflect.DeepEqual(opened, want) {
		t.Errorf("the estimate the OpenBody example opens is not the EstimateDetail example:\n%v\n%v", opened, want)
	}
}

// Leaving out of a request example a field the document lists as
// required, at any depth, is refused with a 400 naming that field.
func TestOpenAPIRequiredFieldsAreRequired(t *testing.T) {
	e := newEnv(t)
	doc := loadOpenAPI(t, e)
	params := strings.NewReplacer("{id}", "0195a3c1-7e42-7c1d-9a0e-3f6b2d8c4e11", "{version}", "1",
		"{service}", "meal-service", "{mode}", "own", "{line}", "l1", "{name}", "decisions")
	checked := 0
	for _, ex := range requestExamples(t, doc) {
		var body any
		if err := json.Unmarshal(ex.body, &body); err != nil {
			t.Fatal(err)
		}
		for _, v := range leaveOut(doc.Components.Schemas[ex.schema].Value, body, "") {
			checked++
			b, _ := json.Marshal(v.body)
			r := e.do(ex.method, params.Replace(ex.path), string(b))
			if r.status != http.StatusBadRequest || r.apiError(t).Field != v.field {
				t.Errorf("%s %s without %s: %d %s", ex.method, ex.path, v.field, r.status, r.body)
			}
		}
	}
	if checked < 40 {
		t.Errorf("checked %d required fields", checked)
	}
}

// variant is a body with one required field left out.
type variant struct {
	field string
	body  any
}

// leaveOut returns, for each required field of value (at path) that value
// holds, a copy of value without it; in a list, the first element's.
func leaveOut(s *openapi3.Schema, value any, path string) []variant {
	for len(s.AllOf) == 1 {
		s = s.AllOf[0].Value
	}
	var out []variant
	switch v := value.(type) {
	case map[string]any:
		for _, name := range s.Required {
			if _, ok := v[name]; ok {
				c := maps.Clone(v)
				delete(c, name)
				out = append(out, variant{joinField(path, name), c})
			}
		}
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if p := s.Properties[k]; p != nil {
				for _, sub := range leaveOut(p.Value, v[k], joinField(path, k)) {
					c := maps.Clone(v)
					c[k] = sub.body
					out = append(out, variant{sub.field, c})
				}
			}
		}
	case []any:
		if len(v) > 0 && s.Items != nil {
			for _, sub := range leaveOut(s.Items.Value, v[0], path+"[0]") {
				c := slices.Clone(v)
				c[0] = sub.body
				out = append(out, variant{sub.field, c})
			}
		}
	}
	return out
}

func joinField(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}
