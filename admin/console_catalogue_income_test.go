package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

func (ce *catalogueEnv) income(id string) projections.IncomeCatalogueView {
	ce.t.Helper()
	ic, err := ce.reads.IncomeCatalogue(context.Background(), id)
	if err != nil {
		ce.t.Fatal(err)
	}
	return ic
}

func incomeVersionIn(ic projections.IncomeCatalogueView, n int) domain.IncomeVersion {
	for _, v := range ic.Versions {
		if v.Number == n {
			return v
		}
	}
	return domain.IncomeVersion{}
}

var formInputRE = regexp.MustCompile(`<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"`)

// tableForm returns the values of the income table form on a page.
func tableForm(body string) url.Values {
	i := strings.Index(body, `id="income-table-form"`)
	j := strings.Index(body[i:], "</form>")
	form := url.Values{}
	for _, m := range formInputRE.FindAllStringSubmatch(body[i:i+j], -1) {
		if m[1] != "_csrf" {
			form.Set(m[1], m[2])
		}
	}
	if m := regexp.MustCompile(`(?s)<textarea id="note" name="note"[^>]*>(.*?)</textarea>`).FindStringSubmatch(body[i : i+j]); m != nil {
		form.Set("note", m[1])
	}
	return form
}

// An income-limit catalogue is created; a draft copies a version; its
// table is edited, a household size added, and the draft published.
func TestConsoleIncome(t *testing.T) {
	ce := newCatalogueEnv(t)
	list := ce.page("/income-catalogues?lang=fi")
	if !strings.Contains(list, "Lakisääteiset tulorajat") {
		t.Fatal("the list lacks the demo catalogue")
	}
	ce.refusedWithoutCSRF("/income-catalogues", url.Values{"id": {"oma"}, "name": {"Oma"}})
	ce.postBoth("/income-catalogues", url.Values{"id": {"statutory"}, "name": {"Toinen"}}, "id", "Tällä tunnisteella on jo taulukko.", "A catalogue has this id already.")
	if loc := location(t, ce.post("/income-catalogues", url.Values{"id": {"oma"}, "name": {"Alueen tulorajat"}})); loc != "/income-catalogues/oma" {
		t.Fatalf("Location %q", loc)
	}

	page := ce.page("/income-catalogues/statutory")
	exp := expectedOf(t, page)
	ce.refusedWithoutCSRF("/income-catalogues/statutory/drafts", url.Values{"source": {"copy-4"}, "expected_version": {exp}})
	ce.postBoth("/income-catalogues/statutory/drafts", url.Values{"source": {"nothing"}, "expected_version": {exp}}, "draft-source",
		"Valitse jokin vaihtoehdoista.", "Choose one of the options.")
	path := location(t, ce.post("/income-catalogues/statutory/drafts", url.Values{"source": {"copy-4"}, "expected_version": {exp}}))
	if path != "/income-catalogues/statutory/versions/5" {
		t.Fatalf("Location %q", path)
	}
	page = ce.page(path + "?lang=fi")
	for _, id := range []string{"income-table-form", "limit-0", "limit-6", "hours-0", "pct-0-0", "pct-open-0", "kayttovara", "note",
		"income-table-save", "publish-form", "publish-valid_from", "publish-reason", "publish-submit", "withdraw-draft"} {
		if !hasID(page, id) {
			t.Errorf("the table editor has no %s", id)
		}
	}
	form := tableForm(page)
	if form.Get("limit-0") != "699,00" || form.Get("pct-1-1") != "8,75" || form.Get("limit-6") != "" {
		t.Fatalf("the form holds %v", form)
	}
	form.Set("limit-0", "720,00")
	form.Set("limit-6", "3 900,00") // a seventh household size
	form.Set("note", "Indeksitarkistus 2027")
	ce.refusedWithoutCSRF(path, form)

	bad := url.Values{}
	for k, v := range form {
		bad[k] = v
	}
	bad.Set("limit-2", "paljon")
	ce.postBoth(path, bad, "limit-2", "Kirjoita euromäärä", "Enter an amount of euros")
	r := ce.post(path+"?lang=fi", bad)
	if v, _ := inputValue(string(r.body), "limit-2"); v != "paljon" {
		t.Errorf("the typed limit was not kept: %q", v)
	}
	if got := summary(string(r.body)); !strings.Contains(got, "Tuloraja, talouden koko 3 hlö: Kirjoita euromäärä") {
		t.Errorf("the error summary does not name the field: %s", got)
	}
	bad.Set("limit-2", "100") // the same in either language
	ce.postBoth(path, bad, "limit-2", "Suuremman talouden tuloraja ei voi olla pienempi", "A larger household's limit cannot be below")
	bad.Set("limit-2", "2 025,00")
	bad.Set("pct-0-1", "120")
	ce.postBoth(path, bad, "pct-0-1", "Kirjoita prosentti väliltä 0–100", "Enter a percentage from 0 to 100")
	bad.Set("pct-0-1", "7")
	bad.Set("pct-0-3", "")
	ce.postBoth(path, bad, "pct-0-3", "Täytä tämä kenttä.", "Fill in this field.")

	if loc := location(t, ce.post(path, form)); loc != path {
		t.Fatalf("Location %q", loc)
	}
	v := incomeVersionIn(ce.income("statutory"), 5)
	if len(v.Table.Limits) != 7 || v.Table.Limits[0] != 72000 || v.Table.Limits[6] != 390000 || v.Note != "Indeksitarkistus 2027" {
		t.Errorf("the table %+v, note %q", v.Table.Limits, v.Note)
	}
	if got, want := len(v.Table.Percentages), len(incomeVersionIn(ce.income("statutory"), 4).Table.Percentages); got != want {
		t.Errorf("%d hours rows, want %d", got, want)
	}
	ce.postStale(path, form)

	page = ce.page(path)
	exp = expectedOf(t, page)
	pub := url.Values{"valid_from": {futureDate()}, "reason": {"Indeksitarkistus 2027"}, "expected_version": {exp}}
	ce.refusedWithoutCSRF(path+"/publish", pub)
	ce.postBoth(path+"/publish", url.Values{"valid_from": {"2024-01-01"}, "reason": {"x"}, "expected_version": {exp}}, "publish-valid_from",
		"Versio 3 on jo julkaistu tästä päivästä alkaen.", "Version 3 is already published from this date.")
	if loc := location(t, ce.post(path+"/publish", pub)); loc != "/income-catalogues/statutory" {
		t.Fatalf("Location %q", loc)
	}
	if v := incomeVersionIn(ce.income("statutory"), 5); v.Status != domain.StatusPublished || v.ValidFrom.String() != futureDate() {
		t.Errorf("published %+v", v.VersionInfo)
	}
	page = ce.page(path + "?lang=fi")
	if hasID(page, "income-table-form") || !strings.Contains(page, "3\u00a0900,00\u00a0€") {
		t.Error("a published table is not shown read-only")
	}
}

// An hours row is added in the blank row and sorted into place; a draft
// is withdrawn; a past valid-from asks for a confirmation.
func TestConsoleIncomeRowsAndConfirmation(t *testing.T) {
	ce := newCatalogueEnv(t)
	touched := ce.decide("2026-05-05", "T-1")
	page := ce.page("/income-catalogues/statutory")
	path := location(t, ce.post("/income-catalogues/statutory/drafts", url.Values{"source": {"correct-4"}, "expected_version": {expectedOf(t, page)}}))
	page = ce.page(path)
	form := tableForm(page)
	rows, _ := strconv.Atoi(form.Get("rows"))
	n := len(incomeVersionIn(ce.income("statutory"), 5).Table.Percentages)
	// The blank row is the form's last numbered one.
	blank := strconv.Itoa(rows - 1)
	if form.Get("hours-"+blank) != "" {
		t.Fatalf("the form's last hours row is not blank: %v", form.Get("hours-"+blank))
	}
	form.Set("hours-"+blank, "0")
	for i := range 6 {
		form.Set("pct-"+blank+"-"+strconv.Itoa(i), "5")
	}
	location(t, ce.post(path, form))
	v := incomeVersionIn(ce.income("statutory"), 5)
	if len(v.Table.Percentages) != n+1 || *v.Table.Percentages[0].MaxHours != 0 || v.Table.Percentages[0].ByHousehold[0] != 500 {
		t.Errorf("the new row is not sorted first: %d rows, first %+v", len(v.Table.Percentages), v.Table.Percentages[0])
	}

	page = ce.page(path)
	pub := url.Values{"valid_from": {"2026-01-01"}, "reason": {"Korjaus"}, "expected_version": {expectedOf(t, page)}}
	body := string(ce.post(path+"/publish?lang=fi", pub).wantStatus(t, http.StatusOK).body)
	if !hasID(body, "touched-"+touched) || !hasID(body, "publish-confirm") {
		t.Error("the confirmation does not list the decision priced with the table")
	}
	if incomeVersionIn(ce.income("statutory"), 5).Status != domain.StatusDraft {
		t.Fatal("asking for a confirmation published")
	}

	w := url.Values{"expected_version": {expectedOf(t, page)}}
	ce.refusedWithoutCSRF(path+"/withdraw", w)
	if loc := location(t, ce.post(path+"/withdraw", w)); loc != "/income-catalogues/statutory" {
		t.Fatalf("Location %q", loc)
	}
	if v := incomeVersionIn(ce.income("statutory"), 5); v.Status != domain.StatusWithdrawn {
		t.Errorf("status %s", v.Status)
	}
	pub.Set("confirm", "yes")
	ce.postStale(path+"/publish", pub)
}
