package admin

import (
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

// Every word of the sign-in pages is there in both languages.
func TestLoginTextsComplete(t *testing.T) {
	for lang, tx := range texts {
		for name, v := range map[string]string{"Title": tx.Title, "Name": tx.Name, "Password": tx.Password, "Submit": tx.Submit,
			"Wrong": tx.Wrong, "Expired": tx.Expired, "Limited": tx.Limited, "ProviderFailed": tx.ProviderFailed,
			"ProviderNoRole": tx.ProviderNoRole, "LocalAccount": tx.LocalAccount, "SignedOut": tx.SignedOut, "SignOut": tx.SignOut,
			"MissingName": tx.MissingName, "MissingPassword": tx.MissingPassword, "ProblemTitle": tx.ProblemTitle,
			"ProviderButton": tx.ProviderButton, "SignedInAs": tx.SignedInAs, "Intro": tx.Intro} {
			if v == "" {
				t.Errorf("%s: %s is empty", lang, name)
			}
		}
		if !strings.Contains(tx.ProviderButton, "%s") {
			t.Errorf("%s: ProviderButton has no place for the provider", lang)
		}
	}
}
