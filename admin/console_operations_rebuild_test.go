package admin_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"carecost/domain"
	"carecost/projections"
)

// gatedEstimates is the estimates projection whose Apply waits for its
// gate to open: a rebuild that stays running while the test looks.
type gatedEstimates struct {
	*projections.EstimateTotals
	gate <-chan struct{}
}

func (g gatedEstimates) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return ctx.Err()
	}
	return g.EstimateTotals.Apply(ctx, tx, events)
}

// The operations page has a Rebuild button for each projection; only the
// operations role may press it, and only with the CSRF token. While the
// rebuild runs the page shows its progress and updates that part itself
// (htmx polling), a second press is refused beside the button in the
// person's language, and once it has switched the page says so and stops
// updating.
func TestOperationsRebuild(t *testing.T) {
	pe, olli := opsEnv(t)
	pe.decided("D-1")
	pe.catchUp()
	gate := make(chan struct{})
	store := pe.store
	pe.runner.Shadows = func(name string, db *projections.DB) projections.Projection {
		return gatedEstimates{EstimateTotals: projections.NewEstimateTotals(db, store), gate: gate}
	}
	page := string(pe.page(olli, "/operations").wantStatus(t, http.StatusOK).body)
	for _, name := range []string{"catalogue", "history", "estimates", "decisions", "users"} {
		form := auditElement(page, "rebuild-form-"+name)
		if !strings.Contains(form, `action="/operations/projections/`+name+`/rebuild"`) || !strings.Contains(form, `name="_csrf"`) ||
			auditText(form) != "Rakenna uudelleen" {
			t.Errorf("the rebuild form of %s: %s", name, form)
		}
	}
	if auditElement(page, "ops-rebuilds-empty") == "" || strings.Contains(page, "hx-trigger") {
		t.Errorf("before any rebuild: %s", auditElement(page, "ops-rebuilds"))
	}

	const path = "/operations/projections/estimates/rebuild"
	if r := olli.do("POST", path, "", url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("without the CSRF token: %d", r.status)
	}
	anna := pe.signedIn("anna")
	if r := pe.post(anna, path, url.Values{}); r.status != http.StatusForbidden {
		t.Errorf("a case manager: %d", r.status)
	}
	if _, err := pe.runner.WaitRebuild(context.Background(), "estimates"); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("a rebuild started without the operations role and the token: %v", err)
	}

	// The row's button asks first: what a rebuild does, the question's
	// own button (which confirms) and a way back; nothing starts yet.
	ask := string(pe.post(olli, path, url.Values{}).wantStatus(t, http.StatusOK).body)
	confirm := auditElement(ask, "ops-confirm")
	if !strings.Contains(auditText(auditElement(confirm, "ops-confirm-title")), "Rakennetaanko estimates uudelleen?") ||
		!strings.Contains(auditText(auditElement(confirm, "ops-confirm-text")), "koko tapahtumalokista") ||
		!strings.Contains(confirm, `action="/operations/projections/estimates/rebuild"`) || !strings.Contains(confirm, `name="_csrf"`) ||
		!strings.Contains(confirm, `name="confirm" value="yes"`) || auditText(auditElement(confirm, "rebuild-confirm")) != "Rakenna estimates uudelleen" ||
		!strings.Contains(auditElement(confirm, "rebuild-cancel"), `href="/operations"`) || auditElement(confirm, "ops-confirm-last") != "" {
		t.Errorf("the question before a rebuild:\n%s", confirm)
	}
	if _, err := pe.runner.WaitRebuild(context.Background(), "estimates"); domain.ErrorCode(err) != domain.ENotFound {
		t.Fatalf("a rebuild started before it was confirmed: %v", err)
	}

	pe.post(olli, path, url.Values{"confirm": {"yes"}}).wantStatus(t, http.StatusSeeOther)
	page = string(pe.page(olli, "/operations").wantStatus(t, http.StatusOK).body)
	if !strings.Contains(page, "Uudelleenrakennus aloitettu.") {
		t.Errorf("no notice")
	}
	// The projections' table and the rebuilds update themselves together:
	// once the rebuild is done, its row offers the button again.
	section := auditElement(page, "ops-live")
	if !strings.Contains(section, `hx-get="/operations"`) || !strings.Contains(section, `hx-trigger="every 2s"`) ||
		!strings.Contains(section, `hx-select="#ops-live"`) || !strings.Contains(section, `id="ops-projections"`) ||
		!strings.Contains(section, `id="ops-rebuild-table"`) || !strings.Contains(page, `<script src="/static/htmx.min.js" defer>`) {
		t.Errorf("the running rebuild's section does not update itself: %s", section)
	}
	if row := auditText(auditElement(page, "ops-rebuild-estimates")); !strings.HasPrefix(row, "estimates rakennetaan ") {
		t.Errorf("the running rebuild: %q", row)
	}
	if got := auditText(auditElement(page, "ops-row-estimates")); !strings.HasSuffix(got, "rakennetaan uudelleen") ||
		auditElement(page, "rebuild-form-estimates") != "" {
		t.Errorf("the estimates row while it is rebuilt: %q", got)
	}

	for lang, msg := range map[string]string{"fi": "Projektiota rakennetaan jo uudelleen.", "en": "The projection is being rebuilt already."} {
		again := string(pe.post(olli, path+"?lang="+lang, url.Values{}).wantStatus(t, http.StatusConflict).body)
		if !strings.Contains(again, `id="rebuild-estimates-error">`+msg) || !strings.Contains(again, `href="#rebuild-estimates"`) {
			t.Errorf("a second rebuild in %s:\n%s", lang, auditElement(again, "main"))
		}
	}

	close(gate)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if _, err := pe.runner.WaitRebuild(ctx, "estimates"); err != nil {
		t.Fatal(err)
	}
	page = string(pe.page(olli, "/operations?lang=en").wantStatus(t, http.StatusOK).body)
	if row := auditText(auditElement(page, "ops-rebuild-estimates")); !strings.HasPrefix(row, "estimates done ") {
		t.Errorf("after the switch: %q", row)
	}
	if strings.Contains(page, "hx-trigger") || auditElement(page, "rebuild-form-estimates") == "" {
		t.Errorf("after the switch the page still updates itself, or has no button")
	}
	// Asked again (in English), the question says how long the last
	// rebuild took.
	ask = string(pe.post(olli, path+"?lang=en", url.Values{}).wantStatus(t, http.StatusOK).body)
	if title := auditText(auditElement(ask, "ops-confirm-title")); title != "Rebuild estimates?" {
		t.Errorf("the question in English: %q", title)
	}
	if last := auditText(auditElement(ask, "ops-confirm-last")); !strings.HasPrefix(last, "Its last rebuild here took about ") || !strings.Contains(last, " events).") {
		t.Errorf("the question after a rebuild: %q", last)
	}
}
