package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"carecost/domain"
	"carecost/eventstore/esdb/esdbtest"
)

// keyedWriter runs commands, each with an Idempotency-Key of its own, and
// retries a command the store refused (503) with the same key until it is
// acknowledged.
type keyedWriter struct {
	a       *api
	refused atomic.Int64 // 503 answers
	failed  atomic.Int64 // requests that got no answer
	done    atomic.Int64 // estimates written whole
}

// waitDone waits until the writers have written n estimates whole in all,
// or 30 s have passed.
func (w *keyedWriter) waitDone(n int64) {
	for deadline := time.Now().Add(30 * time.Second); w.done.Load() < n && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
	}
}

// run sends one command until it is acknowledged (201) and returns the
// answer; any other answer but 503, or no acknowledgement within the
// deadline, fails the test and returns false.
func (w *keyedWriter) run(t *testing.T, method, path, body, key string) (reply, bool) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		req, err := http.NewRequest(method, w.a.base+path, bytes.NewBufferString(body))
		if err != nil {
			t.Error(err)
			return reply{}, false
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+w.a.token)
		req.Header.Set("Idempotency-Key", key)
		resp, err := w.a.c.Do(req)
		var r reply
		if err == nil {
			r.status, r.header = resp.StatusCode, resp.Header
			r.body, err = io.ReadAll(resp.Body)
			resp.Body.Close()
		}
		switch {
		case err != nil:
			w.failed.Add(1)
		case r.status == http.StatusCreated:
			return r, true
		case r.status == http.StatusServiceUnavailable:
			if r.header.Get("Retry-After") == "" {
				t.Errorf("%s %s (key %s): 503 without Retry-After", method, path, key)
			}
			w.refused.Add(1)
		default:
			t.Errorf("%s %s (key %s): %d %s", method, path, key, r.status, r.body)
			return r, false
		}
		if time.Now().After(deadline) {
			t.Errorf("%s %s (key %s): not acknowledged within 30 s (last: %v %d %s)", method, path, key, err, r.status, r.body)
			return r, false
		}
		// Retry-After says 5 s; the test retries sooner to stay fast.
		time.Sleep(50 * time.Millisecond)
	}
}

// keyedEstimate is an estimate a writer opened and the keys of its
// commands: the open, then one key per line added.
type keyedEstimate struct {
	id   string
	keys []string
}

// linesPerEstimate is how many lines a writer adds to each estimate.
const linesPerEstimate = 3

// writeKeyed opens estimates and adds linesPerEstimate lines to each, every
// command with a key of its own, until stop; the estimate under way when
// stop comes is finished.
func (w *keyedWriter) writeKeyed(t *testing.T, name string, stop <-chan struct{}) []keyedEstimate {
	var out []keyedEstimate
	for n := 0; ; n++ {
		select {
		case <-stop:
			return out
		default:
		}
		key := fmt.Sprintf("%s-%d", name, n)
		r, ok := w.run(t, "POST", "/api/v1/estimates", `{"client_ref":"K-`+key+`","maple":3,"segment":"continuous","tariff":"phhva","pricing_date":"2026-02-01","household":{"size":1,"gross_income":"1500"},"lines":[]}`, key)
		var est struct {
			ID string `json:"id"`
		}
		if !ok || r.into2(&est) != nil || est.ID == "" {
			t.Errorf("estimate %s: no id in %s", key, r.body)
			return out
		}
		e := keyedEstimate{id: est.ID, keys: []string{key}}
		for i := range linesPerEstimate {
			lk := fmt.Sprintf("%s-line-%d", key, i)
			if _, ok := w.run(t, "POST", "/api/v1/estimates/"+est.ID+"/lines", `{"service":"meal-service","mode":"own","quantity":5,"frequency":"week"}`, lk); !ok {
				return out
			}
			e.keys = append(e.keys, lk)
		}
		out = append(out, e)
		w.done.Add(1)
	}
}

// The EventStoreDB store goes away in the middle of concurrent writes and
// comes back a second later; the writers retry every refused command with
// its Idempotency-Key until it is acknowledged. Then every key's command is
// in the log exactly once, whole (its events are the ones its key names,
// and nothing else is in the estimates' streams), the read models answer
// what the log holds, and they equal a full rebuild.
func TestStoreDownDuringWrites(t *testing.T) {
	srv := esdbtest.Start(t, esdbtest.WithNoise(7))
	if err := seedCatalogue(context.Background(), config{data: t.TempDir(), store: srv.URL(), logFormat: "json"}); err != nil {
		t.Fatal(err)
	}
	quiet := &env{stdout: io.Discard, stderr: logTo, getenv: func(string) string { return "" }}
	cfg := config{data: filepath.Join(t.TempDir(), "d"), store: srv.URL(), addr: "127.0.0.1:0", logFormat: "json", waitTimeout: 5 * time.Second}
	s, err := startServer(context.Background(), cfg, quiet)
	if err != nil {
		t.Fatal(err)
	}
	var stopOnce sync.Once
	stopServer := func() {
		stopOnce.Do(func() {
			if err := s.stop(); err != nil {
				t.Error(err)
			}
		})
	}
	t.Cleanup(stopServer)
	a := s.client(t)

	const writers = 6
	w := &keyedWriter{a: a}
	stop := make(chan struct{})
	var mu sync.Mutex
	var written []keyedEstimate
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			got := w.writeKeyed(t, fmt.Sprintf("w%d", i), stop)
			mu.Lock()
			written = append(written, got...)
			mu.Unlock()
		})
	}
	// Writes before the outage and after it, however slow the machine:
	// each phase waits for the writers' progress, not for a time.
	w.waitDone(writers)
	srv.Stop()
	time.Sleep(time.Second)
	srv.Restart(t)
	w.waitDone(w.done.Load() + writers)
	close(stop)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Logf("%d estimates of %d lines written; %d answers 503, %d requests unanswered",
		len(written), linesPerEstimate, w.refused.Load(), w.failed.Load())
	// A call under way when the store went away may answer only once it
	// is back (the client's reconnect gives up after about a second): a
	// 503 at any time is the outage's.
	if w.refused.Load() == 0 {
		t.Fatal("no command was refused: the outage missed the writers")
	}
	if w.failed.Load() != 0 {
		t.Errorf("%d requests got no answer from carecost", w.failed.Load())
	}
	if len(written) < 2*writers {
		t.Fatalf("only %d estimates written", len(written))
	}

	// The log: every estimate stream is one the writers opened, and holds
	// exactly the events of its keys' commands, each command whole.
	byStream := map[string][]esdbtest.Event{}
	ids := map[string]bool{}
	for _, e := range srv.Events() {
		if ids[e.ID.String()] {
			t.Errorf("event id %s is in the log twice", e.ID)
		}
		ids[e.ID.String()] = true
		if strings.HasPrefix(e.Stream, "estimate-") {
			byStream[e.Stream] = append(byStream[e.Stream], e)
		}
	}
	if len(byStream) != len(written) {
		t.Errorf("the log holds %d estimates, the writers opened %d", len(byStream), len(written))
	}
	for _, k := range written {
		stream := domain.EstimateStream(k.id)
		evs := byStream[stream]
		at := 0
		for _, key := range k.keys {
			cmd := "tester/" + key
			n := 0
			for at < len(evs) && evs[at].ID.String() == domain.EventID(cmd, stream, n) {
				at, n = at+1, n+1
			}
			if n == 0 {
				t.Errorf("estimate %s: the command of key %s is not in the log where it belongs (event %d of %d)", k.id, key, at, len(evs))
				break
			}
		}
		if at != len(evs) {
			t.Errorf("estimate %s: %d events in its stream, %d of them its commands'", k.id, len(evs), at)
		}
		opened, lines := 0, 0
		for i, e := range evs {
			if e.Revision != uint64(i) {
				t.Errorf("estimate %s: event %d has revision %d", k.id, i, e.Revision)
			}
			switch e.Type {
			case domain.EvEstimateOpened:
				opened++
			case domain.EvEstimateLineAdded:
				lines++
			}
		}
		if opened != 1 || lines != linesPerEstimate {
			t.Errorf("estimate %s: opened %d times, %d lines added; want once and %d", k.id, opened, lines, linesPerEstimate)
		}
	}

	// The read models answer what the log holds (once they have caught up)
	// and equal a full rebuild.
	var before []map[string]any
	deadline := time.Now().Add(15 * time.Second)
	for {
		before = allEstimates(t, a)
		if caughtUp(before, written) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the read models list %d estimates; the writers opened %d, each with %d lines", len(before), len(written), linesPerEstimate)
		}
		time.Sleep(100 * time.Millisecond)
	}
	stopServer()
	if err := runRebuild(context.Background(), quiet, []string{"--data", cfg.data, "--store", cfg.store, "--log-format", "json"}); err != nil {
		t.Fatalf("rebuild: %v", err)
	}
	after := startTestServerWith(t, cfg).client(t)
	if got := allEstimates(t, after); !reflect.DeepEqual(before, got) {
		t.Errorf("the read models after the outage differ from a full rebuild (%d and %d estimates)", len(before), len(got))
	}
}

// caughtUp reports whether the estimates listed are the ones written, each
// with all its lines.
func caughtUp(listed []map[string]any, written []keyedEstimate) bool {
	if len(listed) != len(written) {
		return false
	}
	want := map[string]bool{}
	for _, k := range written {
		want[k.id] = true
	}
	for _, e := range listed {
		id, _ := e["id"].(string)
		if !want[id] || e["line_count"] != float64(linesPerEstimate) {
			return false
		}
	}
	return true
}
