package memstore_test

import (
	"context"
	"os"
	"reflect"
	"testing"

	"carecost/domain"
	"carecost/domain/memstore"
)

func TestFromLog(t *testing.T) {
	data, err := os.ReadFile("../../testdata/schema1/log.json")
	if err != nil {
		t.Fatal(err)
	}
	log, err := memstore.ReadLog(data)
	if err != nil || len(log) < 50 {
		t.Fatalf("read %d events: %v", len(log), err)
	}
	s, err := memstore.FromLog(log)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.ReadAll(context.Background(), domain.ReadAllOptions{})
	if err != nil || !reflect.DeepEqual(all, log) {
		t.Fatalf("the store holds other events than the log: %v", err)
	}
	last := log[len(log)-1]
	if _, err := s.Append(context.Background(), last.Stream, domain.ExactVersion(last.Version), domain.EventData{ID: domain.NewID(), Type: "t", Data: []byte(`{}`)}); err != nil {
		t.Errorf("append after the log: %v", err)
	}
	if _, err := memstore.FromLog(log[1:]); err == nil {
		t.Error("a log without its first event was taken")
	}
}
