package domain

import "time"

// Event type names of the user streams ("user-<name>") and the token streams
// ("token-<id>"). Who did it is in each event's metadata, as for every event.
const (
	EvUserAdded       = "carecost.user.added"
	EvUserPasswordSet = "carecost.user.password_set"
	EvUserRolesSet    = "carecost.user.roles_set"
	EvUserTeamSet     = "carecost.user.team_set"
	EvUserDisabled    = "carecost.user.disabled"
	EvUserEnabled     = "carecost.user.enabled"
	EvUserLanguageSet = "carecost.user.language_set"
	EvTokenCreated    = "carecost.token.created"
	EvTokenRevoked    = "carecost.token.revoked"
)

// UserAdded: a new user with its roles. PasswordHash is opaque to the
// domain (empty: the user signs in only through OpenID Connect); it is
// never shown in a view or written to a log.
type UserAdded struct {
	Schema
	Name         string `json:"name"`
	DisplayName  string `json:"display_name"`
	Team         string `json:"team,omitempty"`
	Roles        []Role `json:"roles"`
	PasswordHash Hash   `json:"password_hash,omitempty"`
}

// UserPasswordSet: a user's password hash replaced (empty: the local
// password removed).
type UserPasswordSet struct {
	Schema
	PasswordHash Hash `json:"password_hash,omitempty"`
}

// UserRolesSet: a user's roles replaced, sorted, each once.
type UserRolesSet struct {
	Schema
	Roles []Role `json:"roles"`
}

// UserTeamSet: a user's team changed (empty: no team).
type UserTeamSet struct {
	Schema
	Team string `json:"team,omitempty"`
}

// UserDisabled: the user may no longer sign in, nor use its tokens.
type UserDisabled struct {
	Schema
}

// UserEnabled: a disabled user may sign in again.
type UserEnabled struct {
	Schema
}

// UserLanguageSet: the language the user chose for the console (a
// language code such as fi or en), remembered for their next sign-in.
type UserLanguageSet struct {
	Schema
	Language string `json:"language"`
}

// TokenCreated: an API token of a user, carrying some of the user's roles
// until ExpiresAt. SecretHash is the hash of its secret, opaque to the
// domain; the secret itself is never stored.
type TokenCreated struct {
	Schema
	TokenID    string    `json:"token_id"`
	User       string    `json:"user"`
	Roles      []Role    `json:"roles"`
	Label      string    `json:"label,omitempty"`
	ExpiresAt  time.Time `json:"expires_at"`
	SecretHash Hash      `json:"secret_hash"`
}

// TokenRevoked: the token no longer works.
type TokenRevoked struct {
	Schema
}

// EventType implements Payload.
func (*UserAdded) EventType() string { return EvUserAdded }

// EventType implements Payload.
func (*UserPasswordSet) EventType() string { return EvUserPasswordSet }

// EventType implements Payload.
func (*UserRolesSet) EventType() string { return EvUserRolesSet }

// EventType implements Payload.
func (*UserTeamSet) EventType() string { return EvUserTeamSet }

// EventType implements Payload.
func (*UserDisabled) EventType() string { return EvUserDisabled }

// EventType implements Payload.
func (*UserEnabled) EventType() string { return EvUserEnabled }

// EventType implements Payload.
func (*UserLanguageSet) EventType() string { return EvUserLanguageSet }

// EventType implements Payload.
func (*TokenCreated) EventType() string { return EvTokenCreated }

// EventType implements Payload.
func (*TokenRevoked) EventType() string { return EvTokenRevoked }

func init() {
	register(1, func() Payload { return &UserAdded{} })
	register(1, func() Payload { return &UserPasswordSet{} })
	register(1, func() Payload { return &UserRolesSet{} })
	register(1, func() Payload { return &UserTeamSet{} })
	register(1, func() Payload { return &UserDisabled{} })
	register(1, func() Payload { return &UserEnabled{} })
	register(1, func() Payload { return &UserLanguageSet{} })
	register(1, func() Payload { return &TokenCreated{} })
	register(1, func() Payload { return &TokenRevoked{} })
}
