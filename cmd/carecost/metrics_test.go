package main

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
)

// The host's metrics: the build, the data folder's file system, and the
// last backup once carecost backup has noted one.
func TestHostMetrics(t *testing.T) {
	data := t.TempDir()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(newHostCollector(data, true))
	scrape := func() string {
		b, err := testutil.GatherAndFormat(reg, expfmt.TypeTextPlain, "carecost_build_info", "carecost_data_volume_free_bytes",
			"carecost_data_volume_size_bytes", "carecost_backup_last_success_timestamp_seconds")
		must(t, err)
		return string(b)
	}
	first := scrape()
	for _, want := range []string{`goversion="` + runtime.Version() + `"`, "carecost_data_volume_free_bytes ", "carecost_data_volume_size_bytes "} {
		if !strings.Contains(first, want) {
			t.Errorf("metrics lack %s:\n%s", want, first)
		}
	}
	if strings.Contains(first, "carecost_backup_last_success_timestamp_seconds ") {
		t.Errorf("a backup time before any backup:\n%s", first)
	}
	at := time.Unix(1795000000, 0)
	must(t, noteBackup(data, at))
	if got := scrape(); !strings.Contains(got, "carecost_backup_last_success_timestamp_seconds 1.795e+09") {
		t.Errorf("after a backup:\n%s", got)
	}
	problems, err := testutil.GatherAndLint(reg)
	must(t, err)
	for _, p := range problems {
		t.Errorf("promlint: %s: %s", p.Metric, p.Text)
	}
}

// carecost backup notes its time in the data folder, and carecost version
// names the build.
func TestBackupNotedAndVersion(t *testing.T) {
	data := t.TempDir()
	grantIn(t, data, "")
	var out bytes.Buffer
	e := &env{stdout: &out, stderr: io.Discard, getenv: func(string) string { return "" }}
	before := time.Now().Add(-time.Second)
	if code := run(context.Background(), e, []string{"backup", "--data", data, "--to", t.TempDir() + "/b.db"}); code != 0 {
		t.Fatalf("backup: exit %d: %s", code, out.String())
	}
	if at, ok := lastBackup(data); !ok || at.Before(before) {
		t.Errorf("backup noted %v %v", at, ok)
	}
	out.Reset()
	Version, Revision = "9.9.9", "abc123"
	defer func() { Version, Revision = "", "" }()
	if code := run(context.Background(), e, []string{"version"}); code != 0 || out.String() != "carecost 9.9.9 (commit abc123, "+runtime.Version()+")\n" {
		t.Errorf("version: exit %d, %q", code, out.String())
	}
}
