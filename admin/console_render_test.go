package admin_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Pages render from many requests at once, pages in the layout beside
// pages and parts without it (the print page, a line's choices): the
// layout is composed per request, never by changing the shared templates
// (which failed about a page in a thousand under load with "call of nil
// function").
func TestPagesRenderConcurrently(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	cookie := anna.cookies["carecost_session"]
	paths := []string{"/", "/estimates", "/estimates/" + id, "/estimates/" + id + "/print",
		"/estimates/" + id + "/choices?service=meal-service", "/services", "/tariffs", "/login"}
	var wg sync.WaitGroup
	failed := make(chan string, 1000)
	for i := range 16 {
		wg.Go(func() {
			for j := range 80 {
				path := paths[(i+j)%len(paths)]
				req := httptest.NewRequest("GET", path, nil)
				req.AddCookie(cookie)
				req.Header.Set("Authorization", "")
				if r := e.send(req); r.status != http.StatusOK {
					failed <- path + ": " + http.StatusText(r.status)
				}
			}
		})
	}
	wg.Wait()
	close(failed)
	for f := range failed {
		t.Error(f)
	}
}

// No handler renders through the template engine's own Render: it sets
// the layout's function on the templates' shared set at every call (nil
// for a page without a layout), so a page in the layout could run with
// another request's nil function. Pages go through compose.
func TestNoEngineRender(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), ".Render(") {
			t.Errorf("%s renders through the engine's Render; use compose", f)
		}
	}
}
