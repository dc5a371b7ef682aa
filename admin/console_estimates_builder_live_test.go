package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"testing"
)

// A line's row saves itself when one of its fields changes: the row's form
// posts on a change (its Save button stays for a browser without
// JavaScript), and the answer is the live part with the new totals read
// out, the page's earlier notice gone and no focus taken to the add row.
func TestBuilderRowSavesOnChange(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "meal-service", "own", "5", "week")
	page := anna.get("/estimates/" + id).body
	contains(t, "a line's form", page, `id="line-l1-form"`, `hx-post="/estimates/`+id+`/lines/l1"`,
		`hx-trigger="submit, change from:#line-l1-row delay:400ms"`, `id="line-l1-save"`)
	if regexp.MustCompile(`id="line-l1-service"[^>]*hx-get=`).Match(page) {
		t.Error("a line's service still asks for choices apart from saving")
	}
	r := anna.post("/estimates/"+id+"/lines/l1", url.Values{"service": {"meal-service"}, "mode": {"own"}, "quantity": {"7"},
		"frequency": {"week"}, "expected_version": {anna.version(id)}}, htmx...).wantStatus(t, http.StatusOK)
	contains(t, "the partial after a change", r.body, `<div id="builder">`, `id="builder-status" hx-swap-oob="innerHTML">Rivi muutettu. Asiakasmaksu nyt`,
		`hx-swap-oob="delete:main .notice"`, `id="line-l1-quantity"`, `value="7"`)
	lacks(t, "the partial after a change", r.body, "<html")
	if regexp.MustCompile(`id="line-service"[^>]*autofocus`).Match(r.body) {
		t.Error("after a change, the focus goes to the add row")
	}
	if ls := lines(t, e, id); len(ls) != 1 || ls[0].Quantity != 7000 {
		t.Errorf("lines %+v", ls)
	}
	// Another service in the row: its mode and period follow it.
	anna.post("/estimates/"+id+"/lines/l1", url.Values{"service": {"cleaning"}, "mode": {"own"}, "quantity": {"3"},
		"frequency": {"week"}, "expected_version": {anna.version(id)}}, htmx...).wantStatus(t, http.StatusOK)
	if ls := lines(t, e, id); len(ls) != 1 || ls[0].Service != "cleaning" || ls[0].Mode == "own" {
		t.Errorf("lines after another service %+v", ls)
	}
}

// A line that needs the household's incomes says so across its row, with
// a link to the income field, and the client's details open.
func TestBuilderRowLinksTheIncomeItNeeds(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	noIncome := newEstimateForm()
	noIncome.Del("gross_income")
	id := anna.openEstimate(noIncome)
	for _, c := range []struct{ lang, msg, link string }{
		{"fi", "Lisää bruttotulot asiakkaan tietoihin", "Avaa asiakkaan tiedot ja lisää tulot"},
		{"en", "gross", "Open the client&#39;s details and add the incomes"},
	} {
		r := anna.post("/estimates/"+id+"/lines?lang="+c.lang, url.Values{"service": {"regular-home-care"}, "mode": {"own"}, "quantity": {"20"},
			"frequency": {"month"}, "expected_version": {anna.version(id)}}).wantStatus(t, http.StatusUnprocessableEntity)
		contains(t, "a line needing the income in "+c.lang, r.body, `<tr class="row-problem" id="line-problem"><td colspan="7">`, `id="line"`, c.msg,
			`<a href="#gross-income" id="line-fix">`+c.link, `id="client-details" class="client-details" open`, `id="gross-income"`)
	}
	if n := len(lines(t, e, id)); n != 0 {
		t.Errorf("%d lines", n)
	}
}

// The other fees are explained with a line's month as the quote reckons
// it: the quantity, the units a month, the fee a unit and the fee.
func TestBuilderExplainsAMonthOfALine(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "meal-service", "own", "5", "week")
	other := section(t, anna.get("/estimates/"+id).body, `<details id="explain-other">`, `</details>`)
	contains(t, "a month of meals", []byte(other), "Ateriapalvelu: 5,00 € / ateria.",
		"5 ateriaa viikossa = 21,667 ateriaa kuukaudessa × 5,00 € = 108,33 € kuukaudessa.")
	other = section(t, anna.get("/estimates/"+id+"?lang=en").body, `<details id="explain-other">`, `</details>`)
	contains(t, "a month of meals in English", []byte(other), "5 meals a week = 21.667 meals a month × €5.00 = €108.33 a month.")
}
