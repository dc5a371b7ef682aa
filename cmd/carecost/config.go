package main

import (
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"carecost/admin"
	"carecost/domain"
	"carecost/eventstore/esdb"
	"carecost/eventstore/sqlite"
)

// config is the configuration of a carecost that serves or works on a store:
// flags, each with a CARECOST_* environment variable; a flag wins over its
// variable. The defaults run on a laptop.
type config struct {
	addr        string
	data        string
	store       string
	storeFile   string // a file holding the store's connection string (a secret)
	metricsAddr string
	logFormat   string
	demo        bool
	waitTimeout time.Duration
	outageGrace time.Duration
	// tlsCert and tlsKey are the PEM files of serve's HTTPS ("": HTTP).
	tlsCert, tlsKey string
	// trustedProxies lists the proxies whose forwarding headers are
	// believed, comma-separated.
	trustedProxies string
	// county is the wellbeing services county's name, printed at the head
	// of an estimate given to a client.
	county string
	signIn signInConfig
	// envErr is a CARECOST_* variable that could not be read; parsing the
	// flags reports it.
	envErr error
	// logMmap is how many MiB of the embedded event log a read connection
	// keeps mapped into memory (nil, as in a configuration not read from
	// flags: the store's default).
	logMmap *int64
	// usageEvery is how often serve records its usage tally (zero:
	// domain.UsageEvery).
	usageEvery time.Duration
	// wrapStore, when set, wraps the event store once opened (carecost
	// bench keeps its events apart in a shared store this way).
	wrapStore func(domain.EventStore) domain.EventStore
}

// storeFlags registers the flags every command that opens the store shares.
func (c *config) storeFlags(fs *flag.FlagSet, getenv func(string) string) {
	fs.StringVar(&c.data, "data", envOr(getenv, "CARECOST_DATA", "./data"), "data `folder` of the embedded store and the read models (CARECOST_DATA)")
	fs.StringVar(&c.store, "store", envOr(getenv, "CARECOST_STORE", ""), "event store: sqlite:PATH (default: sqlite under the data folder), or esdb://HOST:2113?tls=false for EventStoreDB/KurrentDB (CARECOST_STORE)")
	fs.StringVar(&c.storeFile, "store-file", envOr(getenv, "CARECOST_STORE_FILE", ""), "a `file` whose first line is the --store connection string, for one that holds a password; used when --store is empty (CARECOST_STORE_FILE)")
	fs.StringVar(&c.logFormat, "log-format", envOr(getenv, "CARECOST_LOG_FORMAT", "auto"), "log format: json, text, or auto (text in a terminal) (CARECOST_LOG_FORMAT)")
	c.logMmap = fs.Int64("log-mmap", c.envMiB(getenv, "CARECOST_LOG_MMAP", sqlite.DefaultMmapSize>>20),
		"`MiB` of the embedded event log a read connection keeps mapped in memory, and so resident (0: none, every page read with a system call) (CARECOST_LOG_MMAP)")
}

// envMiB reads a whole number of MiB, keeping def (and an error for
// check) when the value is not one.
func (c *config) envMiB(getenv func(string) string, key string, def int64) int64 {
	v := getenv(key)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 || n > maxLogMmap {
		c.envErr = domain.Invalidf(key, "%q is not a number of MiB from 0 to %d", v, maxLogMmap)
		return def
	}
	return n
}

// maxLogMmap is the most --log-mmap takes, in MiB: SQLite maps at most
// 2 GiB of a file.
const maxLogMmap = 2048

// checkStore returns what is wrong with the store flags every command
// shares.
func (c config) checkStore() error {
	if c.envErr != nil {
		return c.envErr
	}
	if c.logMmap != nil && (*c.logMmap < 0 || *c.logMmap > maxLogMmap) {
		return domain.Invalidf("--log-mmap", "%d is not a number of MiB from 0 to %d", *c.logMmap, maxLogMmap)
	}
	return nil
}

// sqliteOptions are the options of the embedded store the configuration
// asks for.
func (c config) sqliteOptions() []sqlite.Option {
	if c.logMmap == nil {
		return nil
	}
	return []sqlite.Option{sqlite.WithMmapSize(*c.logMmap << 20)}
}

// serveFlags registers the flags of serve.
func (c *config) serveFlags(fs *flag.FlagSet, getenv func(string) string) {
	c.storeFlags(fs, getenv)
	fs.StringVar(&c.addr, "addr", envOr(getenv, "CARECOST_ADDR", "127.0.0.1:8080"), "`address` of the console and the API (CARECOST_ADDR)")
	fs.StringVar(&c.metricsAddr, "metrics-addr", envOr(getenv, "CARECOST_METRICS_ADDR", ""), "separate `address` for /metrics; empty: /metrics on the main address (CARECOST_METRICS_ADDR)")
	fs.BoolVar(&c.demo, "demo", envOr(getenv, "CARECOST_DEMO", "") == "true", "load the demo data (the demo catalogue and eighteen months of history) into a store without a catalogue (CARECOST_DEMO=true)")
	fs.DurationVar(&c.waitTimeout, "wait-timeout", c.envDuration(getenv, "CARECOST_WAIT_TIMEOUT", 2*time.Second),
		"how long a query that names a position (and a catalogue command) waits for the read models (CARECOST_WAIT_TIMEOUT)")
	fs.DurationVar(&c.outageGrace, "outage-grace", c.envDurationOrZero(getenv, "CARECOST_OUTAGE_GRACE", admin.DefaultOutageGrace),
		"while the event store is away, users and API tokens this instance read from it at most this long ago may still read (0s: nobody; docs/security.md) (CARECOST_OUTAGE_GRACE)")
	fs.StringVar(&c.county, "county", envOr(getenv, "CARECOST_COUNTY", ""),
		"the wellbeing services county's `name`, at the head of an estimate printed for a client; empty: the tariff's name (CARECOST_COUNTY)")
	c.edgeFlags(fs, getenv)
	c.signInFlags(fs, getenv)
}

// envDuration reads a duration variable such as "2s", keeping def (and an
// error for check) when the value is not one.
func (c *config) envDuration(getenv func(string) string, key string, def time.Duration) time.Duration {
	v := getenv(key)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		c.envErr = domain.Invalidf(key, "%q is not a positive duration such as 2s or 500ms", v)
		return def
	}
	return d
}

// envDurationOrZero is envDuration, where 0s is a value too.
func (c *config) envDurationOrZero(getenv func(string) string, key string, def time.Duration) time.Duration {
	if v := getenv(key); v == "0" || v == "0s" {
		return 0
	}
	return c.envDuration(getenv, key, def)
}

// check returns what is wrong with the configuration after parsing.
func (c config) check() error {
	if c.envErr != nil {
		return c.envErr
	}
	if err := c.checkStore(); err != nil {
		return err
	}
	if c.waitTimeout <= 0 || c.waitTimeout > time.Minute {
		return domain.Invalidf("--wait-timeout", "%s is not a wait from 1ms to 1m", c.waitTimeout)
	}
	if c.outageGrace < 0 || c.outageGrace > time.Hour {
		return domain.Invalidf("--outage-grace", "%s is not a time from 0s to 1h", c.outageGrace)
	}
	if err := domain.CheckText("--county", c.county, 120, false, false); err != nil {
		return err
	}
	if err := c.checkEdge(); err != nil {
		return err
	}
	return c.checkSignIn()
}

// demoCounty heads the estimates printed from a demo store without
// --county: plainly not a real county's name.
const demoCounty = "Esimerkkihyvinvointialue (demo)"

// countyName is the name at the head of an estimate printed for a client:
// --county, or with --demo the demo's ("": none set).
func (c config) countyName() string {
	if c.county == "" && c.demo {
		return demoCounty
	}
	return c.county
}

func envOr(getenv func(string) string, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

// loadStoreFile reads the store's connection string from --store-file
// when --store is empty.
func (c *config) loadStoreFile() error {
	if c.store != "" || c.storeFile == "" {
		return nil
	}
	b, err := os.ReadFile(c.storeFile)
	if err != nil {
		return domain.Invalidf("--store-file", "cannot read %s: %v", c.storeFile, err)
	}
	line, _, _ := strings.Cut(string(b), "\n")
	if line = strings.TrimSpace(line); line == "" {
		return domain.Invalidf("--store-file", "%s holds no connection string on its first line", c.storeFile)
	}
	c.store, c.storeFile = line, ""
	return nil
}

// storePath returns the file of the embedded event store.
func (c *config) storePath() (string, error) {
	if err := c.loadStoreFile(); err != nil {
		return "", err
	}
	switch {
	case c.store == "":
		return filepath.Join(c.data, "events.db"), nil
	case strings.HasPrefix(c.store, "sqlite:"):
		path := strings.TrimPrefix(c.store, "sqlite:")
		if info, err := os.Stat(path); path == "" || (err == nil && info.IsDir()) {
			return "", domain.Invalidf("--store", "sqlite:%s names no event log file; use sqlite:PATH of the file (the data folder's events.db)", path)
		}
		if _, err := os.Stat(path); err == nil {
			if ok, err := sqlite.IsLog(path); err != nil || !ok {
				return "", domain.Invalidf("--store", "%s is not a carecost event log (a SQLite file of another kind, or not a database)", path)
			}
		}
		return path, nil
	case isEsdbURL(c.store):
		return "", domain.Invalidf("--store", "the event log is on EventStoreDB/KurrentDB (%s); this command works on the embedded SQLite log only (back up the cluster with its own tools)", redactURL(c.store))
	}
	return "", domain.Invalidf("--store", "%q is not a store; use sqlite:PATH or esdb://HOST:PORT?tls=false", c.store)
}

// openLog opens the event log the configuration names, to read: the
// EventStoreDB/KurrentDB store, or an existing SQLite file (unlocked, as
// backup reads it, so also while carecost serves).
func (c *config) openLog() (domain.EventStore, error) {
	if err := c.checkStore(); err != nil {
		return nil, err
	}
	if url, ok := c.esdbURL(); ok {
		return esdb.Open(url)
	}
	path, err := c.storePath()
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); err != nil {
		return nil, domain.Invalidf("--data", "there is no event log at %s", path)
	}
	return sqlite.Open(path, c.sqliteOptions()...)
}

// esdbURL returns the connection string of an EventStoreDB/KurrentDB store
// (kurrentdb:// read as esdb://, kurrentdb+discover:// as esdb+discover://),
// and whether the store is one.
func (c *config) esdbURL() (string, bool) {
	if c.loadStoreFile() != nil {
		return "", false // storePath says why
	}
	if !isEsdbURL(c.store) {
		return "", false
	}
	return esdbClientURL(c.store), true
}

// readModelPath returns the file of the read models.
func (c *config) readModelPath() string { return filepath.Join(c.data, "readmodel.db") }
