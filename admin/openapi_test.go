package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

// openAPIDoc is the part of the OpenAPI document the tests check.
type openAPIDoc struct {
	OpenAPI    string                               `json:"openapi"`
	Paths      map[string]map[string]map[string]any `json:"paths"`
	Components struct {
		Schemas    map[string]any `json:"schemas"`
		Parameters map[string]any `json:"parameters"`
		Responses  map[string]any `json:"responses"`
	} `json:"components"`
}

func fetchOpenAPI(t *testing.T, e *env) (openAPIDoc, []byte) {
	t.Helper()
	r := e.do("GET", "/api/openapi.json", "").wantStatus(t, http.StatusOK)
	var doc openAPIDoc
	r.decode(t, &doc)
	return doc, r.body
}

// toOpenAPIPath turns a Fiber template into an OpenAPI path.
func toOpenAPIPath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		if strings.HasPrefix(s, ":") {
			segs[i] = "{" + s[1:] + "}"
		}
	}
	return strings.Join(segs, "/")
}

func TestOpenAPIDescribesEveryRoute(t *testing.T) {
	e := newEnv(t)
	doc, _ := fetchOpenAPI(t, e)
	if doc.OpenAPI != "3.0.3" {
		t.Errorf("openapi = %q, want 3.0.3", doc.OpenAPI)
	}
	served := map[string]bool{}
	pages := map[string]bool{}
	for _, p := range e.srv.Pages() {
		pages[p] = true
	}
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == http.MethodHead || pages[r.Method+" "+r.Path] {
			continue // the console's pages are for people
		}
		key := strings.ToLower(r.Method) + " " + toOpenAPIPath(r.Path)
		served[key] = true
		if doc.Paths[toOpenAPIPath(r.Path)][strings.ToLower(r.Method)] == nil {
			t.Errorf("route %s %s is not in the OpenAPI document", r.Method, r.Path)
		}
	}
	documented := 0
	for path, ops := range doc.Paths {
		for method := range ops {
			documented++
			if !served[method+" "+path] {
				t.Errorf("the OpenAPI document has %s %s, which is not a route", strings.ToUpper(method), path)
			}
		}
	}
	if documented != len(served) || documented < 45 {
		t.Errorf("documented %d operations, served %d routes", documented, len(served))
	}
}

func TestOpenAPIOperationsAreComplete(t *testing.T) {
	e := newEnv(t)
	doc, raw := fetchOpenAPI(t, e)
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if op["summary"] == "" || op["operationId"] == "" {
				t.Errorf("%s %s: no summary or operationId", method, path)
			}
			resp, _ := op["responses"].(map[string]any)
			if resp["default"] == nil {
				t.Errorf("%s %s: no error response", method, path)
			}
			if strings.Contains(path, "{") && resp["404"] == nil {
				t.Errorf("%s %s: a path with parameters has no 404", method, path)
			}
			params, _ := op["parameters"].([]any)
			for _, p := range params {
				p, _ := p.(map[string]any)
				desc, _ := p["description"].(string)
				if p["in"] == "path" && (desc == "" || strings.HasPrefix(path, "/api/v1/users/") && !strings.Contains(desc, "login name") ||
					strings.HasPrefix(path, "/api/v1/projections/") && !strings.Contains(desc, "projection")) {
					t.Errorf("%s %s: path parameter %v described as %q", method, path, p["name"], desc)
				}
			}
		}
	}
	// Every reference resolves.
	for _, ref := range strings.Split(string(raw), `"$ref":"`)[1:] {
		name := ref[:strings.IndexByte(ref, '"')]
		parts := strings.Split(strings.TrimPrefix(name, "#/components/"), "/")
		var ok bool
		switch parts[0] {
		case "schemas":
			_, ok = doc.Components.Schemas[parts[1]]
		case "parameters":
			_, ok = doc.Components.Parameters[parts[1]]
		case "responses":
			_, ok = doc.Components.Responses[parts[1]]
		}
		if !ok {
			t.Errorf("reference %s does not resolve", name)
		}
	}
	for _, name := range []string{"ErrorBody", "ErrorDetail", "EstimateDetail", "Line", "CaseInput", "Quote", "CommandResult"} {
		if doc.Components.Schemas[name] == nil {
			t.Errorf("schema %s missing", name)
		}
	}
	post := doc.Paths["/api/v1/estimates/{id}/lines"]["post"]
	if body, _ := post["requestBody"].(map[string]any); body == nil || !strings.Contains(string(raw), `"expected_version"`) {
		t.Errorf("POST lines: request body %v", post["requestBody"])
	}
}
