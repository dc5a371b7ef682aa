package admin_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"carecost/domain"
)

// dateWords writes a date as the page of lang does: 1.7.2026, 1 Jul 2026.
func dateWords(lang string, d time.Time) string {
	if lang == "en" {
		return d.Format("2 Jan 2006")
	}
	return d.Format("2.1.2006")
}

// Every date a person types has a plausible range, from 1 Jan 2000 to ten
// years after today (a decision's date to today): a date outside it, read
// right, is refused beside its field with the range in the page's
// language, never taken (the year 9999) nor called malformed (0001).
func TestTypedDatesHaveARange(t *testing.T) {
	ce := newCatalogueEnv(t)
	anna := signedIn(t, ce.signInEnv, "anna")
	ville := signedIn(t, ce.signInEnv, "ville")
	today := time.Now().In(domain.Helsinki)
	latest := time.Date(today.Year()+10, today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	tomorrow := today.AddDate(0, 0, 1).Format(time.DateOnly)
	rangeMsg := map[string]string{
		"fi": "Päivämäärän on oltava väliltä 1.1.2000–" + dateWords("fi", latest) + ".",
		"en": "The date must be from 1 Jan 2000 to " + dateWords("en", latest) + ".",
	}
	pastMsg := map[string]string{
		"fi": "Päivämäärän on oltava väliltä 1.1.2000–" + dateWords("fi", today) + ".",
		"en": "The date must be from 1 Jan 2000 to " + dateWords("en", today) + ".",
	}
	futureMsg := map[string]string{
		"fi": "Päivämäärä ei voi olla tulevaisuudessa: viimeistään tänään " + dateWords("fi", today) + ".",
		"en": "The date cannot be in the future: today, " + dateWords("en", today) + ", at the latest.",
	}
	check := func(what string, r response, field string, want string) {
		t.Helper()
		if r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", what, r.status)
			return
		}
		if got := fieldError(string(r.body), field); got != want {
			t.Errorf("%s: the message of %s is %q, want %q", what, field, got, want)
		}
	}

	// A new estimate, and a decided one's revision.
	for _, d := range []string{"9999-12-31", "0001-01-01", "31.12.1999", latest.AddDate(0, 0, 1).Format(time.DateOnly)} {
		for _, lang := range []string{"en", "fi"} {
			f := newEstimateForm()
			f.Set("form_key", domain.NewID())
			f.Set("pricing_date", d)
			check("a new estimate priced "+d+" in "+lang, anna.post("/estimates?lang="+lang, f), "pricing-date", rangeMsg[lang])
		}
	}
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "bathing", "own", "1", "week")
	est := "/estimates/" + id
	for _, lang := range []string{"en", "fi"} {
		check("the basis priced 9999 in "+lang, anna.post(est+"/basis?lang="+lang, url.Values{"tariff": {"phhva"}, "income_catalogue": {"statutory"},
			"pricing_date": {"9999-12-31"}, "expected_version": {anna.version(id)}}), "pricing-date", rangeMsg[lang])
		decide := url.Values{"decision_number": {"D-1"}, "decision_date": {tomorrow}, "effective_from": {"9999-01-01"},
			"not_presented_reason": {"at the meeting"}, "expected_version": {anna.version(id)}}
		r := anna.post(est+"/decide?lang="+lang, decide)
		check("a decision dated tomorrow in "+lang, r, "decision-date", futureMsg[lang])
		check("a decision in force from 9999 in "+lang, r, "effective-from", rangeMsg[lang])
		decide.Set("decision_date", "0001-01-01")
		check("a decision dated 0001 in "+lang, anna.post(est+"/decide?lang="+lang, decide), "decision-date", pastMsg[lang])
	}
	now := today.Format(time.DateOnly)
	anna.post(est+"/decide", url.Values{"decision_number": {"D-1"}, "decision_date": {now}, "effective_from": {now},
		"not_presented_reason": {"at the meeting"}, "expected_version": {anna.version(id)}}).wantStatus(t, http.StatusSeeOther)
	before := ce.store.count()
	for _, lang := range []string{"en", "fi"} {
		check("a revision priced 9999 in "+lang, anna.post(est+"/revise?lang="+lang, url.Values{"pricing_date": {"9999-01-01"},
			"expected_version": {anna.version(id)}}), "revise-pricing-date", rangeMsg[lang])
	}

	if after := ce.store.count(); after != before {
		t.Errorf("a revision priced out of range wrote %d events", after-before)
	}

	// Publishing a draft.
	path, page := ce.newDraft()
	before = ce.store.count()
	for _, lang := range []string{"en", "fi"} {
		check("publishing from 9999 in "+lang, ce.post(path+"/publish?lang="+lang, url.Values{"valid_from": {"9999-01-01"}, "reason": {"x"},
			"expected_version": {expectedOf(t, page)}}), "publish-valid_from", rangeMsg[lang])
	}
	if after := ce.store.count(); after != before {
		t.Errorf("dates out of range wrote %d events", after-before)
	}

	// The searches.
	for _, lang := range []string{"en", "fi"} {
		check("the estimates from 9999 in "+lang, anna.get("/estimates?lang="+lang+"&opened_from=9999-01-01"), "filter-opened-from", rangeMsg[lang])
		check("the decisions up to 0001 in "+lang, ville.get("/decisions?lang="+lang+"&decided_to=0001-01-01"), "filter-decided-to", rangeMsg[lang])
	}
	if r := anna.get("/estimates?opened_from=" + now + "&opened_to=" + latest.Format(time.DateOnly)); r.status != http.StatusOK {
		t.Errorf("the estimates opened from today: %d", r.status)
	}
}
