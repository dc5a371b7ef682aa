// Package sessionstore keeps the console's sessions in an SQLite file of
// their own: a fiber.Storage (Get, Set, Delete, Reset, Close) over
// database/sql. It stores SHA-256 hashes of the keys, never the keys
// themselves, so a copy of the file signs nobody in; entries expire
// server side whatever a client keeps.
package sessionstore

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"os"
	"sync"
	"time"
)

// Driver is the database/sql driver Open uses: the pure-Go SQLite the
// program links (modernc.org/sqlite).
const Driver = "sqlite"

// SQLite is a fiber.Storage in an SQLite database.
type SQLite struct {
	db   *sql.DB
	now  func() time.Time
	stop chan struct{}
	once sync.Once
	done sync.WaitGroup
}

const schema = `CREATE TABLE IF NOT EXISTS entries (
	key_hash TEXT PRIMARY KEY,
	value    BLOB NOT NULL,
	expires  INTEGER NOT NULL -- Unix milliseconds; 0: never
)`

// Open opens (creating when missing) the store in the file path and starts
// removing expired entries every purgeEvery (zero: never; Purge does it).
func Open(path string, purgeEvery time.Duration) (*SQLite, error) {
	// Sessions name who is signed in: a new file is its owner's only
	// (SQLite gives its -wal and -shm files the same permissions).
	if f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600); err == nil {
		f.Close()
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	db, err := sql.Open(Driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("sessionstore: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1) // one writer; sessions are small and few
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("sessionstore: create the table in %s: %w", path, err)
	}
	s := &SQLite{db: db, now: time.Now, stop: make(chan struct{})}
	if purgeEvery > 0 {
		s.done.Add(1)
		go s.purgeLoop(purgeEvery)
	}
	return s, nil
}

// hashKey is the stored form of a key.
func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// Get returns the value of key, nil (and no error) when there is none or
// it expired.
func (s *SQLite) Get(key string) ([]byte, error) {
	if key == "" {
		return nil, nil
	}
	var v []byte
	err := s.db.QueryRow(`SELECT value FROM entries WHERE key_hash = ? AND (expires = 0 OR expires > ?)`,
		hashKey(key), s.now().UnixMilli()).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sessionstore: get: %w", err)
	}
	return v, nil
}

// Set keeps val under key for exp (zero: until deleted).
func (s *SQLite) Set(key string, val []byte, exp time.Duration) error {
	if key == "" || len(val) == 0 {
		return nil
	}
	var expires int64
	if exp > 0 {
		expires = s.now().Add(exp).UnixMilli()
	}
	_, err := s.db.Exec(`INSERT INTO entries (key_hash, value, expires) VALUES (?, ?, ?)
		ON CONFLICT (key_hash) DO UPDATE SET value = excluded.value, expires = excluded.expires`,
		hashKey(key), val, expires)
	if err != nil {
		return fmt.Errorf("sessionstore: set: %w", err)
	}
	return nil
}

// Delete removes key; a missing key is no error.
func (s *SQLite) Delete(key string) error {
	if key == "" {
		return nil
	}
	if _, err := s.db.Exec(`DELETE FROM entries WHERE key_hash = ?`, hashKey(key)); err != nil {
		return fmt.Errorf("sessionstore: delete: %w", err)
	}
	return nil
}

// Reset removes every entry.
func (s *SQLite) Reset() error {
	if _, err := s.db.Exec(`DELETE FROM entries`); err != nil {
		return fmt.Errorf("sessionstore: reset: %w", err)
	}
	return nil
}

// Purge removes the expired entries and returns how many.
func (s *SQLite) Purge() (int64, error) {
	r, err := s.db.Exec(`DELETE FROM entries WHERE expires <> 0 AND expires <= ?`, s.now().UnixMilli())
	if err != nil {
		return 0, fmt.Errorf("sessionstore: purge: %w", err)
	}
	return r.RowsAffected()
}

// Len returns the number of entries, expired ones included until purged.
func (s *SQLite) Len() (int, error) {
	var n int
	err := s.db.QueryRow(`SELECT count(*) FROM entries`).Scan(&n)
	return n, err
}

func (s *SQLite) purgeLoop(every time.Duration) {
	defer s.done.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			s.Purge() // a failure is retried at the next tick
		}
	}
}

// Close stops the purging and closes the database.
func (s *SQLite) Close() error {
	s.once.Do(func() { close(s.stop) })
	s.done.Wait()
	return s.db.Close()
}

// SetClock replaces the clock entries expire by (tests).
func (s *SQLite) SetClock(now func() time.Time) { s.now = now }
