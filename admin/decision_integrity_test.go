package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// A decision number used by another decision, a decision date in the
// future or before the estimate was opened: 422 naming the field, in the
// API and on the console's decision form, and nothing written.
func TestDecisionRulesRefuse(t *testing.T) {
	pe := newProjectedEnv(t) // the commands' clock is 30 days ahead
	anna := as("anna", "north", "case_manager")
	first := pe.decided("HVA-2026-0001")
	var est estimate
	pe.do("POST", "/api/v1/estimates", demoCase, anna...).wantStatus(t, http.StatusCreated).decode(t, &est)
	decide := func(number, date string) response {
		return pe.do("POST", "/api/v1/estimates/"+est.ID+"/decide", `{"decision_number": "`+number+`", "decision_date": "`+date+
			`", "effective_from": "2025-04-01", "presented": false, "not_presented_reason": "decided at the meeting"}`, anna...)
	}
	before := pe.store.count()
	for _, c := range []struct{ number, date, field, says string }{
		{" hva-2026-0001", day(0), "decision_number", first},
		{"HVA-2026-0002", day(31), "decision_date", "is in the future"},
		{"HVA-2026-0002", day(-1), "decision_date", "is before the estimate was opened on " + day(0)},
	} {
		e := decide(c.number, c.date).wantStatus(t, http.StatusUnprocessableEntity).apiError(t)
		if e.Code != "refused" || e.Field != c.field || !strings.Contains(e.Message, c.says) {
			t.Errorf("%s on %s: %+v", c.number, c.date, e)
		}
	}
	if after := pe.store.count(); after != before {
		t.Errorf("refused decisions wrote %d events", after-before)
	}
	decide("HVA-2026-0002", day(30)).wantStatus(t, http.StatusOK)

	// The console's form says the same in the person's language.
	b := pe.signedIn("anna")
	version := func(path string) string {
		m := regexp.MustCompile(`name="expected_version" value="(\d+)"`).FindStringSubmatch(string(pe.page(b, path).body))
		if m == nil {
			t.Fatalf("%s has no expected_version", path)
		}
		return m[1]
	}
	var other estimate
	pe.do("POST", "/api/v1/estimates", demoCase, anna...).wantStatus(t, http.StatusCreated).decode(t, &other)
	for lang, want := range map[string]string{
		"fi": "Päätösnumero on jo käytössä: se on arvion " + first + " päätöksen numero.",
		"en": "This decision number is already used: it is the number of the decision on estimate " + first + ".",
	} {
		r := pe.post(b, "/estimates/"+other.ID+"/decide?lang="+lang, url.Values{"decision_number": {"HVA-2026-0001"}, "decision_date": {day(0)},
			"effective_from": {"2025-04-01"}, "not_presented_reason": {"puhelimessa"}, "expected_version": {version("/estimates/" + other.ID)}})
		r.wantStatus(t, http.StatusUnprocessableEntity)
		if !strings.Contains(string(r.body), want) || !strings.Contains(string(r.body), `id="decision-number-error"`) {
			t.Errorf("%s: the form does not say the number is used: %s", lang, auditText(auditElement(string(r.body), "decision-number-error")))
		}
	}
}

// The audit trail shows the totals presented to the client beside the
// decided ones, flags a decision whose totals changed in between, and
// warns when the effective-from date has other versions in effect; the
// API, the list (badges, filters), the decision page and the CSV.
//
// The demo case under phhva version 1 (2025): home care 20 hours a month
// at 62.00, fee 298.22; 5 meals a week, 21 2/3 a month at 9.80, fee 5.00
// each: presented gross 1 452.33, fee 298.22 + 108.33 = 406.55, net
// 1 045.78. The correction sets the meal fee to 6.00 (130.00 a month):
// decided fee 428.22, net 1 024.11. Effective from 2026-02-01, the 2026
// versions are in effect: tariff version 3, income limits version 4.
func TestDecisionPresentedAndWarned(t *testing.T) {
	pe := newProjectedEnv(t)
	anna := as("anna", "north", "case_manager")
	plain := pe.decided("P-1")
	var est estimate
	pe.do("POST", "/api/v1/estimates", demoCase, anna...).wantStatus(t, http.StatusCreated).decode(t, &est)
	pe.do("POST", "/api/v1/estimates/"+est.ID+"/present", "", anna...).wantStatus(t, http.StatusOK)
	n := pe.correctTariff()
	pe.do("POST", "/api/v1/estimates/"+est.ID+"/decide", `{"decision_number": "P-2", "decision_date": "`+day(0)+`", "effective_from": "2026-02-01"}`,
		anna...).wantStatus(t, http.StatusOK)
	pe.catchUp()

	var rec struct {
		Monthly         struct{ ClientFee, CountyNet string }
		PresentedTotals *struct {
			Monthly struct {
				CountyGross string `json:"county_gross"`
				ClientFee   string `json:"client_fee"`
				CountyNet   string `json:"county_net"`
			}
		} `json:"presented_totals"`
		TotalsChanged  bool `json:"totals_changed"`
		VersionWarning *struct {
			EffectiveFrom string `json:"effective_from"`
			TariffVersion int    `json:"tariff_version"`
			IncomeVersion int    `json:"income_version"`
		} `json:"version_warning"`
		TariffVersion int `json:"tariff_version"`
	}
	controller := as("ville", "", "controller")
	pe.do("GET", "/api/v1/decisions/"+est.ID, "", controller...).wantStatus(t, http.StatusOK).decode(t, &rec)
	p := rec.PresentedTotals
	if p == nil || p.Monthly.ClientFee != "406.55" || p.Monthly.CountyGross != "1452.33" || p.Monthly.CountyNet != "1045.78" || !rec.TotalsChanged {
		t.Errorf("presented %+v, changed %v", p, rec.TotalsChanged)
	}
	if w := rec.VersionWarning; w == nil || w.EffectiveFrom != "2026-02-01" || w.TariffVersion != 3 || w.IncomeVersion != 4 || rec.TariffVersion != n {
		t.Errorf("warning %+v (priced with version %d, the correction %d)", w, rec.TariffVersion, n)
	}
	for query, want := range map[string]string{"totals_changed=true": est.ID, "totals_changed=false": plain,
		"version_warning=true": est.ID, "version_warning=false": plain} {
		var got []struct {
			ID string `json:"estimate_id"`
		}
		pe.do("GET", "/api/v1/decisions?"+query, "", controller...).wantStatus(t, http.StatusOK).decode(t, &got)
		if len(got) != 1 || got[0].ID != want {
			t.Errorf("%s: %+v, want %s", query, got, want)
		}
	}

	ville := pe.signedIn("ville")
	page := string(pe.page(ville, "/decisions/"+est.ID).wantStatus(t, http.StatusOK).body)
	if flag := auditText(auditElement(page, "totals-changed")); !strings.Contains(flag, "Summat muuttuivat asiakkaalle esittämisen jälkeen") {
		t.Errorf("no flag of changed totals: %s", flag)
	}
	if got := auditText(auditElement(page, "decision-presented")); !strings.Contains(got, "Kuukaudessa 1 452,33 € 406,55 € 0,00 € 1 045,78 €") {
		t.Errorf("presented totals: %s", got)
	}
	if got := auditText(auditElement(page, "decision-totals")); !strings.Contains(got, "Kuukaudessa 1 452,33 € 428,22 € 0,00 € 1 024,11 €") {
		t.Errorf("decided totals: %s", got)
	}
	warning := auditText(auditElement(page, "version-warning"))
	for _, want := range []string{"1.2.2026", "hinnasto phhva: versio 3 (päätöksessä versio", "tulorajaluettelo statutory: versio 4 (päätöksessä versio 3)"} {
		if !strings.Contains(warning, want) {
			t.Errorf("the warning lacks %q: %s", want, warning)
		}
	}
	plainPage := string(pe.page(ville, "/decisions/"+plain).wantStatus(t, http.StatusOK).body)
	if strings.Contains(plainPage, `id="totals-changed"`) || strings.Contains(plainPage, `id="version-warning"`) || strings.Contains(plainPage, `id="decision-presented"`) {
		t.Error("a decision without a warning, not presented, shows a flag")
	}

	list := string(pe.page(ville, "/decisions?totals_changed=true&version_warning=true").wantStatus(t, http.StatusOK).body)
	if rows := rowsOf(list); len(rows) != 1 || rows[0] != est.ID ||
		!strings.Contains(list, `id="changed-badge-`+est.ID+`"`) || !strings.Contains(list, `id="warning-badge-`+est.ID+`"`) {
		t.Errorf("list rows %v", rows)
	}
	if v := auditElement(list, "filter-totals-changed"); !strings.Contains(v, `value="true" selected`) {
		t.Errorf("the filter is not kept: %s", v)
	}
	rows := readCSV(t, pe.page(ville, "/decisions.csv?totals_changed=true"))
	if len(rows) != 2 {
		t.Fatalf("CSV rows %q", rows)
	}
	for name, want := range map[string]string{"Summat muuttuneet esittämisen jälkeen": "kyllä", "Esitetty asiakasmaksu / kk": "406,55",
		"Asiakasmaksu / kk": "428,22", "Eri versio voimaantulopäivänä": "kyllä"} {
		if got := column(t, rows[0], rows[1], name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

// A decide retried with its Idempotency-Key answers as its first run and
// writes nothing more; the same number without the key is refused, as any
// other decision with it.
func TestDecideRetriedWithItsKey(t *testing.T) {
	e := newEnv(t)
	est := e.open()
	e.do("POST", "/api/v1/estimates/"+est.ID+"/present", "").wantStatus(t, http.StatusOK)
	body := `{"decision_number": "K-1", "decision_date": "` + day(0) + `", "effective_from": "2025-04-01"}`
	first := e.do("POST", "/api/v1/estimates/"+est.ID+"/decide", body, "Idempotency-Key", "decide-k-1").wantStatus(t, http.StatusOK)
	n := e.store.count()
	again := e.do("POST", "/api/v1/estimates/"+est.ID+"/decide", body, "Idempotency-Key", "decide-k-1").wantStatus(t, http.StatusOK)
	if string(again.body) != string(first.body) || again.header.Get("X-Carecost-Position") != first.header.Get("X-Carecost-Position") {
		t.Errorf("the retry answered %s, the first run %s", again.body, first.body)
	}
	if e.store.count() != n {
		t.Errorf("the retry wrote %d events", e.store.count()-n)
	}
	other := e.open()
	e.do("POST", "/api/v1/estimates/"+other.ID+"/present", "").wantStatus(t, http.StatusOK)
	if r := e.do("POST", "/api/v1/estimates/"+other.ID+"/decide", body, "Idempotency-Key", "decide-k-2").wantStatus(t, http.StatusUnprocessableEntity).apiError(t); r.Field != "decision_number" {
		t.Errorf("another estimate with K-1: %+v", r)
	}
}
