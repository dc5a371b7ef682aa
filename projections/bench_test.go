package projections_test

import (
	"testing"
	"time"

	"carecost/domain"
	"carecost/projections"
)

// workflowEvents records one estimate's whole story: open, five lines,
// decision.
func workflowEvents(t testing.TB, f *fixture) []domain.RecordedEvent {
	id := domain.NewID()
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "bench"))
	must(t, err)
	for _, s := range []string{"meal-service", "bathing", "errands", "day-activity", "clothing-care"} {
		_, _, _, err := f.cmds.AddLine(ctx, domain.Command{}, id, domain.Line{Service: s, Mode: "own", Quantity: 1000, Frequency: "week"})
		must(t, err)
	}
	_, _, err = f.cmds.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "D", Date: today(), EffectiveFrom: date(t, "2025-04-01"),
		Presented: new(false), NotPresentedReason: "benchmark"})
	must(t, err)
	evs, err := f.store.ReadStream(ctx, domain.EstimateStream(id), domain.ReadStreamOptions{})
	must(t, err)
	return evs
}

// fillLog appends about 1 000 000 events to f's store: copies of one
// recorded estimate workflow under new ids.
func fillLog(b *testing.B, f *fixture) {
	tmpl := workflowEvents(b, f)
	for range 1_000_000 / len(tmpl) {
		stream := domain.EstimateStream(domain.NewID())
		evs := make([]domain.EventData, len(tmpl))
		for i, e := range tmpl {
			evs[i] = domain.EventData{ID: domain.NewID(), Type: e.Type, Data: e.Data, Metadata: e.Metadata}
		}
		if _, err := f.store.Append(ctx, stream, domain.NoStream, evs...); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReplayEstimates replays about 1 000 000 events (copies of one
// recorded estimate workflow under new ids) into the estimates projection.
func BenchmarkReplayEstimates(b *testing.B) {
	f := newFixture(b)
	fillLog(b, f)
	head, _ := f.store.Head(ctx)
	must(b, f.runner.CatchUp(ctx))
	b.ResetTimer()
	best := time.Duration(0)
	for i := 0; i < b.N; i++ {
		start := time.Now()
		must(b, f.runner.Rebuild(ctx, "estimates"))
		if took := time.Since(start); best == 0 || took < best {
			best = took
		}
	}
	// The best of the runs: the machine may be shared.
	b.ReportMetric(float64(head.Commit)/best.Seconds(), "events/s")
}

// BenchmarkRebuildSwitch rebuilds the estimates projection beside its live
// read model over about 1 000 000 events (copies of one recorded estimate
// workflow: about 140 000 estimates) and reports how long the switch held
// the read-model writer.
func BenchmarkRebuildSwitch(b *testing.B) {
	f := newFixture(b)
	fillLog(b, f)
	must(b, f.runner.CatchUp(ctx))
	f.runner.Shadows = func(name string, db *projections.DB) projections.Projection {
		return projections.NewProjection(name, db, f.store)
	}
	b.ResetTimer()
	var worst time.Duration
	for i := 0; i < b.N; i++ {
		_, err := f.runner.StartRebuild("estimates")
		must(b, err)
		p, err := f.runner.WaitRebuild(ctx, "estimates")
		must(b, err)
		if held := time.Duration(*p.SwitchMillis) * time.Millisecond; held > worst {
			worst = held
		}
	}
	b.ReportMetric(float64(worst.Milliseconds()), "switch-ms")
}
