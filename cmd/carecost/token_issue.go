package main

import (
	"context"
	"time"

	"carecost/admin/auth"
	"carecost/domain"
)

// issueToken records a new API token of user carrying roles, valid for
// ttl, and returns it as shown once (cct_<id>_<secret>); only the hash of
// its secret is stored.
func issueToken(ctx context.Context, cmds *domain.Commands, cmd domain.Command, user string, roles []domain.Role, ttl time.Duration, label string) (string, error) {
	id, secret, display := auth.NewToken()
	in := domain.TokenInput{ID: id, User: user, Roles: roles, Label: label, ExpiresAt: time.Now().Add(ttl),
		SecretHash: domain.Hash(auth.HashSecret(secret))}
	if _, err := cmds.CreateToken(ctx, cmd, in); err != nil {
		return "", err
	}
	return display, nil
}
