package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func newServiceForm() url.Values {
	return url.Values{"id": {"foot-care"}, "name_fi": {"Jalkahoito"}, "name_sv": {"Fotvård"}, "name_en": {"Foot care"},
		"category": {"support"}, "unit": {"visit"}, "modes": {"own", "voucher"}, "min_maple": {"2"},
		"max_gross_income": {"1 500,00"}, "eligibility_note": {"Kotiin annettava jalkahoito."}}
}

// The service list shows names in the page's language and marks retired
// services; a new service is defined from its form.
func TestConsoleServiceCreate(t *testing.T) {
	ce := newCatalogueEnv(t)
	list := ce.page("/services?lang=fi")
	if !strings.Contains(list, "Kylvetyspalvelu") || !hasID(list, "service-new") {
		t.Fatalf("the list:\n%s", list)
	}
	if en := ce.page("/services?lang=en"); !strings.Contains(en, "Bathing service") {
		t.Error("the English list has no English names")
	}
	ce.page("/services?lang=fi") // the forms below are typed in Finnish

	if loc := location(t, ce.post("/services", newServiceForm())); loc != "/services/foot-care" {
		t.Fatalf("Location %q", loc)
	}
	svc, err := ce.reads.Service(context.Background(), "foot-care")
	if err != nil {
		t.Fatal(err)
	}
	if svc.Names.SV != "Fotvård" || len(svc.Modes) != 2 || svc.Eligibility.MinMaple != 2 || *svc.Eligibility.MaxGrossIncome != 150000 {
		t.Errorf("service %+v", svc)
	}
	if page := ce.page("/services/foot-care?lang=fi"); !strings.Contains(page, "Palvelu lisättiin luetteloon.") {
		t.Error("no notice after the redirect")
	}

	// Invalid input: the message beside the field, in the language, the
	// input kept, nothing written.
	bad := newServiceForm()
	bad.Set("id", "other-care")
	bad.Set("name_fi", "")
	ce.postBoth("/services", bad, "name_fi", "Täytä tämä kenttä.", "Fill in this field.")
	bad = newServiceForm()
	bad.Set("id", "Foot Care")
	ce.postBoth("/services", bad, "id", "Käytä vain pieniä kirjaimia", "Use only lower-case letters")
	bad = newServiceForm()
	bad.Set("id", "foot-care")
	ce.postBoth("/services", bad, "id", "Tunniste on jo käytössä.", "This id is taken.")
	bad = newServiceForm()
	bad.Set("id", "hand-care")
	bad.Del("modes")
	ce.postBoth("/services", bad, "mode-own", "Valitse vähintään yksi tuotantotapa.", "Tick at least one production mode.")
	bad = newServiceForm()
	bad.Set("id", "hand-care")
	bad.Set("max_gross_income", "paljon")
	ce.postBoth("/services", bad, "max_gross_income", "Kirjoita euromäärä", "Enter an amount of euros")
	r := ce.post("/services?lang=fi", bad)
	if v, _ := inputValue(string(r.body), "max_gross_income"); v != "paljon" {
		t.Errorf("the input was not kept: %q", v)
	}
	if v, _ := inputValue(string(r.body), "id"); v != "hand-care" {
		t.Errorf("the id was not kept: %q", v)
	}
	if _, err := ce.reads.Service(context.Background(), "hand-care"); err == nil {
		t.Error("an invalid form defined the service")
	}

	f := newServiceForm()
	f.Set("id", "hand-care")
	ce.refusedWithoutCSRF("/services", f)
}

var definitionRE = regexp.MustCompile(`name="expected_definition" value="([0-9a-f]*)"`)

// A service's definition changes from its form; a form rendered from a
// definition since changed is a conflict, never an overwrite.
func TestConsoleServiceEdit(t *testing.T) {
	ce := newCatalogueEnv(t)
	page := ce.page("/services/bathing?lang=fi")
	def := definitionRE.FindStringSubmatch(page)[1]
	form := url.Values{"name_fi": {"Kylvetys"}, "name_sv": {"Bad"}, "name_en": {"Bathing"}, "category": {"support"},
		"unit": {"visit"}, "modes": {"own", "purchased"}, "expected_definition": {def}}
	ce.postBoth("/services/bathing", url.Values{"name_fi": {"Kylvetys"}, "category": {"nothing"}, "unit": {"visit"},
		"modes": {"own"}, "expected_definition": {def}}, "category", "Valitse jokin vaihtoehdoista.", "Choose one of the options.")
	ce.refusedWithoutCSRF("/services/bathing", form)
	if loc := location(t, ce.post("/services/bathing", form)); loc != "/services/bathing" {
		t.Fatalf("Location %q", loc)
	}
	svc, _ := ce.reads.Service(context.Background(), "bathing")
	if svc.Names.FI != "Kylvetys" || svc.Names.EN != "Bathing" {
		t.Errorf("names %+v", svc.Names)
	}
	// The same form again: the definition it was rendered from changed.
	form.Set("name_fi", "Kylpy")
	ce.postStale("/services/bathing", form)
	if svc, _ := ce.reads.Service(context.Background(), "bathing"); svc.Names.FI != "Kylvetys" {
		t.Errorf("a stale form overwrote the name: %q", svc.Names.FI)
	}
	r := ce.post("/services/bathing?lang=fi", form)
	if v, _ := inputValue(string(r.body), "name_fi"); v != "Kylpy" {
		t.Errorf("the typed name was not kept: %q", v)
	}
	ce.admin.do("GET", "/services/no-such", "", nil).wantStatus(t, http.StatusNotFound)
}

// Retiring asks first; a retired service is marked in the list.
func TestConsoleServiceRetire(t *testing.T) {
	ce := newCatalogueEnv(t)
	page := ce.page("/services/bathing/retire?lang=fi")
	def := definitionRE.FindStringSubmatch(page)[1]
	ce.refusedWithoutCSRF("/services/bathing/retire", url.Values{"expected_definition": {def}})
	ce.postStale("/services/bathing/retire", url.Values{"expected_definition": {"0123456789abcdef"}})
	if loc := location(t, ce.post("/services/bathing/retire", url.Values{"expected_definition": {def}})); loc != "/services" {
		t.Fatalf("Location %q", loc)
	}
	if svc, _ := ce.reads.Service(context.Background(), "bathing"); !svc.Retired {
		t.Error("not retired")
	}
	list := ce.page("/services?lang=fi")
	if !strings.Contains(list, `id="service-row-bathing" class="retired"`) || !strings.Contains(list, "poistettu käytöstä") {
		t.Error("the list does not mark the retired service")
	}
	// The same form again: the service changed since (it is retired).
	ce.postStale("/services/bathing/retire", url.Values{"expected_definition": {def}})
}
