package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// tariffWordsRE are the words of a tariff's prices, which an income-limit
// catalogue's pages never use of themselves (the pricing date of the
// decisions a publication touches is theirs).
var tariffWordsRE = map[string]*regexp.Regexp{
	"fi": regexp.MustCompile(`(?i)hinnast|hinnat\b|hintoja|hintansa|\bhinta\b|hinnan\b`),
	"en": regexp.MustCompile(`(?i)tariff|\bprices?\b|price list`),
}

// mainOf returns the page's main content (the navigation, which names
// the tariffs, left out).
func mainOf(body string) string {
	i, j := strings.Index(body, "<main"), strings.Index(body, "</main>")
	if i < 0 || j < i {
		return body
	}
	return body[i:j]
}

// The income-limit catalogue's pages speak of income limits and
// percentages, never of a tariff's prices: the list, the timeline with
// the new draft's form, the notice of a new draft, the table editor with
// its publishing form, the confirmation of a retroactive publication and
// the message of a version no longer a draft, in Finnish and in English.
func TestIncomePagesHaveTheirOwnWords(t *testing.T) {
	ce := newCatalogueEnv(t)
	for _, lang := range []string{"en", "fi"} {
		pages := map[string]string{}
		pages["list"] = ce.page("/income-catalogues?lang=" + lang)
		show := ce.page("/income-catalogues/statutory?lang=" + lang)
		pages["timeline"] = show
		draft := location(t, ce.post("/income-catalogues/statutory/drafts", url.Values{"source": {"copy-4"}, "expected_version": {expectedOf(t, show)}}))
		editor := ce.page(draft + "?lang=" + lang)
		pages["the draft with its notice"] = editor
		confirm := ce.post(draft+"/publish?lang="+lang, url.Values{"valid_from": {"2025-06-15"}, "reason": {"Korjattu"},
			"expected_version": {expectedOf(t, editor)}}).wantStatus(t, http.StatusOK)
		pages["the confirmation"] = string(confirm.body)
		location(t, ce.post(draft+"/withdraw", url.Values{"expected_version": {expectedOf(t, editor)}}))
		current := expectedOf(t, ce.page("/income-catalogues/statutory"))
		pages["a version no longer a draft"] = string(ce.post(draft+"?lang="+lang, url.Values{"note": {"x"}, "expected_version": {current}}).
			wantStatus(t, http.StatusUnprocessableEntity).body)
		for what, body := range pages {
			if m := tariffWordsRE[lang].FindString(mainOf(body)); m != "" {
				i := strings.Index(mainOf(body), m)
				t.Errorf("%s in %s speaks of prices: %q in …%s…", what, lang, m, mainOf(body)[max(i-80, 0):min(i+80, len(mainOf(body)))])
			}
		}
	}
}

var headingRE = regexp.MustCompile(`<h1>([^<]*)</h1>`)

// An error page's heading says what kind of error it is (no access, not
// found, a change that could not be made, an address to check, an expired
// form), and a parameter the page does not take is named, in Finnish and
// in English.
func TestErrorPagesSayWhatWentWrong(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.post("/estimates/"+id+"/cancel", url.Values{"expected_version": {anna.version(id)}}).wantStatus(t, http.StatusSeeOther)
	for _, c := range []struct {
		what   string
		get    func(lang string) response
		status int
		fi, en []string
	}{
		{"a page of another role", func(lang string) response { return anna.get("/decisions?lang=" + lang) }, http.StatusForbidden,
			[]string{"Ei käyttöoikeutta", "tarkastaja"}, []string{"No access", "controller"}},
		{"an estimate that is not there", func(lang string) response {
			return anna.get("/estimates/00000000-0000-4000-8000-000000000000?lang=" + lang)
		},
			http.StatusNotFound, []string{"Ei löytynyt"}, []string{"Not found"}},
		{"the choices of a cancelled estimate", func(lang string) response { return anna.get("/estimates/" + id + "/choices?row=new&lang=" + lang) },
			http.StatusConflict, []string{"Tietoja ei voitu muuttaa"}, []string{"The change could not be made"}},
		{"an unknown parameter", func(lang string) response { return anna.get("/estimates?foo=1&lang=" + lang) }, http.StatusBadRequest,
			[]string{"Tarkista osoite", "kohta ”foo”, jota sivu ei tunne"}, []string{"Check the address", "the parameter “foo”, which the page does not take"}},
		{"a parameter twice", func(lang string) response { return anna.get("/estimates?status=draft&status=draft&lang=" + lang) }, http.StatusBadRequest,
			[]string{"Tarkista osoite", "kohta ”status” kahdesti"}, []string{"Check the address", "the parameter “status” twice"}},
		{"a form without its CSRF token", func(lang string) response {
			return anna.do("POST", "/estimates/"+id+"/present?lang="+lang, "", url.Values{"expected_version": {"1"}})
		}, http.StatusForbidden, []string{"Lomakkeen voimassaoloaika päättyi"}, []string{"The form has expired"}},
	} {
		for lang, want := range map[string][]string{"fi": c.fi, "en": c.en} {
			r := c.get(lang)
			if r.status != c.status {
				t.Errorf("%s in %s: %d, want %d", c.what, lang, r.status, c.status)
			}
			h := headingRE.FindStringSubmatch(string(r.body))
			if h == nil || h[1] != want[0] {
				t.Errorf("%s in %s: the heading is %v, want %q", c.what, lang, h, want[0])
			}
			contains(t, c.what+" in "+lang, r.body, want[1:]...)
		}
	}
}
