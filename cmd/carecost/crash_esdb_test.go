package main

import (
	"context"
	"os/exec"
	"reflect"
	"syscall"
	"testing"

	"carecost/domain"
	"carecost/eventstore/esdb/esdbtest"
)

// The server is killed (SIGKILL) during concurrent writes on an
// EventStoreDB store (the in-process server, which lives on) and started
// again on the same data folder and store: every acknowledged estimate is
// there once with its acknowledged lines, in the API and in the server's
// log (no event id twice, no version skipped), and the read models equal a
// full rebuild.
func TestCrashDuringWritesOnEventStoreDB(t *testing.T) {
	srv := esdbtest.Start(t, esdbtest.WithNoise(7))
	if err := seedCatalogue(context.Background(), config{data: t.TempDir(), store: srv.URL(), logFormat: "json"}); err != nil {
		t.Fatal(err)
	}
	bin := buildCarecost(t)
	data := t.TempDir()
	store := []string{"--store", srv.URL()}
	p := startProcess(t, bin, data, store...)
	acks := writeUntilKilled(t, p)

	// The server's log: every event id once, every stream's revisions
	// 0, 1, 2, ..., and every acknowledged estimate opened once with at
	// least its acknowledged lines.
	type held struct{ opened, lines int }
	streams := map[string]*held{}
	ids := map[string]bool{}
	next := map[string]uint64{}
	for _, e := range srv.Events() {
		if ids[e.ID.String()] {
			t.Errorf("event id %s is in the log twice", e.ID)
		}
		ids[e.ID.String()] = true
		if e.Revision != next[e.Stream] {
			t.Errorf("stream %s: revision %d where %d comes next", e.Stream, e.Revision, next[e.Stream])
		}
		next[e.Stream] = e.Revision + 1
		h := streams[e.Stream]
		if h == nil {
			h = &held{}
			streams[e.Stream] = h
		}
		switch e.Type {
		case domain.EvEstimateOpened:
			h.opened++
		case domain.EvEstimateLineAdded:
			h.lines++
		}
	}
	for _, k := range acks {
		h := streams[domain.EstimateStream(k.id)]
		if h == nil || h.opened != 1 || h.lines < k.lines {
			t.Errorf("estimate %s in the log: %+v, %d lines acknowledged", k.id, h, k.lines)
		}
	}

	q := startProcess(t, bin, data, store...)
	for _, k := range acks {
		checkEstimate(t, q.api, k)
	}
	before := allEstimates(t, q.api)
	opened := 0
	for _, h := range streams {
		opened += h.opened
	}
	if len(before) != opened {
		t.Errorf("the API lists %d estimates, the log holds %d", len(before), opened)
	}
	for _, e := range before {
		id, _ := e["id"].(string)
		if h := streams[domain.EstimateStream(id)]; h == nil || e["line_count"] != float64(h.lines) {
			t.Errorf("estimate %s: the API says %v lines, the log holds %+v", id, e["line_count"], h)
		}
	}
	q.cmd.Process.Signal(syscall.SIGTERM)
	q.cmd.Wait()
	if out, err := exec.Command(bin, append([]string{"rebuild", "--data", data, "--log-format", "json"}, store...)...).CombinedOutput(); err != nil {
		t.Fatalf("rebuild: %v\n%s", err, out)
	}
	r := startProcess(t, bin, data, store...)
	if after := allEstimates(t, r.api); !reflect.DeepEqual(before, after) {
		t.Errorf("the projections after the crash differ from a full rebuild (%d and %d estimates)", len(before), len(after))
	}
}
