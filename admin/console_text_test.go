package admin_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"carecost/domain"
)

// rlo is the right-to-left override: "A\u202EB.pdf" shows as "Afdp.B".
const rlo = "\u202E"

// Every free-text field of the console refuses an invisible formatting
// character (a text-direction override, a zero-width character): 422, a
// message beside the field naming the field and the character, in Finnish
// and in English, nothing written. Searches refuse it too.
func TestFreeTextRefusesFormatCharacters(t *testing.T) {
	pe := newProjectedEnv(t)
	pe.addUser("aino", "Aino Ylläpitäjä", "", domain.RoleAdmin)
	pe.addUser("olli", "Olli Operaattori", "", domain.RoleOperations)
	anna, aino, ville, olli := pe.signedIn("anna"), pe.signedIn("aino"), pe.signedIn("ville"), pe.signedIn("olli")
	pe.catchUp()
	open := url.Values{"client_ref": {"K-1"}, "maple": {"3"}, "segment": {"continuous"}, "size": {"1"}, "gross_income": {"1800"},
		"net_income": {"1500"}, "tariff": {"phhva"}, "income_catalogue": {"statutory"}, "pricing_date": {"2025-03-01"}, "form_key": {domain.NewID()}}
	loc := pe.post(anna, "/estimates", open).wantStatus(t, http.StatusSeeOther).header.Get("Location")
	id := strings.TrimPrefix(loc, "/estimates/")
	version := func(b *browser, path string) string {
		m := regexp.MustCompile(`name="expected_version" value="(\d+)"`).FindStringSubmatch(string(pe.page(b, path).body))
		if m == nil {
			t.Fatalf("%s has no expected_version", path)
		}
		return m[1]
	}
	with := func(form url.Values, kv ...string) url.Values {
		f := url.Values{}
		for k, v := range form {
			f[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			f.Set(kv[i], kv[i+1])
		}
		return f
	}
	before := pe.store.count()
	for _, c := range []struct {
		who          *browser
		method, path string
		form         func() url.Values
		field        string
		fi, en       string
	}{
		{anna, "POST", "/estimates", func() url.Values { return with(open, "client_ref", "A"+rlo+"B", "form_key", domain.NewID()) }, "client-ref",
			"Asiakkaan tunniste", "Client reference"},
		{anna, "POST", "/estimates/" + id + "/household", func() url.Values {
			return url.Values{"client_ref": {"A" + rlo + "B"}, "size": {"1"}, "expected_version": {version(anna, "/estimates/"+id)}}
		}, "client-ref", "Asiakkaan tunniste", "Client reference"},
		{anna, "POST", "/estimates/" + id + "/decide", func() url.Values {
			return url.Values{"decision_number": {"D" + rlo + "1"}, "decision_date": {"2026-01-02"}, "effective_from": {"2026-01-02"},
				"not_presented_reason": {"x\u2066y"}, "expected_version": {version(anna, "/estimates/"+id)}}
		}, "decision-number", "Päätöksen numero", "Decision number"},
		{anna, "POST", "/estimates/" + id + "/decide", func() url.Values {
			return url.Values{"decision_number": {"D-1"}, "decision_date": {"2026-01-02"}, "effective_from": {"2026-01-02"},
				"not_presented_reason": {"x\u2066y"}, "expected_version": {version(anna, "/estimates/"+id)}}
		}, "not-presented-reason", "Miksi päätös tehdään", "Why the decision"},
		{anna, "POST", "/estimates/" + id + "/cancel", func() url.Values {
			return url.Values{"reason": {"ei\u200Benää"}, "expected_version": {version(anna, "/estimates/"+id)}}
		}, "cancel-reason", "Syy", "Reason"},
		{anna, "GET", "/estimates?client_ref=" + url.QueryEscape("A"+rlo), nil, "filter-client-ref", "Asiakkaan tunniste", "Client reference"},
		{ville, "GET", "/decisions?decided_by=" + url.QueryEscape("anna"+rlo), nil, "filter-decided-by", "Asiakasohjaaja", "Case manager"},
		{aino, "POST", "/services", func() url.Values {
			return url.Values{"id": {"jalkahoito"}, "name_fi": {"Jalka" + rlo + "hoito"}, "category": {"support"}, "unit": {"visit"}, "modes": {"own"}}
		}, "name_fi", "Nimi suomeksi", "Name in Finnish"},
		{aino, "POST", "/services/bathing", func() url.Values {
			m := regexp.MustCompile(`name="expected_definition" value="([0-9a-f]+)"`).FindStringSubmatch(string(pe.page(aino, "/services/bathing").body))
			return url.Values{"name_fi": {"Kylvetys"}, "category": {"home_care"}, "unit": {"visit"}, "modes": {"own"},
				"eligibility_note": {"huom" + rlo}, "expected_definition": {m[1]}}
		}, "eligibility_note", "Huomautus asiakasohjaajalle", "Note for the case manager"},
		{aino, "POST", "/tariffs", func() url.Values { return url.Values{"id": {"uusi"}, "name": {"Uusi" + rlo}} }, "name", "Nimi", "Name"},
		{aino, "POST", "/tariffs/phhva/drafts", func() url.Values {
			return url.Values{"source": {"empty"}, "note": {"\uFEFFluonnos"}, "expected_version": {version(aino, "/tariffs/phhva")}}
		}, "draft-note", "Muistiinpano", "Note"},
		{aino, "POST", "/income-catalogues", func() url.Values { return url.Values{"id": {"oma"}, "name": {"Oma" + rlo}} }, "name", "Nimi", "Name"},
		{aino, "POST", "/users", func() url.Values {
			return url.Values{"name": {"uusi"}, "display_name": {"Uusi" + rlo + "Nimi"}, "roles": {"controller"}, "signin": {"oidc"}}
		}, "user-display-name", "Nimi", "Name"},
		{olli, "POST", "/operations/projections/estimates/skip", func() url.Values {
			return url.Values{"position": {"1"}, "reason": {"ohita" + rlo}}
		}, "skip-reason-estimates", "Ohituksen syy", "Reason"},
	} {
		for _, lang := range []string{"en", "fi"} {
			var r response
			if c.method == "GET" {
				r = pe.page(c.who, c.path+"&lang="+lang)
			} else {
				r = pe.post(c.who, c.path+"?lang="+lang, c.form())
			}
			if r.status != http.StatusUnprocessableEntity {
				t.Errorf("%s %s in %s: %d, want 422", c.method, c.path, lang, r.status)
				continue
			}
			m := regexp.MustCompile(`id="` + regexp.QuoteMeta(c.field) + `-error">([^<]*)<`).FindStringSubmatch(string(r.body))
			if m == nil {
				// A projection running shows no skip form: the summary
				// says it, linking to the field.
				m = regexp.MustCompile(`<a href="#` + regexp.QuoteMeta(c.field) + `">([^<]*)<`).FindStringSubmatch(string(r.body))
			}
			if m == nil {
				t.Errorf("%s %s in %s: no message of %s", c.method, c.path, lang, c.field)
				continue
			}
			msg := html.UnescapeString(m[1])
			label, says := c.fi, "näkymätön muotoilumerkki"
			if lang == "en" {
				label, says = c.en, "invisible formatting character"
			}
			if !strings.HasPrefix(msg, label) || !strings.Contains(msg, says) || !strings.Contains(msg, "(U+") {
				t.Errorf("%s %s in %s: the message of %s is %q, want the field %q and the character named", c.method, c.path, lang, c.field, msg, label)
			}
		}
	}
	if after := pe.store.count(); after != before {
		t.Errorf("text with formatting characters wrote %d events", after-before)
	}
}

// The API refuses the same text: the domain's check of every free text.
func TestAPIRefusesFormatCharacters(t *testing.T) {
	e := newEnv(t)
	body := strings.Replace(demoCase, `"A-123"`, quoteJSON("A"+rlo+"B"), 1)
	e.do("POST", "/api/v1/estimates", body).wantError(t, http.StatusBadRequest, "invalid", "client_ref")
	r := e.do("POST", "/api/v1/estimates", body)
	if !strings.Contains(string(r.body), "client_ref holds an invisible formatting character (U+202E)") {
		t.Errorf("the message does not name the field and the character: %s", r.body)
	}
	var est estimate
	e.do("POST", "/api/v1/estimates", demoCase).wantStatus(t, http.StatusCreated).decode(t, &est)
	e.do("POST", "/api/v1/estimates/"+est.ID+"/cancel", `{"reason": `+quoteJSON("x\u200Fy")+`}`).wantError(t, http.StatusBadRequest, "invalid", "reason")
}
