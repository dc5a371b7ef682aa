package domain

import "time"

// TokenInput is what creating an API token takes.
type TokenInput struct {
	// ID is the token's id, a random slug the auth package makes.
	ID string
	// User is the login name of the user the token acts for.
	User string
	// Roles are the roles the token carries: some or all of the user's.
	Roles []Role
	// Label says what the token is for (optional).
	Label string
	// ExpiresAt is when the token stops working: after now, at most one
	// year ahead.
	ExpiresAt time.Time
	// SecretHash is the hash of the token's secret (auth.HashSecret).
	SecretHash Hash
}

// Create records a new token for user u (loaded from its stream) at now.
// The id must be free, u must exist and be enabled, and the roles must be
// u's.
func (t *Token) Create(in TokenInput, u *User, now time.Time) error {
	if err := ValidSlug("id", t.id); err != nil {
		return err
	}
	if t.Exists() {
		return &Error{Code: EConflict, Field: "id", Message: "token " + t.id + " already exists"}
	}
	if err := checkTokenUser(u); err != nil {
		return err
	}
	roles, err := CheckRoles("roles", in.Roles)
	if err != nil {
		return err
	}
	for _, r := range roles {
		if !u.HasRole(r) {
			return Invalidf("roles", "user %s does not hold the role %s; a token carries only its user's roles", u.Name(), r)
		}
	}
	if err := CheckText("label", in.Label, maxName, false, false); err != nil {
		return err
	}
	if err := checkExpiry(in.ExpiresAt, now); err != nil {
		return err
	}
	if err := checkHash("secret_hash", in.SecretHash, true); err != nil {
		return err
	}
	record(t, &TokenCreated{TokenID: t.id, User: u.Name(), Roles: roles, Label: in.Label,
		ExpiresAt: in.ExpiresAt.UTC().Truncate(time.Second), SecretHash: in.SecretHash})
	return nil
}

// checkTokenUser checks that a token may be made for u: it exists and is
// enabled.
func checkTokenUser(u *User) error {
	switch {
	case !u.Exists():
		return Invalidf("user", "there is no user %s", u.Name())
	case u.Disabled():
		return &Error{Code: EConflict, Field: "user", Message: "user " + u.Name() + " is disabled; enable the user before making a token"}
	}
	return nil
}

// checkExpiry checks a token's expiry against now: required, in the future,
// at most one year ahead.
func checkExpiry(at, now time.Time) error {
	switch {
	case at.IsZero():
		return Invalidf("expires_at", "is required: a token always expires, at most one year ahead")
	case !at.After(now):
		return Invalidf("expires_at", "%s has passed; give a time in the future", at.UTC().Format(time.RFC3339))
	case at.After(now.AddDate(1, 0, 0)):
		return Invalidf("expires_at", "%s is more than a year ahead; a token lives at most one year", at.UTC().Format(time.RFC3339))
	}
	return nil
}

// Revoke stops the token from working. A revoked token stays revoked
// (nothing recorded).
func (t *Token) Revoke() error {
	if !t.Exists() {
		return &Error{Code: ENotFound, Message: "there is no token " + t.id}
	}
	if !t.revoked {
		record(t, &TokenRevoked{})
	}
	return nil
}
