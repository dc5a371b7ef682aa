package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

func (ce *catalogueEnv) tariff(id string) projections.TariffView {
	ce.t.Helper()
	t, err := ce.reads.Tariff(context.Background(), id)
	if err != nil {
		ce.t.Fatal(err)
	}
	return t
}

func versionIn(t projections.TariffView, n int) domain.TariffVersion {
	for _, v := range t.Versions {
		if v.Number == n {
			return v
		}
	}
	return domain.TariffVersion{}
}

// A tariff is created from the list's form.
func TestConsoleTariffCreate(t *testing.T) {
	ce := newCatalogueEnv(t)
	form := url.Values{"id": {"kotihoito-2027"}, "name": {"Kotihoidon hinnasto 2027"}, "weeks_per_month": {"4,345"}}
	ce.refusedWithoutCSRF("/tariffs", form)
	ce.postBoth("/tariffs", url.Values{"id": {"x"}, "name": {""}}, "name", "Täytä tämä kenttä.", "Fill in this field.")
	ce.postBoth("/tariffs", url.Values{"id": {"phhva"}, "name": {"Toinen"}}, "id", "Tällä tunnisteella on jo hinnasto.", "A tariff has this id already.")
	ce.postBoth("/tariffs", url.Values{"id": {"k"}, "name": {"K"}, "days_per_month": {"40"}}, "days_per_month", "Arvon pitää olla välillä 28–31.", "The value must be between 28 and 31.")
	ce.postBoth("/tariffs", url.Values{"id": {"k"}, "name": {"K"}, "weeks_per_month": {"viisi"}}, "weeks_per_month", "Kirjoita luku tai murtoluku", "Enter a number or a fraction")
	if loc := location(t, ce.post("/tariffs", form)); loc != "/tariffs/kotihoito-2027" {
		t.Fatalf("Location %q", loc)
	}
	tv := ce.tariff("kotihoito-2027")
	if tv.Name != "Kotihoidon hinnasto 2027" || tv.WeeksPerMonth.String() != "869/200" {
		t.Errorf("tariff %+v", tv)
	}
	page := ce.page("/tariffs/kotihoito-2027?lang=fi")
	if !strings.Contains(page, "Versioita ei ole vielä. Tee ensimmäinen luonnos") {
		t.Error("an empty timeline does not say what to do first")
	}
}

// A draft is created as a copy, a correction or empty; it opens in the
// editor.
func TestConsoleDraftCreate(t *testing.T) {
	ce := newCatalogueEnv(t)
	page := ce.page("/tariffs/phhva?lang=fi")
	expected := expectedOf(t, page)
	ce.refusedWithoutCSRF("/tariffs/phhva/drafts", url.Values{"source": {"copy-3"}, "expected_version": {expected}})
	ce.postBoth("/tariffs/phhva/drafts", url.Values{"source": {"copy-9"}, "expected_version": {expected}}, "draft-source",
		"Valitse jokin vaihtoehdoista.", "Choose one of the options.")
	ce.postBoth("/tariffs/phhva/drafts", url.Values{"source": {"correct-2"}, "expected_version": {expected}}, "draft-source",
		"Valitse jokin vaihtoehdoista.", "Choose one of the options.") // 2 was corrected by 3
	if loc := location(t, ce.post("/tariffs/phhva/drafts", url.Values{"source": {"copy-3"}, "note": {"Hinnasto 2027"}, "expected_version": {expected}})); loc != "/tariffs/phhva/versions/4" {
		t.Fatalf("Location %q", loc)
	}
	v := versionIn(ce.tariff("phhva"), 4)
	if v.Status != domain.StatusDraft || v.Note != "Hinnasto 2027" || len(v.Entries) != 28 {
		t.Errorf("draft %+v", v.VersionInfo)
	}
	// The same form again: the tariff changed since it was rendered.
	ce.postStale("/tariffs/phhva/drafts", url.Values{"source": {"empty"}, "expected_version": {expected}})
	page = ce.page("/tariffs/phhva?lang=fi")
	if loc := location(t, ce.post("/tariffs/phhva/drafts", url.Values{"source": {"correct-3"}, "expected_version": {expectedOf(t, page)}})); loc != "/tariffs/phhva/versions/5" {
		t.Fatalf("Location %q", loc)
	}
	if v := versionIn(ce.tariff("phhva"), 5); v.Corrects != 3 {
		t.Errorf("the correction corrects %d", v.Corrects)
	}
	timeline := ce.page("/tariffs/phhva?lang=fi")
	for _, want := range []string{`id="version-5"`, "korjaus versioon 3", "luonnos"} {
		if !strings.Contains(timeline, want) {
			t.Errorf("the timeline lacks %q", want)
		}
	}
}

// newDraft makes a draft copying version 3 and returns the editor's page.
func (ce *catalogueEnv) newDraft() (string, string) {
	ce.t.Helper()
	page := ce.page("/tariffs/phhva")
	loc := location(ce.t, ce.post("/tariffs/phhva/drafts", url.Values{"source": {"copy-3"}, "expected_version": {expectedOf(ce.t, page)}}))
	return loc, ce.page(loc + "?lang=fi")
}

// The draft editor: each row is saved and checked on its own; a new entry
// is added, an entry removed.
func TestConsoleDraftEditor(t *testing.T) {
	ce := newCatalogueEnv(t)
	path, page := ce.newDraft()
	for _, id := range []string{"entries-table", "meal-service--own-unit_cost", "meal-service--own-rule", "meal-service--own-fee",
		"entry-form-meal-service--own", "entry-save-meal-service--own", "entry-remove-meal-service--own", "entry-form-new",
		"new-service", "new-mode", "new-unit_cost", "entry-save-new", "settings-form", "publish-form", "publish-valid_from",
		"publish-reason", "publish-submit", "withdraw-draft", "diff-link"} {
		if !hasID(page, id) {
			t.Errorf("the editor has no %s", id)
		}
	}
	if v, _ := inputValue(page, "meal-service--own-unit_cost"); v != "10,20" {
		t.Errorf("unit cost shown as %q", v)
	}
	if !strings.Contains(page, `href="/tariffs/phhva/diff?from=3&amp;to=4" class="button secondary" id="diff-link"`) {
		t.Error("the diff link does not compare with the version in effect")
	}
	exp := expectedOf(t, page)
	row := url.Values{"row": {"meal-service--own"}, "service": {"meal-service"}, "mode": {"own"}, "unit_cost": {"10,45"},
		"rule": {"flat"}, "fee": {"6,00"}, "tiers": {"1: 2"}, "expected_version": {exp}}
	ce.refusedWithoutCSRF(path+"/entries", row)
	bad := url.Values{}
	for k, v := range row {
		bad[k] = v
	}
	bad.Set("unit_cost", "kallis")
	ce.postBoth(path+"/entries", bad, "meal-service--own-unit_cost", "Kirjoita euromäärä", "Enter an amount of euros")
	r := ce.post(path+"/entries?lang=fi", bad)
	if v, _ := inputValue(string(r.body), "meal-service--own-unit_cost"); v != "kallis" {
		t.Errorf("the typed value was not kept: %q", v)
	}
	if got := summary(string(r.body)); !strings.Contains(got, "Yksikkökustannus (Ateriapalvelu, oma tuotanto): Kirjoita euromäärä") {
		t.Errorf("the error summary does not name the field: %s", got)
	}
	bad.Set("unit_cost", "10,45")
	bad.Set("fee", "")
	ce.postBoth(path+"/entries", bad, "meal-service--own-fee", "Täytä tämä kenttä.", "Fill in this field.")
	bad.Set("fee", "6")
	bad.Set("rule", "voucher")
	ce.postBoth(path+"/entries", bad, "meal-service--own-rule", "Palvelusetelin omavastuu kuuluu palvelusetelille", "The voucher co-payment goes with the service voucher mode")
	bad.Set("rule", "income_tiered")
	bad.Set("tiers", "33,37: 1 393,00; 2 055,00\nkaikki muut")
	ce.postBoth(path+"/entries", bad, "meal-service--own-tiers", "Tuloportaita ei voi lukea.", "The tiers cannot be read.")
	bad.Set("tiers", "33,37\n66,74: 1 393,00")
	ce.postBoth(path+"/entries", bad, "meal-service--own-tiers", "Jokaisella portaalla viimeistä lukuun ottamatta", "Every tier but the last needs income limits")
	bad.Set("rule", "housing_net_income")
	bad.Set("counts_toward_ceiling", "yes")
	ce.postBoth(path+"/entries", bad, "meal-service--own-counts_toward_ceiling", "ei kerrytä maksukattoa", "never counts toward the payment ceiling")

	if loc := location(t, ce.post(path+"/entries", row)); loc != path+"#row-meal-service--own" {
		t.Fatalf("Location %q", loc)
	}
	e, _ := versionIn(ce.tariff("phhva"), 4).Entry("meal-service", "own")
	if e.UnitCost != 1045 || e.Fee == nil || *e.Fee != 600 || len(e.Tiers) != 0 {
		t.Errorf("entry %+v (tiers of another rule must be left out)", e)
	}
	// The same row form again: stale.
	ce.postStale(path+"/entries", row)

	page = ce.page(path + "?lang=fi")
	exp = expectedOf(t, page)
	add := url.Values{"row": {"new"}, "service": {"cleaning"}, "mode": {"own"}, "unit_cost": {"50"}, "rule": {"income_tiered"},
		"tiers": {"10,00: 1 000,00; 1 500,00\n20,00"}, "expected_version": {exp}}
	ce.postBoth(path+"/entries", add, "new-mode", "Palvelua ei järjestetä tällä tavalla. Sallitut tavat: ostopalvelu, palveluseteli.",
		"The service is not delivered this way. Allowed: purchased service, service voucher.")
	add.Set("mode", "purchased")
	ce.postBoth(path+"/entries", add, "new-service", "Luonnoksessa on jo hinta tälle palvelulle", "The draft already prices this service")
	add.Set("service", "")
	ce.postBoth(path+"/entries", add, "new-service", "Täytä tämä kenttä.", "Fill in this field.")
	// A service no version prices yet.
	def := ce.page("/services/new")
	_ = def
	location(t, ce.post("/services", url.Values{"id": {"foot-care"}, "name_fi": {"Jalkahoito"}, "category": {"support"}, "unit": {"visit"}, "modes": {"own"}}))
	add.Set("service", "foot-care")
	add.Set("mode", "own")
	location(t, ce.post(path+"/entries", add))
	e, ok := versionIn(ce.tariff("phhva"), 4).Entry("foot-care", "own")
	if !ok || len(e.Tiers) != 2 || e.Tiers[0].MaxIncome[1] != 150000 || e.Tiers[1].Fee != 2000 {
		t.Errorf("the new entry %+v", e)
	}
	page = ce.page(path + "?lang=fi")
	if !strings.Contains(page, "10,00: 1000,00; 1500,00\n20,00") {
		t.Error("the tiers do not read back in their field")
	}

	// Removing an entry.
	exp = expectedOf(t, page)
	rm := url.Values{"service": {"foot-care"}, "mode": {"own"}, "expected_version": {exp}}
	ce.refusedWithoutCSRF(path+"/entries/remove", rm)
	location(t, ce.post(path+"/entries/remove", rm))
	if _, ok := versionIn(ce.tariff("phhva"), 4).Entry("foot-care", "own"); ok {
		t.Error("the entry was not removed")
	}
	// The same form again: the draft changed since.
	ce.postStale(path+"/entries/remove", rm)
	rm.Set("expected_version", expectedOf(t, ce.page(path)))
	ce.postBoth(path+"/entries/remove", rm, "", "Tätä hintaa ei enää ole luonnoksessa.", "This price is no longer in the draft.")
}

// A draft's month conversions and note, and withdrawing it.
func TestConsoleDraftSettingsAndWithdraw(t *testing.T) {
	ce := newCatalogueEnv(t)
	path, page := ce.newDraft()
	exp := expectedOf(t, page)
	form := url.Values{"weeks_per_month": {"4,3"}, "days_per_month": {"30"}, "note": {"Luonnos 2027"}, "expected_version": {exp}}
	ce.refusedWithoutCSRF(path+"/settings", form)
	ce.postBoth(path+"/settings", url.Values{"weeks_per_month": {"7"}, "expected_version": {exp}}, "weeks_per_month",
		"Arvon pitää olla välillä 4–5.", "The value must be between 4 and 5.")
	location(t, ce.post(path+"/settings", form))
	v := versionIn(ce.tariff("phhva"), 4)
	if v.Note != "Luonnos 2027" || v.WeeksPerMonth.String() != "43/10" || v.DaysPerMonth.String() != "30" {
		t.Errorf("settings %+v %s %s", v.VersionInfo, v.WeeksPerMonth, v.DaysPerMonth)
	}
	ce.postStale(path+"/settings", form)

	page = ce.page(path)
	w := url.Values{"expected_version": {expectedOf(t, page)}}
	ce.refusedWithoutCSRF(path+"/withdraw", w)
	if loc := location(t, ce.post(path+"/withdraw", w)); loc != "/tariffs/phhva" {
		t.Fatalf("Location %q", loc)
	}
	if v := versionIn(ce.tariff("phhva"), 4); v.Status != domain.StatusWithdrawn {
		t.Errorf("status %s", v.Status)
	}
	ce.postStale(path+"/withdraw", w)
	page = ce.page(path + "?lang=fi")
	if hasID(page, "publish-form") || hasID(page, "entry-form-new") {
		t.Error("a withdrawn draft shows its forms")
	}
}

// The diff of two versions lists the entries changed (old -> new), added
// and removed.
func TestConsoleTariffDiff(t *testing.T) {
	ce := newCatalogueEnv(t)
	path, page := ce.newDraft()
	exp := expectedOf(t, page)
	location(t, ce.post(path+"/entries", url.Values{"row": {"meal-service--own"}, "service": {"meal-service"}, "mode": {"own"},
		"unit_cost": {"10,45"}, "rule": {"flat"}, "fee": {"6,00"}, "expected_version": {exp}}))
	page = ce.page(path)
	location(t, ce.post(path+"/entries/remove", url.Values{"service": {"bathing"}, "mode": {"purchased"}, "expected_version": {expectedOf(t, page)}}))

	diff := ce.page("/tariffs/phhva/diff?from=3&to=4&lang=fi")
	for _, want := range []string{`id="diff-table"`, `id="diff-meal-service--own" class="diff-changed"`, "10,20", "10,45",
		`id="diff-bathing--purchased" class="diff-removed"`, "Muuttuneita: 1, lisättyjä: 0, poistettuja: 1"} {
		if !strings.Contains(diff, want) {
			t.Errorf("the diff lacks %q", want)
		}
	}
	en := ce.page("/tariffs/phhva/diff?from=3&to=4&lang=en")
	if !strings.Contains(en, "€10.20") || !strings.Contains(en, "€10.45") {
		t.Error("the English diff does not show English money")
	}
	all := ce.page("/tariffs/phhva/diff?from=0&to=1&lang=fi")
	if !strings.Contains(all, "class=\"diff-added\"") || strings.Contains(all, "diff-removed") {
		t.Error("a diff from nothing is not every entry added")
	}
	ce.admin.do("GET", "/tariffs/phhva/diff?from=1&to=99", "", nil).wantStatus(t, http.StatusNotFound)
	ce.admin.do("GET", "/tariffs/phhva/diff?from=x", "", nil).wantStatus(t, http.StatusBadRequest)
}

// A stale removal or withdrawal is a conflict; an entry of a service
// retired since says so on its row.
func TestConsoleDraftStale(t *testing.T) {
	ce := newCatalogueEnv(t)
	path, page := ce.newDraft()
	stale := expectedOf(t, page)
	location(t, ce.post(path+"/settings", url.Values{"note": {"uusi"}, "expected_version": {stale}}))
	ce.postStale(path+"/entries/remove", url.Values{"service": {"bathing"}, "mode": {"own"}, "expected_version": {stale}})
	ce.postStale(path+"/withdraw", url.Values{"expected_version": {stale}})
	if v := versionIn(ce.tariff("phhva"), 4); v.Status != domain.StatusDraft || len(v.Entries) != 28 {
		t.Fatal("a stale form wrote")
	}
	def := definitionRE.FindStringSubmatch(ce.page("/services/bathing/retire"))[1]
	location(t, ce.post("/services/bathing/retire", url.Values{"expected_definition": {def}}))
	page = ce.page(path)
	ce.postBoth(path+"/entries", url.Values{"row": {"bathing--own"}, "service": {"bathing"}, "mode": {"own"}, "unit_cost": {"30"},
		"rule": {"flat"}, "fee": {"9"}, "expected_version": {expectedOf(t, page)}}, "",
		"Palvelu on poistettu käytöstä", "The service is retired")
	body := string(ce.post(path+"/entries?lang=fi", url.Values{"row": {"bathing--own"}, "service": {"bathing"}, "mode": {"own"}, "unit_cost": {"30"},
		"rule": {"flat"}, "fee": {"9"}, "expected_version": {expectedOf(t, page)}}).body)
	if !strings.Contains(body, `id="bathing--own-service">Kylvetyspalvelu <span class="unit">/ käynti</span><p class="field-error">Palvelu on poistettu käytöstä`) {
		t.Error("the row does not say its service is retired")
	}
}
