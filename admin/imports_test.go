package admin_test

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"carecost/admin"
	"carecost/projections"
)

// admin may import the domain, the projections' types, Fiber, Prometheus and
// the standard library (DESIGN.md section 2), its tests an OpenAPI validator
// and the read models' SQLite driver (console pages tested over the real
// projections) too; never an event-store adapter, not even in a test.
func TestAdminImports(t *testing.T) {
	allowed := []string{"carecost/admin", "carecost/domain", "carecost/projections", "github.com/gofiber/fiber/v2", "github.com/prometheus/client_golang",
		"github.com/gofiber/template/html/v2"}
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) < 20 {
		t.Fatalf("found %d files: %v", len(files), err)
	}
	for _, path := range files {
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		allowed := allowed
		if strings.HasSuffix(path, "_test.go") {
			allowed = append(allowed[:len(allowed):len(allowed)], "github.com/getkin/kin-openapi", "modernc.org/sqlite")
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			first, _, _ := strings.Cut(p, "/")
			if !strings.Contains(first, ".") && first != "carecost" {
				continue
			}
			ok := false
			for _, a := range allowed {
				ok = ok || p == a || strings.HasPrefix(p, a+"/")
			}
			if !ok || strings.HasPrefix(p, "carecost/eventstore") {
				t.Errorf("%s imports %s", path, p)
			}
		}
	}
}

// The projections satisfy what the API reads through.
var (
	_ admin.Reads   = (*projections.Set)(nil)
	_ admin.Waiter  = (*projections.Runner)(nil)
	_ admin.Health  = (*projections.Runner)(nil)
	_ admin.Skipper = (*projections.Runner)(nil)
)
