package main

import (
	"context"
	"time"

	"carecost/admin/auth"
	"carecost/domain"
)

// newTokenInput makes a new API token of user carrying roles, valid for
// ttl: what to record (only the hash of its secret) and the token as shown
// once (cct_<id>_<secret>).
func newTokenInput(user string, roles []domain.Role, ttl time.Duration, label string) (domain.TokenInput, string) {
	id, secret, display := auth.NewToken()
	return domain.TokenInput{ID: id, User: user, Roles: roles, Label: label, ExpiresAt: time.Now().Add(ttl),
		SecretHash: domain.Hash(auth.HashSecret(secret))}, display
}

// issueToken records a new API token of user carrying roles, valid for
// ttl, and returns it as shown once.
func issueToken(ctx context.Context, cmds *domain.Commands, cmd domain.Command, user string, roles []domain.Role, ttl time.Duration, label string) (string, error) {
	in, display := newTokenInput(user, roles, ttl, label)
	if _, err := cmds.CreateToken(ctx, cmd, in); err != nil {
		return "", err
	}
	return display, nil
}
