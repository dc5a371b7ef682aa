package storetest_test

import (
	"testing"

	"carecost/domain"
	"carecost/domain/memstore"
	"carecost/eventstore/storetest"
)

// The in-memory store keeps the same promises as the durable ones; a
// "restart" hands the same data to a new Store.
func TestMemstoreConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (domain.EventStore, storetest.Reopen) {
		s := memstore.New()
		return s, func(t *testing.T) domain.EventStore { return s.Reopen() }
	}, storetest.DensePositions())
}
