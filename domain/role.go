package domain

import (
	"regexp"
	"slices"
	"strings"
)

// Role is what a user may do in carecost; a user holds one or more.
type Role string

// The roles of carecost.
const (
	// RoleCaseManager builds, presents and decides estimates with clients.
	RoleCaseManager Role = "case_manager"
	// RoleAdmin keeps the catalogue and the users.
	RoleAdmin Role = "admin"
	// RoleController audits decisions.
	RoleController Role = "controller"
	// RoleOperations runs carecost: health, metrics, projections, backups.
	RoleOperations Role = "operations"
)

// Roles lists every role, in the order they are documented.
var Roles = []Role{RoleCaseManager, RoleAdmin, RoleController, RoleOperations}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// ValidRole returns an EInvalid error for field unless r is one of Roles.
func ValidRole(field string, r Role) error {
	if !r.Valid() {
		return Invalidf(field, "%q is not a role; the roles are %s", r, roleList())
	}
	return nil
}

// CheckRoles checks a set of roles given for field: at least one, each one
// of Roles. It returns them sorted, each once.
func CheckRoles(field string, roles []Role) ([]Role, error) {
	if len(roles) == 0 {
		return nil, Invalidf(field, "give at least one role: %s", roleList())
	}
	for i, r := range roles {
		if err := ValidRole(fieldIndex(field, i), r); err != nil {
			return nil, err
		}
	}
	out := slices.Clone(roles)
	slices.Sort(out)
	return slices.Compact(out), nil
}

func roleList() string {
	names := make([]string, len(Roles))
	for i, r := range Roles {
		names[i] = string(r)
	}
	return strings.Join(names, ", ")
}

var userNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,63}$`)

// reservedUserNames are names no user may be added under: the actor id
// carecost records its own changes with, so the audit trail never mistakes
// a person for it.
var reservedUserNames = []string{"carecost", "system"}

// ValidUserName returns an EInvalid error for field unless name is a login
// name: lower-case letters, digits, dots, underscores and dashes, 1-64
// characters, starting with a letter or digit ("anna.virtanen").
func ValidUserName(field, name string) error {
	if !userNameRE.MatchString(name) {
		return Invalidf(field, "%q is not a valid user name: use 1-64 lower-case letters, digits, dots, underscores and dashes, starting with a letter or digit (for example \"anna.virtanen\")", name)
	}
	return nil
}
