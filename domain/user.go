package domain

import (
	"slices"
	"strings"
	"time"
)

// UserStream returns the stream name of the user with login name name.
func UserStream(name string) string { return "user-" + name }

// User is the user aggregate (stream "user-<name>"): a person who signs in
// to carecost, with a display name, a team, roles, a password hash (empty
// for users who sign in only through OpenID Connect) and whether the user
// is disabled.
type User struct {
	root
	name, displayName, team string
	roles                   []Role // sorted, each once; replaced whole, never changed in place
	passwordHash            Hash
	disabled                bool
	language                string    // the console language the user chose ("": none yet)
	createdAt, changedAt    time.Time // recorded times: zero for events of the running command
	passwordSetAt           time.Time // when a password was last set after the user was added
}

// NewUser returns an empty user aggregate for name, to load or add.
func NewUser(name string) *User { return &User{root: newRoot(), name: strings.Clone(name)} }

// Stream returns the user's stream name.
func (u *User) Stream() string { return UserStream(u.name) }

// Exists reports whether the user was added.
func (u *User) Exists() bool { return u.displayName != "" }

// Name returns the login name.
func (u *User) Name() string { return u.name }

// DisplayName returns the name shown for the user.
func (u *User) DisplayName() string { return u.displayName }

// Team returns the user's team ("" for none).
func (u *User) Team() string { return u.team }

// Roles returns the user's roles, sorted.
func (u *User) Roles() []Role { return slices.Clone(u.roles) }

// HasRole reports whether the user holds role r.
func (u *User) HasRole(r Role) bool { return slices.Contains(u.roles, r) }

// PasswordHash returns the hash of the user's password, "" when the user
// has no local password. Only the code that checks a password reads it.
func (u *User) PasswordHash() Hash { return u.passwordHash }

// Language returns the console language the user chose ("": none yet).
func (u *User) Language() string { return u.language }

// Disabled reports whether the user is disabled.
func (u *User) Disabled() bool { return u.disabled }

// PasswordSetAt returns when the user's password was last set after they
// were added (zero when never): a session signed in before it has ended.
func (u *User) PasswordSetAt() time.Time { return u.passwordSetAt }

// Times returns when the user was added and last changed, as the store
// recorded them.
func (u *User) Times() (created, changed time.Time) { return u.createdAt, u.changedAt }

func (u *User) apply(e Event) {
	if _, noop := e.Payload.(*CommandNoop); !noop {
		u.changedAt = e.RecordedAt
	}
	switch p := e.Payload.(type) {
	case *UserAdded:
		u.displayName, u.team, u.roles, u.passwordHash = p.DisplayName, p.Team, p.Roles, p.PasswordHash
		u.createdAt = e.RecordedAt
	case *UserPasswordSet:
		u.passwordHash, u.passwordSetAt = p.PasswordHash, e.RecordedAt
	case *UserRolesSet:
		u.roles = p.Roles
	case *UserTeamSet:
		u.team = p.Team
	case *UserDisabled:
		u.disabled = true
	case *UserEnabled:
		u.disabled = false
	case *UserLanguageSet:
		u.language = p.Language
	}
}

// stamp implements stamper: the events of the command just appended were
// recorded at t.
func (u *User) stamp(t time.Time) {
	for _, p := range u.changes {
		if _, noop := p.(*CommandNoop); !noop {
			u.changedAt = t
		}
		switch p.(type) {
		case *UserAdded:
			u.createdAt = t
		case *UserPasswordSet:
			u.passwordSetAt = t
		}
	}
}

// clone copies u for a cache: roles are replaced whole by apply, never
// changed in place, so they are shared.
func (u *User) clone() *User {
	c := *u
	c.changes = nil
	return &c
}
