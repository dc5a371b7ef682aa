package projections_test

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

var schemaField = regexp.MustCompile(`"schema":\d+`)

// A payload of a schema newer than this build knows stops the projections
// that read it, with an error naming the event type and both schemas; their
// checkpoints stay before it.
func TestNewerSchemaStopsTheProjection(t *testing.T) {
	for _, c := range []struct{ typ, projection string }{
		{domain.EvEstimateOpened, "estimates"},
		{domain.EvEstimatePriced, "estimates"},
		{domain.EvEstimateDecided, "estimates"},
		{domain.EvEstimateOpened, "decisions"},
		{domain.EvEstimateDecided, "decisions"},
	} {
		t.Run(c.projection+"/"+c.typ, func(t *testing.T) {
			f := newFixture(t)
			id := domain.NewID()
			_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "N-1"))
			must(t, err)
			_, _, err = f.cmds.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "D-N", Date: today(), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "by phone"})
			must(t, err)
			all, err := f.store.ReadAll(ctx, domain.ReadAllOptions{})
			must(t, err)
			// The log ends with the first event of the type, a schema newer
			// than this build knows: the last pricing of its estimate.
			i := slices.IndexFunc(all, func(e domain.RecordedEvent) bool { return e.Type == c.typ })
			all = all[:i+1]
			all[i].Data = schemaField.ReplaceAll(all[i].Data, []byte(`"schema":99`))
			err = f.runner.Handle(ctx, c.projection, all)
			fl := f.runner.Failure(c.projection)
			if !errors.Is(err, projections.ErrStopped) || fl == nil || !strings.Contains(fl.Error, c.typ+" payload has schema 99, newer than this build knows") {
				t.Fatalf("err = %v, failure %+v; want a stop naming %s and schema 99", err, fl, c.typ)
			}
			// The events before it are applied; the checkpoint stays before it.
			if cp := f.runner.Checkpoint(c.projection); cp != all[i-1].Position {
				t.Errorf("the checkpoint is at %v, want %v, before the event", cp, all[i-1].Position)
			}
		})
	}
}

// The same in a replay, for an event the projection applies without
// reading its payload (the estimates projection counts the lines added), so
// only the schema check stops it: catch-up checks the schemas of a page as
// it reads it, and a page with a payload of a newer schema is checked
// again, event by event, before it is applied. The projection stops before
// that event, in a page of its own and in a page among other events.
func TestNewerSchemaStopsTheReplay(t *testing.T) {
	for _, pageSize := range []int{1, 5000} {
		f := newFixture(t)
		f.runner.PageSize = pageSize
		id := domain.NewID()
		_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, homeCareCase(t, "N-2"))
		must(t, err)
		_, _, _, err = f.cmds.AddLine(ctx, domain.Command{}, id, domain.Line{Service: "errands", Mode: "own", Quantity: 1000, Frequency: "week"})
		must(t, err)
		evs, err := f.store.ReadStream(ctx, domain.EstimateStream(id), domain.ReadStreamOptions{})
		must(t, err)
		i := slices.IndexFunc(evs, func(e domain.RecordedEvent) bool { return e.Type == domain.EvEstimateLineAdded })
		if i < 0 {
			t.Fatal("no line added in the estimate's stream")
		}
		added := evs[i]
		newer := domain.EventData{ID: domain.NewID(), Type: added.Type, Metadata: added.Metadata,
			Data: schemaField.ReplaceAll(added.Data, []byte(`"schema":99`))}
		res, err := f.store.Append(ctx, domain.EstimateStream(id), domain.AnyVersion, newer)
		must(t, err)
		other := domain.NewID()
		_, _, err = f.cmds.OpenEstimate(ctx, domain.Command{}, other, homeCareCase(t, "N-3"))
		must(t, err)

		err = f.runner.Rebuild(ctx, "estimates")
		fl := f.runner.Failure("estimates")
		if !errors.Is(err, projections.ErrStopped) || fl == nil || !strings.Contains(fl.Error, domain.EvEstimateLineAdded+" payload has schema 99, newer than this build knows") {
			t.Fatalf("page size %d: err = %v, failure %+v; want a stop naming schema 99", pageSize, err, fl)
		}
		if cp := f.runner.Checkpoint("estimates"); cp.Commit != res.Position.Commit-1 {
			t.Errorf("page size %d: the checkpoint is at %v, want just before %v", pageSize, cp, res.Position)
		}
	}
}
