package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A person signed in chooses English with the header's button: the page
// comes back in English, the choice is remembered with the user, and their
// next sign-in, in a fresh browser, is in English from the first page. A
// language the console lacks is refused; the choice needs the CSRF token.
func TestLanguageRememberedPerUser(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	home := string(b.do("GET", "/", "", nil).wantStatus(t, http.StatusOK).body)
	if !strings.Contains(home, `<html lang="fi">`) || !strings.Contains(home, `action="/language"`) {
		t.Fatalf("the Finnish front page with the switch:\n%s", home)
	}
	csrf := b.csrf()
	b.do("POST", "/language", "", url.Values{"lang": {"en"}, "next": {"/"}}).wantStatus(t, http.StatusForbidden)
	b.do("POST", "/language", "", url.Values{"lang": {"xx"}, "next": {"/"}, "_csrf": {csrf}}).wantStatus(t, http.StatusBadRequest)
	r := b.do("POST", "/language", "", url.Values{"lang": {"en"}, "next": {"//evil.example/"}, "_csrf": {csrf}}).wantStatus(t, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/" {
		t.Errorf("Location = %q, want / (never another site)", loc)
	}
	if home := string(b.do("GET", "/", "", nil).wantStatus(t, http.StatusOK).body); !strings.Contains(home, `<html lang="en">`) {
		t.Errorf("after choosing English:\n%s", home)
	}
	u, err := e.cmds.User(context.Background(), "anna")
	if err != nil || u.Language() != "en" {
		t.Fatalf("remembered language %q, %v", u.Language(), err)
	}
	fresh := e.browser()
	fresh.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	if home := string(fresh.do("GET", "/", "", nil).wantStatus(t, http.StatusOK).body); !strings.Contains(home, `<html lang="en">`) {
		t.Errorf("the next sign-in is not in English:\n%s", home)
	}
}

// A console page asked for without signing in leads to the sign-in page,
// which leads back to it; a way back to another site is dropped.
func TestSignInLeadsBack(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	r := b.do("GET", "/language", "", nil)
	if r.status == http.StatusSeeOther {
		t.Fatalf("GET /language is not a page: %d", r.status)
	}
	page, token := b.loginPage("?next=" + url.QueryEscape("/?x=1"))
	if !strings.Contains(page, `name="next" value="/?x=1"`) {
		t.Fatalf("the form does not carry the way back:\n%s", page)
	}
	r = b.do("POST", "/login", "", url.Values{"name": {"anna"}, "password": {password("anna")}, "_csrf": {token}, "next": {"/?x=1"}})
	if loc := r.wantStatus(t, http.StatusSeeOther).header.Get("Location"); loc != "/?x=1" {
		t.Errorf("Location = %q", loc)
	}
	b2 := e.browser()
	_, token = b2.loginPage("")
	r = b2.do("POST", "/login", "", url.Values{"name": {"anna"}, "password": {password("anna")}, "_csrf": {token}, "next": {"https://evil.example/"}})
	if loc := r.wantStatus(t, http.StatusSeeOther).header.Get("Location"); loc != "/" {
		t.Errorf("Location = %q, want /", loc)
	}
}
