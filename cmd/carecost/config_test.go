package main

import (
	"flag"
	"io"
	"testing"
)

func TestConfigFlagsAndEnvironment(t *testing.T) {
	env := map[string]string{"CARECOST_ADDR": "127.0.0.1:9999", "CARECOST_DATA": "/srv/carecost", "CARECOST_DEMO": "true"}
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
	if c.addr != "127.0.0.1:9999" || c.data != "/srv/carecost" || !c.demo || c.metricsAddr != "" {
		t.Errorf("from the environment: %+v", c)
	}
	if c := parse("--addr", "127.0.0.1:1234"); c.addr != "127.0.0.1:1234" {
		t.Errorf("the flag does not win over the variable: %s", c.addr)
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
