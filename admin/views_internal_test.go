package admin

import (
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// A template carecost renders that is missing, or one that does not
// parse, fails the start with a message naming it.
func TestMissingTemplateFailsStart(t *testing.T) {
	_, err := loadViews(fstest.MapFS{"views/layout.html": {Data: []byte(`{{embed}}`)}})
	if err == nil || !strings.Contains(err.Error(), "login.html is missing") {
		t.Fatalf("err = %v", err)
	}
	_, err = loadViews(fstest.MapFS{"views/layout.html": {Data: []byte(`{{embed}`)}, "views/login.html": {Data: []byte(`x`)}})
	if err == nil || !strings.HasPrefix(err.Error(), "admin: parse the templates") {
		t.Fatalf("err = %v", err)
	}
	if _, err := loadViews(consoleFS); err != nil {
		t.Fatal(err)
	}
}

// Every word of the sign-in pages is there in every language.
func TestLoginTextsComplete(t *testing.T) {
	cat, err := loadCatalogue(messageFiles)
	if err != nil {
		t.Fatal(err)
	}
	for _, code := range cat.Codes() {
		tx := loginTexts(cat.Lang(code))
		v := reflect.ValueOf(*tx)
		for i := range v.NumField() {
			if s := v.Field(i).String(); s == "" || strings.HasPrefix(s, "[") {
				t.Errorf("%s: %s is %q", code, v.Type().Field(i).Name, s)
			}
		}
		if !strings.Contains(tx.ProviderButton, "%s") {
			t.Errorf("%s: ProviderButton has no place for the provider", code)
		}
	}
}

// Every template file is one carecost checks at start: a page added
// without naming its template there would fail only when someone opens it.
func TestEveryTemplateIsRequired(t *testing.T) {
	files, err := fs.Glob(consoleFS, "views/*.html")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(f, "views/"), ".html")
		if !slices.Contains(requiredViews, name) {
			t.Errorf("%s is not in requiredViews", f)
		}
	}
}
