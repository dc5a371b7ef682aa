package projections_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"

	"carecost/domain"
)

// The usage projection counts what the log says was done: each estimate
// opened, line added (by service and mode), presentation, decision (by the
// MAPLe level and segment the estimate had when decided), revision,
// cancellation and catalogue version published, the quotes and what-ifs
// and users the instances tallied, and each decision's lead time. A
// rebuild counts the same.
func TestUsageCountsWhatTheLogSays(t *testing.T) {
	f := newFixture(t)
	f.catchUp(t)
	before, err := f.set.UsageTotals(ctx)
	must(t, err)
	anna := domain.Command{Actor: domain.Actor{ID: "anna", Role: "case_manager"}}
	bert := domain.Command{Actor: domain.Actor{ID: "bert", Role: "case_manager"}}
	admin := domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}

	a, b, c, rev := domain.NewID(), domain.NewID(), domain.NewID(), domain.NewID()
	_, _, err = f.cmds.OpenEstimate(ctx, anna, a, homeCareCase(t, "U-1")) // MAPLe 3, continuous; one regular-home-care/own line
	must(t, err)
	_, _, _, err = f.cmds.AddLine(ctx, anna, a, domain.Line{Service: "meal-service", Mode: "own", Quantity: 50000, Frequency: "week"})
	must(t, err)
	_, _, err = f.cmds.Present(ctx, anna, a)
	must(t, err)
	_, _, err = f.cmds.Decide(ctx, anna, a, domain.Decision{Number: "U-1", Date: today(), EffectiveFrom: date(t, "2025-04-01")})
	must(t, err)
	_, _, err = f.cmds.OpenEstimate(ctx, bert, b, homeCareCase(t, "U-2"))
	must(t, err)
	_, _, err = f.cmds.ChangeAssessment(ctx, bert, b, 2, domain.SegOccasional)
	must(t, err)
	_, _, err = f.cmds.Decide(ctx, bert, b, domain.Decision{Number: "U-2", Date: today(), EffectiveFrom: date(t, "2025-04-01"),
		Presented: new(false), NotPresentedReason: "decided at the meeting"})
	must(t, err)
	_, _, err = f.cmds.OpenEstimate(ctx, anna, c, homeCareCase(t, "U-3"))
	must(t, err)
	_, _, err = f.cmds.Cancel(ctx, anna, c, "moved away")
	must(t, err)
	_, _, err = f.cmds.Revise(ctx, anna, a, rev, domain.Date{}) // opened with the lines copied: none added
	must(t, err)
	n, _, err := f.cmds.CreateTariffDraft(ctx, admin, "phhva", 0, 1, "a correction")
	must(t, err)
	_, err = f.cmds.PublishTariff(ctx, admin, "phhva", n, domain.Date{})
	must(t, err)
	tally := domain.NewUsageTally()
	for range 3 {
		tally.Quote()
	}
	tally.WhatIf()
	tally.Seen("ville", "controller")
	tally.Seen("anna", "case_manager")
	_, err = f.cmds.RecordUsage(ctx, tally, "one")
	must(t, err)
	f.catchUp(t)

	got, err := f.set.UsageTotals(ctx)
	must(t, err)
	delta := func(name string, now, was int64, want int64) {
		t.Helper()
		if now-was != want {
			t.Errorf("%s: %d more, want %d", name, now-was, want)
		}
	}
	delta("opened", got.Opened, before.Opened, 4)
	delta("presented", got.Presented, before.Presented, 1)
	delta("revised", got.Revised, before.Revised, 1)
	delta("cancelled", got.Cancelled, before.Cancelled, 1)
	delta("decisions 3/continuous", got.Decisions["3/continuous"], before.Decisions["3/continuous"], 1)
	delta("decisions 2/occasional", got.Decisions["2/occasional"], before.Decisions["2/occasional"], 1)
	delta("decided", got.Decided(), before.Decided(), 2)
	delta("lines regular-home-care/own", got.Lines["regular-home-care/own"], before.Lines["regular-home-care/own"], 3)
	delta("lines meal-service/own", got.Lines["meal-service/own"], before.Lines["meal-service/own"], 1)
	delta("tariff corrections", got.Published["tariff/true"], before.Published["tariff/true"], 1)
	delta("tariff versions", got.Published["tariff/false"], before.Published["tariff/false"], 0)
	delta("quotes", got.Quotes["quote"], before.Quotes["quote"], 3)
	delta("what-ifs", got.Quotes["whatif"], before.Quotes["whatif"], 1)
	delta("lead times", got.LeadCount, before.LeadCount, 2)
	// Both decisions came within seconds of their opening.
	if got.LeadBuckets[3600]-before.LeadBuckets[3600] != 2 {
		t.Errorf("lead times within an hour: %d more, want 2", got.LeadBuckets[3600]-before.LeadBuckets[3600])
	}
	active, err := f.set.ActiveUsers(ctx, time.Now().Add(-time.Hour))
	must(t, err)
	if want := map[string]int{"case_manager": 2, "controller": 1, "admin": 1}; !reflect.DeepEqual(active, want) {
		t.Errorf("active in the last hour %v, want %v", active, want)
	}
	if none, err := f.set.ActiveUsers(ctx, time.Now().Add(time.Hour)); err != nil || len(none) != 0 {
		t.Errorf("active after now: %v %v", none, err)
	}

	must(t, f.runner.Rebuild(ctx, "usage"))
	again, err := f.set.UsageTotals(ctx)
	must(t, err)
	if !reflect.DeepEqual(again, got) {
		t.Errorf("rebuilt usage %+v\nwant %+v", again, got)
	}
}

// The usage metrics are counters (their value the projection's total), the
// active users gauges by role and window, the lead times a histogram; they
// pass the linter.
func TestUsageMetrics(t *testing.T) {
	f := newFixture(t)
	id := domain.NewID()
	cm := domain.Command{Actor: domain.Actor{ID: "anna", Role: "case_manager"}}
	_, _, err := f.cmds.OpenEstimate(ctx, cm, id, homeCareCase(t, "M-1"))
	must(t, err)
	_, _, err = f.cmds.Decide(ctx, cm, id, domain.Decision{Number: "M-1", Date: today(), EffectiveFrom: date(t, "2025-04-01"),
		Presented: new(false), NotPresentedReason: "decided at the meeting"})
	must(t, err)
	f.catchUp(t)
	reg := prometheus.NewRegistry()
	reg.MustRegister(f.set.UsageCollector())
	want := `
# HELP carecost_decisions_total Decisions recorded on estimates, by the estimate's MAPLe level and service-need segment (none: not assessed).
# TYPE carecost_decisions_total counter
carecost_decisions_total{maple="3",segment="continuous"} 1
# HELP carecost_estimates_opened_total Cost estimates opened (revisions included), counted from the event log.
# TYPE carecost_estimates_opened_total counter
carecost_estimates_opened_total 1
# HELP carecost_estimate_lines_added_total Service lines added to estimates, by service and production mode.
# TYPE carecost_estimate_lines_added_total counter
carecost_estimate_lines_added_total{mode="own",service="regular-home-care"} 1
# HELP carecost_quotes_total Quotes and what-ifs computed (kind quote or whatif), as the instances tallied them.
# TYPE carecost_quotes_total counter
carecost_quotes_total{kind="quote"} 0
carecost_quotes_total{kind="whatif"} 0
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "carecost_decisions_total", "carecost_estimates_opened_total",
		"carecost_estimate_lines_added_total", "carecost_quotes_total"); err != nil {
		t.Error(err)
	}
	body, err := testutil.GatherAndFormat(reg, expfmt.TypeTextPlain, "carecost_active_users", "carecost_estimate_lead_time_seconds")
	must(t, err)
	for _, line := range []string{`carecost_active_users{role="case_manager",window="24h"} 1`, `carecost_active_users{role="controller",window="30d"} 0`,
		`carecost_estimate_lead_time_seconds_bucket{le="3600"} 1`, `carecost_estimate_lead_time_seconds_count 1`} {
		if !strings.Contains(string(body), line) {
			t.Errorf("metrics lack %s:\n%s", line, body)
		}
	}
	problems, err := testutil.GatherAndLint(reg)
	must(t, err)
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
}
