package admin_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"carecost/domain"
)

// The controller re-prices a decision on its page: the demo case (home
// care 20 hours a month, meals five times a week, decided under version
// 1 of 2025) under version 2 of 2026, each figure decided, re-priced and
// the change worked by hand; under its own versions nothing changes; a
// field at fault is shown beside it in Finnish and English (422), and
// nothing is written.
func TestDecisionWhatIf(t *testing.T) {
	pe := newProjectedEnv(t)
	id := pe.decided("D-100")
	ville := pe.signedIn("ville")
	path := "/decisions/" + id

	page := string(pe.page(ville, path).wantStatus(t, http.StatusOK).body)
	noMissingKeys(t, path, page)
	if !hasID(page, "whatif-form") || hasID(page, "whatif-answer") {
		t.Fatalf("the page before asking: %s", auditElement(page, "whatif"))
	}
	for _, want := range []string{`<option value="" selected>Kuten päätettiin (versio 1)</option>`,
		`<option value="2">Versio 2, voimassa 1.1.2026 alkaen (julkaistu)</option>`, `value="2025-03-01"`} {
		if !strings.Contains(auditElement(page, "whatif-form"), want) {
			t.Errorf("the form lacks %s: %s", want, auditElement(page, "whatif-form"))
		}
	}

	before := pe.store.count()
	page = string(pe.page(ville, path+"?lang=fi&tariff_version=2&income_version=&pricing_date=2025-03-01").wantStatus(t, http.StatusOK).body)
	noMissingKeys(t, path, page)
	// Meals 5 a week are 65/3 a month: the fee 5.00 -> 5.25 is 108.33 ->
	// 113.75 (+5.42), the unit cost 9.80 -> 10.20 is 212.33 -> 221.00
	// (+8.67). Home care 20 hours at 62.00 -> 65.00 is 1 240.00 ->
	// 1 300.00 (+60.00); its income-based fee (298.22) stays. A month:
	// fee 406.55 -> 411.97 (+5.42), gross 1 452.33 -> 1 521.00 (+68.67),
	// net 1 045.78 -> 1 109.03 (+63.25); a year is twelve months: fee
	// 4 878.60 -> 4 943.64 (+65.04), net 12 549.36 -> 13 308.36 (+759.00).
	for el, want := range map[string]string{
		"whatif-total-monthly": "Kuukaudessa 406,55 € 411,97 € +5,42 € 1 452,33 € 1 521,00 € +68,67 € 1 045,78 € 1 109,03 € +63,25 €",
		"whatif-total-yearly":  "Vuodessa 4 878,60 € 4 943,64 € +65,04 € 17 427,96 € 18 252,00 € +824,04 € 12 549,36 € 13 308,36 € +759,00 €",
		"whatif-line-1":        "Ateriapalvelu oma tuotanto 9,80 € 10,20 € 108,33 € 113,75 € +5,42 € 212,33 € 221,00 € +8,67 € 104,00 € 107,25 € +3,25 €",
		"whatif-basis":         "Hinnaston versio 2, tulorajojen versio 3, hinnoittelupäivä 1.3.2025.",
	} {
		if got := impactText(page, el); got != want {
			t.Errorf("%s:\n got %q\nwant %q", el, got, want)
		}
	}
	if strings.Contains(auditElement(page, "whatif-answer"), "Palvelusetelin omavastuu") || hasID(page, "whatif-same") {
		t.Errorf("no voucher in the decision, so no co-payment columns; and the figures changed: %s", auditElement(page, "whatif-answer"))
	}
	en := string(pe.page(ville, path+"?lang=en&tariff_version=2").wantStatus(t, http.StatusOK).body)
	if got := impactText(en, "whatif-total-monthly"); !strings.HasPrefix(got, "Per month €406.55 €411.97 +€5.42") {
		t.Errorf("in English: %q", got)
	}
	same := string(pe.page(ville, path+"?lang=fi&tariff_version=&income_version=&pricing_date=").wantStatus(t, http.StatusOK).body)
	if !hasID(same, "whatif-same") || !strings.Contains(impactText(same, "whatif-total-monthly"), "406,55 € 406,55 € 0,00 €") {
		t.Errorf("as decided: %s", auditElement(same, "whatif-answer"))
	}

	for _, c := range []struct{ query, field, fi, en string }{
		{"tariff_version=kaksi", "whatif-tariff_version", "Valitse versio luettelosta.", "Choose a version from the list."},
		{"tariff_version=99", "whatif-tariff_version", "Tällä versiolla ei voi hinnoitella", "This version cannot price"},
		{"income_version=99", "whatif-income_version", "Tällä tulorajojen versiolla", "This income-limit version cannot"},
		{"pricing_date=2099-01-01", "whatif-pricing_date", "Päivämäärän on oltava väliltä", "The date must be from"},
		{"pricing_date=31.2.2025", "whatif-pricing_date", "", ""},
		{"tariff_version=in_effect&pricing_date=2001-01-01", "whatif-pricing_date", "Hinnoittelupäivänä ei ole voimassa", "No published version is in effect"},
	} {
		for lang, want := range map[string]string{"fi": c.fi, "en": c.en} {
			r := string(pe.page(ville, path+"?lang="+lang+"&"+c.query).wantStatus(t, http.StatusUnprocessableEntity).body)
			if !strings.Contains(r, `id="`+c.field+`-error">`+want) || !strings.Contains(r, `href="#`+c.field+`"`) || hasID(r, "whatif-answer") {
				t.Errorf("%s in %s: %q beside %s: %s", c.query, lang, fieldError(r, c.field), c.field, auditElement(r, "whatif"))
			}
		}
	}
	if pe.store.count() != before {
		t.Errorf("the what-if wrote %d events", pe.store.count()-before)
	}
}

// The confirmation of a retroactive correction shows what it changes in
// euros before anything is published: the meal fee 5.00 -> 6.00 of
// version 1 adds 65/3 × 1.00 = 21.67 a month (260.04 a year) to the
// demo decision's client fee and takes it off the county's net cost; the
// decision's row says so, and the page links to the full preview.
func TestPublishConfirmShowsEuros(t *testing.T) {
	pe := newProjectedEnv(t)
	pe.addUser("aino", "Aino Lahtinen", "", domain.RoleAdmin)
	id := pe.decided("D-100")
	n := pe.draftMealCorrection()
	pe.catchUp()
	aino := pe.signedIn("aino")
	path := "/tariffs/phhva/versions/" + strconv.Itoa(n)
	form := url.Values{"valid_from": {""}, "reason": {"Ateriamaksun korjaus"}, "expected_version": {expectedOf(t, string(pe.page(aino, path).body))}}
	before := pe.store.count()
	page := string(pe.post(aino, path+"/publish?lang=fi", form).wantStatus(t, http.StatusOK).body)
	noMissingKeys(t, path, page)
	for el, want := range map[string]string{"confirm-impact-changed": "1", "confirm-impact-clients": "1",
		"confirm-impact-fee-month": "+21,67 €", "confirm-impact-net-month": "−21,67 €",
		"confirm-impact-fee-year": "+260,04 €", "confirm-impact-net-year": "−260,04 €"} {
		if got := impactText(page, el); got != want {
			t.Errorf("%s: %q, want %q", el, got, want)
		}
	}
	// The admin learns which decisions change, and their euros only in
	// total: a decision's own figures are for controllers.
	if row := impactText(page, "touched-"+id); !strings.Contains(row, "Muuttuu") || strings.Contains(row, "21,67") || !hasID(page, "confirm-impact-withheld") {
		t.Errorf("the decision's row: %q", row)
	}
	if !strings.Contains(page, `href="`+path+`/impact" id="confirm-impact-link"`) {
		t.Errorf("no link to the preview: %s", auditElement(page, "confirm-impact"))
	}
	en := string(pe.post(aino, path+"/publish?lang=en", form).wantStatus(t, http.StatusOK).body)
	if got := impactText(en, "confirm-impact-fee-year"); got != "+€260.04" {
		t.Errorf("in English: %q", got)
	}
	if pe.store.count() != before {
		t.Errorf("the confirmation wrote %d events", pe.store.count()-before)
	}
}
