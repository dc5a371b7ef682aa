package domain_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/domain/memstore"
)

// A skip is validated, recorded with its actor in the projections stream,
// and a retried command answers as its first run did.
func TestSkipEvent(t *testing.T) {
	ctx := context.Background()
	store := memstore.New()
	ok := func() error { return nil }
	skip := domain.ProjectionEventSkipped{Projection: "decisions", Position: domain.SeqPosition(7), EventID: domain.NewID(), Reason: "malformed payload"}
	for field, bad := range map[string]func(*domain.ProjectionEventSkipped){
		"reason":     func(s *domain.ProjectionEventSkipped) { s.Reason = "  " },
		"position":   func(s *domain.ProjectionEventSkipped) { s.Position = domain.Position{} },
		"event_id":   func(s *domain.ProjectionEventSkipped) { s.EventID = "" },
		"projection": func(s *domain.ProjectionEventSkipped) { s.Projection = "" },
	} {
		s := skip
		bad(&s)
		if _, err := domain.SkipEvent(ctx, store, domain.Command{}, s, ok); domain.ErrorField(err) != field {
			t.Errorf("a skip without %s: %v", field, err)
		}
	}
	long := skip
	long.Reason = strings.Repeat("x", 501)
	if _, err := domain.SkipEvent(ctx, store, domain.Command{}, long, ok); domain.ErrorField(err) != "reason" {
		t.Errorf("a reason of 501 characters: %v", err)
	}
	ctrl := skip
	ctrl.Reason = "two\nlines"
	if _, err := domain.SkipEvent(ctx, store, domain.Command{}, ctrl, ok); domain.ErrorField(err) != "reason" {
		t.Errorf("a reason with a line break: %v", err)
	}
	refused := errors.New("not stopped there")
	if _, err := domain.SkipEvent(ctx, store, domain.Command{}, skip, func() error { return refused }); !errors.Is(err, refused) {
		t.Errorf("a refused check: %v", err)
	}
	cmd := domain.Command{ID: domain.NewID(), Actor: domain.Actor{ID: "ops-1", Role: "operations"}}
	first, err := domain.SkipEvent(ctx, store, cmd, skip, ok)
	if err != nil {
		t.Fatal(err)
	}
	again, err := domain.SkipEvent(ctx, store, cmd, skip, func() error { return refused })
	if err != nil || again.Position != first.Position {
		t.Errorf("a retried skip: %+v %v, first %+v", again, err, first)
	}
	recs, err := store.ReadStream(ctx, domain.ProjectionsStream, domain.ReadStreamOptions{})
	if err != nil || len(recs) != 1 {
		t.Fatalf("the projections stream: %d events, %v", len(recs), err)
	}
	e, err := domain.DecodeEvent(recs[0])
	if err != nil {
		t.Fatal(err)
	}
	if got := *e.Payload.(*domain.ProjectionEventSkipped); got.Projection != "decisions" || got.Position != skip.Position ||
		got.EventID != skip.EventID || got.Reason != skip.Reason || got.Schema.Schema != 1 || e.Meta.ActorID != "ops-1" || e.Meta.ActorRole != "operations" {
		t.Errorf("recorded %+v by %+v", got, e.Meta)
	}
}

// A payload of a newer schema than the build reads, or of none, or that
// does not decode, is refused by CheckSchema; the current schema, older
// ones, unknown types and other layouts pass.
func TestCheckSchema(t *testing.T) {
	for _, tc := range []struct {
		typ, data string
		newer     bool
	}{
		{domain.EvEstimateDecided, `{"schema":1,"decision_number":"D"}`, false},
		{domain.EvEstimateDecided, `{"schema":2,"decision_number":"D"}`, false},
		{domain.EvEstimateDecided, `{"decision_number":"D", "schema": 2}`, false},
		{domain.EvEstimateDecided, `{"schema":3,"decision_number":"D"}`, false},
		{domain.EvEstimateDecided, `{"schema":4,"decision_number":"D"}`, true},
		{domain.EvEstimateDecided, `{"decision_number":"D", "schema": 4}`, true},
		{domain.EvEstimateDecided, `{"schema":0}`, true},
		{domain.EvEstimateDecided, `{"decision_number":"D"}`, true},
		{domain.EvEstimateDecided, `{"schema":`, true},
		{"test.unknown", `{"schema":9}`, false},
	} {
		if err := domain.CheckSchema(tc.typ, []byte(tc.data)); (err != nil) != tc.newer {
			t.Errorf("CheckSchema(%s, %s) = %v", tc.typ, tc.data, err)
		}
	}
}
