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
