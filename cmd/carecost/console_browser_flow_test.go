package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

// The console's main flows in a real browser, one after the other on the
// demo data, as the people who use it would go:
//
//  1. an admin drafts a new version of the tariff in effect, changes a
//     price, previews the diff and publishes it from a future date; looks
//     at the price history, the services, the income limits and the users;
//  2. a case manager builds a five-line estimate from an empty screen,
//     sees the totals change after each line, presents it, prints the
//     client's page to PDF and records the decision; what they did from
//     the estimates list to the decision is counted (docs/usability.md);
//  3. a controller finds that decision, sees the prices and rule
//     parameters it used, its history and the tariff version, and exports
//     the decision list and its lines as CSV;
//  4. the admin publishes a retroactive correction of the version the
//     decision was priced with, changing the price of a service it uses;
//     the confirmation lists the decision;
//  5. the controller sees the decision flagged, linked to the correction;
//  6. operations see how carecost runs, without client data.
//
// Each main page is checked (screenshot, axe-core, the keyboard, the
// Content-Security-Policy) in Finnish and in English.
func TestBrowserConsoleFlow(t *testing.T) {
	rig := startConsole(t)
	now := time.Now().In(domain.Helsinki)
	today := domain.DateOf(now)

	// 1. The admin versions the tariff.
	t.Log("1. the admin drafts, compares and publishes a tariff version")
	admin := rig.session(t)
	admin.signInAs(domain.RoleAdmin)
	admin.lang("fi")

	admin.open("/tariffs")
	admin.waitFor("#tariffs-table")
	admin.check("tariffs")
	admin.open("/tariffs/phhva")
	admin.waitFor("#version-timeline")
	versionsBefore := admin.attrs("#version-timeline > li", "id")
	admin.check("tariff-timeline")
	// A future valid-from no version has.
	future := today.AddDays(45)
	for strings.Contains(admin.text("#version-timeline"), flowDate(future)) {
		future = future.AddDays(1)
	}

	// The draft starts from a copy of the version in effect: the option
	// the form offers first-hand, and the one the timeline marks.
	source := admin.value("#draft-source")
	inEffect := strings.TrimPrefix(source, "copy-")
	if !strings.HasPrefix(source, "copy-") || !admin.exists("#version-"+inEffect) {
		t.Fatalf("the new draft's form offers %q first, not a copy of a version on the timeline %q", source, versionsBefore)
	}
	if got := admin.text("#version-" + inEffect + " h3"); !strings.Contains(got, flowText(t, "fi", "catalogue", "catalogue.timeline.in_effect")) {
		t.Errorf("the draft's form offers a copy of version %s first, which the timeline does not mark in effect: %q", inEffect, got)
	}
	admin.selectOption("#draft-source", source)
	admin.typeInto("#draft-note", "Hinnasto ensi kaudelle")
	admin.click("#create-draft")
	admin.waitFor("#entries-table")
	draftPath := admin.location()
	if !regexp.MustCompile(`^/tariffs/phhva/versions/\d+$`).MatchString(draftPath) {
		t.Fatalf("creating the draft went to %s", draftPath)
	}
	draftNumber := strings.TrimPrefix(draftPath, "/tariffs/phhva/versions/")

	// The prices of the version in effect, which the estimate will use.
	prices := map[string]string{}
	for _, key := range flowLineKeys {
		prices[key] = admin.value("#" + key + "-unit_cost")
		if prices[key] == "" {
			t.Fatalf("the draft (a copy of version %s) shows no unit cost for %s", inEffect, key)
		}
	}
	oldMeal := prices["meal-service--own"]
	newMeal := "11,35"
	if oldMeal == newMeal {
		newMeal = "11,45"
	}
	admin.typeInto("#meal-service--own-unit_cost", newMeal)
	admin.click("#entry-save-meal-service--own")
	if got := admin.value("#meal-service--own-unit_cost"); got != newMeal {
		t.Fatalf("after saving, the draft's meal service costs %q, want %q", got, newMeal)
	}
	admin.check("tariff-draft-editor")
	admin.lang("en")
	admin.check("tariff-draft-editor")
	admin.lang("fi")

	admin.click("#diff-link")
	admin.waitFor("#diff-table")
	row := "#diff-table tr.diff-changed#diff-meal-service--own"
	if !admin.exists(row) {
		t.Fatalf("the diff shows no changed row for the meal service: %q", admin.texts("#diff-table tbody tr"))
	}
	if got := admin.text(row); !strings.Contains(got, oldMeal) || !strings.Contains(got, newMeal) {
		t.Errorf("the diff's row of the meal service says %q, want %s and %s", got, oldMeal, newMeal)
	}
	if n := len(admin.texts("#diff-table tbody tr")); n != 1 {
		t.Errorf("the diff shows %d rows, want the one changed: %q", n, admin.texts("#diff-table tbody tr"))
	}
	admin.check("tariff-diff")
	admin.lang("en")
	admin.check("tariff-diff")
	admin.lang("fi")

	admin.open(draftPath)
	// One more entry's unit cost changed in its row saves itself, no
	// button pressed (not counted: a correction).
	errandsCost := "33,30"
	if admin.value("#errands--own-unit_cost") == errandsCost {
		errandsCost = "33,40"
	}
	// What is typed in another row and not yet left stays: the answer is
	// the saved row alone.
	admin.eval(`(() => { document.querySelector("#bathing--own-unit_cost").value = "99,99"; return true; })()`, nil)
	admin.fill("#errands--own-unit_cost", errandsCost)
	admin.waitText("#entries-status", "hinta tallennettiin luonnokseen")
	if got := admin.value("#errands--own-unit_cost"); got != errandsCost {
		t.Errorf("the saved row shows %q, want %q", got, errandsCost)
	}
	if got := admin.value("#bathing--own-unit_cost"); got != "99,99" {
		t.Errorf("what was typed in another row became %q when the first saved itself", got)
	}
	admin.open(draftPath) // the typed bathing cost is left unsaved
	admin.typeInto("#publish-valid_from", future.String())
	admin.typeInto("#publish-reason", "Ateriapalvelun hinta ensi kaudelle")
	admin.click("#publish-submit")
	if admin.exists("#publish-confirm") {
		// Decided estimates priced from that day on are listed first.
		if admin.exists("#confirm-retroactive") {
			t.Errorf("a version valid from %s is called retroactive", future)
		}
		admin.click("#publish-confirm")
	}
	// Published, the version is on the tariff's timeline.
	if loc := admin.location(); loc != "/tariffs/phhva" {
		t.Fatalf("publishing went to %s: %q", loc, admin.text("main"))
	}
	admin.waitFor("#version-timeline")
	item := "#version-timeline #version-" + draftNumber
	if !admin.exists(item) {
		t.Fatalf("the timeline does not show version %s: %q", draftNumber, admin.attrs("#version-timeline > li", "id"))
	}
	if got := admin.text(item); !strings.Contains(got, flowDate(future)) {
		t.Errorf("the timeline's version %s does not say it is valid from %s: %q", draftNumber, flowDate(future), got)
	}
	admin.check("tariff-timeline")
	admin.lang("en")
	admin.check("tariff-timeline")
	admin.open("/tariffs")
	admin.check("tariffs")
	admin.lang("fi")

	// The price history: the new price from the future date on.
	admin.open("/tariffs/phhva")
	admin.click("#chart-link")
	admin.waitFor("#price-chart")
	admin.waitFor("#price-chart-table")
	admin.selectOption("#chart-service", "meal-service")
	admin.click("#chart-show")
	admin.selectOption("#chart-mode", "own")
	admin.click("#chart-show")
	if got := admin.text("#price-chart-table"); !strings.Contains(got, newMeal) || !strings.Contains(got, flowDate(future)) {
		t.Errorf("the price history of the meal service does not show %s from %s: %q", newMeal, flowDate(future), got)
	}
	if n := len(admin.attrs("#price-chart path.price-line", "id")); n < 2 {
		t.Errorf("the price chart draws %d lines, want one per recorded version", n)
	}
	admin.check("tariff-chart")
	admin.lang("en")
	admin.check("tariff-chart")
	admin.lang("fi")

	for _, p := range []struct{ path, table, name string }{
		{"/services", "#services-table", "services"},
		{"/income-catalogues", "#income-catalogues-table", "income-catalogues"},
		{"/users", "#user-list", "users"},
	} {
		admin.open(p.path)
		admin.waitFor(p.table)
		admin.check(p.name)
		admin.lang("en")
		admin.check(p.name)
		admin.lang("fi")
	}

	// 2. The case manager builds, presents and decides a five-line
	// estimate, counted from the list to the decision.
	t.Log("2. the case manager builds a five-line estimate and decides it")
	cm := rig.session(t)
	cmUser := cm.signInAs(domain.RoleCaseManager)
	cm.lang("fi")
	cm.open("/estimates")
	cm.waitFor("#estimate-new")
	cm.resetCounts()
	// The checks and the language switches on the way are not counted;
	// the list is checked in English once the estimate is on it.
	cm.check("estimates")

	cm.click("#estimate-new")
	cm.waitFor("#estimate-new-form")
	cm.check("estimate-new")
	cm.lang("en")
	cm.check("estimate-new")
	cm.lang("fi")
	if got := cm.value("#tariff"); got != "phhva" {
		t.Errorf("the new estimate's tariff is %q by default", got)
	}
	if got := cm.value("#pricing-date"); got != today.String() {
		t.Errorf("the new estimate's pricing date is %q by default, want %s", got, today)
	}
	clientRef := "ASI-" + now.Format("0102150405")
	cm.typeInto("#client-ref", clientRef)
	cm.selectOption("#maple", "3")
	cm.selectOption("#segment", "continuous")
	cm.typeInto("#gross-income", "1 650,00")
	cm.click("#estimate-open")
	cm.waitFor("#line-add")
	builderPath := cm.location()
	estimateID := strings.TrimPrefix(builderPath, "/estimates/")
	if !regexp.MustCompile(`^[0-9a-f-]{36}$`).MatchString(estimateID) {
		t.Fatalf("opening the estimate went to %s", builderPath)
	}
	if got := cm.text("#fact-tariff"); !strings.Contains(got, inEffect) {
		t.Errorf("the estimate is priced with %q, want version %s", got, inEffect)
	}

	for i, ln := range flowLines {
		cm.selectOption("#line-service", ln.service)
		if ln.mode != "" {
			cm.selectOption("#line-mode", ln.mode)
		}
		cm.typeInto("#line-quantity", ln.quantity)
		if ln.frequency != "" {
			cm.selectOption("#line-frequency", ln.frequency)
		}
		client, county := cm.text("#total-client"), cm.text("#total-county")
		cm.click("#line-add")
		newCounty := cm.waitChange("#total-county", county)
		newClient := cm.text("#total-client")
		t.Logf("line %d (%s): client %s -> %s, county %s -> %s", i+1, ln.service, client, newClient, county, newCounty)
		if n := len(cm.attrs("#lines tbody tr.line-row:not(.new-line)", "id")); n != i+1 {
			t.Fatalf("after adding line %d the estimate shows %d lines", i+1, n)
		}
		if cm.location() != builderPath {
			t.Errorf("adding a line left the builder for %s", cm.location())
		}
	}
	// An existing line changed in its row: the totals follow once the
	// field is left, with no save pressed (not counted: a correction).
	county := cm.text("#total-county")
	cm.fill("#line-l2-quantity", "5")
	newCounty := cm.waitChange("#total-county", county)
	t.Logf("line 2 changed in its row: county %s -> %s", county, newCounty)
	if got := cm.value("#line-l2-quantity"); got != "5" {
		t.Errorf("after saving itself the changed row holds %q", got)
	}
	cm.check("estimate-builder")
	cm.lang("en")
	cm.check("estimate-builder")
	cm.lang("fi")
	totalClient, totalCounty := cm.text("#total-client"), cm.text("#total-county")

	cm.click("#estimate-present")
	cm.waitFor("#decision-number")
	// Where the seed's flow ends: the estimate shown to the client.
	presented := cm.counts()
	// The client's page, printed as the browser prints it.
	cm.click("#print-link")
	cm.waitFor("#print-lines")
	if want := flowText(t, "fi", "estimates", "estimates.print.title"); cm.pageLang() != "fi" || cm.text("h1") != want {
		t.Errorf("the print page is in %q: %q, want %q", cm.pageLang(), cm.text("h1"), want)
	}
	if got := cm.text("#print-client"); got != clientRef {
		t.Errorf("the print page names the client %q", got)
	}
	if cm.text("#print-issuer") == "" || !strings.Contains(cm.text("#print-tariff"), inEffect) {
		t.Errorf("the print page's county %q, tariff %q", cm.text("#print-issuer"), cm.text("#print-tariff"))
	}
	if got := cm.text("#print-date"); got != flowDate(today) {
		t.Errorf("the print page is dated %q, want %s", got, flowDate(today))
	}
	if c, k := cm.text("#print-total-client"), cm.text("#print-total-county"); c != totalClient || k != totalCounty {
		t.Errorf("the print page's totals %s and %s, the builder's %s and %s", c, k, totalClient, totalCounty)
	}
	if n := len(cm.texts("#print-lines tbody tr")); n != len(flowLines) {
		t.Errorf("the print page lists %d lines", n)
	}
	pdf := cm.printPDF("fi-estimate-print")
	if !pdfA4(pdf) {
		t.Errorf("the client's page did not print on A4")
	}
	if n := pdfPages(pdf); n < 1 || n > 3 {
		t.Errorf("the client's page printed on %d pages", n)
	}
	cm.printPage("estimate-print")
	cm.click("#print-back")
	cm.waitFor("#decision-number")
	decisionNumber := "HYV-" + now.Format("0102150405")
	cm.typeInto("#decision-number", decisionNumber)
	if got := cm.value("#decision-date"); got != today.String() {
		t.Errorf("the decision date is %q by default, want %s", got, today)
	}
	cm.click("#estimate-decide")
	cm.waitFor("#fact-decision")
	if got := cm.text("#fact-decision"); !strings.Contains(got, decisionNumber) {
		t.Fatalf("after deciding, the estimate says %q", got)
	}
	decided := cm.counts()
	usability := fmt.Sprintf("From the estimates list to a presented five-line estimate (where the seed's flow ends): %v\n"+
		"From the estimates list to the decision recorded, the client's page printed on the way: %v\n", presented, decided)
	t.Log(usability)
	rig.write(t, "usability.txt", []byte(usability))
	if presented.Total() > flowMaxActions {
		t.Errorf("building and presenting a five-line estimate took %v: more than %d, half of the seed's 44 (docs/usability.md)", presented, flowMaxActions)
	}
	if extra := decided.Total() - presented.Total(); extra > flowMaxBeyondSeed {
		t.Errorf("printing and deciding a presented estimate took %d actions, want at most %d (open the print page, back, the decision number, record)", extra, flowMaxBeyondSeed)
	}
	cm.check("estimate-decided")
	cm.lang("en")
	cm.check("estimate-decided")
	// The client's copy is in Finnish whatever the case manager reads.
	cm.click("#print-link")
	cm.waitFor("#print-decision")
	if cm.pageLang() != "fi" || cm.text("#print-decision") == "" {
		t.Errorf("the print page of the decided estimate, opened in English, is in %q", cm.pageLang())
	}
	cm.open("/estimates")
	cm.check("estimates")
	cm.lang("fi")

	// 3. The controller audits the decision.
	t.Log("3. the controller opens the decision and exports it")
	ctl := rig.session(t)
	ctl.signInAs(domain.RoleController)
	ctl.lang("fi")
	ctl.open("/decisions")
	link := "#decision-link-" + estimateID
	ctl.waitFor(link)
	// The decisions of today.
	ctl.typeInto("#filter-decided-from", today.String())
	ctl.click("#filter-submit")
	if got := ctl.text(link); got != decisionNumber {
		t.Errorf("the decision list links %q for the estimate", got)
	}
	if loc := ctl.location(); !strings.Contains(loc, "decided_from="+today.String()) {
		t.Errorf("filtering by the decision date went to %s", loc)
	}
	decisionsPath := ctl.location()
	ctl.check("decisions")
	listCSV := ctl.attrs("#csv-list", "href")
	if len(listCSV) != 1 || !strings.Contains(listCSV[0], "decided_from="+today.String()) {
		t.Errorf("the list's CSV link %q does not keep the filter", listCSV)
	}
	ctl.click(link)
	ctl.waitFor("#decision-prices")
	decisionPath := ctl.location()
	if decisionPath != "/decisions/"+estimateID {
		t.Fatalf("the decision's link went to %s", decisionPath)
	}
	if got := ctl.text("#decision-number"); got != decisionNumber {
		t.Errorf("the decision page says number %q", got)
	}
	if got := ctl.text("#decision-tariff"); !strings.Contains(got, inEffect) {
		t.Errorf("the decision's tariff row %q does not name version %s", got, inEffect)
	}
	if ctl.text("#decision-tariff-recorded") == "" {
		t.Errorf("the decision does not say when its tariff version was recorded")
	}
	priceRows := ctl.texts("#decision-prices tbody tr")
	if len(priceRows) != len(flowLines) {
		t.Errorf("the decision shows %d price rows: %q", len(priceRows), priceRows)
	}
	for _, ln := range flowLines {
		key := ln.service + "--" + ln.effectiveMode()
		name := flowService(t, "fi", ln.service)
		i := slices.IndexFunc(priceRows, func(r string) bool { return strings.HasPrefix(r, name) })
		if i < 0 {
			t.Errorf("the decision's prices have no row for %s: %q", name, priceRows)
			continue
		}
		if !strings.Contains(priceRows[i], prices[key]) {
			t.Errorf("the decision's row of %s does not show the unit cost %s of version %s: %q", name, prices[key], inEffect, priceRows[i])
		}
	}
	history := ctl.texts("#decision-history tbody tr")
	for _, ev := range []string{"estimate_opened", "estimate_line_added", "estimate_presented", "estimate_decided"} {
		what := flowText(t, "fi", "audit", "audit.event."+ev)
		n := 0
		for _, h := range history {
			if strings.Contains(h, what) {
				n++
				if !strings.Contains(h, cmUser.Display) && !strings.Contains(h, cmUser.Name) {
					t.Errorf("the history's %q does not name %s: %q", what, cmUser.Display, h)
				}
			}
		}
		want := 1
		if ev == "estimate_line_added" {
			want = len(flowLines)
		}
		if n != want {
			t.Errorf("the history shows %q %d times, want %d: %q", what, n, want, history)
		}
	}
	decisionTotals := ctl.text("#decision-totals")
	if !strings.Contains(decisionTotals, totalCounty) || !strings.Contains(decisionTotals, totalClient) {
		t.Errorf("the decision's totals %q do not show the builder's %s and %s", decisionTotals, totalClient, totalCounty)
	}
	ctl.check("decision")
	linesCSV := ctl.attrs("#csv-lines", "href")
	if len(listCSV) != 1 || len(linesCSV) != 1 {
		t.Fatalf("the CSV links: %q and %q", listCSV, linesCSV)
	}
	checkDecisionCSVs(t, ctl, "fi", listCSV[0], linesCSV[0], decisionNumber, estimateID, totalCounty, prices)
	ctl.lang("en")
	ctl.check("decision")
	checkDecisionCSVs(t, ctl, "en", listCSV[0], linesCSV[0], decisionNumber, estimateID, ctl.text("#decision-totals"), prices)
	ctl.open(decisionsPath)
	ctl.waitFor(link)
	ctl.check("decisions")
	ctl.lang("fi")

	// 4. The admin corrects the version the decision was priced with.
	t.Log("4. the admin publishes a retroactive correction")
	admin.open("/tariffs/phhva")
	correct := "correct-" + inEffect
	if !slices.Contains(admin.attrs("#draft-source option", "value"), correct) {
		t.Fatalf("the new draft's form offers no %s: %q", correct, admin.attrs("#draft-source option", "value"))
	}
	admin.selectOption("#draft-source", correct)
	admin.typeInto("#draft-note", "Kylvetyspalvelun hinta korjataan")
	admin.click("#create-draft")
	admin.waitFor("#entries-table")
	correctionPath := admin.location()
	correctionNumber := strings.TrimPrefix(correctionPath, "/tariffs/phhva/versions/")
	oldBathing := prices["bathing--own"]
	newBathing := "47,90"
	if oldBathing == newBathing {
		newBathing = "48,10"
	}
	admin.typeInto("#bathing--own-unit_cost", newBathing)
	admin.click("#entry-save-bathing--own")
	if got := admin.value("#bathing--own-unit_cost"); got != newBathing {
		t.Fatalf("after saving, the correction's bathing costs %q, want %s", got, newBathing)
	}
	// Asked in English, cancelled, then asked again in Finnish and
	// confirmed.
	touched := "#touched-" + estimateID
	for _, lang := range []string{"en", "fi"} {
		admin.lang(lang)
		admin.typeInto("#publish-reason", map[string]string{"en": "Correction: the unit cost of bathing",
			"fi": "Korjaus: kylvetyspalvelun yksikkökustannus"}[lang])
		admin.click("#publish-submit")
		admin.waitFor("#confirm-retroactive")
		if !admin.exists(touched) {
			t.Fatalf("the confirmation (%s) does not list the decision %s: %q", lang, decisionNumber, admin.texts("#touched-decisions tbody tr"))
		}
		if got := admin.text(touched); !strings.Contains(got, decisionNumber) || strings.Contains(got, clientRef) {
			t.Errorf("the confirmation's (%s) row of the decision: %q (the number, no client)", lang, got)
		}
		admin.check("tariff-publish-confirm")
		if lang == "en" {
			admin.click("#publish-cancel")
			if loc := admin.location(); loc != correctionPath {
				t.Fatalf("cancelling the confirmation went to %s", loc)
			}
		}
	}
	admin.click("#publish-confirm")
	if loc := admin.location(); loc != "/tariffs/phhva" {
		t.Fatalf("confirming the correction went to %s: %q", loc, admin.text("main"))
	}
	if got := admin.attrs("#version-timeline #version-"+correctionNumber, "class"); len(got) != 1 || !strings.Contains(got[0], "is-correction") {
		t.Errorf("the timeline does not mark version %s a correction: %q", correctionNumber, got)
	}

	// 5. The controller sees the decision flagged.
	t.Log("5. the controller sees the decision flagged")
	ctl.open(decisionPath)
	ctl.waitFor("#touched-flag")
	hrefs := ctl.attrs("#touched-flag a", "href")
	if !slices.Contains(hrefs, correctionPath) {
		t.Errorf("the flag links %q, want the correction %s", hrefs, correctionPath)
	}
	// The decision keeps the price it was made with.
	bathing := flowService(t, "fi", "bathing")
	for _, r := range ctl.texts("#decision-prices tbody tr") {
		if strings.HasPrefix(r, bathing) && (!strings.Contains(r, oldBathing) || strings.Contains(r, newBathing)) {
			t.Errorf("after the correction the decision's bathing row says %q, want the unit cost %s it was made with", r, oldBathing)
		}
	}
	ctl.check("decision-touched")
	ctl.lang("en")
	ctl.check("decision-touched")
	ctl.lang("fi")
	ctl.open("/decisions?touched=true")
	if !ctl.exists(link) {
		t.Errorf("the decision is not among those touched by a correction")
	}

	// 6. Operations: how carecost runs, no client data.
	t.Log("6. operations")
	ops := rig.session(t)
	ops.signInAs(domain.RoleOperations)
	for _, lang := range []string{"fi", "en"} {
		ops.lang(lang)
		ops.open("/operations")
		ops.waitFor("#ops-projections")
		if body := ops.text("body"); strings.Contains(body, clientRef) || strings.Contains(body, decisionNumber) {
			t.Errorf("the operations page (%s) shows client data", lang)
		}
		if got := ops.attrs("#ops-link-metrics", "href"); len(got) != 1 || got[0] != "/metrics" {
			t.Errorf("the operations page (%s) links the metrics at %q", lang, got)
		}
		ops.check("operations")
		// The Rebuild button asks first; Cancel goes back, and nothing
		// was started.
		ops.press("#rebuild-users")
		ops.waitFor("#ops-confirm")
		if !ops.exists("#rebuild-confirm") || !strings.Contains(ops.text("#ops-confirm-title"), "users") {
			t.Errorf("the question before a rebuild (%s): %q", lang, ops.text("#ops-confirm"))
		}
		ops.check("operations-confirm")
		ops.press("#rebuild-cancel")
		ops.waitFor("#ops-projections")
		if ops.exists("#ops-confirm") || !ops.exists("#ops-rebuilds-empty") {
			t.Errorf("after cancelling the rebuild (%s): %q", lang, ops.text("#ops-rebuilds"))
		}
	}
	ops.lang("fi")
}

// flowMaxActions is the most the usability figure may be, from the
// estimates list to a presented five-line estimate (where the seed's flow
// ends): half of the seed's 44 steps (docs/usability.md).
const flowMaxActions = 22

// flowMaxBeyondSeed is the most the steps the seed's tool does not have
// may take: opening the client's print page and coming back, typing the
// decision's number and recording it.
const flowMaxBeyondSeed = 4

// flowLine is a line of the estimate the case manager builds: a mode or a
// frequency only when the service's default is not wanted.
type flowLine struct{ service, mode, quantity, frequency string }

// effectiveMode is the line's mode: the service's default (own production,
// cleaning's purchased service) unless chosen.
func (l flowLine) effectiveMode() string {
	switch {
	case l.mode != "":
		return l.mode
	case l.service == "cleaning":
		return "purchased"
	}
	return "own"
}

var flowLines = []flowLine{
	{service: "regular-home-care", quantity: "24"},
	{service: "meal-service", quantity: "7"},
	{service: "safety-phone", quantity: "1"},
	{service: "bathing", quantity: "1"},
	{service: "cleaning", quantity: "3"},
}

// flowLineKeys are the tariff entries (service--mode) the lines use.
var flowLineKeys = func() []string {
	var out []string
	for _, l := range flowLines {
		out = append(out, l.service+"--"+l.effectiveMode())
	}
	return out
}()

// value returns the value of the field sel (CSS); it fails when there is
// none.
func (b *browserSession) value(sel string) string {
	b.t.Helper()
	var s *string
	b.eval(`(() => { const e = document.querySelector(`+jsString(sel)+`); return e ? e.value : null; })()`, &s)
	if s == nil {
		b.t.Fatalf("the page at %s has no field %s", b.whereNow(), sel)
	}
	return *s
}

// printPage checks the client's print page, which stands alone (no
// navigation, no skip link, printed rather than browsed): a screenshot,
// axe-core and the Content-Security-Policy.
func (b *browserSession) printPage(pageName string) {
	b.t.Helper()
	name := b.pageLang() + "-" + pageName
	b.shot(name)
	b.axe(name)
	if v := b.cspViolations(); len(v) > 0 {
		b.t.Errorf("%s (%s) broke the Content-Security-Policy: %q", name, b.whereNow(), v)
	}
}

// flowDate writes d as the console writes dates in Finnish (1.7.2026).
func flowDate(d domain.Date) string {
	tm := d.Time()
	return fmt.Sprintf("%d.%d.%d", tm.Day(), int(tm.Month()), tm.Year())
}

// flowText returns the text of key in the message catalogue file of lang.
func flowText(t *testing.T, lang, file, key string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "admin", "messages", lang, file+".json"))
	must(t, err)
	var m map[string]string
	must(t, json.Unmarshal(b, &m))
	s, ok := m[key]
	if !ok {
		t.Fatalf("the %s catalogue %s has no %s", lang, file, key)
	}
	return s
}

// flowService returns the name of service in lang, from the demo
// catalogue as the pages show it.
func flowService(t *testing.T, lang, service string) string {
	t.Helper()
	names := map[string]map[string]string{
		"fi": {"regular-home-care": "Säännöllinen kotihoito", "meal-service": "Ateriapalvelu", "safety-phone": "Turvapuhelin",
			"bathing": "Kylvetyspalvelu", "cleaning": "Siivouspalvelu"},
	}
	n, ok := names[lang][service]
	if !ok {
		t.Fatalf("no %s name for %s", lang, service)
	}
	return n
}

// flowListColumns and flowLinesColumns are the keys of the CSV exports'
// columns, in order.
var (
	flowListColumns = []string{"decision_number", "decision_date", "effective_from", "pricing_date", "client_ref", "maple", "segment",
		"tariff", "tariff_version", "income_catalogue", "income_version", "monthly_client_fee", "monthly_voucher_copay", "monthly_county_gross",
		"monthly_county_net", "one_off_client_fee", "one_off_voucher_copay", "one_off_county_net", "yearly_client_fee", "yearly_voucher_copay",
		"yearly_county_net", "decided_by", "decided_at", "in_force", "touched", "version_warning", "totals_changed", "presented_monthly_client_fee", "estimate_id"}
	flowLinesColumns = []string{"decision_number", "tariff", "tariff_version", "service_id", "service", "mode", "rule", "unit",
		"quantity", "frequency", "units_per_month", "unit_cost", "fee_per_unit", "voucher_copay_per_unit", "tier", "rule_parameters",
		"county_gross", "client_fee", "voucher_copay", "county_net"}
)

// checkDecisionCSVs fetches the decision list's and the decision's lines'
// CSV as the links give them (in the page's language lang) and reads them
// back: UTF-8 with a byte order mark, semicolons, decimal commas, the
// header in lang, the decision with its county total (totals: the text of
// the page showing it) and the unit costs of its lines.
func checkDecisionCSVs(t *testing.T, b *browserSession, lang, listHref, linesHref, number, estimateID, totals string, prices map[string]string) {
	t.Helper()
	list := readFlowCSV(t, b, lang, listHref, flowListColumns)
	col := func(name string) int { return slices.Index(flowListColumns, name) }
	var found []string
	for _, r := range list[1:] {
		if r[col("estimate_id")] == estimateID {
			found = r
		}
	}
	if found == nil {
		t.Fatalf("the decision list's CSV (%s) has no row for the decision %s", lang, number)
	}
	if found[col("decision_number")] != number {
		t.Errorf("the CSV (%s) row of the decision has number %q", lang, found[col("decision_number")])
	}
	net := found[col("monthly_county_net")]
	if !regexp.MustCompile(`^\d+,\d\d$`).MatchString(net) {
		t.Errorf("the CSV (%s) writes the county's monthly cost %q, want a decimal comma", lang, net)
	}
	if !strings.Contains(flowDigits(totals), flowDigits(net)) {
		t.Errorf("the CSV (%s) county's monthly cost %s is not on the page: %q", lang, net, totals)
	}

	lines := readFlowCSV(t, b, lang, linesHref, flowLinesColumns)
	if len(lines) != 1+len(flowLines) {
		t.Errorf("the lines' CSV (%s) has %d rows, want a header and %d lines", lang, len(lines), len(flowLines))
	}
	lc := func(name string) int { return slices.Index(flowLinesColumns, name) }
	for _, r := range lines[1:] {
		if r[lc("decision_number")] != number {
			t.Errorf("a line of the CSV (%s) has the decision number %q", lang, r[lc("decision_number")])
		}
		svc := r[lc("service_id")]
		i := slices.IndexFunc(flowLines, func(l flowLine) bool { return l.service == svc })
		if i < 0 {
			t.Errorf("the lines' CSV (%s) has a line of %q", lang, svc)
			continue
		}
		want := flowDigits(prices[svc+"--"+flowLines[i].effectiveMode()])
		if got := r[lc("unit_cost")]; flowDigits(got) != want || !strings.Contains(got, ",") {
			t.Errorf("the lines' CSV (%s) gives %s the unit cost %q, want %s with a decimal comma", lang, svc, got, prices[svc+"--"+flowLines[i].effectiveMode()])
		}
	}
}

// readFlowCSV fetches href with the session and reads it as a CSV for
// Finnish Excel: the byte order mark, ';' between fields, the header of
// columns in lang.
func readFlowCSV(t *testing.T, b *browserSession, lang, href string, columns []string) [][]string {
	t.Helper()
	got := b.fetch(href)
	if got.Status != 200 || !strings.HasPrefix(got.Type, "text/csv") || !strings.Contains(got.Disposition, "attachment") {
		t.Fatalf("fetching %s: %d %q %q", href, got.Status, got.Type, got.Disposition)
	}
	body, ok := bytes.CutPrefix(got.Body, []byte("\xef\xbb\xbf"))
	if !ok {
		t.Errorf("%s does not start with the UTF-8 byte order mark: %q", href, got.Body[:min(len(got.Body), 8)])
	}
	r := csv.NewReader(bytes.NewReader(body))
	r.Comma = ';'
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading %s back: %v", href, err)
	}
	if len(rows) < 2 {
		t.Fatalf("%s holds %d rows", href, len(rows))
	}
	var want []string
	for _, c := range columns {
		want = append(want, flowText(t, lang, "audit", "audit.csv."+c))
	}
	if !slices.Equal(rows[0], want) {
		t.Errorf("the header of %s (%s): %q, want %q", href, lang, rows[0], want)
	}
	return rows
}

// flowDigits keeps the digits of s: "1 234,56 €" and "1234,56" agree.
func flowDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
