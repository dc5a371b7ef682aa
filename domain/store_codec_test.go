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
