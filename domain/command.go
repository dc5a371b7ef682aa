package domain

import "slices"

// Actor is who runs a command, as authentication established it: the user
// id (login name), display name, roles and team at the time, and the role
// the command runs under (the one the route allowed).
type Actor struct {
	ID    string   `json:"id"`
	Name  string   `json:"name,omitempty"`
	Role  string   `json:"role"`
	Roles []string `json:"roles,omitempty"`
	Team  string   `json:"team,omitempty"`
	// Via names the credentials the actor came through: "token:<id>" for
	// an API token, "session:<method>" for a console session.
	Via string `json:"via,omitempty"`
}

// Scope returns the team whose estimates the actor sees, and
// whether the actor is held to it: a case manager is held to their team,
// unless they are a controller too; everyone else (controllers, carecost
// itself) is not. An estimate recorded without a team is seen by all.
func (a Actor) Scope() (team string, scoped bool) {
	if slices.Contains(a.Roles, "case_manager") && !slices.Contains(a.Roles, "controller") {
		return a.Team, true
	}
	return "", false
}

// Sees reports whether the actor may see an estimate of team.
func (a Actor) Sees(team string) bool {
	mine, scoped := a.Scope()
	return !scoped || team == "" || team == mine
}

// Changes reports whether the actor may change an estimate of team: a case
// manager changes their own team's estimates only, also when they are a
// controller too (that role widens what they see, not what they change).
// An estimate recorded without a team may be changed by any case manager.
func (a Actor) Changes(team string) bool {
	if slices.Contains(a.Roles, "case_manager") || a.Role == "case_manager" {
		return team == "" || team == a.Team
	}
	return true
}

// Command is the envelope of a command: its id (events derive their ids from
// it, so a retried command appends nothing twice), the correlation id, the
// actor, and, when the caller says so, the stream version it expects
// (optimistic concurrency seen by clients).
type Command struct {
	ID            string
	CorrelationID string
	Actor         Actor
	Expected      *int64
	// Fingerprint identifies the request (say, a hash of its method, path
	// and body). With a command id, a later command with the same id but
	// another fingerprint is refused instead of answered as a retry.
	Fingerprint string
}

func (c Command) meta() Meta {
	id := c.ID
	if id == "" {
		id = NewID()
	}
	// The correlation and causation ids are written only when they differ
	// from the command id; DecodeEvent fills them in again.
	corr := c.CorrelationID
	if corr == id {
		corr = ""
	}
	a := c.Actor
	return Meta{CommandID: id, CorrelationID: corr, ActorID: a.ID, ActorName: a.Name, ActorRole: a.Role, ActorRoles: a.Roles,
		ActorTeam: a.Team, ActorVia: a.Via, Request: c.Fingerprint}
}

// Result says where a command's events landed: the stream's version and the
// global position of its last event (for read-your-writes).
type Result struct {
	Version  int64    `json:"version"`
	Position Position `json:"position"`
	// Replayed: the command (the same command id) had run before; nothing
	// new was written and the result is where the first run landed.
	Replayed bool `json:"-"`
}
