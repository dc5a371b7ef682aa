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
