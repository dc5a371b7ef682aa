package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"carecost/eventstore/esdb/esdbtest"
)

// BenchmarkBenchBesideEsdb runs carecost bench --store against the
// in-process server at full size, for the figures in docs/performance.md:
//
//	go test ./cmd/carecost -run XXX -bench BenchBesideEsdb -benchtime 1x -timeout 60m
//
// CARECOST_BENCH_ARGS replaces the bench's flags (default: every part but
// the console pages, at bench's default sizes).
func BenchmarkBenchBesideEsdb(b *testing.B) {
	srv := esdbtest.Start(b)
	args := strings.Fields(os.Getenv("CARECOST_BENCH_ARGS"))
	if len(args) == 0 {
		args = []string{"--only", "appends,replay,http"}
	}
	for range b.N {
		var out, errs bytes.Buffer
		e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errs, getenv: func(string) string { return "" }}
		code := run(context.Background(), e, append([]string{"bench", "--store", srv.URL()}, args...))
		os.Stdout.Write(out.Bytes())
		if code != 0 {
			b.Fatalf("bench: exit %d\n%s", code, errs.String())
		}
	}
}
