package projections

import (
	"context"
	"database/sql"
	"strings"

	"carecost/domain"
)

// UserDirectory is the users projection: every user (display name, team,
// roles, disabled, whether it has a local password) and every API token
// (user, roles, label, expiry, revocation), for lists. It never holds a
// password or secret hash: signing in reads the user and token aggregates
// (domain.Commands.User, Token), never this read model.
type UserDirectory struct {
	db *DB
}

// NewUserDirectory returns the users projection over db.
func NewUserDirectory(db *DB) *UserDirectory { return &UserDirectory{db: db} }

// Name implements Projection.
func (*UserDirectory) Name() string { return "users" }

// Version implements Projection.
func (*UserDirectory) Version() int { return 1 }

// Schema implements Projection.
func (*UserDirectory) Schema() []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS users (name TEXT PRIMARY KEY, display_name TEXT NOT NULL, team TEXT NOT NULL, roles TEXT NOT NULL,
			disabled INTEGER NOT NULL, local_password INTEGER NOT NULL, created_at INTEGER NOT NULL, changed_at INTEGER NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS tokens (id TEXT PRIMARY KEY, user TEXT NOT NULL, roles TEXT NOT NULL, label TEXT NOT NULL,
			expires_at INTEGER NOT NULL, revoked INTEGER NOT NULL, revoked_at INTEGER NOT NULL, revoked_by TEXT NOT NULL,
			created_at INTEGER NOT NULL, created_by TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS tokens_user ON tokens(user, created_at)`,
	}
}

// Reset implements Projection.
func (*UserDirectory) Reset(ctx context.Context, tx *sql.Tx) error {
	for _, t := range []string{"users", "tokens"} {
		if _, err := tx.ExecContext(ctx, `DELETE FROM `+t); err != nil {
			return err
		}
	}
	return nil
}

// Wants implements Filter: the events of users and tokens.
func (*UserDirectory) Wants(e domain.RecordedEvent) bool {
	return strings.HasPrefix(e.Type, "carecost.user.") || strings.HasPrefix(e.Type, "carecost.token.")
}

// Apply implements Projection.
func (d *UserDirectory) Apply(ctx context.Context, tx *sql.Tx, events []domain.RecordedEvent) error {
	for _, r := range events {
		if !d.Wants(r) {
			continue
		}
		e, err := domain.DecodeEvent(r)
		if err != nil {
			return err
		}
		if err := applyUserEvent(ctx, tx, e); err != nil {
			return err
		}
	}
	return nil
}

// applyUserEvent writes one event of a user or token stream.
func applyUserEvent(ctx context.Context, tx *sql.Tx, e domain.Event) error {
	name, at := strings.TrimPrefix(e.Stream, "user-"), e.RecordedAt.UnixNano()
	set := func(column string, v any) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET `+column+` = ?, changed_at = ? WHERE name = ?`, v, at, name)
		return err
	}
	switch p := e.Payload.(type) {
	case *domain.UserAdded:
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO users (name, display_name, team, roles, disabled, local_password, created_at, changed_at)
			VALUES (?, ?, ?, ?, 0, ?, ?, ?)`, name, p.DisplayName, p.Team, joinRoles(p.Roles), p.PasswordHash != "", at, at)
		return err
	case *domain.UserPasswordSet:
		return set("local_password", p.PasswordHash != "")
	case *domain.UserRolesSet:
		return set("roles", joinRoles(p.Roles))
	case *domain.UserTeamSet:
		return set("team", p.Team)
	case *domain.UserDisabled:
		return set("disabled", true)
	case *domain.UserEnabled:
		return set("disabled", false)
	case *domain.TokenCreated:
		_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO tokens (id, user, roles, label, expires_at, revoked, revoked_at, revoked_by,
			created_at, created_by) VALUES (?, ?, ?, ?, ?, 0, 0, '', ?, ?)`, p.TokenID, p.User, joinRoles(p.Roles), p.Label,
			p.ExpiresAt.UnixNano(), at, e.Meta.ActorID)
		return err
	case *domain.TokenRevoked:
		_, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked = 1, revoked_at = ?, revoked_by = ? WHERE id = ?`,
			at, e.Meta.ActorID, strings.TrimPrefix(e.Stream, "token-"))
		return err
	}
	return nil
}

func joinRoles(roles []domain.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}
