package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"carecost/domain"
	"carecost/eventstore/sqlite"
)

// storeMetrics measure the event store as the commands use it: the time of
// each append (waiting for a group commit included), the events each
// durable commit wrote, and the appends refused because a stream moved on
// (a concurrent change; a command without an expected version then tries
// again, so a conflict here is not always an error a user saw).
type storeMetrics struct {
	append    prometheus.Histogram
	batch     prometheus.Histogram
	conflicts prometheus.Counter
}

func newStoreMetrics() *storeMetrics {
	return &storeMetrics{
		append: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "carecost_store_append_duration_seconds",
			Help:    "Time of one append of a command's events to the event store, until it is durable.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		batch: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "carecost_store_append_batch_events",
			Help:    "Events written by one durable commit of the event store (the embedded store commits the appends that wait together).",
			Buckets: prometheus.ExponentialBuckets(1, 2, 11)}),
		conflicts: prometheus.NewCounter(prometheus.CounterOpts{Name: "carecost_store_conflicts_total",
			Help: "Appends refused because the stream had moved on (a concurrent change)."}),
	}
}

func (m *storeMetrics) collectors() []prometheus.Collector {
	return []prometheus.Collector{m.append, m.batch, m.conflicts}
}

// commit observes one commit of the embedded store.
func (m *storeMetrics) commit(c sqlite.Commit) { m.batch.Observe(float64(c.Events)) }

// measuredStore is the store as the commands see it, measured. Only
// Append is measured; every other method is the store's own.
type measuredStore struct {
	domain.EventStore
	m *storeMetrics
	// commits says each append is a commit of its own (a store without
	// group commit), so its events are observed as one.
	commits bool
}

// Append implements domain.EventStore.
func (s measuredStore) Append(ctx context.Context, stream string, expected domain.ExpectedVersion, events ...domain.EventData) (domain.AppendResult, error) {
	start := time.Now()
	r, err := s.EventStore.Append(ctx, stream, expected, events...)
	switch {
	case errors.Is(err, domain.ErrConcurrency):
		s.m.conflicts.Inc()
	case err == nil:
		s.m.append.Observe(time.Since(start).Seconds())
		if s.commits {
			s.m.batch.Observe(float64(len(events)))
		}
	}
	return r, err
}

// Version and Revision name the build; a release sets them with
// -ldflags "-X main.Version=1.2.0 -X main.Revision=<commit>" (the image's
// Dockerfile does, from its build arguments). Unset, they are what Go
// recorded in the binary (the module version, the VCS commit), else
// "(devel)" and "unknown".
var Version, Revision string

// buildInfo is carecost's version, the commit it was built from and the Go
// version.
func buildInfo() (version, revision, goVersion string) {
	version, revision, goVersion = "(devel)", "unknown", runtime.Version()
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v := bi.Main.Version; v != "" {
			version = v
		}
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" && s.Value != "" {
				revision = s.Value
			}
		}
	}
	if Version != "" {
		version = Version
	}
	if Revision != "" {
		revision = Revision
	}
	return
}

// backupStamp is the file in the data folder where carecost backup notes
// when it last wrote a backup of that folder's log.
const backupStamp = "last-backup"

// noteBackup records that a backup succeeded now (best effort: a backup
// that worked is not failed for a note it could not write).
func noteBackup(data string, now time.Time) error {
	return os.WriteFile(filepath.Join(data, backupStamp), []byte(strconv.FormatInt(now.Unix(), 10)+"\n"), 0o640)
}

// lastBackup reads when a backup last succeeded (false: none noted).
func lastBackup(data string) (time.Time, bool) {
	b, err := os.ReadFile(filepath.Join(data, backupStamp))
	if err != nil {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(b)), 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	return time.Unix(n, 0), true
}

// hostCollector reports, at each scrape, the build, the free and total
// space of the data folder's file system, and the time of the last backup
// of the embedded store.
type hostCollector struct {
	data                     string
	sqlite                   bool
	build, free, size, stamp *prometheus.Desc
}

func newHostCollector(data string, sqlite bool) *hostCollector {
	return &hostCollector{data: data, sqlite: sqlite,
		build: prometheus.NewDesc("carecost_build_info", "carecost's version, the commit it was built from and its Go version (always 1).",
			[]string{"version", "revision", "goversion"}, nil),
		free: prometheus.NewDesc("carecost_data_volume_free_bytes", "Space left for carecost (not root) on the file system of the data folder.", nil, nil),
		size: prometheus.NewDesc("carecost_data_volume_size_bytes", "Size of the file system of the data folder.", nil, nil),
		stamp: prometheus.NewDesc("carecost_backup_last_success_timestamp_seconds",
			"When carecost backup last wrote a backup of this data folder's event log (Unix time; absent: none noted).", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (h *hostCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- h.build
	ch <- h.free
	ch <- h.size
	ch <- h.stamp
}

// Collect implements prometheus.Collector.
func (h *hostCollector) Collect(ch chan<- prometheus.Metric) {
	v, r, g := buildInfo()
	ch <- prometheus.MustNewConstMetric(h.build, prometheus.GaugeValue, 1, v, r, g)
	var st syscall.Statfs_t
	if syscall.Statfs(h.data, &st) == nil {
		ch <- prometheus.MustNewConstMetric(h.free, prometheus.GaugeValue, float64(st.Bavail)*float64(st.Bsize))
		ch <- prometheus.MustNewConstMetric(h.size, prometheus.GaugeValue, float64(st.Blocks)*float64(st.Bsize))
	}
	if !h.sqlite {
		return
	}
	if t, ok := lastBackup(h.data); ok {
		ch <- prometheus.MustNewConstMetric(h.stamp, prometheus.GaugeValue, float64(t.Unix()))
	}
}

// newRegistry is the registry of serve's /metrics: the Go and process
// collectors, the projections' and the usage metrics, the store's, the
// host's; the HTTP server adds its own.
func newRegistry(a *app) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	_, isSQLite := a.cfg.esdbURL()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}), a.runner.Collector(),
		a.set.UsageCollector(), newHostCollector(a.cfg.data, !isSQLite))
	reg.MustRegister(a.storeMetrics.collectors()...)
	return reg
}

func init() {
	commands["version"] = command{"print carecost's version, the commit it was built from and its Go version", runVersion}
}

func runVersion(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	v, r, g := buildInfo()
	fmt.Fprintf(e.stdout, "carecost %s (commit %s, %s)\n", v, r, g)
	return nil
}
