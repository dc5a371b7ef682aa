package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"carecost/domain"
)

// postLive sends a row's form as htmx does and returns the answer, which
// must be that row alone with 200 (and, out of band, the versions and the
// status): no field of another row, so what is being typed there stays.
func (ce *catalogueEnv) postLive(path string, form url.Values) string {
	ce.t.Helper()
	f := url.Values{"_csrf": {ce.token}}
	for k, v := range form {
		f[k] = v
	}
	r := ce.admin.do("POST", path, "", f, htmx...).wantStatus(ce.t, http.StatusOK)
	body := string(r.body)
	noMissingKeys(ce.t, path, body)
	key := form.Get("row")
	if !strings.HasPrefix(body, `<tr id="row-`+key+`"`) || strings.Contains(body, "<html") || strings.Contains(body, `id="entries-table"`) {
		ce.t.Errorf("%s as htmx: not the row %s alone: %.200s", path, key, body)
	}
	if n := strings.Count(body, `-unit_cost"`); n > 2 {
		ce.t.Errorf("%s as htmx: the answer holds the fields of other rows (%d unit costs)", path, n)
	}
	return body
}

// A draft's row saved as htmx answers with the entries table: every row
// form with the draft's new version, the saved value, what was saved read
// out; a refused row keeps its input and its message, nothing written;
// two rows saved one after the other with the versions of the answers
// both land.
func TestConsoleDraftRowsSaveThemselves(t *testing.T) {
	ce := newCatalogueEnv(t)
	path, page := ce.newDraft()
	if !strings.Contains(page, "/static/htmx.min.js") {
		t.Error("the draft editor does not load htmx")
	}
	if !strings.Contains(page, `hx-post="`+path+`/entries" hx-trigger="submit, change from:#row-meal-service--own delay:400ms"`) {
		t.Error("the row form does not save itself on change")
	}
	for _, id := range []string{"entries", "entries-status", "entry-new-expected", "settings-expected", "publish-expected", "withdraw-expected"} {
		if !hasID(page, id) {
			t.Errorf("the editor has no %s", id)
		}
	}
	exp := expectedOf(t, page)
	row := url.Values{"row": {"meal-service--own"}, "service": {"meal-service"}, "mode": {"own"}, "unit_cost": {"kallis"},
		"rule": {"flat"}, "fee": {"6,00"}, "expected_version": {exp}}

	// Refused: the message beside the field, the input kept, nothing written.
	before := ce.store.count()
	body := ce.postLive(path+"/entries?lang=fi", row)
	if got := fieldError(body, "meal-service--own-unit_cost"); !strings.Contains(got, "Kirjoita euromäärä") {
		t.Errorf("the refused row's message: %q", got)
	}
	if v, _ := inputValue(body, "meal-service--own-unit_cost"); v != "kallis" {
		t.Errorf("the typed value was not kept: %q", v)
	}
	if !strings.Contains(body, "Ateriapalvelu, oma tuotanto: hintaa ei tallennettu.") {
		t.Error("the refusal is not read out")
	}
	if after := ce.store.count(); after != before {
		t.Errorf("a refused row wrote %d events", after-before)
	}
	body = ce.postLive(path+"/entries?lang=en", inEnglish(row))
	if got := fieldError(body, "meal-service--own-unit_cost"); !strings.Contains(got, "Enter an amount of euros") {
		t.Errorf("the refused row's message in English: %q", got)
	}
	ce.admin.do("GET", "/?lang=fi", "", nil)

	// Saved: the new version in every row form and in the other forms.
	row.Set("unit_cost", "10,45")
	body = ce.postLive(path+"/entries", row)
	if v, _ := inputValue(body, "meal-service--own-unit_cost"); v != "10,45" {
		t.Errorf("the saved value reads %q", v)
	}
	if !strings.Contains(body, `id="entries-status" class="hint" role="status" aria-live="polite" hx-swap-oob="true">Ateriapalvelu, oma tuotanto: hinta tallennettiin luonnokseen.`) {
		t.Error("what was saved is not read out")
	}
	next := expectedOf(t, body)
	if next == exp {
		t.Fatalf("the answer carries the old version %s", exp)
	}
	if n, all := strings.Count(body, `name="expected_version" value="`+next+`"`), strings.Count(body, `name="expected_version"`); n != all || n < 6 {
		t.Errorf("%d of %d version fields carry the new version %s", n, all, next)
	}
	e, _ := versionIn(ce.tariff("phhva"), 4).Entry("meal-service", "own")
	if e.UnitCost != 1045 {
		t.Errorf("unit cost %d", e.UnitCost)
	}

	// Another row with the version of the answer, then the first again.
	other := ""
	for _, en := range versionIn(ce.tariff("phhva"), 4).Entries {
		if en.Service != "meal-service" && en.Rule == domain.RuleFlat && en.Fee != nil {
			other = en.Service + "--" + string(en.Mode)
			row2 := url.Values{"row": {other}, "service": {en.Service}, "mode": {string(en.Mode)}, "unit_cost": {"77,00"},
				"rule": {"flat"}, "fee": {"1,00"}, "expected_version": {next}}
			body = ce.postLive(path+"/entries", row2)
			break
		}
	}
	if other == "" {
		t.Fatal("the draft has no second flat entry")
	}
	row.Set("unit_cost", "11,00")
	row.Set("expected_version", expectedOf(t, body))
	body = ce.postLive(path+"/entries", row)
	if got := fieldError(body, "meal-service--own-unit_cost"); got != "" {
		t.Errorf("the second save was refused: %s", got)
	}
	v := versionIn(ce.tariff("phhva"), 4)
	meal, _ := v.Entry("meal-service", "own")
	service, mode, _ := strings.Cut(other, "--")
	second, _ := v.Entry(service, domain.Mode(mode))
	if meal.UnitCost != 1100 || second.UnitCost != 7700 {
		t.Errorf("both saves did not land: %d, %d", meal.UnitCost, second.UnitCost)
	}

	// Stale: refused with the conflict beside the row, nothing written.
	before = ce.store.count()
	row.Set("expected_version", exp)
	body = ce.postLive(path+"/entries", row)
	if !strings.Contains(body, "Tätä muutettiin sillä välin") {
		t.Error("a stale row does not say so")
	}
	if after := ce.store.count(); after != before {
		t.Errorf("a stale row wrote %d events", after-before)
	}

	// Without the script: 303 as before.
	row.Set("expected_version", expectedOf(t, ce.page(path)))
	if loc := location(t, ce.post(path+"/entries", row)); loc != path+"#row-meal-service--own" {
		t.Errorf("Location %q", loc)
	}
}
