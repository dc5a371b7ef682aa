package domain

import (
	"errors"
	"fmt"
)

// Error codes: the one error vocabulary of carecost. The HTTP layer maps each
// code to a status in one place.
const (
	// EInvalid: the input is wrong; the message says what, Field says where.
	EInvalid = "invalid"
	// ERefused: the input is well formed, but a rule of the record refuses
	// it (a decision number another decision holds, a decision date in the
	// future); Field says where.
	ERefused = "refused"
	// ENotFound: the thing asked for does not exist.
	ENotFound = "not_found"
	// EConflict: the state changed under the caller (a stale expected version,
	// a duplicate id, a command not allowed in the current state).
	EConflict = "conflict"
	// EUnauthenticated: who the caller is could not be established (no
	// credentials, or wrong ones).
	EUnauthenticated = "unauthenticated"
	// EForbidden: the actor may not do this.
	EForbidden = "forbidden"
	// EUnavailable: a dependency (the store, a projection) is not ready.
	EUnavailable = "unavailable"
	// EInternal: a bug or an unexpected failure; never shown in detail.
	EInternal = "internal"
)

// Error is a domain error a person can act on: a code from the vocabulary
// above, a message in plain words and, for invalid input, the field at fault
// (a JSON path such as "lines[2].quantity").
type Error struct {
	Code    string
	Message string
	Field   string
}

// Error implements the error interface.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s", e.Field, e.Message)
	}
	return e.Message
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalidf returns an EInvalid error for field with a formatted message.
func Invalidf(field, format string, args ...any) *Error {
	return &Error{Code: EInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err: the code of a wrapped *Error, EConflict for
// ErrConcurrency, ENotFound for ErrStreamNotFound, EInternal for anything else
// and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e):
		return e.Code
	case errors.Is(err, ErrConcurrency):
		return EConflict
	case errors.Is(err, ErrStreamNotFound):
		return ENotFound
	case errors.Is(err, ErrUnavailable):
		return EUnavailable
	}
	return EInternal
}

// ErrorField returns the field of a wrapped *Error, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}

// ErrorMessage returns the message a person may see for err. Internal errors
// are hidden behind a calm sentence; their detail belongs in the log.
func ErrorMessage(err error) string {
	var e *Error
	switch {
	case errors.As(err, &e):
		return e.Message
	case errors.Is(err, ErrConcurrency):
		return "the record was changed by someone else; reload it and try again"
	case errors.Is(err, ErrStreamNotFound):
		return "not found"
	case errors.Is(err, ErrUnavailable):
		return "the service is not ready; try again in a moment"
	}
	return "internal error"
}

// prefixField puts prefix in front of the field of err when err is an *Error,
// so a nested validation names the full path ("lines[1]" + "quantity").
func prefixField(prefix string, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	switch {
	case c.Field == "":
		c.Field = prefix
	case c.Field[0] == '[':
		c.Field = prefix + c.Field
	default:
		c.Field = prefix + "." + c.Field
	}
	return &c
}
