package admin_test

import (
	"net/http"
	"strings"
	"testing"
)

// Every catalogue page renders in Finnish and in English for each role
// that may read the catalogue, without a key missing; only the admin
// sees the forms.
func TestCataloguePagesRender(t *testing.T) {
	ce := newCatalogueEnv(t)
	pages := []string{"/services", "/services/bathing", "/tariffs", "/tariffs/phhva", "/tariffs/phhva/versions/1",
		"/tariffs/phhva/versions/3", "/tariffs/phhva/diff", "/tariffs/phhva/diff?from=0&to=1", "/tariffs/phhva/chart",
		"/tariffs/phhva/chart?service=meal-service&mode=voucher", "/income-catalogues", "/income-catalogues/statutory",
		"/income-catalogues/statutory/versions/4"}
	for _, lang := range []string{"fi", "en"} {
		for _, p := range append(pages, "/services/new", "/services/bathing/retire") {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			body := ce.page(p + sep + "lang=" + lang)
			if !strings.Contains(body, `<html lang="`+lang+`"`) {
				t.Errorf("%s is not in %s", p, lang)
			}
			if strings.Contains(body, "style=") {
				t.Errorf("%s has an inline style", p)
			}
		}
	}
	ville := ce.browser()
	ville.signIn("ville", password("ville")).wantStatus(t, http.StatusSeeOther)
	for _, p := range pages {
		r := ville.do("GET", p, "", nil).wantStatus(t, http.StatusOK)
		body := string(r.body)
		noMissingKeys(t, p, body)
		for _, id := range []string{"service-new", "service-form", "tariff-create-form", "draft-form", "income-create-form", "publish-form"} {
			if hasID(body, id) {
				t.Errorf("%s shows the controller the form %s", p, id)
			}
		}
	}
	for _, p := range []string{"/services/new", "/services/bathing/retire"} {
		ville.do("GET", p, "", nil).wantStatus(t, http.StatusForbidden)
	}
}

// The admin's pages have the forms, with the ids the browser test drives.
func TestCatalogueFormsHaveIDs(t *testing.T) {
	ce := newCatalogueEnv(t)
	for path, ids := range map[string][]string{
		"/services":                               {"service-new", "services-table"},
		"/services/new":                           {"service-form", "id", "name_fi", "name_sv", "name_en", "category", "unit", "mode-own", "min_maple", "max_gross_income", "eligibility_note", "service-save"},
		"/services/bathing":                       {"service-form", "service-save", "service-retire"},
		"/services/bathing/retire":                {"retire-form", "retire-confirm"},
		"/tariffs":                                {"tariffs-table", "tariff-create-form", "tariff-create"},
		"/tariffs/phhva":                          {"draft-form", "draft-source", "draft-note", "create-draft", "version-timeline", "chart-link", "version-3"},
		"/tariffs/phhva/diff":                     {"diff-form", "diff-from", "diff-to", "diff-table", "diff-summary"},
		"/tariffs/phhva/chart":                    {"price-chart", "price-chart-table", "price-chart-legend", "chart-service", "chart-mode"},
		"/income-catalogues":                      {"income-create-form", "income-create"},
		"/income-catalogues/statutory":            {"draft-form", "create-draft", "version-timeline"},
		"/income-catalogues/statutory/versions/4": {"income-table", "income-percentages"},
	} {
		body := ce.page(path)
		for _, id := range ids {
			if !hasID(body, id) {
				t.Errorf("%s has no element %s", path, id)
			}
		}
	}
}
