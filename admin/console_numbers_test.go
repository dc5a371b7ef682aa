package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// A number refused for its size names the range it must be in (an
// income, a deduction), in the page's language.
func TestNumbersOutOfRangeNameTheRange(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	before := e.store.count()
	for lang, want := range map[string]string{"fi": "Kirjoita euromäärä väliltä 0,00 €–10 000 000,00 €.", "en": "Enter an amount from €0.00 to €10,000,000.00."} {
		r := anna.post("/estimates/"+id+"/household?lang="+lang, url.Values{"client_ref": {"K-100"}, "size": {"1"}, "gross_income": {"10000000.01"},
			"deduction_kind_0": {"housing"}, "deduction_amount_0": {"20000000"}, "expected_version": {anna.version(id)}}).
			wantStatus(t, http.StatusUnprocessableEntity)
		for _, field := range []string{"gross-income", "deduction-amount-0"} {
			if got := strings.ReplaceAll(fieldError(string(r.body), field), "\u00a0", " "); got != want {
				t.Errorf("%s in %s: %q, want %q", field, lang, got, want)
			}
		}
	}
	if after := e.store.count(); after != before {
		t.Errorf("amounts out of range wrote %d events", after-before)
	}
}

// A month conversion typed as a decimal (4,333) is shown back as that
// decimal in the page's language, never as a fraction of thousandths (as
// is a fraction with a short decimal, 1461/48 = 30,4375); one without
// (52/12) stays the fraction typed.
func TestMonthConversionsShownAsTyped(t *testing.T) {
	ce := newCatalogueEnv(t)
	path, page := ce.newDraft()
	location(t, ce.post(path+"/settings", url.Values{"weeks_per_month": {"4,333"}, "days_per_month": {"1461/48"}, "expected_version": {expectedOf(t, page)}}))
	for lang, want := range map[string][2]string{"fi": {"4,333", "30,4375"}, "en": {"4.333", "30.4375"}} {
		page := ce.page(path + "?lang=" + lang)
		weeks, _ := inputValue(page, "weeks_per_month")
		days, _ := inputValue(page, "days_per_month")
		if weeks != want[0] || days != want[1] {
			t.Errorf("in %s: weeks %q, days %q, want %q and %q", lang, weeks, days, want[0], want[1])
		}
	}
	page = ce.page(path + "?lang=fi")
	location(t, ce.post(path+"/settings", url.Values{"weeks_per_month": {"52/12"}, "days_per_month": {"30,4"}, "expected_version": {expectedOf(t, page)}}))
	page = ce.page(path + "?lang=fi")
	if weeks, _ := inputValue(page, "weeks_per_month"); weeks != "52/12" {
		t.Errorf("weeks %q, want 52/12", weeks)
	}
	if days, _ := inputValue(page, "days_per_month"); days != "30,4" {
		t.Errorf("days %q, want 30,4", days)
	}
	ce.admin.do("GET", "/?lang=fi", "", nil)
}
