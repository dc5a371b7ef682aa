package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"carecost/admin"
	"carecost/domain"
)

// estimateOf returns the estimate as the aggregate holds it.
func estimateOf(t *testing.T, e *signInEnv, id string) *domain.Estimate {
	t.Helper()
	est, err := e.cmds.Estimate(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return est
}

// The builder's editors of the client's details: each saves its part
// (303, the change there), or shows the messages beside the fields in fi
// and en with the editor open and nothing written; without the CSRF token
// they are refused.
func TestBuilderEditsTheClientsDetails(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "regular-home-care", "own", "20", "month")

	anna.post("/estimates/"+id+"/household", url.Values{"client_ref": {"K-100"}, "size": {"2"}, "gross_income": {"3000"}, "net_income": {"1500"},
		"spouse": {"1"}, "spouse_net_income": {"1200"}, "expected_version": {anna.version(id)}}).wantStatus(t, http.StatusSeeOther)
	h := estimateOf(t, e, id).Personal().Household
	if h.Size != 2 || h.Gross() != 300000 || h.Spouse == nil || h.Spouse.NetIncome == nil || *h.Spouse.NetIncome != 120000 {
		t.Errorf("household %+v", h)
	}
	page := anna.get("/estimates/" + id).body
	contains(t, "the builder after the household", page, "Asiakkaan tiedot tallennettu", `id="total-client">394,90`)

	anna.post("/estimates/"+id+"/assessment", url.Values{"maple": {"4"}, "segment": {"multi_sector"}, "expected_version": {anna.version(id)}},
		htmx...).wantStatus(t, http.StatusOK)
	if maple, seg := estimateOf(t, e, id).Assessment(); maple != 4 || seg != "multi_sector" {
		t.Errorf("assessment %d %s", maple, seg)
	}
	anna.post("/estimates/"+id+"/basis", url.Values{"tariff": {"phhva"}, "income_catalogue": {"statutory"}, "pricing_date": {"1.2.2026"},
		"expected_version": {anna.version(id)}}).wantStatus(t, http.StatusSeeOther)
	if b := estimateOf(t, e, id).Basis(); b.PricingDate.String() != "2026-02-01" {
		t.Errorf("basis %+v", b)
	}

	before := e.store.count()
	for _, c := range []struct{ lang, want string }{{"en", "Enter the household size, 1 to 20 people."}, {"fi", "Kirjoita talouden koko, 1–20 henkeä."}} {
		r := anna.post("/estimates/"+id+"/household?lang="+c.lang, url.Values{"client_ref": {"K-100"}, "size": {"kaksi"}, "gross_income": {"3000"},
			"expected_version": {anna.version(id)}}).wantStatus(t, http.StatusUnprocessableEntity)
		contains(t, "a bad household in "+c.lang, r.body, c.want, `id="household-size-error"`, `value="kaksi"`, `<details id="client-details" class="client-details" open>`)
	}
	r := anna.post("/estimates/"+id+"/assessment", url.Values{"maple": {"9"}, "segment": {"continuous"}, "expected_version": {anna.version(id)}}).
		wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "a bad assessment", r.body, "Valitse MAPLe-taso 1–5.", `id="maple-error"`)
	r = anna.post("/estimates/"+id+"/basis", url.Values{"tariff": {"phhva"}, "pricing_date": {"2019-01-01"}, "expected_version": {anna.version(id)}}).
		wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "a date without prices", r.body, `id="pricing-date-error"`, "Valitse myöhempi päivä.")
	// Without income limits, home care cannot be priced: said on the field.
	r = anna.post("/estimates/"+id+"/basis", url.Values{"tariff": {"phhva"}, "income_catalogue": {""}, "pricing_date": {"2026-02-01"},
		"expected_version": {anna.version(id)}}).wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "home care without income limits", r.body, `id="income-catalogue-error"`, "valitse hinnoitteluperusteeseen tulorajat")
	if after := e.store.count(); after != before {
		t.Errorf("refused editors wrote %d events", after-before)
	}
	anna.do("POST", "/estimates/"+id+"/assessment", "", url.Values{"maple": {"2"}, "segment": {"continuous"}}).wantStatus(t, http.StatusForbidden)
	if after := e.store.count(); after != before {
		t.Error("an editor without its CSRF token wrote events")
	}
}

// Present, decide (checked beside the fields), then the decided estimate is
// read-only with a revise button; a revision opens as a new estimate with
// the lines; an undecided one is cancelled from a section opened first.
func TestEstimateLifecycleForms(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	before := e.store.count()
	r := anna.post("/estimates/"+id+"/present", url.Values{"expected_version": {anna.version(id)}}).wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "presenting without lines", r.body, "Lisää arvioon vähintään yksi palvelu ensin.")
	if after := e.store.count(); after != before {
		t.Error("a refused present wrote events")
	}
	anna.addLine(id, "regular-home-care", "own", "20", "month")
	anna.addLine(id, "meal-service", "own", "5", "week")
	anna.do("POST", "/estimates/"+id+"/present", "", url.Values{}).wantStatus(t, http.StatusForbidden)
	anna.post("/estimates/"+id+"/present", url.Values{"expected_version": {anna.version(id)}}).wantStatus(t, http.StatusSeeOther)
	if st := estimateOf(t, e, id).Status(); st != domain.EstPresented {
		t.Fatalf("status %s", st)
	}
	page := anna.get("/estimates/" + id).body
	contains(t, "the presented estimate", page, "Arvio merkitty esitetyksi asiakkaalle.", "esitetty asiakkaalle", `id="decision-number"`)
	lacks(t, "the presented estimate", page, `id="not-presented-reason"`, `id="estimate-present"`)
	if !regexp.MustCompile(`id="decision-number"[^>]*autofocus`).Match(page) {
		t.Error("after presenting, the focus is not on the decision number")
	}

	before = e.store.count()
	for _, c := range []struct{ lang, number, date string }{
		{"en", "Enter the decision number (at most 64 characters).", "Enter a date such as 31 Dec 2026."},
		{"fi", "Kirjoita päätöksen numero (enintään 64 merkkiä).", "Kirjoita päivämäärä muodossa 31.12.2026."},
	} {
		r := anna.post("/estimates/"+id+"/decide?lang="+c.lang, url.Values{"decision_number": {""}, "decision_date": {"31.2.x"},
			"effective_from": {"2025-04-01"}, "expected_version": {anna.version(id)}}).wantStatus(t, http.StatusUnprocessableEntity)
		contains(t, "a bad decision in "+c.lang, r.body, c.number, c.date, `id="decision-number-error"`, `id="decision-date-error"`, `value="31.2.x"`)
	}
	anna.do("POST", "/estimates/"+id+"/decide", "", url.Values{"decision_number": {"D-1"}, "decision_date": {day(0)},
		"effective_from": {"2025-04-01"}}).wantStatus(t, http.StatusForbidden)
	if after := e.store.count(); after != before {
		t.Errorf("refused decisions wrote %d events", after-before)
	}
	anna.post("/estimates/"+id+"/decide", url.Values{"decision_number": {"D-2025-17"}, "decision_date": {fiDay(0)},
		"effective_from": {"2025-04-01"}, "expected_version": {anna.version(id)}}).wantStatus(t, http.StatusSeeOther)
	est := estimateOf(t, e, id)
	if est.Status() != domain.EstDecided || est.Decision().Number != "D-2025-17" || est.Decision().Date.String() != day(0) {
		t.Fatalf("decided %s %+v", est.Status(), est.Decision())
	}
	page = anna.get("/estimates/" + id).body
	contains(t, "the decided estimate", page, "Päätös kirjattu.", "päätetty", "nro D-2025-17, tehty "+fiDay(0)+", voimassa 1.4.2025 alkaen",
		`id="estimate-revise"`, `id="revise-pricing-date"`, `id="total-client">406,55`, `id="print-link"`)
	lacks(t, "the decided estimate", page, `id="line-add"`, `id="estimate-decide"`, `id="estimate-cancel"`, `hx-post=`, `htmx.min.js`)
	r = anna.post("/estimates/"+id+"/lines", url.Values{"service": {"bathing"}, "mode": {"own"}, "quantity": {"1"}, "frequency": {"week"},
		"expected_version": {anna.version(id)}}).wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "a line on a decided estimate", r.body, "Arviota ei voi enää muuttaa")

	r = anna.post("/estimates/"+id+"/revise", url.Values{"pricing_date": {"2026-02-01"}, "expected_version": {anna.version(id)}}).wantStatus(t, http.StatusSeeOther)
	m := estimatePath.FindStringSubmatch(r.header.Get("Location"))
	if m == nil || m[1] == id {
		t.Fatalf("revised to %q", r.header.Get("Location"))
	}
	rev := estimateOf(t, e, m[1])
	if rev.RevisionOf() != id || len(rev.Lines()) != 2 || rev.Basis().PricingDate.String() != "2026-02-01" || rev.Status() != domain.EstDraft {
		t.Errorf("revision of %s, %d lines, %+v, %s", rev.RevisionOf(), len(rev.Lines()), rev.Basis(), rev.Status())
	}
	page = anna.get(r.header.Get("Location")).body
	contains(t, "the revision", page, "Tarkistus avattu.", `href="/estimates/`+id+`"`, `id="line-add"`)

	// Cancelling: the button sits in a section opened first; a reason too
	// long stays beside its field.
	contains(t, "the revision", page, `<details id="cancel-details" class="cancel">`, `id="estimate-cancel"`)
	r = anna.post("/estimates/"+m[1]+"/cancel", url.Values{"reason": {strings.Repeat("x", 501)}, "expected_version": {anna.version(m[1])}}).
		wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "a long reason", r.body, `id="cancel-reason-error"`, "Kirjoita syy enintään 500 merkillä.", `<details id="cancel-details" class="cancel" open>`)
	anna.post("/estimates/"+m[1]+"/cancel", url.Values{"reason": {"asiakas muutti"}, "expected_version": {anna.version(m[1])}}).wantStatus(t, http.StatusSeeOther)
	if st := estimateOf(t, e, m[1]).Status(); st != domain.EstCancelled {
		t.Errorf("status %s", st)
	}
	page = anna.get("/estimates/" + m[1]).body
	contains(t, "the cancelled estimate", page, "Arvio peruttu.", "peruttu")
	lacks(t, "the cancelled estimate", page, `id="line-add"`, `id="estimate-revise"`)
}

// An estimate not presented is decided only with the reason why.
func TestDecideWithoutPresenting(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "bathing", "own", "1", "week")
	page := anna.get("/estimates/" + id).body
	contains(t, "the draft", page, `<details id="decide-unpresented" class="decide-unpresented">`, `id="estimate-present"`)
	form := url.Values{"decision_number": {"D-9"}, "decision_date": {day(0)}, "effective_from": {"2025-04-01"}}
	form.Set("expected_version", anna.version(id))
	r := anna.post("/estimates/"+id+"/decide", form).wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "no reason", r.body, `id="not-presented-reason-error"`, "kerro, miksi päätös tehdään esittämättä",
		`<details id="decide-unpresented" class="decide-unpresented" open>`, `value="D-9"`)
	form.Set("not_presented_reason", "asiakas ei halunnut arviota")
	anna.post("/estimates/"+id+"/decide", form).wantStatus(t, http.StatusSeeOther)
	if d := estimateOf(t, e, id).Decision(); d == nil || d.NotPresentedReason != "asiakas ei halunnut arviota" {
		t.Errorf("decision %+v", d)
	}
}

// The print page is in Finnish whatever the person's language, names the
// county (or the tariff when no county is configured), the date, the tariff
// version, the lines, the totals and the fee basis; the print button is a
// script of its own and the style sheet prints on A4 without navigation.
func TestPrintPage(t *testing.T) {
	e := newSignInEnv(t, func(cfg *admin.Config) { cfg.County = "Päijät-Hämeen hyvinvointialue" })
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "regular-home-care", "own", "20", "month")
	anna.addLine(id, "meal-service", "own", "5", "week")
	anna.get("/estimates?lang=en") // the person works in English
	page := anna.get("/estimates/"+id+"/print").wantStatus(t, http.StatusOK).body
	contains(t, "the print page", page, `<html lang="fi">`, `<script src="/static/print.js" defer></script>`, `id="print-now"`, "Tulosta",
		`id="print-issuer">Päijät-Hämeen hyvinvointialue<`, "Arvio palvelujen kustannuksista", "Ikääntyneiden palvelujen hinnasto (Päijät-Häme-malli), versio 1 (voimassa 1.1.2025 alkaen)",
		"20 tuntia kuukaudessa", "5 ateriaa viikossa", `id="print-total-client">406,55 €`, "Kotihoidon maksu on 298,22 € kuukaudessa.",
		"Ateriapalvelu: 5,00 € / ateria.", "Tämä on arvio, ei päätös.", `id="print-date">`)
	lacks(t, "the print page", page, "Print", "Estimate", `class="top"`, `class="nav"`)
	contains(t, "the print page", page, `<nav class="print-tools no-print"`)
	// Without a county configured, the tariff's name heads the page.
	e2 := newSignInEnv(t)
	anna2 := signedIn(t, e2, "anna")
	id2 := anna2.openEstimate(newEstimateForm())
	page = anna2.get("/estimates/"+id2+"/print").wantStatus(t, http.StatusOK).body
	contains(t, "the print page without a county", page, `id="print-issuer">Ikääntyneiden palvelujen hinnasto (Päijät-Häme-malli)<`, "Arviossa ei ole palveluja.")

	js := e.do("GET", "/static/print.js", "").wantStatus(t, http.StatusOK).body
	contains(t, "print.js", js, "window.print()", `getElementById("print-now")`)
	css := string(e.do("GET", "/static/estimates.css", "").wantStatus(t, http.StatusOK).body)
	print := css[strings.Index(css, "@media print"):]
	for _, want := range []string{"size: A4", ".print-tools", "display: none"} {
		if !strings.Contains(print, want) {
			t.Errorf("the print rules lack %q", want)
		}
	}
}

// A controller sees an estimate read-only: no forms, no partial updates;
// the builder's routes refuse them. A case manager of another team does
// not see the estimate at all.
func TestEstimateReadOnlyAndOtherTeams(t *testing.T) {
	e := newSignInEnv(t)
	anna, ville := signedIn(t, e, "anna"), signedIn(t, e, "ville")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "bathing", "own", "1", "week")
	page := ville.get("/estimates/"+id).wantStatus(t, http.StatusOK).body
	contains(t, "the controller's view", page, "Arviota ei voi muuttaa tässä;", "Kylvetyspalvelu", "1 käynti viikossa", `id="total-client">`, `id="print-link"`)
	lacks(t, "the controller's view", page, "<form method=\"post\" action=\"/estimates/", `id="line-add"`, "htmx.min.js", `id="estimate-revise"`)
	ville.get("/estimates/"+id+"/print").wantStatus(t, http.StatusOK)
	ville.post("/estimates/"+id+"/lines", url.Values{"service": {"bathing"}}).wantStatus(t, http.StatusForbidden)
	ville.get("/estimates/"+id+"/choices").wantStatus(t, http.StatusForbidden)

	var south estimate
	e.do("POST", "/api/v1/estimates", demoCase, as("pekka", "south", "case_manager")...).wantStatus(t, http.StatusCreated).decode(t, &south)
	r := anna.get("/estimates/"+south.ID).wantStatus(t, http.StatusNotFound)
	lacks(t, "another team's estimate", r.body, "A-123")
	anna.get("/estimates/"+south.ID+"/print").wantStatus(t, http.StatusNotFound)
	anna.post("/estimates/"+south.ID+"/present", url.Values{"expected_version": {"0"}}).wantStatus(t, http.StatusNotFound)
	anna.get("/estimates/not-an-id").wantStatus(t, http.StatusNotFound)
	ville.get("/estimates/"+south.ID).wantStatus(t, http.StatusOK)
}

// The estimate pages carry no inline script, style or event handler (the
// Content-Security-Policy would block them).
func TestEstimatePagesHaveNoInlineCode(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "regular-home-care", "own", "20", "month")
	inline := regexp.MustCompile(`(?i)\sstyle=|\son[a-z]+=|<script>|<script [^>]*>[^<]+</script>|javascript:`)
	for _, path := range []string{"/estimates", "/estimates/new", "/estimates/" + id, "/estimates/" + id + "/print", "/estimates/" + id + "/choices?row=new&service=bathing"} {
		if m := inline.Find(anna.get(path).wantStatus(t, http.StatusOK).body); m != nil {
			t.Errorf("%s has inline code: %s", path, m)
		}
	}
}
