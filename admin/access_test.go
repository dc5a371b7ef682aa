package admin_test

import (
	"encoding/json"
	"maps"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// accessMatrix is who may use each route: "" for anyone, else the roles.
// A route the table serves and this matrix does not name fails the test,
// so every new route is given its rule on purpose.
var accessMatrix = map[string]string{
	"GET /":                                         "",
	"GET /static/{name}":                            "",
	"GET /healthz":                                  "",
	"GET /readyz":                                   "",
	"GET /metrics":                                  "operations",
	"GET /api/openapi.json":                         "",
	"GET /api/v1/status":                            "operations",
	"POST /api/v1/projections/{name}/skip":          "operations",
	"POST /api/v1/projections/{name}/rebuild":       "operations",
	"GET /api/v1/services":                          "case_manager admin controller",
	"GET /api/v1/services/{id}":                     "case_manager admin controller",
	"PUT /api/v1/services/{id}":                     "admin",
	"POST /api/v1/services/{id}/retire":             "admin",
	"GET /api/v1/tariffs":                           "case_manager admin controller",
	"POST /api/v1/tariffs":                          "admin",
	"GET /api/v1/tariffs/{id}":                      "case_manager admin controller",
	"GET /api/v1/tariffs/{id}/history":              "case_manager admin controller",
	"GET /api/v1/tariffs/{id}/prices":               "case_manager admin controller",
	"POST /api/v1/tariffs/{id}/versions":            "admin",
	"GET /api/v1/tariffs/{id}/versions/{version}":   "case_manager admin controller",
	"PATCH /api/v1/tariffs/{id}/versions/{version}": "admin",
	"PUT /api/v1/tariffs/{id}/versions/{version}/entries/{service}/{mode}":    "admin",
	"DELETE /api/v1/tariffs/{id}/versions/{version}/entries/{service}/{mode}": "admin",
	"POST /api/v1/tariffs/{id}/versions/{version}/publish":                    "admin",
	"POST /api/v1/tariffs/{id}/versions/{version}/withdraw":                   "admin",
	"GET /api/v1/income-catalogues":                                           "case_manager admin controller",
	"POST /api/v1/income-catalogues":                                          "admin",
	"GET /api/v1/income-catalogues/{id}":                                      "case_manager admin controller",
	"POST /api/v1/income-catalogues/{id}/versions":                            "admin",
	"GET /api/v1/income-catalogues/{id}/versions/{version}":                   "case_manager admin controller",
	"PUT /api/v1/income-catalogues/{id}/versions/{version}":                   "admin",
	"POST /api/v1/income-catalogues/{id}/versions/{version}/publish":          "admin",
	"POST /api/v1/income-catalogues/{id}/versions/{version}/withdraw":         "admin",
	"GET /api/v1/estimates":                                                   "case_manager controller",
	"POST /api/v1/estimates":                                                  "case_manager",
	"GET /api/v1/estimates/{id}":                                              "case_manager controller",
	"GET /api/v1/estimates/{id}/events":                                       "case_manager controller",
	"POST /api/v1/estimates/{id}/lines":                                       "case_manager",
	"PUT /api/v1/estimates/{id}/lines/{line}":                                 "case_manager",
	"DELETE /api/v1/estimates/{id}/lines/{line}":                              "case_manager",
	"PUT /api/v1/estimates/{id}/household":                                    "case_manager",
	"PUT /api/v1/estimates/{id}/assessment":                                   "case_manager",
	"PUT /api/v1/estimates/{id}/basis":                                        "case_manager",
	"POST /api/v1/estimates/{id}/reprice":                                     "case_manager",
	"POST /api/v1/estimates/{id}/present":                                     "case_manager",
	"POST /api/v1/estimates/{id}/decide":                                      "case_manager",
	"POST /api/v1/estimates/{id}/cancel":                                      "case_manager",
	"POST /api/v1/estimates/{id}/revise":                                      "case_manager",
	"GET /api/v1/estimates/{id}/whatif":                                       "case_manager controller",
	"GET /api/v1/tariffs/{id}/versions/{version}/impact":                      "admin controller",
	"GET /api/v1/income-catalogues/{id}/versions/{version}/impact":            "admin controller",
	"GET /api/v1/tariffs/{id}/samples":                                        "admin controller",
	"PUT /api/v1/tariffs/{id}/samples/{sample}":                               "admin",
	"DELETE /api/v1/tariffs/{id}/samples/{sample}":                            "admin",
	"GET /api/v1/decisions":                                                   "controller",
	"GET /api/v1/decisions/{estimate_id}":                                     "controller",
	"POST /api/v1/quote":                                                      "case_manager admin controller",
	"GET /api/v1/users":                                                       "admin",
	"POST /api/v1/users":                                                      "admin",
	"GET /api/v1/users/{name}":                                                "admin",
	"PUT /api/v1/users/{name}/roles":                                          "admin",
	"PUT /api/v1/users/{name}/team":                                           "admin",
	"PUT /api/v1/users/{name}/password":                                       "admin",
	"POST /api/v1/users/{name}/disable":                                       "admin",
	"POST /api/v1/users/{name}/enable":                                        "admin",
	"GET /api/v1/tokens":                                                      "admin",
	"POST /api/v1/tokens":                                                     "admin",
	"GET /api/v1/tokens/{id}":                                                 "admin",
	"POST /api/v1/tokens/{id}/revoke":                                         "admin",
	"GET /login":                                                              "",
	"POST /login":                                                             "",
	"POST /logout":                                                            "case_manager admin controller operations",
	"GET /login/oidc":                                                         "",
	"GET /login/oidc/callback":                                                "",
	"GET /api/v1/session":                                                     "case_manager admin controller operations",
}

var pathParamRE = regexp.MustCompile(`\{[a-z_]+\}`)

// Every route of the table, for anyone and for every role (and a user
// holding two): the rule in the OpenAPI document is the matrix above, a
// request without credentials is a 401 (a console page: 303 to the sign-in
// page) unless the route is public, a role the route does not name is a
// 403, and one it names gets past both.
func TestAccessMatrix(t *testing.T) {
	e := newEnv(t)
	var doc struct {
		Paths map[string]map[string]struct {
			Roles []string `json:"x-roles"`
		} `json:"paths"`
	}
	if err := json.Unmarshal(e.do("GET", "/api/openapi.json", "", anonymous...).wantStatus(t, http.StatusOK).body, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			key := strings.ToUpper(method) + " " + path
			if want, listed := accessMatrix[key]; listed && strings.Join(op.Roles, " ") != want {
				t.Errorf("%s: roles %q, the matrix says %q", key, strings.Join(op.Roles, " "), want)
			}
		}
	}
	// Every served route, the console's pages (not in the OpenAPI
	// document) included.
	for _, r := range e.srv.App().GetRoutes(true) {
		if r.Method == http.MethodHead {
			continue
		}
		path := toOpenAPIPath(r.Path)
		key := r.Method + " " + path
		seen[key] = true
		want, listed := accessMatrix[key]
		if !listed {
			t.Errorf("%s is served but has no row in the matrix", key)
			continue
		}
		checkAccess(t, e, r.Method, pathParamRE.ReplaceAllString(path, "x1"), strings.Fields(want))
	}
	for key := range accessMatrix {
		if !seen[key] {
			t.Errorf("the matrix names %s, which is not served", key)
		}
	}
}

// checkAccess sends one request to a route as anyone, as each role alone
// and as a user holding case_manager and operations.
func checkAccess(t *testing.T, e *env, method, path string, allowed []string) {
	t.Helper()
	r := e.do(method, path, "", anonymous...)
	status := r.status
	if status == http.StatusSeeOther && strings.HasPrefix(r.header.Get("Location"), "/login?next=") {
		status = http.StatusUnauthorized // a console page sends the person to sign in
	}
	if public := len(allowed) == 0; public == (status == http.StatusUnauthorized) {
		t.Errorf("%s %s without credentials: %d", method, path, status)
	}
	for _, role := range append(slices.Clone(allRoles), "case_manager,operations") {
		status := e.do(method, path, "", as("u", "north", role)...).status
		mayAct := len(allowed) == 0 || slices.ContainsFunc(strings.Split(role, ","), func(r string) bool { return slices.Contains(allowed, r) })
		if refused := status == http.StatusForbidden || status == http.StatusUnauthorized; refused == mayAct {
			t.Errorf("%s %s as %s: %d", method, path, role, status)
		}
	}
}

var allRoles = []string{"case_manager", "admin", "controller", "operations"}

// docs/security.md shows the access matrix as the route table makes it.
func TestSecurityDocShowsTheMatrix(t *testing.T) {
	e := newEnv(t)
	doc, err := os.ReadFile("../docs/security.md")
	if err != nil {
		t.Fatal(err)
	}
	if want := e.srv.AccessMatrix(); !strings.Contains(string(doc), want) {
		t.Errorf("docs/security.md does not hold the access matrix; it is:\n%s", want)
	}
}

// The console's pages, area by area (console_*_access_test.go).
func init() {
	for _, m := range []map[string]string{consolePageAccess, estimatePageAccess, cataloguePageAccess, auditPageAccess, userPageAccess, operationsPageAccess, impactPageAccess} {
		maps.Copy(accessMatrix, m)
	}
}

// consolePageAccess are the pages every area shares.
var consolePageAccess = map[string]string{
	"POST /language": "case_manager admin controller operations",
}
