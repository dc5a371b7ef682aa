package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of the store to a new SQLite file at path,
// while the store stays online: appends continue and are not part of the
// copy once it has started. The copy is made with VACUUM INTO from one read
// transaction, so it holds exactly the events committed when the backup
// began, compacted. It is written to path+".tmp", synced, and renamed to
// path, so path never holds a partial copy. path must not exist. The copy is
// a complete store: Open it to restore. The copy holds personal data and
// credential hashes, so only its owner may read it (mode 0600, set before
// a byte is written).
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.closed.Load() {
		return errClosed("backup")
	}
	if err := s.backup(ctx, path); err != nil {
		return s.readErr("backup to "+path, err)
	}
	return nil
}

func (s *Store) backup(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("%s already exists", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	tmp := path + ".tmp"
	if err := os.Remove(tmp); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	// VACUUM INTO writes into an empty file, keeping its mode.
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := s.vacuumInto(ctx, tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := syncFile(tmp); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncFile(filepath.Dir(path))
}

// vacuumInto runs VACUUM INTO on a connection of its own: the reader pool is
// query-only and the writer must stay free for appends.
func (s *Store) vacuumInto(ctx context.Context, path string) error {
	db, err := sql.Open("sqlite", s.cfg.backupDSN(s.path))
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", path)
	return err
}

// syncFile flushes a file or a directory to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	err = f.Sync()
	return errors.Join(err, f.Close())
}
