package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"carecost/domain"
	"carecost/eventstore/esdb"
	"carecost/eventstore/sqlite"
)

// storeURL is an event store named the way --store names one: sqlite:PATH,
// or esdb://host:port?... (kurrentdb:// alike) for EventStoreDB/KurrentDB.
type storeURL struct {
	raw  string
	kind string // "sqlite" or "esdb"
	path string // the file of a sqlite store
}

// parseStoreURL reads the store URL given to flag.
func parseStoreURL(flag, s string) (storeURL, error) {
	switch {
	case strings.HasPrefix(s, "sqlite:"):
		path := strings.TrimPrefix(s, "sqlite:")
		if path == "" {
			return storeURL{}, domain.Invalidf(flag, "sqlite: names no file; use sqlite:PATH")
		}
		return storeURL{raw: s, kind: "sqlite", path: path}, nil
	case isEsdbURL(s):
		return storeURL{raw: s, kind: "esdb"}, nil
	case s == "":
		return storeURL{}, domain.Invalidf(flag, "name a store: sqlite:PATH or esdb://HOST:PORT")
	}
	return storeURL{}, domain.Invalidf(flag, "%q is not a store; use sqlite:PATH or esdb://HOST:PORT", redactURL(s))
}

// String names the store for a person, without the password a connection
// string may hold.
func (u storeURL) String() string { return redactURL(u.raw) }

// redactURL hides the password of a connection string (esdb://user:***@host).
func redactURL(s string) string { return esdb.RedactPassword(s) }

// sameStore reports whether u and v name one store: the same file for
// SQLite (however the path is spelled), the same URL otherwise.
func sameStore(u, v storeURL) bool {
	if u.kind != v.kind {
		return false
	}
	if u.kind != "sqlite" {
		return strings.TrimRight(esdbClientURL(u.raw), "/") == strings.TrimRight(esdbClientURL(v.raw), "/")
	}
	a, b := absPath(u.path), absPath(v.path)
	if a == b {
		return true
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		p = a
	}
	if r, err := filepath.EvalSymlinks(p); err == nil {
		p = r
	}
	return filepath.Clean(p)
}

// openStoreURL opens the store u names, for flag. An existing store only,
// unless create: then an empty SQLite file is made when there is none, and
// the store is locked against any carecost that would write it (the
// folder's lock, as serve takes it for a data folder, and the file's own,
// as serve takes it for a log outside its data folder). Closing the closer
// closes the store and releases the locks.
func openStoreURL(ctx context.Context, flag string, u storeURL, create bool, opts ...sqlite.Option) (domain.EventStore, io.Closer, error) {
	switch u.kind {
	case "sqlite":
		return openSQLiteURL(flag, u, create, opts...)
	case "esdb":
		s, err := esdb.Open(esdbClientURL(u.raw))
		if err != nil {
			return nil, nil, domain.Invalidf(flag, "%s: %s", u, domain.ErrorMessage(err))
		}
		return s, s, nil
	}
	return nil, nil, domain.Invalidf(flag, "%q is not a store", redactURL(u.raw))
}

func openSQLiteURL(flag string, u storeURL, create bool, opts ...sqlite.Option) (domain.EventStore, io.Closer, error) {
	info, err := os.Stat(u.path)
	switch {
	case err == nil && info.IsDir():
		return nil, nil, domain.Invalidf(flag, "%s is a folder; name the event log's file (the data folder's events.db)", u.path)
	case err != nil && !create:
		return nil, nil, domain.Invalidf(flag, "there is no event log at %s", u.path)
	}
	if err == nil {
		if ok, err := sqlite.IsLog(u.path); err != nil || !ok {
			return nil, nil, domain.Invalidf(flag, "%s is not a carecost event log (a SQLite file of another kind, or not a database); name the data folder's events.db", u.path)
		}
	}
	var lock io.Closer
	if create {
		dir := filepath.Dir(u.path)
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, nil, domain.Invalidf(flag, "cannot make the folder of %s: %v", u.path, err)
		}
		folder, err := lockData(dir)
		if err != nil {
			return nil, nil, err
		}
		file, err := lockFile(u.path+".lock", u.path)
		if err != nil {
			folder.Close()
			return nil, nil, err
		}
		lock = closers{file, folder}
	}
	s, err := sqlite.Open(u.path, opts...)
	if err != nil {
		if lock != nil {
			lock.Close()
		}
		return nil, nil, domain.Invalidf(flag, "%s is not an event log: %v", u.path, err)
	}
	return s, storeCloser{s, lock}, nil
}

// storeCloser closes a store, then releases its locks.
type storeCloser struct {
	store domain.EventStore
	lock  io.Closer
}

func (c storeCloser) Close() error {
	err := c.store.Close()
	if c.lock != nil {
		err = errors.Join(err, c.lock.Close())
	}
	if err != nil {
		return fmt.Errorf("close the store: %w", err)
	}
	return nil
}

// esdbSchemes are the schemes of EventStoreDB/KurrentDB connection strings
// carecost takes, each with the client's name for it (KurrentDB's names are
// read as EventStoreDB's, which the pinned client knows).
var esdbSchemes = []struct{ ours, client string }{
	{"esdb://", "esdb://"}, {"esdb+discover://", "esdb+discover://"},
	{"kurrentdb://", "esdb://"}, {"kurrentdb+discover://", "esdb+discover://"},
}

// isEsdbURL reports whether s is an EventStoreDB/KurrentDB connection
// string.
func isEsdbURL(s string) bool {
	for _, sc := range esdbSchemes {
		if strings.HasPrefix(s, sc.ours) {
			return true
		}
	}
	return false
}

// esdbClientURL returns the connection string s as the client reads it.
func esdbClientURL(s string) string {
	for _, sc := range esdbSchemes {
		if rest, ok := strings.CutPrefix(s, sc.ours); ok {
			return sc.client + rest
		}
	}
	return s
}
