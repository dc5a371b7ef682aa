package demo_test

import (
	"context"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
	"carecost/domain/memstore"
)

// presents are the days the history is checked at: today, and a few
// others, so that it keeps its shape whatever the date.
func presents() []time.Time {
	return []time.Time{
		time.Now(),
		time.Date(2026, 6, 15, 12, 0, 0, 0, domain.Helsinki),
		time.Date(2026, 7, 28, 9, 30, 0, 0, domain.Helsinki),
		time.Date(2027, 9, 1, 16, 45, 0, 0, domain.Helsinki),
		time.Date(2030, 2, 3, 7, 0, 0, 0, domain.Helsinki),
	}
}

// imported builds the history at now and imports it into an empty store.
func imported(t *testing.T, now time.Time) (*demo.History, *memstore.Store) {
	t.Helper()
	h, err := demo.Build(context.Background(), now, nil)
	if err != nil {
		t.Fatal(err)
	}
	s := memstore.New()
	res, err := s.Import(context.Background(), h.Events)
	if err != nil {
		t.Fatal(err)
	}
	if res.Imported != len(h.Events) || res.Position != h.Head {
		t.Fatalf("import: %+v, want %d events up to %v", res, len(h.Events), h.Head)
	}
	return h, s
}

func decode(t *testing.T, s *memstore.Store) []domain.Event {
	t.Helper()
	all, err := s.ReadAll(context.Background(), domain.ReadAllOptions{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]domain.Event, len(all))
	for i, r := range all {
		if out[i], err = domain.DecodeEvent(r); err != nil {
			t.Fatalf("event %d (%s): %v", i, r.Type, err)
		}
	}
	return out
}

// The history spans the eighteen months before now, its times never go
// backwards, and it is the same every time it is built for the same now.
func TestHistorySpan(t *testing.T) {
	for _, now := range presents() {
		h, _ := imported(t, now)
		begin := domain.DateOf(now.In(domain.Helsinki).AddDate(0, -demo.Months, 0))
		if day := domain.DateOf(h.Start); day != begin {
			t.Errorf("now %s: the history begins on %s, want %s", now, day, begin)
		}
		if h.End.After(now) || now.Sub(h.End) > 20*24*time.Hour {
			t.Errorf("now %s: the history ends at %s, want in the weeks before now", now, h.End)
		}
		months := map[string]bool{}
		for i, e := range h.Events {
			if i > 0 && e.RecordedAt.Before(h.Events[i-1].RecordedAt) {
				t.Fatalf("now %s: event %d recorded at %s, before event %d at %s", now, i, e.RecordedAt, i-1, h.Events[i-1].RecordedAt)
			}
			months[e.RecordedAt.In(domain.Helsinki).Format("2006-01")] = true
		}
		if len(months) < demo.Months {
			t.Errorf("now %s: events recorded in %d months, want every one of the %d", now, len(months), demo.Months)
		}
		// The same again, but for the ids carecost gives the events it
		// writes of its own accord.
		again, err := demo.Build(context.Background(), now, nil)
		if err != nil || len(again.Events) != len(h.Events) {
			t.Fatalf("now %s: a second build: %d events, %v", now, len(again.Events), err)
		}
		for i, e := range again.Events {
			w := h.Events[i]
			if e.Type == domain.EvEstimateSuperseded {
				e.ID, e.Metadata, w.ID, w.Metadata = "", nil, "", nil
			}
			if !reflect.DeepEqual(e, w) {
				t.Fatalf("now %s: event %d of a second build differs:\n%+v\n%+v", now, i, e, w)
			}
		}
	}
}

// Estimates in every state, by case managers of two teams; every decision
// dated the day it was recorded, never before its estimate was opened,
// numbered once in the county's series of its year.
func TestHistoryEstimates(t *testing.T) {
	number := regexp.MustCompile(`^\d{4}/\d{4}$`)
	for _, now := range presents() {
		_, s := imported(t, now)
		cmds := domain.NewCommands(s)
		opened := map[string]time.Time{}
		numbers := map[string]string{}
		teams, deciders := map[string]bool{}, map[string]bool{}
		states := map[domain.EstimateStatus]int{}
		revisions := 0
		for _, e := range decode(t, s) {
			switch p := e.Payload.(type) {
			case *domain.EstimateOpened:
				opened[e.Stream] = e.RecordedAt
				teams[p.Team] = true
				if p.Team != e.Meta.ActorTeam || p.Team == "" {
					t.Errorf("now %s: %s opened for team %q by %s of team %q", now, e.Stream, p.Team, e.Meta.ActorID, e.Meta.ActorTeam)
				}
				if p.RevisionOf != "" {
					revisions++
				}
			case *domain.EstimateDecided:
				d := p.Decision
				deciders[e.Meta.ActorID] = true
				if day := domain.DateOf(e.RecordedAt); d.Date != day {
					t.Errorf("now %s: %s decided on %s, recorded on %s", now, e.Stream, d.Date, day)
				}
				if d.Date.Before(domain.DateOf(opened[e.Stream])) {
					t.Errorf("now %s: %s decided on %s, before it was opened on %s", now, e.Stream, d.Date, domain.DateOf(opened[e.Stream]))
				}
				if !number.MatchString(d.Number) || !strings.HasPrefix(d.Number, d.Date.String()[:4]) {
					t.Errorf("now %s: decision number %q of %s", now, d.Number, d.Date)
				}
				if other, dup := numbers[d.Number]; dup {
					t.Errorf("now %s: decision number %s given to %s and %s", now, d.Number, other, e.Stream)
				}
				numbers[d.Number] = e.Stream
			}
		}
		for stream := range opened {
			est, err := cmds.Estimate(context.Background(), strings.TrimPrefix(stream, "estimate-"))
			if err != nil {
				t.Fatal(err)
			}
			states[est.Status()]++
		}
		for _, st := range []domain.EstimateStatus{domain.EstDraft, domain.EstPresented, domain.EstDecided, domain.EstSuperseded, domain.EstCancelled} {
			if states[st] == 0 {
				t.Errorf("now %s: no estimate is %s (%v)", now, st, states)
			}
		}
		if len(opened) < demo.EstimateCount || revisions < 3 {
			t.Errorf("now %s: %d estimates, %d of them revisions", now, len(opened), revisions)
		}
		if len(teams) < 2 || len(deciders) < 4 {
			t.Errorf("now %s: teams %v, deciders %v", now, teams, deciders)
		}
	}
}

// Tariff versions are published over the history, among them a
// retroactive correction of a price decisions made before it used, and one
// of a price no decision used.
func TestHistoryCorrections(t *testing.T) {
	for _, now := range presents() {
		h, s := imported(t, now)
		type use struct {
			version  int
			services []string
			at       time.Time
		}
		var uses []use
		published := 0
		for _, e := range decode(t, s) {
			switch p := e.Payload.(type) {
			case *domain.EstimateDecided:
				u := use{version: p.Quote.Tariff.Version, at: e.RecordedAt}
				for _, l := range p.Quote.Lines {
					u.services = append(u.services, l.Service)
				}
				uses = append(uses, u)
			case *domain.TariffVersionPublished:
				if e.RecordedAt.After(h.Start) {
					published++
				}
			}
		}
		if published < 2 || len(h.Corrections) != 2 {
			t.Fatalf("now %s: %d versions published after the start, corrections %+v", now, published, h.Corrections)
		}
		touched := func(c demo.Correction) (n int) {
			for _, u := range uses {
				if u.version == c.Corrects && slices.Contains(u.services, c.Service) && u.at.Before(c.PublishedAt) {
					n++
				}
			}
			return n
		}
		errands, assessment := h.Corrections[0], h.Corrections[1]
		if errands.Service != "errands" || touched(errands) == 0 {
			t.Errorf("now %s: the correction %+v touches no decision made before it", now, errands)
		}
		for _, u := range uses {
			if slices.Contains(u.services, assessment.Service) {
				t.Errorf("now %s: a decision uses %s, which the history's second correction changes", now, assessment.Service)
			}
		}
	}
}

// On a store that holds events already, the history follows them: its
// positions after theirs, its times never before theirs.
func TestHistoryAfterALog(t *testing.T) {
	ctx := context.Background()
	now := time.Now()
	before := memstore.New(memstore.WithClock(func() time.Time { return now.Add(-2 * time.Hour) }))
	cmds := domain.NewCommands(before)
	if _, err := cmds.AddUser(ctx, domain.Command{}, domain.UserInput{Name: "early", DisplayName: "Early", Roles: []domain.Role{domain.RoleAdmin}}); err != nil {
		t.Fatal(err)
	}
	log, _ := before.ReadAll(ctx, domain.ReadAllOptions{})
	h, err := demo.Build(ctx, now, log)
	if err != nil {
		t.Fatal(err)
	}
	if h.Start.Before(log[len(log)-1].RecordedAt) || h.End.After(now) {
		t.Errorf("the history spans %s to %s, want within %s to %s", h.Start, h.End, log[len(log)-1].RecordedAt, now)
	}
	res, err := before.Import(ctx, h.Events)
	if err != nil || res.Position != h.Head || res.Imported != len(h.Events) {
		t.Fatalf("import after the log: %+v, %v; want up to %v", res, err, h.Head)
	}
	for _, e := range decode(t, before) {
		if d, ok := e.Payload.(*domain.EstimateDecided); ok && d.Decision.Date != domain.DateOf(e.RecordedAt) {
			t.Errorf("%s decided on %s, recorded on %s", e.Stream, d.Decision.Date, domain.DateOf(e.RecordedAt))
		}
	}
}

// The history leaves the tariff's sample cases and a draft correction of
// the meals' fee: the draft's preview prices every sample under the
// version in effect and under the draft (the meals' samples cost more),
// and changes the decisions in force that have meals.
func TestHistoryDraftPreview(t *testing.T) {
	ctx := context.Background()
	for _, now := range presents() {
		h, s := imported(t, now)
		if h.Draft == 0 {
			t.Fatalf("%s: no draft left", now)
		}
		c := domain.NewCommands(s)
		decided := func(ctx context.Context, _ domain.VersionKind, _ string, _ domain.Date, _ domain.KnownAt) ([]string, error) {
			all, err := s.ReadAll(ctx, domain.ReadAllOptions{})
			var ids []string
			for _, e := range all {
				if e.Type == domain.EvEstimateDecided {
					ids = append(ids, strings.TrimPrefix(e.Stream, "estimate-"))
				}
			}
			return ids, err
		}
		imp, err := c.VersionImpact(ctx, domain.ImpactQuery{Kind: domain.KindTariff, ID: demo.TariffID, Version: h.Draft}, decided)
		if err != nil {
			t.Fatalf("%s: %v", now, err)
		}
		if len(imp.Samples) != len(demo.Samples) {
			t.Fatalf("%s: %d samples priced, want %d", now, len(imp.Samples), len(demo.Samples))
		}
		for i, sm := range imp.Samples {
			hasMeals := slices.ContainsFunc(demo.Samples[i].Case.Lines, func(l domain.Line) bool { return l.Service == "meal-service" })
			switch {
			case sm.Compare == nil:
				t.Errorf("%s: sample %s not priced: %+v", now, sm.ID, sm.Problem)
			case hasMeals != (sm.Compare.Monthly.Change.ClientFee > 0):
				t.Errorf("%s: sample %s changes by %s (meals: %v)", now, sm.ID, sm.Compare.Monthly.Change.ClientFee, hasMeals)
			}
		}
		if len(imp.Decisions) == 0 {
			t.Errorf("%s: the draft changes no decision (%d covered)", now, imp.Covered)
		}
		for _, d := range imp.Decisions {
			if len(d.Uses) != 1 || d.Uses[0].Service != "meal-service" || d.Compare.Monthly.Change.ClientFee <= 0 {
				t.Errorf("%s: decision %s changes %+v by %s", now, d.DecisionNumber, d.Uses, d.Compare.Monthly.Change.ClientFee)
			}
		}
	}
}
