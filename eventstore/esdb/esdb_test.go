package esdb_test

import (
	"os"
	"testing"

	"carecost/domain"
	"carecost/eventstore/esdb"
	"carecost/eventstore/esdb/esdbtest"
	"carecost/eventstore/storetest"
)

// The conformance suite's events have types "storetest....": the store is
// told that is the application's prefix. The server mixes a system event and
// another application's event into the log after every third append, which
// the store must never return.
func TestConformance(t *testing.T) {
	srv := esdbtest.Start(t, esdbtest.WithNoise(3))
	runConformance(t, srv.URL())
}

// TestConformanceRealServer runs the same suite against the server that
// CARECOST_TEST_ESDB names, e.g. esdb://localhost:2113?tls=false.
func TestConformanceRealServer(t *testing.T) {
	url := os.Getenv("CARECOST_TEST_ESDB")
	if url == "" {
		t.Skip("CARECOST_TEST_ESDB does not name a server")
	}
	runConformance(t, url)
}

func runConformance(t *testing.T, url string) {
	open := func(t *testing.T) domain.EventStore { return mustOpen(t, url, esdb.WithTypePrefix("storetest.")) }
	storetest.Run(t, func(t *testing.T) (domain.EventStore, storetest.Reopen) {
		return open(t), open
	}, storetest.ImportStreamByStream(), storetest.ServerClock())
}

func mustOpen(t testing.TB, url string, opts ...esdb.Option) *esdb.Store {
	t.Helper()
	s, err := esdb.Open(url, opts...)
	if err != nil {
		t.Fatalf("Open(%q): %v", url, err)
	}
	return s
}
