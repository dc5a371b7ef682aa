package domain

import (
	"slices"
	"strings"
	"time"
)

// TokenStream returns the stream name of API token id.
func TokenStream(id string) string { return "token-" + id }

// Token is the API-token aggregate (stream "token-<id>"): a token of one
// user, carrying some of the user's roles, until it expires or is revoked.
// It keeps the hash of the token's secret, never the secret.
type Token struct {
	root
	id, user, label      string
	roles                []Role
	expiresAt            time.Time
	secretHash           Hash
	createdAt, revokedAt time.Time // recorded times: zero for events of the running command
	createdBy, revokedBy string    // actor ids from the events' metadata
	created, revoked     bool
}

// NewToken returns an empty token aggregate for id, to load or create.
func NewToken(id string) *Token { return &Token{root: newRoot(), id: strings.Clone(id)} }

// Stream returns the token's stream name.
func (t *Token) Stream() string { return TokenStream(t.id) }

// Exists reports whether the token was created.
func (t *Token) Exists() bool { return t.created }

// ID returns the token id.
func (t *Token) ID() string { return t.id }

// User returns the login name of the token's user.
func (t *Token) User() string { return t.user }

// Roles returns the roles the token carries, sorted.
func (t *Token) Roles() []Role { return slices.Clone(t.roles) }

// Label returns what the token is for ("" when not said).
func (t *Token) Label() string { return t.label }

// ExpiresAt returns when the token stops working.
func (t *Token) ExpiresAt() time.Time { return t.expiresAt }

// SecretHash returns the hash of the token's secret. Only the code that
// checks a token reads it.
func (t *Token) SecretHash() Hash { return t.secretHash }

// Created returns when the token was created and by whom (an actor id).
func (t *Token) Created() (at time.Time, by string) { return t.createdAt, t.createdBy }

// Revoked reports whether the token was revoked, when and by whom.
func (t *Token) Revoked() (revoked bool, at time.Time, by string) {
	return t.revoked, t.revokedAt, t.revokedBy
}

// Active reports whether the token works at now: created, not revoked,
// not expired. A request must also find its user enabled (RolesFor).
func (t *Token) Active(now time.Time) bool {
	return t.created && !t.revoked && now.Before(t.expiresAt)
}

// RolesFor returns the roles the token grants on behalf of u as u stands
// now: the token's roles that u still holds, none when u is disabled or is
// not the token's user.
func (t *Token) RolesFor(u *User) []Role {
	if u == nil || !u.Exists() || u.Disabled() || u.Name() != t.user {
		return nil
	}
	var out []Role
	for _, r := range t.roles {
		if u.HasRole(r) {
			out = append(out, r)
		}
	}
	return out
}

func (t *Token) apply(e Event) {
	switch p := e.Payload.(type) {
	case *TokenCreated:
		t.created, t.user, t.roles, t.label = true, p.User, p.Roles, p.Label
		t.expiresAt, t.secretHash = p.ExpiresAt, p.SecretHash
		t.createdAt, t.createdBy = e.RecordedAt, e.Meta.ActorID
	case *TokenRevoked:
		t.revoked, t.revokedAt, t.revokedBy = true, e.RecordedAt, e.Meta.ActorID
	}
}

// stamp implements stamper: the events of the command just appended were
// recorded at t.
func (t *Token) stamp(at time.Time) {
	for _, p := range t.changes {
		switch p.(type) {
		case *TokenCreated:
			t.createdAt = at
		case *TokenRevoked:
			t.revokedAt = at
		}
	}
}

// clone copies t for a cache: roles are replaced whole, never changed in
// place.
func (t *Token) clone() *Token {
	c := *t
	c.changes = nil
	return &c
}
