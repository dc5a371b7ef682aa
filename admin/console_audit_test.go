package admin_test

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// A controller opens a decision and sees the prices in effect, the version
// and when it was recorded, and the estimate's history in their language;
// after a retroactive correction the decision shows the flag with a link
// to the correcting version.
func TestAuditDecisionPage(t *testing.T) {
	pe := newProjectedEnv(t)
	id := pe.decided("D-100")
	ville := pe.signedIn("ville")

	list := string(pe.page(ville, "/decisions").wantStatus(t, http.StatusOK).body)
	for _, want := range []string{`id="decision-filters"`, `id="decision-link-` + id + `"`, `href="/decisions/` + id + `"`, `id="csv-list"`, "D-100", "A-123"} {
		if !strings.Contains(list, want) {
			t.Errorf("the list lacks %s", want)
		}
	}
	page := string(pe.page(ville, "/decisions/"+id).wantStatus(t, http.StatusOK).body)
	prices := auditText(auditElement(page, "decision-prices"))
	for _, want := range []string{"Säännöllinen kotihoito", "Ateriapalvelu", "oma tuotanto", "20 / kk", "5 / vko", "Kiinteä maksu", "62,00 €"} {
		if !strings.Contains(prices, want) {
			t.Errorf("the prices lack %q: %s", want, prices)
		}
	}
	history := auditText(auditElement(page, "decision-history"))
	for _, want := range []string{"Arvio avattu", "Päätös kirjattu", "päätös D-100", "anna", "asiakasohjaaja"} {
		if !strings.Contains(history, want) {
			t.Errorf("the history lacks %q: %s", want, history)
		}
	}
	if strings.Contains(history, "1 800") || strings.Contains(history, "1800") {
		t.Errorf("the history shows the household's income: %s", history)
	}
	if got := auditText(auditElement(page, "decision-tariff-recorded")); got == "" {
		t.Errorf("no time the tariff version was recorded")
	}
	if strings.Contains(page, `id="touched-flag"`) {
		t.Errorf("an untouched decision shows the flag")
	}
	if !strings.Contains(page, `id="csv-lines" href="/decisions/`+id+`/lines.csv"`) && !strings.Contains(page, `href="/decisions/`+id+`/lines.csv" id="csv-lines"`) {
		t.Errorf("no link to the lines' CSV:\n%s", auditElement(page, "csv-lines"))
	}

	n := pe.correctTariff()
	page = string(pe.page(ville, "/decisions/"+id).wantStatus(t, http.StatusOK).body)
	flag := auditElement(page, "touched-flag")
	if !strings.Contains(flag, `href="/tariffs/phhva/versions/`+strconv.Itoa(n)+`"`) || !strings.Contains(auditText(flag), "korjaa versiota 1") {
		t.Errorf("the flag: %s", flag)
	}
	if !strings.Contains(flag, `href="/tariffs/phhva/diff?from=1&amp;to=`+strconv.Itoa(n)+`" id="touched-link-0"`) {
		t.Errorf("the flag does not link to the differences of version 1 and %d: %s", n, flag)
	}
	list = string(pe.page(ville, "/decisions?touched=true").wantStatus(t, http.StatusOK).body)
	if !strings.Contains(list, `id="decision-link-`+id+`"`) || !strings.Contains(list, `id="touched-badge-`+id+`"`) {
		t.Errorf("the touched decisions lack it")
	}
	if row := auditElement(list, "decision-row-"+id); !strings.Contains(row, `class="decision-link">D-100</a> <span class="badge warn" id="touched-badge-`+id+`"`) {
		t.Errorf("the badge is not beside the decision's number: %s", row)
	}

	en := string(pe.page(ville, "/decisions/"+id+"?lang=en").wantStatus(t, http.StatusOK).body)
	for el, want := range map[string]string{"decision-prices": "Regular home care", "decision-history": "Decision recorded", "touched-flag": "A later version took effect on the pricing date of this decision"} {
		if got := auditText(auditElement(en, el)); !strings.Contains(got, want) {
			t.Errorf("%s in English lacks %q: %s", el, want, got)
		}
	}
	if !strings.Contains(auditText(auditElement(en, "decision-prices")), "€62.00") {
		t.Errorf("English money: %s", auditText(auditElement(en, "decision-prices")))
	}
}

// decidedCase opens a case as anna (JSON of POST /api/v1/estimates) and
// records decision number on it.
func (pe *projectedEnv) decidedCase(number, body string) string {
	pe.t.Helper()
	anna := as("anna", "north", "case_manager")
	var est estimate
	pe.do("POST", "/api/v1/estimates", body, anna...).wantStatus(pe.t, http.StatusCreated).decode(pe.t, &est)
	pe.do("POST", "/api/v1/estimates/"+est.ID+"/decide",
		`{"decision_number": "`+number+`", "decision_date": "`+day(15)+`", "effective_from": "2025-04-01", "presented": false, "not_presented_reason": "decided at the meeting"}`,
		anna...).wantStatus(pe.t, http.StatusOK)
	return est.ID
}

// cleaningCase is an occasional client with purchased cleaning only.
const cleaningCase = `{
  "client_ref": "B-7", "maple": 2, "segment": "occasional",
  "tariff": "phhva", "income_catalogue": "statutory", "pricing_date": "2025-03-01",
  "household": {"size": 1, "gross_income": "1800.00", "net_income": "1500.00"},
  "lines": [{"service": "cleaning", "mode": "purchased", "quantity": 4, "frequency": "month"}]
}`

// rowsOf returns the ids of the decisions a list page shows.
func rowsOf(page string) []string {
	var ids []string
	for _, part := range strings.Split(page, `id="decision-row-`)[1:] {
		ids = append(ids, part[:strings.Index(part, `"`)])
	}
	return ids
}

// The list filters by period, tariff version, service, who decided,
// segment, touch and force; a filter that fails is shown beside its field
// in the person's language (422), and an empty result says what to do.
func TestAuditFilters(t *testing.T) {
	pe := newProjectedEnv(t)
	first := pe.decided("D-1")
	n := pe.correctTariff()
	second := pe.decidedCase("D-2", cleaningCase)
	ville := pe.signedIn("ville")
	for query, want := range map[string][]string{
		"":                               {first, second},
		"?tariff=phhva&tariff_version=1": {first},
		"?tariff=phhva&tariff_version=" + strconv.Itoa(n): {second},
		"?service=cleaning":        {second},
		"?service=meal-service":    {first},
		"?segment=occasional":      {second},
		"?decided_by=anna":         {first, second},
		"?touched=true":            {first},
		"?touched=false":           {second},
		"?in_force=true":           {first, second},
		"?decided_from=" + day(10): {second},
		"?decided_to=" + fiDay(0):  {first},
		"?decided_from=" + fiDay(-1) + "&decided_to=" + day(16) + "&tariff=phhva&segment=continuous": {first},
	} {
		page := string(pe.page(ville, "/decisions"+query).wantStatus(t, http.StatusOK).body)
		got := rowsOf(page)
		slices.Sort(got)
		want = slices.Clone(want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: rows %v, want %v", query, got, want)
		}
	}
	page := string(pe.page(ville, "/decisions?decided_by=nobody").wantStatus(t, http.StatusOK).body)
	if !strings.Contains(auditText(auditElement(page, "decision-empty")), "Yksikään päätös ei vastaa suodattimia") {
		t.Errorf("an empty filtered list says nothing useful: %s", auditElement(page, "decision-empty"))
	}
	if v := auditElement(page, "filter-decided-by"); !strings.Contains(v, `value="nobody"`) {
		t.Errorf("the filter is not kept: %s", v)
	}

	for _, c := range []struct{ query, field, fi, en string }{
		{"?decided_from=2025-03-10&decided_to=2025-03-01", "filter-decided-to", "Päättymispäivä on ennen alkamispäivää", "The end date is before the start date"},
		{"?decided_from=31.2.2025", "filter-decided-from", "Kirjoita päivämäärä", "Enter a date"},
		{"?tariff=phhva&tariff_version=two", "filter-tariff-version", "Kirjoita versionumero", "Enter the version as a whole number"},
		{"?tariff_version=2", "filter-tariff-version", "Valitse myös hinnasto", "Choose the tariff"},
		{"?service=no-such-service", "filter-service", "Valitse jokin vaihtoehdoista", "Choose one of the options"},
		{"?touched=maybe", "filter-touched", "Valitse jokin vaihtoehdoista", "Choose one of the options"},
	} {
		for lang, want := range map[string]string{"fi": c.fi, "en": c.en} {
			page := string(pe.page(ville, "/decisions"+c.query+"&lang="+lang).wantStatus(t, http.StatusUnprocessableEntity).body)
			field := auditElement(page, c.field)
			if !strings.Contains(page, `id="`+c.field+`-error">`+want) || !strings.Contains(field, `aria-invalid="true"`) {
				t.Errorf("%s in %s: no message %q beside %s", c.query, lang, want, c.field)
			}
			if !strings.Contains(page, `href="#`+c.field+`"`) {
				t.Errorf("%s in %s: the summary does not link to %s", c.query, lang, c.field)
			}
			if len(rowsOf(page)) != 0 {
				t.Errorf("%s: a failed filter lists decisions", c.query)
			}
		}
	}
}

// With no decision yet the list says what makes one; a case manager may not
// see the audit pages, and nobody signed out gets past the sign-in.
func TestAuditEmptyAndAccess(t *testing.T) {
	pe := newProjectedEnv(t)
	ville := pe.signedIn("ville")
	page := string(pe.page(ville, "/decisions").wantStatus(t, http.StatusOK).body)
	if !strings.Contains(auditText(auditElement(page, "decision-empty")), "kun asiakasohjaaja kirjaa arviolle päätöksen") || strings.Contains(page, `id="csv-list"`) {
		t.Errorf("the empty list: %s", auditElement(page, "decision-empty"))
	}
	id := pe.decided("D-1")
	anna := pe.signedIn("anna")
	for _, path := range []string{"/decisions", "/decisions/" + id, "/decisions.csv", "/decisions/" + id + "/lines.csv"} {
		if r := pe.page(anna, path); r.status != http.StatusForbidden || strings.Contains(string(r.body), "A-123") {
			t.Errorf("%s as a case manager: %d", path, r.status)
		}
		if r := pe.page(pe.browser(), path); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/login?next=") {
			t.Errorf("%s signed out: %d %s", path, r.status, r.header.Get("Location"))
		}
	}
	if r := pe.page(ville, "/decisions/01a23228-7931-7292-b06e-52151d2aae0b"); r.status != http.StatusNotFound {
		t.Errorf("an unknown decision: %d", r.status)
	}
}

// A decision names the decisions it revised and that replaced it, each a
// link, oldest first, with which is in force.
func TestAuditRevisionChain(t *testing.T) {
	pe := newProjectedEnv(t)
	first := pe.decided("R-1")
	anna := as("anna", "north", "case_manager")
	var rev estimate
	pe.do("POST", "/api/v1/estimates/"+first+"/revise", `{}`, anna...).wantStatus(t, http.StatusCreated).decode(t, &rev)
	ville := pe.signedIn("ville")
	chain := auditElement(string(pe.page(ville, "/decisions/"+first).wantStatus(t, http.StatusOK).body), "decision-chain")
	if !strings.Contains(chain, `href="/estimates/`+rev.ID+`"`) || !strings.Contains(auditText(chain), "Tarkistus avattu") {
		t.Errorf("an open revision is not in the chain: %s", chain)
	}
	pe.do("POST", "/api/v1/estimates/"+rev.ID+"/decide",
		`{"decision_number": "R-2", "decision_date": "`+day(20)+`", "effective_from": "2025-07-01", "presented": false, "not_presented_reason": "by phone"}`,
		anna...).wantStatus(t, http.StatusOK)
	page := string(pe.page(ville, "/decisions/"+first).wantStatus(t, http.StatusOK).body)
	chain = auditText(auditElement(page, "decision-chain"))
	if !strings.Contains(chain, "Päätös R-1, "+fiDay(0)+" korvattu Päätös R-2, "+fiDay(20)+" voimassa") || !strings.Contains(page, `id="chain-link-`+rev.ID+`"`) {
		t.Errorf("the chain of the first: %s", chain)
	}
	if !strings.Contains(auditText(auditElement(page, "decision-state")), "Korvattu") {
		t.Errorf("the replaced decision's state: %s", auditElement(page, "decision-state"))
	}
	page = string(pe.page(ville, "/decisions/"+rev.ID).wantStatus(t, http.StatusOK).body)
	if !strings.Contains(page, `id="chain-link-`+first+`" `) && !strings.Contains(page, `href="/decisions/`+first+`" id="chain-link-`+first+`"`) {
		t.Errorf("the revision does not link back: %s", auditElement(page, "decision-chain"))
	}
	if h := auditText(auditElement(page, "decision-history")); !strings.Contains(h, "aiemman päätöksen tarkistus") {
		t.Errorf("the revision's history: %s", h)
	}
}

// The API's decision list takes the same filters as the console's.
func TestDecisionAPIFilters(t *testing.T) {
	e := newEnv(t)
	e.do("GET", "/api/v1/decisions?tariff=phhva&tariff_version=2&service=meal-service&decided_by=anna&segment=continuous", "").wantStatus(t, http.StatusOK)
	f := e.reads.decisionFilter
	if f.TariffID != "phhva" || f.TariffVersion != 2 || f.Service != "meal-service" || f.DecidedBy != "anna" || f.Segment != "continuous" {
		t.Errorf("filter %+v", f)
	}
	e.do("GET", "/api/v1/decisions?tariff_version=2", "").wantError(t, http.StatusBadRequest, "invalid", "tariff_version")
	e.do("GET", "/api/v1/decisions?segment=sometimes", "").wantError(t, http.StatusBadRequest, "invalid", "segment")
	e.do("GET", "/api/v1/decisions?tariff=phhva&tariff_version=0", "").wantError(t, http.StatusBadRequest, "invalid", "tariff_version")
}

// The list pages by 50, the links keeping the filters.
func TestAuditPaging(t *testing.T) {
	pe := newProjectedEnv(t)
	for i := range 52 {
		pe.decided("P-" + strconv.Itoa(i))
	}
	ville := pe.signedIn("ville")
	page := string(pe.page(ville, "/decisions?segment=continuous").wantStatus(t, http.StatusOK).body)
	if n := len(rowsOf(page)); n != 50 || strings.Contains(page, `id="page-prev"`) {
		t.Fatalf("first page: %d rows", n)
	}
	next := auditElement(page, "page-next")
	if !strings.Contains(next, `href="/decisions?offset=50&amp;segment=continuous"`) {
		t.Fatalf("next: %s", next)
	}
	if got := auditText(auditElement(page, "decision-count")); got != "Näytetään päätökset 1–50, uusin päätöspäivä ensin." {
		t.Errorf("count: %q", got)
	}
	page = string(pe.page(ville, "/decisions?offset=50&segment=continuous").wantStatus(t, http.StatusOK).body)
	if n := len(rowsOf(page)); n != 2 || strings.Contains(page, `id="page-next"`) || !strings.Contains(page, `id="page-prev"`) {
		t.Errorf("second page: %d rows", n)
	}
	if rows := readCSV(t, pe.page(ville, "/decisions.csv?segment=continuous")); len(rows) != 53 {
		t.Errorf("the CSV has %d rows, want the header and 52", len(rows))
	}
}
