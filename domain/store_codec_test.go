package domain_test

import (
	"reflect"
	"testing"
	"time"

	"carecost/domain"
)

func TestEventBatchCodec(t *testing.T) {
	in := []domain.RecordedEvent{
		{ID: domain.NewID(), Stream: "estimate-x", Type: domain.EvEstimateOpened, Version: 3, Position: domain.Position{Commit: 9, Prepare: 7},
			Data: []byte(`{"a":1}`), Metadata: []byte(`{"actor_id":"u"}`), RecordedAt: time.Unix(0, 1790000000123456789).UTC()},
		{ID: "b", Stream: "tariff-y", Type: "t", Position: domain.SeqPosition(10), Data: []byte{}, Metadata: []byte{}, RecordedAt: time.Unix(0, 0).UTC()},
	}
	out, err := domain.UnmarshalEvents(domain.MarshalEvents(in))
	must(t, err)
	if !reflect.DeepEqual(in, out) {
		t.Errorf("round trip:\n%+v\n%+v", in, out)
	}
	b := domain.MarshalEvents(in)
	for _, cut := range []int{0, 1, len(b) / 2, len(b) - 1} {
		if _, err := domain.UnmarshalEvents(b[:cut]); err == nil {
			t.Errorf("a batch cut at %d decoded", cut)
		}
	}
}

// A batch without events carries a position the log was read up to; a
// batch of events reads as before, with no such position.
func TestProgressBatchCodec(t *testing.T) {
	p := domain.Position{Commit: 90210, Prepare: 90133}
	evs, got, err := domain.UnmarshalBatch(domain.MarshalProgress(p))
	if err != nil || len(evs) != 0 || got != p {
		t.Fatalf("progress: got %v, %v, %v; want %v alone", evs, got, err, p)
	}
	in := []domain.RecordedEvent{{ID: "a", Position: domain.SeqPosition(3), RecordedAt: time.Unix(0, 0).UTC(), Data: []byte{}, Metadata: []byte{}}}
	evs, got, err = domain.UnmarshalBatch(domain.MarshalEvents(in))
	if err != nil || !reflect.DeepEqual(evs, in) || !got.IsZero() {
		t.Fatalf("events: got %v, %v, %v", evs, got, err)
	}
	if evs, got, err := domain.UnmarshalBatch(domain.MarshalEvents(nil)); err != nil || len(evs) != 0 || !got.IsZero() {
		t.Fatalf("an empty batch: got %v, %v, %v", evs, got, err)
	}
	b := domain.MarshalProgress(p)
	for _, bad := range [][]byte{b[:len(b)-1], append(append([]byte(nil), b...), 1), domain.MarshalProgress(domain.Position{})} {
		if _, _, err := domain.UnmarshalBatch(bad); err == nil {
			t.Errorf("%v decoded", bad)
		}
	}
}
