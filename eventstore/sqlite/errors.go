package sqlite

import (
	"errors"
	"fmt"

	"carecost/domain"
)

// Primary SQLite result codes; extended codes keep them in the low byte.
const (
	codeBusy       = 5
	codeLocked     = 6
	codeIOErr      = 10
	codeFull       = 13
	codeCantOpen   = 14
	codeConstraint = 19
)

// sqliteCode returns the primary SQLite result code of err, 0 when err does
// not come from SQLite.
func sqliteCode(err error) int {
	var coded interface{ Code() int }
	if errors.As(err, &coded) {
		return coded.Code() & 0xff
	}
	return 0
}

// isConstraint reports whether err is an SQLite constraint violation.
func isConstraint(err error) bool { return sqliteCode(err) == codeConstraint }

// unavailable marks err with domain.ErrUnavailable when it says the database
// cannot be used right now: locked by another process past the busy
// timeout, unreadable, unwritable or full.
func unavailable(err error) error {
	switch sqliteCode(err) {
	case codeBusy, codeLocked, codeIOErr, codeFull, codeCantOpen:
		return fmt.Errorf("%w: %w", domain.ErrUnavailable, err)
	}
	return err
}

// writeErr wraps an error of the writer; nil stays nil.
func writeErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("sqlite: %s: %w", op, unavailable(err))
}

// errClosed is the error of a call on a closed store.
func errClosed(op string) error {
	return fmt.Errorf("sqlite: %s: %w", op, domain.ErrClosed)
}

// readErr wraps err of a read; a read cut short by Close reports ErrClosed.
func (s *Store) readErr(op string, err error) error {
	if s.closed.Load() {
		return errClosed(op)
	}
	return fmt.Errorf("sqlite: %s: %w", op, unavailable(err))
}
