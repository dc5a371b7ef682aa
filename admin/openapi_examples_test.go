package admin_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"carecost/admin"
	"carecost/projections"
)

// bodyExample is the example of an operation's request body.
type bodyExample struct {
	method, path, schema string
	body                 []byte
}

// requestExamples lists the operations that take a body, in path order,
// with the example of the body's schema.
func requestExamples(t *testing.T, doc *openapi3.T) []bodyExample {
	t.Helper()
	var out []bodyExample
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			if op.RequestBody == nil || op.RequestBody.Value.Content.Get("application/json") == nil {
				continue // none, or a form of the console's
			}
			name := strings.TrimPrefix(op.RequestBody.Value.Content.Get("application/json").Schema.Ref, "#/components/schemas/")
			body, err := json.Marshal(doc.Components.Schemas[name].Value.Example)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, bodyExample{method: method, path: path, schema: name, body: body})
		}
	}
	slices.SortFunc(out, func(a, b bodyExample) int { return strings.Compare(a.path+a.method, b.path+b.method) })
	return out
}

// exampleEnv is a test server over the demo catalogue that can also skip
// an event of a projection and rebuild one.
func exampleEnv(t *testing.T) *env {
	return newEnv(t, func(c *admin.Config) {
		c.Skipper = &skipper{}
		c.Rebuilder = &rebuilder{}
		c.Health = health{status: []projections.Status{{Name: "decisions", State: projections.StateRunning}}}
	})
}

// Each request body's example, sent to its route, is taken: the answer is
// a success, or a 409 for the stream version the example names.
func TestOpenAPIRequestExamplesAreAccepted(t *testing.T) {
	doc := loadOpenAPI(t, newEnv(t))
	examples := requestExamples(t, doc)
	if len(examples) < 28 {
		t.Fatalf("%d operations take a body", len(examples))
	}
	for _, ex := range examples {
		t.Run(ex.method+" "+ex.path, func(t *testing.T) {
			e := exampleEnv(t)
			body := string(ex.body)
			if ex.schema == "DecideBody" {
				// A decision is dated no earlier than the day its
				// estimate was opened: here, today.
				body = regexp.MustCompile(`"decision_date":"[0-9-]+"`).ReplaceAllString(body, `"decision_date":"`+day(0)+`"`)
			}
			r := e.do(ex.method, target(t, e, ex.path), body)
			if r.status == http.StatusConflict && r.apiError(t).Field == "expected_version" {
				return
			}
			if r.status >= 300 {
				t.Errorf("the example of %s: %d %s", ex.schema, r.status, r.body)
			}
		})
	}
}

// target returns the path to send an example to, with real parameters,
// after making the state the route needs: a new estimate (presented before
// a decision, decided before a revision), a new draft version of the tariff
// or income-limit catalogue.
func target(t *testing.T, e *env, path string) string {
	t.Helper()
	params := strings.NewReplacer("{service}", "meal-service", "{mode}", "own", "{line}", "l1", "{name}", "decisions", "{sample}", "single-meals")
	switch {
	case strings.HasPrefix(path, "/api/v1/estimates/{id}"):
		id := e.open().ID
		est := "/api/v1/estimates/" + id
		if strings.HasSuffix(path, "/decide") || strings.HasSuffix(path, "/revise") {
			e.do("POST", est+"/present", "").wantStatus(t, http.StatusOK)
		}
		if strings.HasSuffix(path, "/revise") {
			e.do("POST", est+"/decide", `{"decision_number": "HVA-2026-0141", "decision_date": "`+day(0)+`", "effective_from": "2026-03-09"}`).
				wantStatus(t, http.StatusOK)
		}
		path = strings.Replace(path, "{id}", id, 1)
	case strings.HasPrefix(path, "/api/v1/tariffs/{id}"):
		path = withDraft(t, e, strings.Replace(path, "{id}", "phhva", 1), "/api/v1/tariffs/phhva/versions", `{"based_on": 3}`)
	case strings.HasPrefix(path, "/api/v1/income-catalogues/{id}"):
		path = withDraft(t, e, strings.Replace(path, "{id}", "statutory", 1), "/api/v1/income-catalogues/statutory/versions", `{"based_on": 4}`)
	case strings.HasPrefix(path, "/api/v1/services/{id}"):
		path = strings.Replace(path, "{id}", "meal-service", 1)
	case strings.HasPrefix(path, "/api/v1/users/{name}"), strings.HasPrefix(path, "/api/v1/tokens"):
		path = withUser(t, e, path)
	}
	return params.Replace(path)
}

// withUser makes user aino.virtanen, the one the examples name, and a token
// of theirs, and puts them in path.
func withUser(t *testing.T, e *env, path string) string {
	t.Helper()
	e.do("POST", "/api/v1/users", `{"name": "aino.virtanen", "display_name": "Aino Virtanen", "team": "lahti-north", "roles": ["case_manager"]}`).
		wantStatus(t, http.StatusCreated)
	var tok struct {
		ID string `json:"id"`
	}
	e.do("POST", "/api/v1/tokens", `{"user": "aino.virtanen", "roles": ["case_manager"], "expires": "1d"}`).wantStatus(t, http.StatusCreated).decode(t, &tok)
	return strings.NewReplacer("{name}", "aino.virtanen", "{id}", tok.ID).Replace(path)
}

// withDraft creates a draft by posting body to versions when path names a
// version, and puts its number in path.
func withDraft(t *testing.T, e *env, path, versions, body string) string {
	t.Helper()
	if !strings.Contains(path, "{version}") {
		return path
	}
	var d struct {
		Version int `json:"version"`
	}
	e.do("POST", versions, body).wantStatus(t, http.StatusCreated).decode(t, &d)
	return strings.Replace(path, "{version}", strconv.Itoa(d.Version), 1)
}
