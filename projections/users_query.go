package projections

import (
	"context"
	"fmt"
	"strings"
	"time"

	"carecost/domain"
)

// UserView is a user as lists show it; never with a password hash.
type UserView struct {
	Name        string        `json:"name"`
	DisplayName string        `json:"display_name"`
	Team        string        `json:"team,omitempty"`
	Roles       []domain.Role `json:"roles"`
	Disabled    bool          `json:"disabled"`
	// LocalPassword says whether the user has a password of its own (else
	// it signs in only through OpenID Connect).
	LocalPassword bool      `json:"local_password"`
	CreatedAt     time.Time `json:"created_at"`
	ChangedAt     time.Time `json:"changed_at"`
}

// TokenView is an API token as lists show it; never with its secret's hash.
type TokenView struct {
	ID        string        `json:"id"`
	User      string        `json:"user"`
	Roles     []domain.Role `json:"roles"`
	Label     string        `json:"label,omitempty"`
	ExpiresAt time.Time     `json:"expires_at"`
	Revoked   bool          `json:"revoked"`
	RevokedAt *time.Time    `json:"revoked_at,omitempty"`
	RevokedBy string        `json:"revoked_by,omitempty"`
	CreatedAt time.Time     `json:"created_at"`
	CreatedBy string        `json:"created_by"`
}

// Users returns every user, by name.
func (d *UserDirectory) Users(ctx context.Context) ([]UserView, error) {
	rows, err := d.db.r.QueryContext(ctx, `SELECT name, display_name, team, roles, disabled, local_password, created_at, changed_at
		FROM users ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("projections: users: %w", err)
	}
	defer rows.Close()
	out := []UserView{}
	for rows.Next() {
		var u UserView
		var roles string
		var created, changed int64
		if err := rows.Scan(&u.Name, &u.DisplayName, &u.Team, &roles, &u.Disabled, &u.LocalPassword, &created, &changed); err != nil {
			return nil, fmt.Errorf("projections: users: %w", err)
		}
		u.Roles, u.CreatedAt, u.ChangedAt = splitRoles(roles), unixTime(created), unixTime(changed)
		out = append(out, u)
	}
	return out, rows.Err()
}

// Tokens returns the API tokens of user (every user's when ""), by user,
// then newest first.
func (d *UserDirectory) Tokens(ctx context.Context, user string) ([]TokenView, error) {
	rows, err := d.db.r.QueryContext(ctx, `SELECT id, user, roles, label, expires_at, revoked, revoked_at, revoked_by, created_at, created_by
		FROM tokens WHERE ? = '' OR user = ? ORDER BY user, created_at DESC, id`, user, user)
	if err != nil {
		return nil, fmt.Errorf("projections: tokens: %w", err)
	}
	defer rows.Close()
	out := []TokenView{}
	for rows.Next() {
		var t TokenView
		var roles string
		var expires, revoked, created int64
		if err := rows.Scan(&t.ID, &t.User, &roles, &t.Label, &expires, &t.Revoked, &revoked, &t.RevokedBy, &created, &t.CreatedBy); err != nil {
			return nil, fmt.Errorf("projections: tokens: %w", err)
		}
		t.Roles, t.ExpiresAt, t.CreatedAt = splitRoles(roles), unixTime(expires), unixTime(created)
		if t.Revoked {
			at := unixTime(revoked)
			t.RevokedAt = &at
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

func splitRoles(s string) []domain.Role {
	out := []domain.Role{}
	for r := range strings.SplitSeq(s, ",") {
		if r != "" {
			out = append(out, domain.Role(r))
		}
	}
	return out
}

func unixTime(ns int64) time.Time { return time.Unix(0, ns).UTC() }
