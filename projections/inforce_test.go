package projections_test

import (
	"slices"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// revisedLog decides an estimate, revises it and decides the revision, and
// returns the log without the original's superseded event (the follow-up a
// crash can leave out), that event, and the two ids.
func revisedLog(t *testing.T, f *fixture) (log []domain.RecordedEvent, followUp domain.RecordedEvent, orig, rev string) {
	orig, rev = domain.NewID(), domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, orig, homeCareCase(t, "IF-1"))
	must(t, err)
	d := domain.Decision{Number: "D-O", Date: today(), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "by phone"}
	_, _, err = f.cmds.Decide(ctx, domain.Command{}, orig, d)
	must(t, err)
	_, _, err = f.cmds.Revise(ctx, domain.Command{}, orig, rev, domain.Date{})
	must(t, err)
	d.Number = "D-R"
	_, _, err = f.cmds.Decide(ctx, domain.Command{}, rev, d)
	must(t, err)
	all, err := f.store.ReadAll(ctx, domain.ReadAllOptions{})
	must(t, err)
	i := slices.IndexFunc(all, func(e domain.RecordedEvent) bool { return e.Type == domain.EvEstimateSuperseded })
	if i < 0 || all[i].Stream != domain.EstimateStream(orig) {
		t.Fatalf("no superseded event on the original")
	}
	return slices.Delete(slices.Clone(all), i, i+1), all[i], orig, rev
}

// handleAll applies events to every projection of f, in batches of size n.
func handleAll(t *testing.T, f *fixture, events []domain.RecordedEvent, n int) {
	for chunk := range slices.Chunk(events, n) {
		for _, name := range f.runner.Projections() {
			must(t, f.runner.Handle(ctx, name, chunk))
		}
	}
}

// inForce returns the ids of the decisions in force.
func inForce(t *testing.T, f *fixture) []string {
	recs, err := f.set.Decisions(ctx, projections.DecisionFilter{InForce: new(true)})
	must(t, err)
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.EstimateID)
	}
	return ids
}

// The revision's decision puts the original out of force by itself: with
// the original's superseded event missing, the decisions and the estimates
// show the original superseded by the revision; the event, arriving later,
// changes nothing. Applied an event at a time, no moment shows two
// decisions in force.
func TestRevisionDecidedSupersedesWithoutFollowUp(t *testing.T) {
	for _, n := range []int{1, 1000} {
		f := newFixture(t)
		log, followUp, orig, rev := revisedLog(t, f)
		f.open(t, t.TempDir()+"/read.db")
		for chunk := range slices.Chunk(log, n) {
			handleAll(t, f, chunk, n)
			if got := inForce(t, f); len(got) > 1 {
				t.Fatalf("batches of %d: two decisions in force: %v", n, got)
			}
		}
		check := func(when string) {
			o, err := f.set.Decision(ctx, orig)
			must(t, err)
			r, err := f.set.Decision(ctx, rev)
			must(t, err)
			oe, err := f.est.Estimate(ctx, orig)
			must(t, err)
			if o.InForce || o.SupersededBy != rev || !r.InForce || r.RevisionOf != orig {
				t.Errorf("%s, batches of %d: original in force %v superseded by %q, revision in force %v of %q", when, n, o.InForce, o.SupersededBy, r.InForce, r.RevisionOf)
			}
			if oe.Status != "superseded" || oe.SupersededBy != rev {
				t.Errorf("%s, batches of %d: original estimate %s superseded by %q", when, n, oe.Status, oe.SupersededBy)
			}
			if got := inForce(t, f); !slices.Equal(got, []string{rev}) {
				t.Errorf("%s, batches of %d: in force %v", when, n, got)
			}
		}
		check("without the follow-up")
		handleAll(t, f, []domain.RecordedEvent{followUp}, 1)
		check("with the follow-up")
	}
}

// A stream whose only event marks a revision never opened shows no estimate;
// a command that changed nothing moves only the estimate's version.
func TestAbandonedRevisionAndNoop(t *testing.T) {
	f := newFixture(t)
	id, abandoned := domain.NewID(), domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "NO-1"))
	must(t, err)
	f.catchUp(t)
	before, err := f.est.Estimate(ctx, id)
	must(t, err)
	_, err = f.store.Append(ctx, domain.EstimateStream(abandoned), domain.NoStream,
		domain.EventData{ID: domain.NewID(), Type: "carecost.estimate.revision_abandoned", Data: []byte(`{"schema":1,"revision_of":"` + id + `"}`)})
	must(t, err)
	res, err := f.store.Append(ctx, domain.EstimateStream(id), domain.ExactVersion(uint64(before.Version)),
		domain.EventData{ID: domain.NewID(), Type: "carecost.command.noop", Data: []byte(`{"schema":1}`)})
	must(t, err)
	f.catchUp(t)
	if _, err := f.est.Estimate(ctx, abandoned); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("the abandoned revision shows: %v", err)
	}
	list, err := f.est.Estimates(ctx, projections.EstimateFilter{})
	must(t, err)
	if len(list) != 1 {
		t.Errorf("list: %+v", list)
	}
	after, err := f.est.Estimate(ctx, id)
	must(t, err)
	if after.Version != int64(res.Version) || after.Position != res.Position {
		t.Errorf("version %d at %s after the no-op, want %d at %s", after.Version, after.Position, res.Version, res.Position)
	}
	after.Version, after.Position = before.Version, before.Position
	if after.Status != before.Status || after.Monthly != before.Monthly || !after.UpdatedAt.Equal(before.UpdatedAt) || string(after.Quote) != string(before.Quote) {
		t.Errorf("the no-op changed the estimate:\n got %+v\nwant %+v", after.EstimateSummary, before.EstimateSummary)
	}
}
