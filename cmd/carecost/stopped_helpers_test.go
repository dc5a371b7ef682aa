package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/sqlite"
)

// malformed is the payload of a decision no projection can read: the
// decision number is a number, the quote is cut short, and it holds a
// client reference that must never reach a log or an answer.
const malformed = `{"schema":1,"decision_number":20251234,"quote":{"personal":{"client_ref":"SECRET-CLIENT"}`

// appendMalformed appends a malformed decision to a new estimate stream.
func appendMalformed(t *testing.T, s domain.EventStore) domain.RecordedEvent {
	t.Helper()
	id, stream := domain.NewID(), "estimate-"+domain.NewID()
	res, err := s.Append(context.Background(), stream, domain.AnyVersion,
		domain.EventData{ID: id, Type: domain.EvEstimateDecided, Data: []byte(malformed), Metadata: []byte(`{}`)})
	if err != nil {
		t.Fatal(err)
	}
	return domain.RecordedEvent{ID: id, Stream: stream, Position: res.Position}
}

// appendMalformedTo appends a malformed decision to the log of a data
// folder no carecost runs on.
func appendMalformedTo(t *testing.T, data string) domain.RecordedEvent {
	t.Helper()
	s, err := sqlite.Open(filepath.Join(data, "events.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	return appendMalformed(t, s)
}

// logBuffer keeps a server's log; safe for concurrent writers.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// count returns how many log lines hold s.
func (b *logBuffer) count(s string) int {
	n := 0
	for _, l := range strings.Split(b.String(), "\n") {
		if strings.Contains(l, s) {
			n++
		}
	}
	return n
}

// startLoggedServer runs carecost serve over data, keeping its log, and
// stops it when the test ends.
func startLoggedServer(t *testing.T, data string) (*server, *api, *logBuffer) {
	t.Helper()
	log := &logBuffer{}
	e := &env{stdout: &bytes.Buffer{}, stderr: log, getenv: func(string) string { return "" }}
	s, err := startServer(context.Background(), config{data: data, addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second}, e)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.stop(); err != nil {
			t.Error(err)
		}
	})
	return s, s.client(t), log
}

// wantWords fails unless the reply holds every word and nothing of the
// malformed payload.
func (r reply) wantWords(t *testing.T, words ...string) {
	t.Helper()
	for _, w := range words {
		if !strings.Contains(string(r.body), w) {
			t.Errorf("the answer lacks %q: %s", w, r.body)
		}
	}
	if strings.Contains(string(r.body), "SECRET") || strings.Contains(string(r.body), "20251234") {
		t.Errorf("the answer quotes the payload: %s", r.body)
	}
}

// waitUntil waits until cond holds, failing the test after a minute.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the condition never held")
		}
	}
}
