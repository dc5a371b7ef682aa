package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// versionless posts form to path with each missing or malformed version
// the console's forms never send, in Finnish and in English, and checks
// each is refused (422, the message in the page's language) with nothing
// written.
func versionless(t *testing.T, ce *catalogueEnv, post func(string, url.Values) response, field, path string, form url.Values) {
	t.Helper()
	before := ce.store.count()
	for _, bad := range []string{"", "abc", "-1", "1.5", "0x1", "99999999999999999999"} {
		for lang, want := range map[string]string{"fi": "Lomakkeesta puuttui tieto siitä, mistä tietojen versiosta se täytettiin",
			"en": "The form did not say which version of the data it was filled in from"} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if bad != "" {
				f.Set(field, bad)
			}
			r := post(path+"?lang="+lang, f)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(string(r.body), want) {
				t.Errorf("POST %s with %s %q in %s: %d, want 422 saying %q", path, field, bad, lang, r.status, want)
			}
		}
	}
	if after := ce.store.count(); after != before {
		t.Errorf("POST %s without a whole version wrote %d events", path, after-before)
	}
}

// Every form of a versioned thing (the builder's forms, the tariff and
// income-limit drafts, the users, the services) is refused without the
// version it was rendered from, or with one that is not a whole number
// from 0: nothing is written, the page says to reload the form.
func TestVersionedFormsNeedTheirVersion(t *testing.T) {
	ce := newCatalogueEnv(t)
	anna := signedIn(t, ce.signInEnv, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "bathing", "own", "1", "week")
	est := "/estimates/" + id
	line := url.Values{"service": {"bathing"}, "mode": {"own"}, "quantity": {"2"}, "frequency": {"week"}}
	for path, form := range map[string]url.Values{
		est + "/lines":           line,
		est + "/lines/l1":        line,
		est + "/lines/l1/remove": {},
		est + "/household":       {"client_ref": {"K-200"}, "size": {"1"}},
		est + "/assessment":      {"maple": {"2"}, "segment": {"continuous"}},
		est + "/basis":           {"tariff": {"phhva"}, "income_catalogue": {"statutory"}, "pricing_date": {"2025-04-01"}},
		est + "/reprice":         {},
		est + "/present":         {},
		est + "/decide":          {"decision_number": {"D-1"}, "decision_date": {"2026-03-01"}, "effective_from": {"2026-03-01"}, "not_presented_reason": {"x"}},
		est + "/revise":          {"pricing_date": {"2026-03-01"}},
		est + "/cancel":          {"reason": {"x"}},
	} {
		versionless(t, ce, func(p string, f url.Values) response { return anna.post(p, f) }, "expected_version", path, form)
	}

	admin := func(path string, form url.Values) response { return ce.post(path, form) }
	tariff := "/tariffs/phhva/versions/3"
	income := "/income-catalogues/statutory/versions/1"
	for path, form := range map[string]url.Values{
		"/tariffs/phhva/drafts":               {"source": {"copy-3"}},
		tariff + "/entries":                   {"row": {"new"}, "service": {"bathing"}, "mode": {"own"}, "unit_cost": {"30"}, "rule": {"flat"}, "fee": {"9"}},
		tariff + "/entries/remove":            {"service": {"bathing"}, "mode": {"own"}},
		tariff + "/settings":                  {"note": {"x"}},
		tariff + "/publish":                   {"valid_from": {"2027-01-01"}, "reason": {"x"}},
		tariff + "/withdraw":                  {},
		"/income-catalogues/statutory/drafts": {"source": {"copy-1"}},
		income:                                {"note": {"x"}},
		income + "/publish":                   {"valid_from": {"2027-01-01"}, "reason": {"x"}},
		income + "/withdraw":                  {},
		"/users/ville/roles":                  {"roles": {"controller"}},
		"/users/ville/team":                   {"team": {"west"}},
		"/users/ville/password":               {"password": {"a brand new password"}},
		"/users/ville/disable":                {},
		"/users/ville/enable":                 {},
	} {
		versionless(t, ce, admin, "expected_version", path, form)
	}
	// A service's forms carry the definition they were rendered from.
	for path, form := range map[string]url.Values{
		"/services/bathing":        {"name_fi": {"Kylvetys"}, "category": {"home_care"}, "unit": {"visit"}, "modes": {"own"}},
		"/services/bathing/retire": {},
	} {
		versionless(t, ce, admin, "expected_definition", path, form)
	}
}

// A stale form (one rendered from a version changed since) answers 409
// with the conflict message wherever it is: the builder, the tariff and
// income-limit drafts, the users and the services, in Finnish and in
// English, and writes nothing.
func TestStaleFormsAreConflicts(t *testing.T) {
	ce := newCatalogueEnv(t)
	anna := signedIn(t, ce.signInEnv, "anna")
	id := anna.openEstimate(newEstimateForm())
	oldEstimate := anna.version(id)
	anna.addLine(id, "bathing", "own", "1", "week")

	tariff := ce.page("/tariffs/phhva")
	oldTariff := expectedOf(t, tariff)
	draft, page := ce.newDraft()
	oldDraft := expectedOf(t, page)
	location(t, ce.post(draft+"/settings", url.Values{"note": {"muutettu"}, "expected_version": {oldDraft}}))

	income := ce.page("/income-catalogues/statutory")
	oldIncome := expectedOf(t, income)
	incomeDraft := location(t, ce.post("/income-catalogues/statutory/drafts", url.Values{"source": {"copy-1"}, "expected_version": {oldIncome}}))
	oldIncomeDraft := expectedOf(t, ce.page(incomeDraft))
	location(t, ce.post(incomeDraft+"/withdraw", url.Values{"expected_version": {oldIncomeDraft}}))

	ville := expectedOf(t, ce.page("/users/ville"))
	location(t, ce.post("/users/ville/team", url.Values{"team": {"west"}, "expected_version": {ville}}))

	def := definitionRE.FindStringSubmatch(ce.page("/services/bathing"))[1]
	save := url.Values{"name_fi": {"Kylvetys"}, "category": {"home_care"}, "unit": {"visit"}, "modes": {"own"}, "expected_definition": {def}}
	location(t, ce.post("/services/bathing", save))

	type post struct {
		who  func(string, url.Values) response
		path string
		form url.Values
	}
	admin := func(p string, f url.Values) response { return ce.post(p, f) }
	caseManager := func(p string, f url.Values) response { return anna.post(p, f) }
	line := url.Values{"service": {"bathing"}, "mode": {"own"}, "quantity": {"2"}, "frequency": {"week"}, "expected_version": {oldEstimate}}
	want := map[string][]string{"fi": {"Tätä muutettiin sillä välin", "Joku muu muutti tätä samaan aikaan", "Arviota muutettiin sillä välin"},
		"en": {"This was changed in the meantime", "Someone else changed this at the same time", "The estimate was changed meanwhile"}}
	before := ce.store.count()
	for _, p := range []post{
		{caseManager, "/estimates/" + id + "/lines", line},
		{caseManager, "/estimates/" + id + "/assessment", url.Values{"maple": {"2"}, "segment": {"continuous"}, "expected_version": {oldEstimate}}},
		{admin, "/tariffs/phhva/drafts", url.Values{"source": {"empty"}, "expected_version": {oldTariff}}},
		{admin, draft + "/settings", url.Values{"note": {"x"}, "expected_version": {oldDraft}}},
		{admin, draft + "/entries", url.Values{"row": {"bathing--own"}, "service": {"bathing"}, "mode": {"own"}, "unit_cost": {"30"}, "rule": {"flat"}, "fee": {"9"}, "expected_version": {oldDraft}}},
		{admin, draft + "/publish", url.Values{"valid_from": {"2030-01-01"}, "reason": {"x"}, "expected_version": {oldDraft}}},
		{admin, "/income-catalogues/statutory/drafts", url.Values{"source": {"copy-1"}, "expected_version": {oldIncome}}},
		{admin, incomeDraft, url.Values{"note": {"x"}, "expected_version": {oldIncomeDraft}}},
		{admin, incomeDraft + "/withdraw", url.Values{"expected_version": {oldIncomeDraft}}},
		{admin, "/users/ville/roles", url.Values{"roles": {"controller"}, "expected_version": {ville}}},
		{admin, "/users/ville/disable", url.Values{"expected_version": {ville}}},
		{admin, "/services/bathing", save},
		{admin, "/services/bathing/retire", url.Values{"expected_definition": {def}}},
	} {
		for _, lang := range []string{"en", "fi"} {
			r := p.who(p.path+"?lang="+lang, p.form)
			body := string(r.body)
			said := false
			for _, w := range want[lang] {
				said = said || strings.Contains(body, w)
			}
			if r.status != http.StatusConflict || !said {
				t.Errorf("a stale POST %s in %s: %d, want 409 saying it changed meanwhile", p.path, lang, r.status)
			}
		}
	}
	if after := ce.store.count(); after != before {
		t.Errorf("stale forms wrote %d events", after-before)
	}
}

var formKeyInput = regexp.MustCompile(`name="form_key" value="([0-9a-f-]{36})"`)

// The new estimate's form names the opening with its key, so that sent
// twice it opens one estimate; a form without a key (or with one that is
// no key) would open an estimate each time, so it opens none: 422 with a
// message to reload or send again, the input kept with a new key, and
// that form opens the estimate once.
func TestOpeningAnEstimateNeedsTheFormKey(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	form := newEstimateForm()
	form.Set("gross_income", "1800")
	before := e.store.count()
	var page []byte
	for _, key := range []string{"", "abc", "00000000-0000-0000-0000-00000000000g"} {
		for lang, want := range map[string]string{"fi": "Lomakkeesta puuttui sen tunniste, joten arviota ei avattu. Lataa sivu uudelleen",
			"en": "The form was missing its key, so no estimate was opened. Reload the page"} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			if key != "" {
				f.Set("form_key", key)
			}
			r := anna.post("/estimates?lang="+lang, f)
			if r.status != http.StatusUnprocessableEntity || !strings.Contains(summary(string(r.body)), want) {
				t.Errorf("a form with the key %q in %s: %d, want 422 saying %q", key, lang, r.status, want)
			}
			contains(t, "the form again", r.body, `value="K-100"`)
			page = r.body
		}
	}
	if after := e.store.count(); after != before {
		t.Fatalf("forms without a key wrote %d events", after-before)
	}
	m := formKeyInput.FindSubmatch(page)
	if m == nil {
		t.Fatal("the form shown again has no new key")
	}
	form.Set("form_key", string(m[1]))
	first := anna.openEstimate(form)
	if again := anna.openEstimate(form); again != first {
		t.Errorf("the form sent twice opened %s and %s", first, again)
	}
}

// A notice is for the page its redirect leads to: a redirect never
// followed leaves no notice on the next, unrelated page (nor on its own
// page later); followed, the page shows it once. A target with a fragment
// (a row of the draft editor) is the page without it.
func TestNoticeOnlyOnItsPage(t *testing.T) {
	ce := newCatalogueEnv(t)
	anna := signedIn(t, ce.signInEnv, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.get("/estimates/" + id) // the opening's notice shown
	notice := `<p class="notice" role="status">`
	line := url.Values{"service": {"bathing"}, "mode": {"own"}, "quantity": {"1"}, "frequency": {"week"}}

	line.Set("expected_version", anna.version(id))
	anna.post("/estimates/"+id+"/lines", line).wantStatus(t, http.StatusSeeOther) // not followed
	lacks(t, "the list after a redirect not followed", anna.get("/estimates").wantStatus(t, http.StatusOK).body, notice, "Palvelu lisätty.")
	lacks(t, "the estimate later", anna.get("/estimates/"+id).wantStatus(t, http.StatusOK).body, notice, "Palvelu lisätty.")

	line.Set("expected_version", anna.version(id))
	loc := anna.post("/estimates/"+id+"/lines", line).wantStatus(t, http.StatusSeeOther).header.Get("Location")
	contains(t, "the estimate the redirect led to", anna.get(loc).wantStatus(t, http.StatusOK).body, notice+"Palvelu lisätty.")
	lacks(t, "the estimate again", anna.get(loc).wantStatus(t, http.StatusOK).body, notice)

	path, page := ce.newDraft()
	loc = location(t, ce.post(path+"/entries", url.Values{"row": {"bathing--own"}, "service": {"bathing"}, "mode": {"own"}, "unit_cost": {"31"},
		"rule": {"flat"}, "fee": {"9"}, "expected_version": {expectedOf(t, page)}}))
	if !strings.Contains(loc, "#row-") {
		t.Fatalf("Location %q", loc)
	}
	if page := ce.page(path + "?lang=fi"); !strings.Contains(page, notice+"Hinta tallennettiin luonnokseen.") {
		t.Error("the draft editor does not show the notice of its row's redirect")
	}
}
