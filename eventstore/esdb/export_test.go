package esdb

import (
	"context"
	"errors"

	"carecost/domain"
)

// ErrClientGoneForTest is errClientGone, for the external tests.
var ErrClientGoneForTest = errClientGone

// IsUnavailableForTest reports whether the store maps err to ErrUnavailable.
func IsUnavailableForTest(err error) bool {
	s := &Store{}
	return errors.Is(s.wrap(context.Background(), "test", err), domain.ErrUnavailable)
}

// WrapForTest is the store's mapping of a client's error.
func WrapForTest(err error) error {
	s := &Store{}
	return s.wrap(context.Background(), "test", err)
}
