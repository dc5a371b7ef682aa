package domain

import (
	"slices"
	"strings"
)

// UserInput is what adding a user takes.
type UserInput struct {
	// Name is the login name (ValidUserName); it never changes.
	Name        string
	DisplayName string
	// Team is a slug; required for case managers, optional otherwise.
	Team  string
	Roles []Role
	// PasswordHash is the hash of the user's password (auth.HashPassword);
	// empty for a user who signs in only through OpenID Connect.
	PasswordHash Hash
}

// Add records a new user. The name must be free; the display name is
// required; roles are checked and kept sorted; a case manager needs a team.
func (u *User) Add(in UserInput) error {
	if err := ValidUserName("name", u.name); err != nil {
		return err
	}
	if slices.Contains(reservedUserNames, u.name) {
		return Invalidf("name", "%q is the name carecost records its own changes under; choose another", u.name)
	}
	if u.Exists() {
		return &Error{Code: EConflict, Field: "name", Message: "user " + u.name + " already exists"}
	}
	if err := CheckText("display_name", in.DisplayName, maxName, true, false); err != nil {
		return err
	}
	roles, err := CheckRoles("roles", in.Roles)
	if err != nil {
		return err
	}
	if err := checkTeam(in.Team, roles); err != nil {
		return err
	}
	if err := checkHash("password_hash", in.PasswordHash, false); err != nil {
		return err
	}
	record(u, &UserAdded{Name: u.name, DisplayName: in.DisplayName, Team: in.Team, Roles: roles, PasswordHash: in.PasswordHash})
	return nil
}

// checkTeam checks the team of a user with roles: a slug, required for a
// case manager.
func checkTeam(team string, roles []Role) error {
	if team == "" {
		if slices.Contains(roles, RoleCaseManager) {
			return Invalidf("team", "a case manager belongs to a team: give one")
		}
		return nil
	}
	return ValidSlug("team", team)
}

func (u *User) mustExist() error {
	if !u.Exists() {
		return &Error{Code: ENotFound, Message: "there is no user " + u.name}
	}
	return nil
}

// SetPassword replaces the user's password hash (empty: the user keeps
// only OpenID Connect). The same hash again records nothing.
func (u *User) SetPassword(hash Hash) error {
	if err := u.mustExist(); err != nil {
		return err
	}
	if err := checkHash("password_hash", hash, false); err != nil {
		return err
	}
	if hash != u.passwordHash {
		record(u, &UserPasswordSet{PasswordHash: hash})
	}
	return nil
}

// SetRoles replaces the user's roles; a case manager needs a team. The same
// roles again record nothing.
func (u *User) SetRoles(roles []Role) error {
	if err := u.mustExist(); err != nil {
		return err
	}
	roles, err := CheckRoles("roles", roles)
	if err != nil {
		return err
	}
	if u.team == "" && slices.Contains(roles, RoleCaseManager) {
		return Invalidf("roles", "a case manager belongs to a team: set the user's team first")
	}
	if !slices.Equal(roles, u.roles) {
		record(u, &UserRolesSet{Roles: roles})
	}
	return nil
}

// SetTeam changes the user's team ("": none, unless a case manager). The
// same team again records nothing.
func (u *User) SetTeam(team string) error {
	if err := u.mustExist(); err != nil {
		return err
	}
	if err := checkTeam(team, u.roles); err != nil {
		return err
	}
	if team != u.team {
		record(u, &UserTeamSet{Team: team})
	}
	return nil
}

// Disable stops the user from signing in and using its tokens. A disabled
// user stays disabled (nothing recorded).
func (u *User) Disable() error {
	if err := u.mustExist(); err != nil {
		return err
	}
	if !u.disabled {
		record(u, &UserDisabled{})
	}
	return nil
}

// Enable lets a disabled user sign in again. An enabled user stays so
// (nothing recorded).
func (u *User) Enable() error {
	if err := u.mustExist(); err != nil {
		return err
	}
	if u.disabled {
		record(u, &UserEnabled{})
	}
	return nil
}

// SetLanguage remembers the console language the user chose: a language
// code of two to eight lowercase letters (which languages the console
// offers is the console's to check). The same language again records
// nothing.
func (u *User) SetLanguage(lang string) error {
	if err := u.mustExist(); err != nil {
		return err
	}
	if len(lang) < 2 || len(lang) > 8 || strings.Trim(lang, "abcdefghijklmnopqrstuvwxyz") != "" {
		return Invalidf("language", "%q is not a language code such as fi or en", lang)
	}
	if lang != u.language {
		record(u, &UserLanguageSet{Language: lang})
	}
	return nil
}
