package main

import (
	"context"
	"io"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"carecost/domain"
	"carecost/projections"
)

// serve --demo gives the read models a past: decisions recorded on the
// days they were decided over eighteen months, so that as known a year ago
// fewer were decided than now, and a correction published after decisions
// that used the price it changed, which the price history answers as known
// before and after it.
func TestDemoHasAPast(t *testing.T) {
	ctx := context.Background()
	start := time.Now()
	s := startTestServerWith(t, config{data: filepath.Join(t.TempDir(), "data"), addr: "127.0.0.1:0", logFormat: "json", demo: true, waitTimeout: 5 * time.Second})
	t.Logf("serve --demo ready in %v", time.Since(start).Round(time.Millisecond))
	all, err := s.set.Decisions(ctx, projections.DecisionFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	yearAgo := time.Now().AddDate(-1, 0, 0)
	then := 0
	var earliest, latest time.Time
	for _, d := range all {
		if d.DecisionDate != domain.DateOf(d.DecidedAt) {
			t.Errorf("decision %s dated %s, decided at %s", d.DecisionNumber, d.DecisionDate, d.DecidedAt)
		}
		if !d.DecidedAt.After(yearAgo) {
			then++
		}
		if earliest.IsZero() || d.DecidedAt.Before(earliest) {
			earliest = d.DecidedAt
		}
		if d.DecidedAt.After(latest) {
			latest = d.DecidedAt
		}
	}
	// The audit's flags have examples: a decision presented before a
	// correction and decided after it, and decisions priced in December in
	// effect from January under the next price list.
	if !slices.ContainsFunc(all, func(d projections.DecisionRecord) bool { return d.TotalsChanged }) {
		t.Error("no demo decision's totals changed after it was presented")
	}
	if !slices.ContainsFunc(all, func(d projections.DecisionRecord) bool { return d.VersionWarning != nil }) {
		t.Error("no demo decision has a version warning")
	}
	if then == 0 || then >= len(all) {
		t.Errorf("as known a year ago %d decisions, now %d; want some then and more now", then, len(all))
	}
	if latest.Sub(earliest) < 300*24*time.Hour {
		t.Errorf("decisions decided from %s to %s, want over more than ten months", earliest, latest)
	}

	// A decision a correction touched: the price it used, as known when it
	// was decided, and the corrected one as known now.
	i := slices.IndexFunc(all, func(d projections.DecisionRecord) bool {
		return slices.ContainsFunc(d.TouchedBy, func(c projections.Touch) bool { return c.Corrects != 0 && c.PublishedAt.After(d.DecidedAt) })
	})
	if i < 0 {
		t.Fatalf("no decision was touched by a correction published after it")
	}
	d := all[i]
	q := projections.PriceQuery{TariffID: d.TariffID, Service: "errands", Mode: "own", ValidAt: d.PricingDate, KnownAtTime: d.DecidedAt}
	was, err := s.set.PriceAt(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	q.KnownAtTime = time.Time{}
	now, err := s.set.PriceAt(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if was.Version != d.TariffVersion || now.Version == was.Version || !now.RecordedAt.After(d.DecidedAt) {
		t.Errorf("errands on %s: as known when %s was decided, version %d (the decision used %d); as known now, version %d published %s",
			d.PricingDate, d.DecisionNumber, was.Version, d.TariffVersion, now.Version, now.RecordedAt)
	}
}

// serve --demo started again on the same data folder leaves the history
// alone, and what is recorded after it is recorded now.
func TestDemoStartedAgain(t *testing.T) {
	ctx := context.Background()
	cfg := config{data: filepath.Join(t.TempDir(), "data"), addr: "127.0.0.1:0", logFormat: "json", demo: true, waitTimeout: 5 * time.Second}
	quiet := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }}
	first, err := startServer(ctx, cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	head, err := first.store.Head(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := first.stop(); err != nil {
		t.Fatal(err)
	}
	again := startTestServerWith(t, cfg)
	after, err := again.store.Head(ctx)
	if err != nil || after != head {
		t.Fatalf("the second start moved the log from %v to %v (%v)", head, after, err)
	}
	before := time.Now()
	res, err := again.cmds.AddUser(ctx, domain.Command{}, domain.UserInput{Name: "later", DisplayName: "Later", Roles: []domain.Role{domain.RoleController}})
	if err != nil {
		t.Fatal(err)
	}
	evs, err := again.store.ReadAll(ctx, domain.ReadAllOptions{After: head})
	if err != nil || len(evs) == 0 || evs[len(evs)-1].Position != res.Position {
		t.Fatalf("the user's events: %d, %v", len(evs), err)
	}
	if at := evs[0].RecordedAt; at.Before(before.Add(-time.Second)) {
		t.Errorf("a user added after the demo recorded at %s, before it was added (%s)", at, before)
	}
}
