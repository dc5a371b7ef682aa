package admin_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"carecost/domain"
)

var idAttr = regexp.MustCompile(`\sid="([^"]+)"`)

// The controller's, users and operations pages give each id once (the
// browser test and the labels find their element), in both languages,
// and every label names an element of the page.
func TestAuditUsersOperationsPagesIDs(t *testing.T) {
	pe := newProjectedEnv(t)
	pe.addUser("aino", "Aino", "", domain.RoleAdmin)
	pe.addUser("olli", "Olli", "", domain.RoleOperations)
	id := pe.decided("D-1")
	pe.correctTariff()
	if _, err := pe.store.Append(context.Background(), domain.EstimateStream(domain.NewID()), domain.AnyVersion,
		domain.EventData{ID: domain.NewID(), Type: domain.EvEstimateDecided, Data: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	pages := map[string][]string{
		"ville": {"/decisions", "/decisions?tariff_version=x", "/decisions/" + id},
		"aino":  {"/users", "/users/anna"},
		"olli":  {"/operations"},
	}
	for user, paths := range pages {
		b := pe.signedIn(user)
		for _, path := range paths {
			for _, lang := range []string{"fi", "en"} {
				sep := "?"
				if strings.Contains(path, "?") {
					sep = "&"
				}
				_ = pe.runner.CatchUp(context.Background())
				r := b.do("GET", path+sep+"lang="+lang, "", nil)
				if r.status != http.StatusOK && r.status != http.StatusUnprocessableEntity {
					t.Fatalf("%s: %d", path, r.status)
				}
				page := string(r.body)
				seen := map[string]bool{}
				for _, m := range idAttr.FindAllStringSubmatch(page, -1) {
					if seen[m[1]] {
						t.Errorf("%s (%s): the id %q twice", path, lang, m[1])
					}
					seen[m[1]] = true
				}
				for _, m := range regexp.MustCompile(`<label for="([^"]+)"`).FindAllStringSubmatch(page, -1) {
					if !seen[m[1]] {
						t.Errorf("%s (%s): a label for %q, which the page has not", path, lang, m[1])
					}
				}
				if strings.Contains(page, "[audit.") || strings.Contains(page, "[users.") || strings.Contains(page, "[ops.") {
					t.Errorf("%s (%s): a key without text", path, lang)
				}
			}
		}
	}
}
