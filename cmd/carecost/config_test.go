package main

import (
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

func TestConfigFlagsAndEnvironment(t *testing.T) {
	env := map[string]string{"CARECOST_ADDR": "127.0.0.1:9999", "CARECOST_DATA": "/srv/carecost", "CARECOST_DEMO": "true", "CARECOST_WAIT_TIMEOUT": "750ms"}
	parse := func(args ...string) config {
		var c config
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c.serveFlags(fs, func(k string) string { return env[k] })
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return c
	}
	c := parse()
	if c.addr != "127.0.0.1:9999" || c.data != "/srv/carecost" || !c.demo || c.metricsAddr != "" || c.waitTimeout != 750*time.Millisecond || c.check() != nil {
		t.Errorf("from the environment: %+v", c)
	}
	if c := parse("--addr", "127.0.0.1:1234", "--wait-timeout", "3s"); c.addr != "127.0.0.1:1234" || c.waitTimeout != 3*time.Second {
		t.Errorf("the flag does not win over the variable: %s, %s", c.addr, c.waitTimeout)
	}
	env["CARECOST_WAIT_TIMEOUT"] = "soon"
	if err := parse().check(); domain.ErrorField(err) != "CARECOST_WAIT_TIMEOUT" {
		t.Errorf("a wait timeout that is no duration: %v", err)
	}
	env["CARECOST_WAIT_TIMEOUT"] = ""
	if err := parse("--wait-timeout", "2h").check(); domain.ErrorField(err) != "--wait-timeout" {
		t.Errorf("a wait of two hours: %v", err)
	}
	if p, err := c.storePath(); err != nil || p != "/srv/carecost/events.db" {
		t.Errorf("store path %q, %v", p, err)
	}
	c.store = "esdb://localhost:2113"
	if _, err := c.storePath(); err == nil {
		t.Error("an EventStoreDB store was accepted")
	}
}

// A second carecost on the same data folder is refused.
func TestDataFolderLock(t *testing.T) {
	dir := t.TempDir()
	first, err := lockData(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	code, _, errs := runCmd(t, "", "rebuild", "--data", dir)
	if code != 2 {
		t.Errorf("rebuild beside a holder of the lock: exit %d (%s)", code, errs)
	}
}

// Two carecosts with their own data folders but one event log outside
// both: the second is refused, as for one data folder.
func TestStoreOutsideDataFolderIsLocked(t *testing.T) {
	shared := filepath.Join(t.TempDir(), "events.db")
	first, err := lockFor(t.TempDir(), shared)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Close()
	code, _, errs := runCmd(t, "", "rebuild", "--data", t.TempDir(), "--store", "sqlite:"+shared)
	if code != 2 || !strings.Contains(errs, shared) {
		t.Errorf("rebuild of a log another carecost holds: exit %d (%s)", code, errs)
	}
}

// --store-file: the connection string read from a file's first line, for
// one that holds a password; --store wins; an empty or missing file is
// refused naming the flag.
func TestStoreFile(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "store")
	if err := os.WriteFile(f, []byte("esdb://admin:pw@kurrentdb:2113?tlsCAFile=/ca.crt\n# comment\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := config{data: dir, storeFile: f}
	if url, ok := c.esdbURL(); !ok || url != "esdb://admin:pw@kurrentdb:2113?tlsCAFile=/ca.crt" {
		t.Errorf("from the file: %q, %v", url, ok)
	}
	c = config{data: dir, store: "sqlite:" + filepath.Join(dir, "events.db"), storeFile: f}
	if _, ok := c.esdbURL(); ok {
		t.Error("--store did not win over --store-file")
	}
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, []byte("\n"), 0o600)
	for _, file := range []string{empty, filepath.Join(dir, "none")} {
		c = config{data: dir, storeFile: file}
		if _, err := c.storePath(); domain.ErrorField(err) != "--store-file" {
			t.Errorf("%s: %v", file, err)
		}
	}
}

// --log-mmap (CARECOST_LOG_MMAP) sizes the mapping of the embedded log,
// in MiB; a value that is not one is refused by name, by every command
// that opens the store.
func TestLogMmapFlag(t *testing.T) {
	var c config
	fs := flag.NewFlagSet("x", flag.ContinueOnError)
	c.storeFlags(fs, func(k string) string { return map[string]string{"CARECOST_LOG_MMAP": "16"}[k] })
	if err := fs.Parse(nil); err != nil || *c.logMmap != 16 || c.checkStore() != nil {
		t.Errorf("from the environment: %d, %v", *c.logMmap, c.checkStore())
	}
	if o := c.sqliteOptions(); len(o) != 1 {
		t.Errorf("options %v", o)
	}
	// A configuration not read from flags keeps the store's default
	// mapping, not none.
	if o := (config{}).sqliteOptions(); len(o) != 0 {
		t.Errorf("a configuration without flags sets %d options", len(o))
	}
	for _, bad := range []string{"-1", "lots", "4096"} {
		var b config
		b.storeFlags(flag.NewFlagSet("x", flag.ContinueOnError), func(k string) string { return map[string]string{"CARECOST_LOG_MMAP": bad}[k] })
		if err := b.checkStore(); err == nil || !strings.Contains(err.Error(), "CARECOST_LOG_MMAP") {
			t.Errorf("CARECOST_LOG_MMAP=%s: %v", bad, err)
		}
	}
	for _, cmd := range [][]string{
		{"rebuild", "--data", t.TempDir()},
		{"migrate", "--data", t.TempDir(), "--to", "sqlite:" + filepath.Join(t.TempDir(), "x.db")},
		{"backup", "--data", t.TempDir(), "--to", filepath.Join(t.TempDir(), "b.db")},
		{"restore", "--data", t.TempDir(), "--from", filepath.Join(t.TempDir(), "b.db")},
	} {
		code, _, errOut := runCLI(t, append(cmd, "--log-mmap", "9999")...)
		if code != 2 || !strings.Contains(errOut, "--log-mmap") {
			t.Errorf("%s --log-mmap 9999: exit %d, %s", cmd[0], code, errOut)
		}
	}
}

// Every scheme of an EventStoreDB/KurrentDB connection string is one, read
// as the client knows it; others are not.
func TestEsdbSchemes(t *testing.T) {
	for in, want := range map[string]string{
		"esdb://h:2113?tls=false":              "esdb://h:2113?tls=false",
		"esdb+discover://h:2113":               "esdb+discover://h:2113",
		"kurrentdb://h:2113?tls=false":         "esdb://h:2113?tls=false",
		"kurrentdb+discover://h1:2113,h2:2113": "esdb+discover://h1:2113,h2:2113",
		"sqlite:/data/events.db":               "",
		"http://h:2113":                        "",
	} {
		c := config{store: in}
		got, ok := c.esdbURL()
		if ok != (want != "") || got != want {
			t.Errorf("%s: %q %v, want %q", in, got, ok, want)
		}
		if _, err := parseStoreURL("--to", in); (err == nil) != (want != "" || strings.HasPrefix(in, "sqlite:")) {
			t.Errorf("parseStoreURL(%s): %v", in, err)
		}
	}
}

// --outage-grace: two minutes unless told, 0s turns it off, at most an hour.
func TestOutageGraceFlag(t *testing.T) {
	parse := func(env map[string]string, args ...string) (config, error) {
		var c config
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c.serveFlags(fs, func(k string) string { return env[k] })
		if err := fs.Parse(args); err != nil {
			return c, err
		}
		return c, c.check()
	}
	for _, c := range []struct {
		env  map[string]string
		args []string
		want time.Duration
		bad  bool
	}{
		{want: 2 * time.Minute},
		{env: map[string]string{"CARECOST_OUTAGE_GRACE": "0s"}},
		{env: map[string]string{"CARECOST_OUTAGE_GRACE": "30s"}, want: 30 * time.Second},
		{args: []string{"--outage-grace", "0s"}},
		{args: []string{"--outage-grace", "2h"}, bad: true},
		{args: []string{"--outage-grace", "-1s"}, bad: true},
		{env: map[string]string{"CARECOST_OUTAGE_GRACE": "soon"}, bad: true},
	} {
		got, err := parse(c.env, c.args...)
		if c.bad != (err != nil) || (!c.bad && got.outageGrace != c.want) {
			t.Errorf("%v %v: %v, %v; want %v (refused: %v)", c.env, c.args, got.outageGrace, err, c.want, c.bad)
		}
	}
}

// One EventStoreDB store named two ways is the same store to migrate.
func TestSameEsdbStoreNamedTwoWays(t *testing.T) {
	u, err := parseStoreURL("--from", "esdb://h:2113?tls=false")
	must(t, err)
	v, err := parseStoreURL("--to", "kurrentdb://h:2113?tls=false")
	must(t, err)
	w, err := parseStoreURL("--to", "kurrentdb://other:2113?tls=false")
	must(t, err)
	if !sameStore(u, v) || sameStore(u, w) {
		t.Errorf("esdb:// and kurrentdb:// of one host: same %v; of two hosts: same %v", sameStore(u, v), sameStore(u, w))
	}
}
