package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"carecost/domain"
)

// opsEnv is a projected env with olli (operations) signed in.
func opsEnv(t *testing.T) (*projectedEnv, *browser) {
	t.Helper()
	pe := newProjectedEnv(t)
	pe.addUser("olli", "Olli Operaattori", "", domain.RoleOperations)
	return pe, pe.signedIn("olli")
}

// The operations page shows every projection with its checkpoint, head,
// lag and state, readiness and the links to metrics and health, and no
// client data.
func TestOperationsPage(t *testing.T) {
	pe, olli := opsEnv(t)
	pe.decided("D-1")
	page := string(pe.page(olli, "/operations").wantStatus(t, http.StatusOK).body)
	head, _ := pe.store.Head(context.Background())
	for _, name := range []string{"catalogue", "history", "estimates", "decisions", "users"} {
		row := auditText(auditElement(page, "ops-row-"+name))
		if !strings.HasPrefix(row, name+" käynnissä "+head.String()+" "+head.String()+" 0 ") {
			t.Errorf("row of %s: %q", name, row)
		}
	}
	if got := auditText(auditElement(page, "ops-ready")); !strings.Contains(got, "Järjestelmä on valmis") {
		t.Errorf("readiness: %q", got)
	}
	for _, link := range []string{"/metrics", "/healthz", "/readyz", "/api/openapi.json"} {
		if !strings.Contains(page, `href="`+link+`"`) {
			t.Errorf("no link to %s", link)
		}
	}
	if strings.Contains(page, "A-123") || strings.Contains(page, "skip-form-") {
		t.Errorf("the page shows client data or a skip form")
	}
	en := string(pe.page(olli, "/operations?lang=en").body)
	if got := auditText(auditElement(en, "ops-row-decisions")); !strings.HasPrefix(got, "decisions running ") {
		t.Errorf("in English: %q", got)
	}
	anna := pe.signedIn("anna")
	if r := pe.page(anna, "/operations"); r.status != http.StatusForbidden {
		t.Errorf("a case manager: %d", r.status)
	}
}

// A stopped projection shows the event it cannot apply (never the payload's
// values) and how to skip it; the skip form refuses a missing reason beside
// the field in the person's language, writing nothing, and a form without
// the CSRF token; a valid skip is recorded with who did it, and the
// projection goes on.
func TestOperationsSkip(t *testing.T) {
	pe, olli := opsEnv(t)
	ctx := context.Background()
	if _, err := pe.store.Append(ctx, domain.EstimateStream(domain.NewID()), domain.AnyVersion, domain.EventData{ID: domain.NewID(),
		Type: domain.EvEstimateDecided, Data: []byte(`{"decision_number": 7, "client_ref": "SECRET-REF-9", "quote": {"lines": 3}}`)}); err != nil {
		t.Fatal(err)
	}
	_ = pe.runner.CatchUp(ctx)
	page := string(olli.do("GET", "/operations", "", nil).wantStatus(t, http.StatusOK).body)
	stopped := auditElement(page, "ops-stopped-decisions")
	if stopped == "" || !strings.Contains(auditText(auditElement(page, "ops-row-decisions")), "pysähtynyt") {
		t.Fatalf("no stopped decisions projection:\n%s", auditElement(page, "main"))
	}
	if strings.Contains(page, "SECRET") {
		t.Errorf("the page shows the payload's values")
	}
	pos := auditText(auditElement(page, "ops-stopped-position-decisions"))
	for _, want := range []string{"/api/v1/projections/decisions/skip", "carecost projections skip decisions --position " + pos} {
		if !strings.Contains(auditText(stopped), want) {
			t.Errorf("how to skip lacks %q", want)
		}
	}
	if e := auditText(auditElement(page, "ops-stopped-error-decisions")); e == "" {
		t.Errorf("no error shown")
	}
	if !strings.Contains(auditText(auditElement(page, "ops-ready")), "ei ole valmis") {
		t.Errorf("readiness: %s", auditElement(page, "ops-ready"))
	}

	const path = "/operations/projections/decisions/skip"
	for lang, msg := range map[string]string{"fi": "Kirjoita ohituksen syy.", "en": "Enter the reason for the skip."} {
		pe.formFails(olli, path, url.Values{"position": {pos}, "reason": {""}}, "skip-reason-decisions", lang, msg)
	}
	pe.formFails(olli, path, url.Values{"position": {pos}, "reason": {"two\nlines"}}, "skip-reason-decisions", "fi", "Kirjoita syy yhdelle riville")
	kept := pe.formFails(olli, path, url.Values{"position": {"1"}, "reason": {"faulty import"}}, "skip-reason-decisions", "en", "The projection is now stopped at another event")
	if !strings.Contains(auditElement(kept, "skip-form-decisions"), `value="faulty import"`) {
		t.Errorf("the reason is not kept")
	}
	before := pe.store.count()
	if r := olli.do("POST", path, "", url.Values{"position": {pos}, "reason": {"faulty import"}}); r.status != http.StatusForbidden || pe.store.count() != before {
		t.Errorf("without the CSRF token: %d", r.status)
	}
	pe.post(olli, path, url.Values{"position": {pos}, "reason": {"decision number written as a number by the import"}}).wantStatus(t, http.StatusSeeOther)
	_ = pe.runner.CatchUp(ctx)
	page = string(olli.do("GET", "/operations?lang=fi", "", nil).wantStatus(t, http.StatusOK).body)
	if strings.Contains(page, `id="ops-stopped-decisions"`) || !strings.Contains(page, "Tapahtuma ohitettu.") {
		t.Errorf("after the skip:\n%s", auditElement(page, "main"))
	}
	skips, err := pe.store.ReadStream(ctx, domain.ProjectionsStream, domain.ReadStreamOptions{})
	if err != nil || len(skips) != 1 || !strings.Contains(string(skips[0].Metadata), `"olli"`) {
		t.Errorf("the skip in the log: %v %+v", err, skips)
	}
}
