package admin_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

// impactText is the text of the element id of a page as a browser shows
// it (entities read, spaces collapsed).
func impactText(page, id string) string {
	return html.UnescapeString(auditText(auditElement(page, id)))
}

// The controller opens what a published correction changed: the decision
// it changes with euros worked by hand, linking to the decision; the
// admin sees the same figures without the link; asked as known before the
// correction it changed nothing, and a moment to come is refused beside
// the field in Finnish and English.
func TestImpactPage(t *testing.T) {
	pe := newProjectedEnv(t)
	pe.addUser("aino", "Aino Lahtinen", "", domain.RoleAdmin)
	id := pe.decided("D-100")
	before := time.Now().In(domain.Helsinki).Add(-time.Minute).Format("2006-01-02T15:04")
	n := pe.correctTariff()
	ville, aino := pe.signedIn("ville"), pe.signedIn("aino")
	path := "/tariffs/phhva/versions/" + strconv.Itoa(n) + "/impact"

	page := string(pe.page(ville, path).wantStatus(t, http.StatusOK).body)
	noMissingKeys(t, path, page)
	// Meals five times a week: 5 × 13/3 = 65/3 a month; the fee 5.00 ->
	// 6.00 adds 65/3 × 1.00 = 21.67 a month to the client's fee and takes
	// it off the county's net cost; a year is 12 such months: 260.04.
	for el, want := range map[string]string{"impact-covered": "1", "impact-changed": "1", "impact-clients": "1",
		"impact-fee-month": "+21,67 €", "impact-net-month": "−21,67 €", "impact-fee-year": "+260,04 €", "impact-net-year": "−260,04 €"} {
		if got := impactText(page, el); got != want {
			t.Errorf("%s: %q, want %q", el, got, want)
		}
	}
	row := impactText(page, "impact-row-"+id)
	for _, want := range []string{"D-100", todayFi(), "1.3.2025", "Ateriapalvelu, oma tuotanto: maksu", "406,55 €", "428,22 €", "+21,67 €", "1 045,78 €", "1 024,11 €", "−21,67 €"} {
		if !strings.Contains(row, want) {
			t.Errorf("the row lacks %q: %s", want, row)
		}
	}
	if !strings.Contains(page, `href="/decisions/`+id+`" id="impact-link-`+id+`"`) {
		t.Errorf("the controller's row does not link to the decision")
	}
	adminPage := string(pe.page(aino, path).wantStatus(t, http.StatusOK).body)
	// The admin, who may not read decisions, sees them unnamed.
	if strings.Contains(adminPage, id) || strings.Contains(adminPage, "D-100") || !strings.Contains(impactText(adminPage, "impact-row-n1"), "Päätös 1") ||
		!strings.Contains(impactText(adminPage, "impact-row-n1"), "+21,67 €") {
		t.Errorf("the admin's row: %s", auditElement(adminPage, "impact-row-n1"))
	}
	en := string(pe.page(ville, path+"?lang=en").wantStatus(t, http.StatusOK).body)
	if got := impactText(en, "impact-fee-month"); got != "+€21.67" {
		t.Errorf("in English the fee's change is %q", got)
	}
	if !strings.Contains(impactText(en, "impact-row-"+id), "Meal service, own production: fee") {
		t.Errorf("in English the row is %s", impactText(en, "impact-row-"+id))
	}

	then := string(pe.page(ville, path+"?lang=fi&known_at="+url.QueryEscape(before)).wantStatus(t, http.StatusOK).body)
	if !hasID(then, "impact-not-published") || impactText(then, "impact-changed") != "0" {
		t.Errorf("as known before the correction: %s", auditElement(then, "impact-answer"))
	}
	future := time.Now().In(domain.Helsinki).Add(2 * time.Hour).Format("2006-01-02T15:04")
	for lang, want := range map[string]string{"fi": "Ajankohta ei ole vielä tullut", "en": "That moment has not come yet"} {
		r := pe.page(ville, path+"?lang="+lang+"&known_at="+url.QueryEscape(future)).wantStatus(t, http.StatusUnprocessableEntity)
		if got := fieldError(string(r.body), "impact-known_at"); !strings.Contains(got, want) {
			t.Errorf("a moment to come in %s: %q", lang, got)
		}
	}
	pe.page(pe.signedIn("anna"), path).wantStatus(t, http.StatusForbidden)

	// The links: the tariff's timeline and the audit's correction flag.
	tariff := string(pe.page(ville, "/tariffs/phhva?lang=fi").wantStatus(t, http.StatusOK).body)
	if !strings.Contains(tariff, `href="`+path+`" id="version-impact-`+strconv.Itoa(n)+`"`) {
		t.Errorf("the timeline does not link to the impact of version %d", n)
	}
	if anna := string(pe.page(pe.signedIn("anna"), "/tariffs/phhva").body); strings.Contains(anna, "version-impact-") {
		t.Errorf("a case manager's timeline links to the impact")
	}
	decision := string(pe.page(ville, "/decisions/"+id).wantStatus(t, http.StatusOK).body)
	if !strings.Contains(decision, `href="`+path+`" id="touched-impact-0"`) {
		t.Errorf("the correction flag does not link to what the correction changed")
	}
}

// A version that changes no decision says so in words; an income-limit
// catalogue version has its page too.
func TestImpactPageEmpty(t *testing.T) {
	pe := newProjectedEnv(t)
	ville := pe.signedIn("ville")
	page := string(pe.page(ville, "/tariffs/phhva/versions/1/impact").wantStatus(t, http.StatusOK).body)
	if got := impactText(page, "impact-none"); got != "Yksikään voimassa oleva päätös ei käytä hintaa, jota tämä versio muuttaa." {
		t.Errorf("no decisions: %q", got)
	}
	page = string(pe.page(ville, "/income-catalogues/statutory/versions/1/impact").wantStatus(t, http.StatusOK).body)
	if !hasID(page, "impact-none") {
		t.Errorf("the income-limit catalogue's version: %s", auditElement(page, "main"))
	}
	pe.page(ville, "/tariffs/phhva/versions/99/impact").wantStatus(t, http.StatusNotFound)
}

// The admin tries a draft correction: the decision it would change and
// the sample cases under the version in effect and under the draft;
// sample cases are added and removed there, a bad one refused beside its
// field in Finnish and English with nothing written, and a form without
// the CSRF token refused.
func TestDraftPreviewAndSamples(t *testing.T) {
	pe := newProjectedEnv(t)
	pe.addUser("aino", "Aino Lahtinen", "", domain.RoleAdmin)
	id := pe.decided("D-100")
	n := pe.draftMealCorrection()
	aino := pe.signedIn("aino")
	path := "/tariffs/phhva/versions/" + strconv.Itoa(n) + "/impact"
	editor := string(pe.page(aino, "/tariffs/phhva/versions/"+strconv.Itoa(n)).wantStatus(t, http.StatusOK).body)
	if !strings.Contains(editor, `href="`+path+`" class="button secondary" id="impact-link">Kokeile luonnosta`) {
		t.Errorf("the draft editor does not link to its preview")
	}
	page := string(pe.page(aino, path).wantStatus(t, http.StatusOK).body)
	noMissingKeys(t, path, page)
	if !hasID(page, "samples-empty") || impactText(page, "impact-fee-month") != "+21,67 €" || !hasID(page, "impact-row-n1") || strings.Contains(page, id) {
		t.Fatalf("the preview: %s", auditElement(page, "main"))
	}

	form := url.Values{"name": {"Ateriat viidesti viikossa"}, "maple": {""}, "household_size": {"1"}, "gross_income": {""}, "net_income": {""},
		"income_catalogue": {""}, "line1_service": {"meal-service/own"}, "line1_quantity": {"5"}, "line1_frequency": {"week"},
		"back": {path}, "expected_version": {"0"}}
	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("line1_quantity", "viisi")
	pe.formFails(aino, "/tariffs/phhva/samples", bad, "sample-line1-quantity", "fi", "Kirjoita määrä väliltä")
	pe.formFails(aino, "/tariffs/phhva/samples", bad, "sample-line1-quantity", "en", "Enter a quantity from")
	bad = url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("name", "")
	bad.Set("line1_service", "")
	pe.formFails(aino, "/tariffs/phhva/samples", bad, "sample-name", "fi", "Täytä tämä kenttä.")
	pe.formFails(aino, "/tariffs/phhva/samples", bad, "sample-line1-service", "en", "Fill in this field.")
	bad = url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	// A safety phone is counted per month: a quantity a day does not fit
	// (the domain's refusal, on the line's field).
	bad.Set("line1_service", "safety-phone/own")
	bad.Set("line1_frequency", "day")
	pe.formFails(aino, "/tariffs/phhva/samples", bad, "sample-line1-frequency", "fi", "")

	before := pe.store.count()
	if r := aino.do("POST", "/tariffs/phhva/samples", "", form); r.status != http.StatusForbidden {
		t.Errorf("without a CSRF token: %d", r.status)
	}
	if pe.store.count() != before {
		t.Errorf("a form without a CSRF token wrote")
	}

	if got := location(t, pe.post(aino, "/tariffs/phhva/samples?lang=fi", form)); got != path {
		t.Errorf("the sample form leads to %s", got)
	}
	page = string(pe.page(aino, path).wantStatus(t, http.StatusOK).body)
	// The sample: meals five a week is 65/3 a month: 108.33 -> 130.00.
	row := impactText(page, "sample-row-sample-1")
	for _, want := range []string{"Ateriat viidesti viikossa", "108,33 €", "130,00 €", "+21,67 €"} {
		if !strings.Contains(row, want) {
			t.Errorf("the sample's row lacks %q: %s", want, row)
		}
	}
	if got := impactText(page, "samples-fee-year"); got != "+260,04 €" {
		t.Errorf("the samples' yearly change: %q", got)
	}
	if !strings.Contains(page, "Esimerkkitapaus lisättiin.") {
		t.Errorf("no notice")
	}
	if got := location(t, pe.post(aino, "/tariffs/phhva/samples/sample-1/remove", url.Values{"back": {path}, "expected_version": {"1"}})); got != path {
		t.Errorf("removing leads to %s", got)
	}
	page = string(pe.page(aino, path).wantStatus(t, http.StatusOK).body)
	if hasID(page, "sample-row-sample-1") || !hasID(page, "samples-empty") {
		t.Errorf("the removed sample is still listed")
	}
	// A stale remove form is a conflict, nothing written.
	before = pe.store.count()
	pe.post(aino, "/tariffs/phhva/samples/sample-1/remove", url.Values{"back": {path}, "expected_version": {"1"}}).wantStatus(t, http.StatusConflict)
	if pe.store.count() != before {
		t.Errorf("a stale remove wrote")
	}
	// The controller sees the preview and the samples without the forms.
	ville := string(pe.page(pe.signedIn("ville"), path).wantStatus(t, http.StatusOK).body)
	if hasID(ville, "sample-form") || !hasID(ville, "samples") {
		t.Errorf("the controller's preview: %s", auditElement(ville, "samples"))
	}
}

// todayFi is today's date in Helsinki as the Finnish console writes it.
func todayFi() string {
	d := time.Now().In(domain.Helsinki)
	return fmt.Sprintf("%d.%d.%d", d.Day(), int(d.Month()), d.Year())
}
