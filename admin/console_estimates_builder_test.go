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

// lines returns the estimate's lines as the aggregate holds them.
func lines(t *testing.T, e *signInEnv, id string) []domain.Line {
	t.Helper()
	est, err := e.cmds.Estimate(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return est.Lines()
}

// The builder adds a line from one row: a plain form redirects (303) to
// the builder, an htmx request gets the builder's live part with the new
// totals and the focus on the next line's service; the main controls have
// stable ids.
func TestBuilderAddsALineFromOneRow(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	page := anna.get("/estimates/"+id).wantStatus(t, http.StatusOK).body
	contains(t, "the builder", page, `<script src="/static/htmx.min.js" defer>`, `/static/estimates.css`,
		`id="line-service"`, `id="line-mode"`, `id="line-quantity"`, `id="line-frequency"`, `id="line-add"`, `id="line-form"`,
		`id="total-client">0,00`, `id="total-county">0,00`, `id="print-link"`, `id="present-needs-lines"`, `id="estimate-decide"`,
		`id="decision-number"`, `id="decision-date"`, `id="effective-from"`, `id="estimate-cancel"`, `id="client-details"`,
		`hx-post="/estimates/`+id+`/lines"`, `hx-get="/estimates/`+id+`/choices"`, `id="lines-empty"`)
	if !regexp.MustCompile(`id="line-service"[^>]*autofocus`).Match(page) {
		t.Error("after opening, the focus is not on the first line's service")
	}

	anna.addLine(id, "regular-home-care", "own", "20", "month")
	if ls := lines(t, e, id); len(ls) != 1 || ls[0].Service != "regular-home-care" || ls[0].Quantity != 20000 || ls[0].Frequency != "month" {
		t.Fatalf("lines %+v", ls)
	}
	page = anna.get("/estimates/" + id).body
	contains(t, "the builder after a line", page, `id="total-client">298,22`, "Palvelu lisätty.", `id="line-l1-service"`, `id="line-l1-save"`, `id="line-l1-remove"`, `id="estimate-present"`)

	// The same row through htmx: the live part, not a page.
	r := anna.post("/estimates/"+id+"/lines", url.Values{"service": {"meal-service"}, "mode": {"own"}, "quantity": {"5"},
		"frequency": {"week"}, "expected_version": {anna.version(id)}}, htmx...).wantStatus(t, http.StatusOK)
	lacks(t, "the partial", r.body, "<html", `id="builder-status" class=`)
	contains(t, "the partial", r.body, `<div id="builder">`, `id="total-client">406,55`, `id="total-county">1 045,78`,
		`id="builder-status" hx-swap-oob="innerHTML">Palvelu lisätty. Asiakasmaksu nyt 406,55`, `id="line-l2-service"`)
	if !regexp.MustCompile(`id="line-service"[^>]*autofocus`).Match(r.body) {
		t.Error("after adding, the focus is not on the next line's service")
	}
	if n := len(lines(t, e, id)); n != 2 {
		t.Errorf("%d lines", n)
	}
}

// A row that does not fit is the builder again with the message beside the
// field, in fi and in en, the row as typed, nothing written; through htmx
// the live part says so. A form without its CSRF token is refused.
func TestBuilderRefusesABadRow(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	v := anna.version(id)
	before := e.store.count()
	for _, c := range []struct {
		row                url.Values
		field, fi, en      string
		status             int
		headers            []string
		keepsTyped, partOf string
	}{
		{row: url.Values{"service": {"cleaning"}, "mode": {"own"}, "quantity": {"4"}, "frequency": {"month"}}, field: "line-mode",
			fi: "Siivouspalvelu ei ole saatavilla tällä tuotantotavalla. Valitse jokin näistä: ostopalvelu, palveluseteli.",
			en: "Cleaning is not available in this mode. Choose one of: purchased service, service voucher."},
		{row: url.Values{"service": {"bathing"}, "mode": {"own"}, "quantity": {"paljon"}, "frequency": {"week"}}, field: "line-quantity",
			fi: "Kirjoita määrä väliltä 0,001–100 000, esimerkiksi 2 tai 1,5.", en: "Enter a quantity from 0.001 to 100,000, for example 2 or 1.5.", keepsTyped: `value="paljon"`},
		{row: url.Values{"service": {"safety-phone"}, "mode": {"own"}, "quantity": {"1"}, "frequency": {"day"}}, field: "line-frequency",
			fi: "Valitse palvelulle Turvapuhelin jokin näistä jaksoista: kuukaudessa, kertaluonteisesti.", en: "For Safety phone choose one of these periods: a month, once."},
		{row: url.Values{"service": {"regular-home-care"}, "mode": {"own"}, "quantity": {"20"}, "frequency": {"one_off"}}, field: "line-frequency",
			fi: "jokin näistä jaksoista: päivässä, viikossa, kuukaudessa.", en: "choose one of these periods: a day, a week, a month."},
		{row: url.Values{"service": {"meal-service"}, "mode": {"own"}, "quantity": {"5"}, "frequency": {"week"}, "provider_price": {"11"}}, field: "line-provider-price",
			fi: "Palveluntuottajan hinta annetaan vain palvelusetelille.", en: "A provider&#39;s price is only for a service voucher."},
		{row: url.Values{"service": {""}, "mode": {"own"}, "quantity": {"5"}, "frequency": {"week"}}, field: "line-service",
			fi: "Valitse palvelu.", en: "Choose a service."},
		{row: url.Values{"service": {"bathing"}, "mode": {"own"}, "quantity": {"0"}, "frequency": {"week"}}, field: "line-quantity",
			fi: "väliltä 0,001–100 000", en: "from 0.001 to 100,000", headers: htmx, status: http.StatusOK},
		{row: url.Values{"service": {"bathing"}, "mode": {"own"}, "quantity": {"100000.001"}, "frequency": {"week"}}, field: "line-quantity",
			fi: "Kirjoita määrä väliltä 0,001–100 000", en: "Enter a quantity from 0.001 to 100,000"},
		{row: url.Values{"service": {"meal-service"}, "mode": {"voucher"}, "quantity": {"5"}, "frequency": {"week"}, "provider_price": {"100000.01"}},
			field: "line-provider-price", fi: "Kirjoita euromäärä väliltä 0,00 €–100 000,00 €.", en: "Enter an amount from €0.00 to €100,000.00."},
	} {
		c.row.Set("expected_version", v)
		want := c.status
		if want == 0 {
			want = http.StatusUnprocessableEntity
		}
		for _, lang := range []string{"en", "fi"} {
			r := anna.post("/estimates/"+id+"/lines?lang="+lang, c.row, c.headers...).wantStatus(t, want)
			msg := c.fi
			if lang == "en" {
				msg = c.en
			}
			contains(t, c.field+" in "+lang, r.body, msg, `id="`+c.field+`-error"`, `href="#`+c.field+`"`, c.keepsTyped)
		}
	}
	// The first field in error takes the focus.
	r := anna.post("/estimates/"+id+"/lines", url.Values{"service": {"bathing"}, "mode": {"own"}, "quantity": {"-1"}, "frequency": {"week"},
		"expected_version": {v}}, htmx...).wantStatus(t, http.StatusOK)
	if !regexp.MustCompile(`id="line-quantity"[^>]*autofocus`).Match(r.body) || regexp.MustCompile(`id="line-service"[^>]*autofocus`).Match(r.body) {
		t.Error("the focus is not on the quantity in error")
	}
	if after := e.store.count(); after != before {
		t.Errorf("refused rows wrote %d events", after-before)
	}
	// Home care on an estimate without the household's gross income: the
	// domain's refusal, on the row, saying what to add.
	noIncome := newEstimateForm()
	noIncome.Del("gross_income")
	other := anna.openEstimate(noIncome)
	before = e.store.count()
	r = anna.post("/estimates/"+other+"/lines", url.Values{"service": {"regular-home-care"}, "mode": {"own"}, "quantity": {"20"},
		"frequency": {"month"}, "expected_version": {anna.version(other)}}).wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "a line needing the income", r.body, `id="line"`, "Lisää bruttotulot asiakkaan tietoihin")
	// No CSRF token: refused.
	anna.do("POST", "/estimates/"+id+"/lines", "", url.Values{"service": {"bathing"}, "mode": {"own"}, "quantity": {"1"},
		"frequency": {"week"}}).wantStatus(t, http.StatusForbidden)
	if after := e.store.count(); after != before {
		t.Errorf("refused rows wrote %d events", after-before)
	}
}

// A line changes and goes from its own row; a form rendered from an older
// version is a conflict (409) saying so, never an overwrite.
func TestBuilderChangesAndRemovesLines(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "regular-home-care", "own", "20", "month")
	anna.addLine(id, "meal-service", "own", "5", "week")
	stale := anna.version(id)
	anna.post("/estimates/"+id+"/lines/l2", url.Values{"service": {"meal-service"}, "mode": {"purchased"}, "quantity": {"7"},
		"frequency": {"week"}, "expected_version": {stale}}).wantStatus(t, http.StatusSeeOther)
	ls := lines(t, e, id)
	if len(ls) != 2 || ls[1].Mode != "purchased" || ls[1].Quantity != 7000 {
		t.Fatalf("changed lines %+v", ls)
	}
	before := e.store.count()
	r := anna.post("/estimates/"+id+"/lines/l2/remove", url.Values{"expected_version": {stale}}).wantStatus(t, http.StatusConflict)
	contains(t, "a stale form", r.body, "Arviota muutettiin sillä välin")
	r = anna.post("/estimates/"+id+"/lines/l1?lang=en", url.Values{"service": {"regular-home-care"}, "mode": {"own"}, "quantity": {"30"},
		"frequency": {"month"}, "expected_version": {stale}}).wantStatus(t, http.StatusConflict)
	contains(t, "a stale form in English", r.body, "The estimate was changed meanwhile")
	anna.get("/estimates?lang=fi")
	r = anna.post("/estimates/"+id+"/lines/l1", url.Values{"service": {"regular-home-care"}, "mode": {"own"}, "quantity": {"x"},
		"frequency": {"month"}, "expected_version": {anna.version(id)}}).wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "a bad change", r.body, `id="line-l1-quantity-error"`, `value="x"`)
	if after := e.store.count(); after != before {
		t.Errorf("refused forms wrote %d events", after-before)
	}
	r = anna.post("/estimates/"+id+"/lines/l2/remove", url.Values{"expected_version": {anna.version(id)}}, htmx...).wantStatus(t, http.StatusOK)
	contains(t, "the partial after removing", r.body, "Rivi poistettu.", `id="total-client">298,22`)
	lacks(t, "the partial after removing", r.body, `id="line-l2-service"`)
	if ls := lines(t, e, id); len(ls) != 1 || ls[0].ID != "l1" {
		t.Errorf("lines after removing %+v", ls)
	}
	anna.post("/estimates/"+id+"/lines/l9", url.Values{"service": {"bathing"}, "mode": {"own"}, "quantity": {"1"}, "frequency": {"week"},
		"expected_version": {anna.version(id)}}).wantStatus(t, http.StatusNotFound)
	anna.do("POST", "/estimates/"+id+"/lines/l1/remove", "", url.Values{"expected_version": {anna.version(id)}}).wantStatus(t, http.StatusForbidden)
}

// When the service changes, its modes (as the tariff prices them), its unit
// and the periods that fit it come back, to swap in beside the quantity
// being typed (which the answer leaves alone).
func TestBuilderRowFollowsTheService(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	page := anna.get("/estimates/" + id).body
	contains(t, "the add row", page, `hx-target="#line-mode-field"`, `hx-sync="this:replace"`, `hx-include="closest tr"`, `hx-vals='{"row": "new"}'`,
		`<div class="choice" id="line-mode-field">`, `<div class="choice" id="line-frequency-field">`, `<span class="unit" id="line-unit"></span>`)
	r := anna.get("/estimates/"+id+"/choices?row=new&service=cleaning&mode=own&quantity=3&frequency=week", htmx...).wantStatus(t, http.StatusOK)
	contains(t, "cleaning's choices", r.body, `<div class="choice" id="line-mode-field">`, `<option value="purchased" selected>`, `<option value="voucher">`,
		`<span class="unit" id="line-unit" hx-swap-oob="true">tuntia</span>`, `<div class="choice" id="line-frequency-field" hx-swap-oob="true">`,
		`<option value="month" selected>`)
	lacks(t, "cleaning's choices", r.body, `<option value="own"`, "<html", `id="line-quantity"`, `id="line-service"`)
	r = anna.get("/estimates/"+id+"/choices?row=new&service=safety-phone&lang=en", htmx...).wantStatus(t, http.StatusOK)
	contains(t, "the safety phone's choices", r.body, `id="line-unit" hx-swap-oob="true">months<`, `<option value="month" selected>a month`, `<option value="one_off">once`)
	lacks(t, "the safety phone's choices", r.body, `<option value="day"`, `<option value="week"`)
	r = anna.get("/estimates/"+id+"/choices?row=new&service=regular-home-care&mode=own&lang=fi", htmx...).wantStatus(t, http.StatusOK)
	lacks(t, "home care's choices", r.body, `<option value="one_off"`)
	anna.addLine(id, "bathing", "own", "1", "week")
	r = anna.get("/estimates/"+id+"/choices?row=l1&service=errands&mode=purchased&quantity=2&frequency=week", htmx...).wantStatus(t, http.StatusOK)
	contains(t, "line 1's choices", r.body, `id="line-l1-mode-field"`, `<option value="purchased" selected>`, `<option value="week" selected>`,
		`id="line-l1-unit" hx-swap-oob="true">käyntiä<`)
	anna.get("/estimates/"+id+"/choices?row=l7&service=errands", htmx...).wantStatus(t, http.StatusNotFound)
}

// Eligibility hints show beside their line in the person's language, never
// the domain's English text.
func TestBuilderShowsHintsInTheLanguage(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	form := newEstimateForm()
	form.Set("maple", "1")
	form.Set("gross_income", "2500")
	id := anna.openEstimate(form)
	anna.addLine(id, "meal-service", "own", "5", "week")
	anna.addLine(id, "safety-phone", "own", "1", "month")
	page := anna.get("/estimates/" + id).body
	contains(t, "the hints in Finnish", page, "Myönnetään yleensä MAPLe-tasosta 2 alkaen; asiakkaan taso on 1.",
		"Myönnetään yleensä, kun talouden bruttotulot ovat enintään 2 198,00 € kuukaudessa; talouden tulot ovat 2 500,00 €.")
	lacks(t, "the hints in Finnish", page, "usually granted")
	page = anna.get("/estimates/" + id + "?lang=en").body
	contains(t, "the hints in English", page, "Usually granted from MAPLe 2; the client is MAPLe 1.",
		"Usually granted up to a household gross income of €2,198.00 a month; the household has €2,500.00.")
	lacks(t, "the hints in English", page, "usually granted from")
}

// The home-care and housing fees are explained one click away, in words,
// with the income counted, the limit, the percentage and the result; a bar
// chart of client fee against county cost by service has the same
// figures as a table beside it.
func TestBuilderExplainsTheFees(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "regular-home-care", "own", "20", "month")
	anna.addLine(id, "meal-service", "own", "5", "week")
	page := anna.get("/estimates/" + id).body
	home := section(t, page, `<details id="explain-home-care">`, `</details>`)
	contains(t, "the home-care explanation", []byte(text([]byte(home))), "Talouden bruttotulot ovat 1 800,00 € kuukaudessa. Talouden koko on 1 hlö, ja sen tuloraja on 653,00 €.",
		"tulorajan ylittävästä osasta: 1 147,00 €", "Kotihoitoa annetaan 20 tuntia kuukaudessa.", "26 % × 1 147,00 € = 298,22 €", "Kotihoidon maksu on 298,22 € kuukaudessa.")
	contains(t, "the other fees", page, `<details id="explain-other">`, "Ateriapalvelu: 5,00 € / ateria.")
	chart := section(t, page, `<svg class="chart" id="estimate-chart"`, `</svg>`)
	if strings.Count(chart, `class="bar-client"`) != 2 || strings.Count(chart, `class="bar-county"`) != 2 || !strings.Contains(chart, `aria-hidden="true"`) {
		t.Errorf("the chart:\n%s", chart)
	}
	contains(t, "the chart's table", page, `<table class="chart-table" id="chart-table">`, `<th scope="row">Säännöllinen kotihoito</th><td class="num">298,22 €</td><td class="num">941,78 €</td>`)

	housing := newEstimateForm()
	housing.Set("deduction_kind_0", "housing")
	housing.Set("deduction_amount_0", "600")
	housing.Set("deduction_kind_1", "medicines")
	housing.Set("deduction_amount_1", "50")
	hid := anna.openEstimate(housing)
	anna.addLine(hid, "housing-24h", "own", "1", "day")
	page = anna.get("/estimates/" + hid).body
	explained := text([]byte(section(t, page, `<details id="explain-housing">`, `</details>`)))
	contains(t, "the housing explanation", []byte(explained), "Asiakkaan nettotulot ovat 1 500,00 € kuukaudessa ja vähennykset",
		"650,00 €", "Maksun perusteeksi jää 850,00 €.", "Maksu on 85 % summasta 850,00 €: 722,50 €.",
		"käyttövaraa vähintään 182,00 € kuukaudessa, joten maksu on enintään 668,00 €.", "Palveluasumisen maksu on 668,00 € kuukaudessa.")
	page = anna.get("/estimates/" + hid + "?lang=en").body
	contains(t, "the housing explanation in English", page, "The service housing fee is €668.00 a month.")
}

// section returns the part of page from start to the first end after it.
func section(t *testing.T, page []byte, start, end string) string {
	t.Helper()
	s := string(page)
	i := strings.Index(s, start)
	if i < 0 {
		t.Fatalf("no %s in the page", start)
	}
	j := strings.Index(s[i:], end)
	if j < 0 {
		t.Fatalf("no %s after %s", end, start)
	}
	return s[i : i+j+len(end)]
}
