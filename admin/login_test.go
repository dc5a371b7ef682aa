package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"carecost/domain"
)

// failedPage signs in with name and pw, which must fail, and returns the
// page the browser is sent back to.
func failedPage(t *testing.T, b *browser, name, pw string) string {
	t.Helper()
	r := b.signIn(name, pw).wantStatus(t, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/login" {
		t.Fatalf("%s: Location %q", name, loc)
	}
	b.do("GET", "/api/v1/session", "", nil).wantStatus(t, http.StatusUnauthorized)
	page, _ := b.loginPage("")
	return page
}

var errorSummary = regexp.MustCompile(`(?s)<div class="error-summary".*?</div>`)

// Attack: user enumeration. An unknown name, a wrong password and a
// disabled user get the same page, word for word: the summary links to
// the password field, the message stands beside it, and the name typed is
// kept. The log says why, without the password; the metric counts it.
func TestFailedSignInsLookAlike(t *testing.T) {
	e := newSignInEnv(t)
	if _, err := e.cmds.DisableUser(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, "ville"); err != nil {
		t.Fatal(err)
	}
	b := e.browser()
	var summaries []string
	for _, try := range [][2]string{{"nobody", "secret words 1"}, {"anna", "secret words 2"}, {"ville", password("ville")}} {
		page := failedPage(t, b, try[0], try[1])
		if !strings.Contains(page, `value="`+try[0]+`"`) {
			t.Errorf("%s: the name is not kept", try[0])
		}
		if !strings.Contains(page, `<a href="#password">Käyttäjätunnus tai salasana on väärin.</a>`) ||
			!strings.Contains(page, `<p class="field-error" id="password-error">`) || !strings.Contains(page, `aria-describedby="password-error"`) {
			t.Errorf("%s: no summary linking to the password, or no message beside it:\n%s", try[0], page)
		}
		summaries = append(summaries, errorSummary.FindString(page))
	}
	if summaries[0] != summaries[1] || summaries[1] != summaries[2] {
		t.Errorf("the answers differ:\n%s", strings.Join(summaries, "\n"))
	}
	log := e.log.String()
	for _, secret := range []string{"secret words", password("ville")} {
		if strings.Contains(log, secret) {
			t.Errorf("the log holds a password")
		}
	}
	for _, why := range []string{"no such user", "wrong password", "the user is disabled"} {
		if !strings.Contains(log, why) {
			t.Errorf("the log does not say %q", why)
		}
	}
	if m := scrape(t, e.env); !strings.Contains(m, `carecost_logins_total{method="password",result="refused"} 3`) {
		t.Errorf("metrics:\n%s", grepLines(m, "logins"))
	}
}

// Empty fields are named, each beside its field and linked from the
// summary.
func TestMissingFieldsNamed(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	_, token := b.loginPage("?lang=en")
	b.do("POST", "/login", "", url.Values{"_csrf": {token}}).wantStatus(t, http.StatusSeeOther)
	page, _ := b.loginPage("")
	for _, want := range []string{`<a href="#name">Enter your user name.</a>`, `<a href="#password">Enter your password.</a>`,
		`id="name-error">Enter your user name.`, `id="password-error">Enter your password.`} {
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %s", want)
		}
	}
}

// The page is Finnish by default and English by choice, which a cookie
// remembers; the labels stand above their fields; there is no inline
// script or style anywhere.
func TestLoginPageLanguages(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	fi, _ := b.loginPage("")
	if !strings.Contains(fi, `<html lang="fi">`) || !strings.Contains(fi, "Käyttäjätunnus") || !strings.Contains(fi, `href="/login?lang=en"`) {
		t.Errorf("Finnish page:\n%s", fi)
	}
	b.loginPage("?lang=en")
	en, _ := b.loginPage("")
	if !strings.Contains(en, `<html lang="en">`) || !strings.Contains(en, `<label for="name">User name</label>`) {
		t.Errorf("English page, remembered:\n%s", en)
	}
	for _, page := range []string{fi, en} {
		if strings.Contains(page, "<script") || strings.Contains(page, "<style") || strings.Contains(page, "style=") ||
			regexp.MustCompile(`\son[a-z]+=`).MatchString(page) || !strings.Contains(page, `href="/static/carecost.css"`) {
			t.Errorf("inline script or style, or no stylesheet:\n%s", page)
		}
		if strings.Index(page, `<label for="password">`) > strings.Index(page, `id="password"`) {
			t.Error("the label is not above its field")
		}
	}
	css := b.do("GET", "/static/carecost.css", "", nil).wantStatus(t, http.StatusOK)
	if !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") || !strings.Contains(string(css.body), ".error-summary") {
		t.Errorf("stylesheet %s: %.80s", css.header.Get("Content-Type"), css.body)
	}
	b.do("GET", "/static/..%2fserver.go", "", nil).wantStatus(t, http.StatusNotFound)
	b.do("GET", "/static/missing.css", "", nil).wantStatus(t, http.StatusNotFound)
}

// Signed in, the page names the user and offers the sign-out button.
func TestLoginPageSignedIn(t *testing.T) {
	e := newSignInEnv(t)
	b := e.browser()
	b.signIn("anna", password("anna")).wantStatus(t, http.StatusSeeOther)
	page, token := b.loginPage("?lang=en")
	if !strings.Contains(page, "<strong>Anna Virtanen</strong> (anna)") || !strings.Contains(page, `action="/logout"`) || token != b.csrf() {
		t.Fatalf("page:\n%s", page)
	}
}
