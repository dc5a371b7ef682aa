package admin_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

// futureDate is the first of January some years ahead.
func futureDate() string { return strconv.Itoa(time.Now().Year()+3) + "-01-01" }

// Publishing a draft from a future date: checked first, then published
// with the reason as its note; the timeline shows it.
func TestConsolePublish(t *testing.T) {
	ce := newCatalogueEnv(t)
	path, page := ce.newDraft()
	exp := expectedOf(t, page)
	form := url.Values{"valid_from": {futureDate()}, "reason": {"Indeksitarkistus"}, "expected_version": {exp}}
	ce.refusedWithoutCSRF(path+"/publish", form)
	ce.postBoth(path+"/publish", url.Values{"valid_from": {futureDate()}, "reason": {""}, "expected_version": {exp}}, "publish-reason",
		"Täytä tämä kenttä.", "Fill in this field.")
	ce.postBoth(path+"/publish", url.Values{"valid_from": {""}, "reason": {"x"}, "expected_version": {exp}}, "publish-valid_from",
		"Täytä tämä kenttä.", "Fill in this field.")
	ce.postBoth(path+"/publish", url.Values{"valid_from": {"31.13.2030"}, "reason": {"x"}, "expected_version": {exp}}, "publish-valid_from",
		"Kirjoita päivämäärä", "Enter a date")
	ce.postBoth(path+"/publish", url.Values{"valid_from": {"2025-01-01"}, "reason": {"x"}, "expected_version": {exp}}, "publish-valid_from",
		"Versio 1 on jo julkaistu tästä päivästä alkaen.", "Version 1 is already published from this date.")
	r := ce.post(path+"/publish?lang=fi", url.Values{"valid_from": {"31.13.2030"}, "reason": {"Syy"}, "expected_version": {exp}})
	if v, _ := inputValue(string(r.body), "publish-valid_from"); v != "31.13.2030" {
		t.Errorf("the typed date was not kept: %q", v)
	}
	if !strings.Contains(string(r.body), ">Syy</textarea>") {
		t.Error("the typed reason was not kept")
	}

	if loc := location(t, ce.post(path+"/publish", form)); loc != "/tariffs/phhva" {
		t.Fatalf("Location %q", loc)
	}
	v := versionIn(ce.tariff("phhva"), 4)
	if v.Status != domain.StatusPublished || v.ValidFrom.String() != futureDate() || v.Note != "Indeksitarkistus" || v.PublishedBy != "aino" {
		t.Errorf("published %+v", v.VersionInfo)
	}
	timeline := ce.page("/tariffs/phhva?lang=fi")
	if !strings.Contains(timeline, "Versio julkaistiin.") || !strings.Contains(timeline, "Indeksitarkistus") || !strings.Contains(timeline, "aino") {
		t.Error("the timeline does not show the publication with its reason and who")
	}
	// Published: read-only, the same table.
	page = ce.page(path + "?lang=fi")
	if hasID(page, "publish-form") || !hasID(page, "entries-table") || hasID(page, "meal-service--own-unit_cost") {
		t.Error("a published version is not read-only")
	}
	ce.postStale(path+"/publish", form)
}

// A valid-from in the past asks for a confirmation that lists the decided
// estimates in force the version would touch; only the confirmed form
// publishes.
func TestConsolePublishRetroactive(t *testing.T) {
	ce := newCatalogueEnv(t)
	touched := ce.decide("2026-07-01", "P-2026-1")
	before := ce.decide("2026-03-01", "P-2026-2") // priced before the new version's valid-from
	path, page := ce.newDraft()
	form := url.Values{"valid_from": {"2026-06-01"}, "reason": {"Kesän hinnat"}, "expected_version": {expectedOf(t, page)}}
	n := ce.store.count()
	r := ce.post(path+"/publish?lang=fi", form).wantStatus(t, http.StatusOK)
	body := string(r.body)
	noMissingKeys(t, path, body)
	for _, id := range []string{"touched-decisions", "touched-" + touched, "publish-confirm", "publish-cancel", "confirm-retroactive"} {
		if !hasID(body, id) {
			t.Errorf("the confirmation has no %s", id)
		}
	}
	if hasID(body, "touched-"+before) {
		t.Error("the confirmation lists a decision priced before the valid-from")
	}
	if !strings.Contains(body, "P-2026-1") || !strings.Contains(body, "1.6.2026") || !strings.Contains(body, "on jo mennyt") {
		t.Error("the confirmation does not say what it touches")
	}
	if strings.Contains(body, "C-P-2026-1") {
		t.Error("the confirmation shows a client reference")
	}
	if ce.store.count() != n || versionIn(ce.tariff("phhva"), 4).Status != domain.StatusDraft {
		t.Fatal("asking for a confirmation published")
	}
	en := string(ce.post(path+"/publish?lang=en", form).wantStatus(t, http.StatusOK).body)
	if !strings.Contains(en, "The valid-from 1 Jun 2026 has passed") {
		t.Error("the English confirmation")
	}
	form.Set("confirm", "yes")
	ce.refusedWithoutCSRF(path+"/publish", form)
	if loc := location(t, ce.post(path+"/publish", form)); loc != "/tariffs/phhva" {
		t.Fatalf("Location %q", loc)
	}
	if v := versionIn(ce.tariff("phhva"), 4); v.Status != domain.StatusPublished || v.ValidFrom.String() != "2026-06-01" {
		t.Errorf("published %+v", v.VersionInfo)
	}
}

// A retroactive correction keeps the corrected version's valid-from; its
// confirmation lists the decisions, a stale one is a conflict, and the
// chart then shows the correction dashed.
func TestConsolePublishCorrection(t *testing.T) {
	ce := newCatalogueEnv(t)
	touched := ce.decide("2026-02-02", "K-1")
	page := ce.page("/tariffs/phhva")
	path := location(t, ce.post("/tariffs/phhva/drafts", url.Values{"source": {"correct-3"}, "expected_version": {expectedOf(t, page)}}))
	page = ce.page(path + "?lang=fi")
	if v, _ := inputValue(page, "publish-valid_from"); v != "2026-01-01" || !strings.Contains(page, `id="publish-valid_from" name="valid_from" type="date" value="2026-01-01" class="short" readonly`) {
		t.Errorf("the correction's valid-from is not fixed: %q", v)
	}
	location(t, ce.post(path+"/entries", url.Values{"row": {"bathing--own"}, "service": {"bathing"}, "mode": {"own"},
		"unit_cost": {"31,50"}, "rule": {"flat"}, "fee": {"9,00"}, "expected_version": {expectedOf(t, page)}}))
	page = ce.page(path + "?lang=fi")
	ce.postBoth(path+"/publish", url.Values{"valid_from": {"2026-02-01"}, "reason": {"x"}, "expected_version": {expectedOf(t, page)}},
		"publish-valid_from", "Korjaus on voimassa samasta päivästä kuin versio 3: 1.1.2026.", "A correction holds from the same date as version 3: 1 Jan 2026.")
	form := url.Values{"valid_from": {"2026-01-01"}, "reason": {"Korjaus: kylvetyksen yksikkökustannus"}, "expected_version": {expectedOf(t, page)}}
	body := string(ce.post(path+"/publish?lang=fi", form).wantStatus(t, http.StatusOK).body)
	if !hasID(body, "touched-"+touched) || !strings.Contains(body, "Tämä on takautuva korjaus: se korvaa version 3 voimaantulopäivästä 1.1.2026 alkaen.") {
		t.Errorf("the correction's confirmation:\n%s", summary(body)+body[strings.Index(body, "<main"):])
	}
	// Someone changes the draft before the confirmation: stale.
	ce.post(path+"/settings", url.Values{"note": {"muutettu"}, "expected_version": {expectedOf(t, page)}})
	form.Set("confirm", "yes")
	ce.postStale(path+"/publish", form)
	if v := versionIn(ce.tariff("phhva"), 4); v.Status != domain.StatusDraft {
		t.Fatal("a stale confirmation published")
	}
	page = ce.page(path)
	form.Set("expected_version", expectedOf(t, page))
	location(t, ce.post(path+"/publish", form))
	v := versionIn(ce.tariff("phhva"), 4)
	if v.Status != domain.StatusPublished || v.Corrects != 3 || v.ValidFrom.String() != "2026-01-01" || v.Note != "Korjaus: kylvetyksen yksikkökustannus" {
		t.Errorf("published %+v", v.VersionInfo)
	}

	chart := ce.page("/tariffs/phhva/chart?service=bathing&mode=own&lang=fi")
	for _, want := range []string{`id="price-chart"`, `id="price-chart-table"`, `id="price-line-4"`, `stroke-dasharray`, "korjaus versioon 3",
		"31,50\u00a0€", "30,00\u00a0€", "Voimassaolopäivä", "1.1.2026"} {
		if !strings.Contains(chart, want) {
			t.Errorf("the chart lacks %q", want)
		}
	}
	if n := strings.Count(chart, `class="price-line`); n != 4 {
		t.Errorf("%d lines, want one per publication (4)", n)
	}
	en := ce.page("/tariffs/phhva/chart?service=bathing&mode=own&lang=en")
	for _, want := range []string{"€31.50", "Valid date", "1 Jan 2026", "correction of version 3"} {
		if !strings.Contains(en, want) {
			t.Errorf("the English chart lacks %q", want)
		}
	}
	ce.admin.do("GET", "/tariffs/phhva/chart?service=no-such&mode=own", "", nil).wantStatus(t, http.StatusNotFound)
	ce.admin.do("GET", "/tariffs/phhva/chart?service=bathing&mode=boat", "", nil).wantStatus(t, http.StatusBadRequest)
}

// A draft without entries, or with one the catalogue no longer takes,
// cannot be published.
func TestConsolePublishIncomplete(t *testing.T) {
	ce := newCatalogueEnv(t)
	page := ce.page("/tariffs/phhva")
	path := location(t, ce.post("/tariffs/phhva/drafts", url.Values{"source": {"empty"}, "expected_version": {expectedOf(t, page)}}))
	page = ce.page(path + "?lang=fi")
	if !hasID(page, "entries-empty") {
		t.Error("an empty draft does not say what to do first")
	}
	ce.postBoth(path+"/publish", url.Values{"valid_from": {futureDate()}, "reason": {"x"}, "expected_version": {expectedOf(t, page)}}, "",
		"Luonnoksessa ei ole hintoja.", "The draft has no prices.")
}
