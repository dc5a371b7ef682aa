package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// pair prints a figure measured on the SQLite store beside the same
// figure measured on the --store store.
type pair struct{ names [2]string }

func newPair(c benchConfig) pair { return pair{[2]string{"sqlite", c.store.String()}} }

// line prints the figures of side i (0 SQLite, 1 the other store).
func (p pair) line(w io.Writer, i int, figures string) {
	width := max(len(p.names[0]), len(p.names[1]))
	fmt.Fprintf(w, "  %s:%s %s\n", p.names[i], strings.Repeat(" ", width-len(p.names[i])), figures)
}

// ratio prints the other store's figures as multiples of SQLite's.
func (p pair) ratio(w io.Writer, parts ...any) {
	var out []string
	for i := 0; i+1 < len(parts); i += 2 {
		out = append(out, fmt.Sprintf("%.2f × %s", parts[i], parts[i+1]))
	}
	fmt.Fprintf(w, "  esdb/sqlite: %s\n", strings.Join(out, ", "))
}

// times is b's duration as a multiple of a's.
func times(b, a time.Duration) float64 { return float64(b) / float64(a) }

// esdbConfig returns the configuration of a carecost over the --store
// store seen through a new space of part (its read models in folder
// data): it writes and reads only the streams of that part of this run.
func (c benchConfig) esdbConfig(ctx context.Context, part, data string) (config, error) {
	store, closer, err := openStoreURL(ctx, "--store", c.store, false)
	if err != nil {
		return config{}, err
	}
	defer closer.Close()
	space, err := newBenchSpace(ctx, store, c.run, part)
	if err != nil {
		return config{}, fmt.Errorf("%s: %w", c.store, err)
	}
	return config{data: data, store: c.store.raw, wrapStore: space.wrap, logFormat: "json", addr: "127.0.0.1:0", waitTimeout: 2 * time.Second}, nil
}
