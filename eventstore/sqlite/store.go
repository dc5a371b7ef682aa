// Package sqlite is the embedded event store of carecost: the
// domain.EventStore port on one SQLite database file, using the pure-Go
// driver modernc.org/sqlite.
//
// The file holds the event log only. It runs in WAL mode with one writer
// connection and a pool of read-only connections, so reads never wait for
// writes. A single writer goroutine owns the writer connection and commits
// concurrent Append calls together (group commit): each caller gets its own
// result or its own conflict, and all of them share one transaction and one
// sync to disk. With the default SyncFull an acknowledged event survives a
// power loss.
//
// Positions are the event's rowid, filled into both parts of a
// domain.Position by domain.SeqPosition. They start at 1 and have no holes.
//
// One process owns a store file at a time: subscriptions learn of new events
// from the writer of their own Store, not from other processes.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"

	"carecost/domain"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Store is a domain.EventStore on one SQLite file. It is safe for concurrent
// use. Create it with Open and release it with Close.
type Store struct {
	cfg  config
	path string
	wdb  *sql.DB // the one writer connection
	rdb  *sql.DB // the read-only pool
	w    *writer
	rd   *readers
	raw  *rawPool

	reqs   chan *request
	done   chan struct{} // closed when Close starts
	exited chan struct{} // closed when the writer goroutine has returned
	closed atomic.Bool
	once   sync.Once

	head   atomic.Uint64 // position of the last committed event
	mu     sync.Mutex
	notify chan struct{} // closed and replaced after every commit
	heads  *streamHeads  // last versions of known streams

	waiting atomic.Int32 // subscriptions waiting for a commit
}

var _ domain.EventStore = (*Store)(nil)

// Open opens the store file at path, creating it and its schema when it does
// not exist, and migrating an older schema. Options change the defaults.
func Open(path string, opts ...Option) (*Store, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		o(&cfg)
	}
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s := &Store{cfg: cfg, path: path, notify: make(chan struct{}), heads: newStreamHeads()}
	if err := createPrivate(path); err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w: %w", path, domain.ErrUnavailable, err)
	}
	if err := s.open(context.Background()); err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	s.reqs = make(chan *request, cfg.maxBatch)
	s.done = make(chan struct{})
	s.exited = make(chan struct{})
	go s.run()
	return s, nil
}

// open connects the writer, migrates the schema, prepares the statements and
// connects the reader pool.
func (s *Store) open(ctx context.Context) error {
	var err error
	if s.wdb, err = sql.Open("sqlite", s.cfg.writerDSN(s.path)); err != nil {
		return err
	}
	s.wdb.SetMaxOpenConns(1)
	s.wdb.SetMaxIdleConns(1)
	s.wdb.SetConnMaxLifetime(0)
	s.wdb.SetConnMaxIdleTime(0)
	if err = s.wdb.PingContext(ctx); err != nil {
		return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
	}
	if err = migrate(ctx, s.wdb); err != nil {
		return fmt.Errorf("schema: %w", err)
	}
	if s.w, err = newWriter(ctx, s.wdb); err != nil {
		return err
	}
	s.head.Store(s.w.lastPos)
	if s.rdb, err = sql.Open("sqlite", s.cfg.readerDSN(s.path)); err != nil {
		return err
	}
	s.rdb.SetMaxOpenConns(s.cfg.readers)
	s.rdb.SetMaxIdleConns(s.cfg.readers)
	if s.rd, err = newReaders(ctx, s.rdb); err != nil {
		return err
	}
	s.raw = &rawPool{path: s.path, busy: int(s.cfg.busyTimeout.Milliseconds()), budget: s.cfg.mmap, pragmas: s.cfg.rawPragmas()}
	return nil
}

// Close stops the writer after the commit in progress, ends every
// subscription with domain.ErrClosed and closes the database. Appends still
// waiting for the writer return domain.ErrClosed and write nothing. Calls
// after Close, including a second Close, return domain.ErrClosed.
func (s *Store) Close() error {
	err := errClosed("close")
	s.once.Do(func() {
		s.closed.Store(true)
		close(s.done)
		<-s.exited
		err = s.closeDBs()
	})
	return err
}

func (s *Store) closeDBs() error {
	var errs []error
	if s.raw != nil {
		s.raw.close()
	}
	if s.w != nil {
		errs = append(errs, s.w.close())
	}
	if s.rd != nil {
		errs = append(errs, s.rd.close())
	}
	for _, db := range []*sql.DB{s.rdb, s.wdb} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("sqlite: close: %w", err)
	}
	return nil
}

// Head returns the position of the last event in the log, or the zero
// Position when the log is empty.
func (s *Store) Head(ctx context.Context) (domain.Position, error) {
	if s.closed.Load() {
		return domain.Position{}, errClosed("head")
	}
	var pos int64
	if err := s.rd.head.QueryRowContext(ctx).Scan(&pos); err != nil {
		return domain.Position{}, s.readErr("head", err)
	}
	return domain.SeqPosition(uint64(pos)), nil
}

// DensePositions reports that positions number the events 1, 2, 3, ...
// without holes, so a reader may split the log by position.
func (s *Store) DensePositions() bool { return true }

// IsLog reports whether the SQLite file at path holds a carecost event log,
// or nothing yet (an empty database), reading it without changing it: a
// file of another kind (the read models, the sessions) is neither, and
// opening it as a log would add the log's tables to it.
// createPrivate makes the file at path, empty and readable by its owner
// only, when there is none: the log holds personal data and credential
// hashes. SQLite then writes into it, and gives its -wal and -shm files the
// same permissions.
func createPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	switch {
	case errors.Is(err, os.ErrExist):
		return nil
	case err != nil:
		return err
	}
	return f.Close()
}

// LogHead reads the head of the event log file at path without writing
// anything, and without creating a file that is not there: ok is false when
// the file is a SQLite database without an event log (an empty file, another
// application's database). An error says the file cannot be read as one.
func LogHead(path string) (head domain.Position, ok bool, err error) {
	db, err := sql.Open("sqlite", fileURI(path)+"?mode=ro&_pragma=query_only(1)")
	if err != nil {
		return head, false, err
	}
	defer db.Close()
	var events int
	if err := db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'events'`).Scan(&events); err != nil {
		return head, false, err
	}
	if events == 0 {
		return head, false, nil
	}
	var pos int64
	if err := db.QueryRow(`SELECT coalesce(max(position), 0) FROM events`).Scan(&pos); err != nil {
		return head, false, err
	}
	return domain.SeqPosition(uint64(pos)), true, nil
}

func IsLog(path string) (bool, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return false, err
	}
	defer db.Close()
	var tables, events int
	err = db.QueryRow(`SELECT count(*), count(CASE WHEN name = 'events' THEN 1 END) FROM sqlite_master WHERE type = 'table'`).Scan(&tables, &events)
	if err != nil {
		return false, err
	}
	return tables == 0 || events == 1, nil
}
