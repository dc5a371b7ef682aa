package sqlite

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// SyncMode is the SQLite synchronous setting of the writer connection: how
// hard a commit waits for the disk before Append returns.
type SyncMode string

const (
	// SyncFull syncs the write-ahead log on every commit: an acknowledged
	// event survives a power loss. It is the default.
	SyncFull SyncMode = "FULL"
	// SyncNormal syncs only at checkpoints: an acknowledged event survives a
	// crash of the process but may be lost with the last commits on a power
	// loss. The database itself stays consistent.
	SyncNormal SyncMode = "NORMAL"
)

// Option changes how Open sets up a Store.
type Option func(*config)

type config struct {
	sync        SyncMode
	busyTimeout time.Duration
	readers     int
	maxBatch    int
	catchUpPage int
	mmap        int64
	observe     func(Commit)
}

func defaultConfig() config {
	return config{
		sync:        SyncFull,
		busyTimeout: 5 * time.Second,
		readers:     4,
		maxBatch:    512,
		catchUpPage: 1000,
		mmap:        DefaultMmapSize,
	}
}

// DefaultMmapSize is how much of the log file each read connection maps
// into memory by default (docs/performance.md, "Memory").
const DefaultMmapSize = 32 << 20

// WithMmapSize bounds how much of the log file a read connection keeps
// mapped into memory (0: none; reads copy pages with system calls instead).
// Mapped pages of the file count in the process's resident memory once
// read. The pool's connections map at most n bytes (SQLite's mmap_size);
// the connections that read the log in pages (ReadAll: catch-up,
// rebuilds, subscriptions) map the whole file and are closed after
// reading n bytes, which unmaps what they touched.
func WithMmapSize(n int64) Option { return func(c *config) { c.mmap = n } }

// Commit describes one durable commit of the writer: the events it wrote,
// the appends and imports it answered (group commit gathers those that
// wait), and the time from its start to the end of its sync.
type Commit struct {
	Events   int
	Requests int
	Took     time.Duration
}

// WithCommitObserver calls fn after each commit that wrote events, on the
// writer's goroutine: fn must return at once (count, do not wait).
func WithCommitObserver(fn func(Commit)) Option { return func(c *config) { c.observe = fn } }

// WithSync sets the synchronous mode of commits (default SyncFull).
func WithSync(m SyncMode) Option { return func(c *config) { c.sync = m } }

// WithBusyTimeout sets how long a connection waits for a lock held by
// another connection before it gives up (default 5s).
func WithBusyTimeout(d time.Duration) Option { return func(c *config) { c.busyTimeout = d } }

// WithReaders sets the size of the read-only connection pool used by reads,
// subscriptions and Head (default 4).
func WithReaders(n int) Option { return func(c *config) { c.readers = n } }

// WithMaxBatch sets how many Append calls the writer commits together in one
// transaction at most (default 512).
func WithMaxBatch(n int) Option { return func(c *config) { c.maxBatch = n } }

// WithCatchUpPage sets how many events a subscription reads per query while it
// catches up (default 1000).
func WithCatchUpPage(n int) Option { return func(c *config) { c.catchUpPage = n } }

func (c config) validate() error {
	switch {
	case c.sync != SyncFull && c.sync != SyncNormal:
		return fmt.Errorf("sync mode %q is not FULL or NORMAL", c.sync)
	case c.busyTimeout < 0:
		return fmt.Errorf("busy timeout %v is negative", c.busyTimeout)
	case c.mmap < 0:
		return fmt.Errorf("mmap size %d is negative", c.mmap)
	case c.readers < 1 || c.maxBatch < 1 || c.catchUpPage < 1:
		return fmt.Errorf("readers, max batch and catch-up page must be at least 1")
	}
	return nil
}

// writerDSN is the data source name of the one writer connection.
//
// A new store gets 1 KiB pages: a commit writes every page it changed to the
// log, and an append changes a page of each index at a random place, so
// small pages cut the bytes each commit writes and syncs: with 16 concurrent
// writers, a quarter to a third more appends per second than with 4 KiB
// pages. Sequential reads of the log are as fast either way. Checkpoints run every 4000 pages
// of log; the log file is truncated back to 64 MiB after one.
func (c config) writerDSN(path string) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(c.busyTimeout.Milliseconds()))
	q.Set("_journal_mode", "WAL")
	q.Set("_synchronous", string(c.sync))
	q.Set("_foreign_keys", "1")
	q.Set("_txlock", "immediate")
	q.Add("_pragma", "cache_size(-65536)")
	q.Add("_pragma", "page_size(1024)")
	q.Add("_pragma", "wal_autocheckpoint(4000)")
	q.Add("_pragma", "journal_size_limit(67108864)")
	return fileURI(path) + "?" + q.Encode()
}

// readerDSN is the data source name of the read-only pool.
func (c config) readerDSN(path string) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(c.busyTimeout.Milliseconds()))
	q.Set("_foreign_keys", "1")
	q.Set("_query_only", "1")
	q.Add("_pragma", "cache_size(-16000)")
	q.Add("_pragma", fmt.Sprintf("mmap_size(%d)", c.mmap))
	return fileURI(path) + "?" + q.Encode()
}

// rawPragmas are what ReadAll's own connections (raw.go) run once opened:
// the read pool's settings, but for the mapping, which covers the whole
// file (the pool closes a connection once it has read c.mmap bytes).
func (c config) rawPragmas() []string {
	mmap := int64(0)
	if c.mmap > 0 {
		mmap = rawMmapSize
	}
	return []string{"PRAGMA query_only=1", "PRAGMA cache_size=-2000", fmt.Sprintf("PRAGMA mmap_size=%d", mmap)}
}

// rawMmapSize is the mapping of ReadAll's connections: SQLite caps it at
// its own limit (2 GiB as built); the part of a larger file beyond it is
// read with system calls.
const rawMmapSize = 1 << 40

// backupDSN is the data source name of the connection that copies the store
// with VACUUM INTO: it reads the store and writes only the copy.
func (c config) backupDSN(path string) string {
	q := url.Values{}
	q.Set("_busy_timeout", fmt.Sprint(c.busyTimeout.Milliseconds()))
	return fileURI(path) + "?" + q.Encode()
}

// FileURI is the SQLite URI of the file at path (file:..., absolute, with
// the characters a URI gives a meaning escaped), for a connection of one's
// own to a log.
func FileURI(path string) string { return fileURI(path) }

// fileURI turns a file path into an SQLite URI, escaping the characters the
// URI syntax reserves.
func fileURI(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	r := strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23")
	return "file:" + r.Replace(filepath.ToSlash(path))
}
