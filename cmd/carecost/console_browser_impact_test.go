package main

import (
	"regexp"
	"strings"
	"testing"

	"carecost/domain"
)

// The controller's questions in a browser, on the demo's eighteen months
// of history:
//
//  1. the admin drafts a correction of the tariff version in effect,
//     changing the meal service's fee, which decisions in force use;
//  2. on the draft's preview (Try this draft) they add a sample case and
//     see the decisions in force it would change and the sample, in euros;
//  3. they publish the correction retroactively: the confirmation shows
//     the same euros before anything is published;
//  4. the controller opens the version's impact page and sees the list of
//     decisions with euros, opens one of them and re-prices it under the
//     version it was decided with and under the correction (what-if).
//
// Each new page is checked (screenshot, axe-core, the keyboard, the
// Content-Security-Policy) in Finnish and in English.
func TestBrowserConsoleImpact(t *testing.T) {
	rig := startConsole(t)

	// 1. The correction.
	t.Log("1. the admin drafts a correction of the meal service's fee")
	admin := rig.session(t)
	admin.signInAs(domain.RoleAdmin)
	admin.lang("fi")
	admin.open("/tariffs/phhva")
	admin.waitFor("#version-timeline")
	source := admin.value("#draft-source")
	inEffect := strings.TrimPrefix(source, "copy-")
	if !strings.HasPrefix(source, "copy-") {
		t.Fatalf("the new draft's form offers %q first, not a copy of the version in effect", source)
	}
	admin.selectOption("#draft-source", "correct-"+inEffect)
	admin.typeInto("#draft-note", "Ateriapalvelun maksu korjataan")
	admin.click("#create-draft")
	admin.waitFor("#entries-table")
	draftPath := admin.location()
	if !regexp.MustCompile(`^/tariffs/phhva/versions/\d+$`).MatchString(draftPath) {
		t.Fatalf("creating the correction went to %s", draftPath)
	}
	number := strings.TrimPrefix(draftPath, "/tariffs/phhva/versions/")
	oldFee := admin.value("#meal-service--own-fee")
	newFee := "6,10"
	if oldFee == newFee {
		newFee = "6,20"
	}
	admin.typeInto("#meal-service--own-fee", newFee)
	admin.click("#entry-save-meal-service--own")
	if got := admin.value("#meal-service--own-fee"); got != newFee {
		t.Fatalf("after saving, the correction's meal fee is %q, want %s", got, newFee)
	}

	// 2. The preview, with a sample case.
	t.Log("2. the admin tries the draft on a sample case and the decisions in force")
	admin.click("#impact-link")
	admin.waitFor("#impact-answer")
	previewPath := draftPath + "/impact"
	if loc := admin.location(); loc != previewPath {
		t.Fatalf("Try this draft went to %s", loc)
	}
	// The demo's admin keeps sample cases already; this one is added.
	before := len(admin.texts("#sample-table tbody tr"))
	admin.typeInto("#sample-name", "Ateriat viidesti viikossa")
	admin.selectOption("#sample-line1-service", "meal-service/own")
	admin.typeInto("#sample-line1-quantity", "5")
	admin.selectOption("#sample-line1-frequency", "week")
	admin.click("#sample-save")
	admin.waitFor("#sample-table")
	rows := admin.texts("#sample-table tbody tr")
	if len(rows) != before+1 {
		t.Fatalf("%d sample rows after adding one to %d", len(rows), before)
	}
	sampleRow := ""
	for _, r := range rows {
		if strings.Contains(r, "Ateriat viidesti viikossa") {
			sampleRow = r
		}
	}
	changed := admin.text("#impact-changed")
	if changed == "0" || changed == "" {
		t.Fatalf("the preview changes no decision in force: %q", admin.text("#impact-answer"))
	}
	feeMonth, netMonth := admin.text("#impact-fee-month"), admin.text("#impact-net-month")
	if !strings.HasPrefix(feeMonth, "+") {
		t.Errorf("a higher meal fee should raise the client fees: %q", feeMonth)
	}
	if !strings.Contains(sampleRow, "+") {
		t.Errorf("the sample's row shows no change: %q", sampleRow)
	}
	admin.check("tariff-draft-preview")
	admin.lang("en")
	admin.check("tariff-draft-preview")
	admin.lang("fi")

	// 3. Publishing, with the euros on the confirmation.
	t.Log("3. the admin publishes the correction, seeing the euros first")
	// Asked in English first, then in Finnish and confirmed.
	for _, lang := range []string{"en", "fi"} {
		admin.open(draftPath)
		admin.lang(lang)
		admin.waitFor("#publish-form")
		admin.typeInto("#publish-reason", map[string]string{"en": "Correction: the meal service's client fee",
			"fi": "Korjaus: ateriapalvelun asiakasmaksu"}[lang])
		admin.click("#publish-submit")
		admin.waitFor("#confirm-impact")
		if got := admin.attrs("#confirm-impact-link", "href"); len(got) != 1 || got[0] != previewPath {
			t.Errorf("the confirmation links to %q, want %s", got, previewPath)
		}
		admin.check("tariff-publish-confirm-euros")
	}
	for sel, want := range map[string]string{"#confirm-impact-changed": changed, "#confirm-impact-fee-month": feeMonth, "#confirm-impact-net-month": netMonth} {
		if got := admin.text(sel); got != want {
			t.Errorf("the confirmation's %s is %q, the preview said %q", sel, got, want)
		}
	}
	admin.click("#publish-confirm")
	if loc := admin.location(); loc != "/tariffs/phhva" {
		t.Fatalf("confirming went to %s: %q", loc, admin.text("main"))
	}

	// 4. The controller: the impact list, then a decision's what-if.
	t.Log("4. the controller sees what the correction changed and re-prices a decision")
	ctl := rig.session(t)
	ctl.signInAs(domain.RoleController)
	ctl.lang("fi")
	ctl.open(previewPath)
	ctl.waitFor("#impact-decisions")
	if got := ctl.text("#impact-changed"); got != changed {
		t.Errorf("published, the version changes %s decisions; the preview said %s", got, changed)
	}
	if got := ctl.text("#impact-fee-month"); got != feeMonth {
		t.Errorf("published, the client fees change by %s a month; the preview said %s", got, feeMonth)
	}
	links := ctl.attrs("#impact-decisions tbody th a", "href")
	if len(links) == 0 {
		t.Fatalf("the impact list links to no decision: %q", ctl.text("#impact-decisions"))
	}
	firstRow := ctl.texts("#impact-decisions tbody tr")[0]
	ctl.check("impact-version")
	ctl.lang("en")
	ctl.check("impact-version")
	ctl.lang("fi")

	ctl.click("#impact-decisions tbody th a")
	ctl.waitFor("#whatif-form")
	if loc := ctl.location(); loc != links[0] {
		t.Fatalf("the decision's link went to %s, want %s", loc, links[0])
	}
	ctl.selectOption("#whatif-tariff_version", number)
	ctl.click("#whatif-ask")
	ctl.waitFor("#whatif-answer")
	// The what-if under the correction gives the decision's row of the
	// impact list: the client fee a month decided, re-priced and changed.
	month := ctl.text("#whatif-total-monthly")
	for _, cell := range strings.Fields(firstRow) {
		if strings.HasPrefix(cell, "+") && !strings.Contains(month, cell) {
			t.Errorf("the what-if's month %q lacks the impact list's change %s (%q)", month, cell, firstRow)
		}
	}
	ctl.check("decision-whatif")
	ctl.lang("en")
	ctl.check("decision-whatif")
	if !ctl.exists("#whatif-answer") {
		t.Errorf("after switching language the what-if's answer is gone")
	}
}
