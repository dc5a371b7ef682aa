package domain

// Actor is who runs a command.
type Actor struct {
	ID   string `json:"id"`
	Role string `json:"role"`
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
	return Meta{CommandID: id, CorrelationID: corr, ActorID: c.Actor.ID, ActorRole: c.Actor.Role, Request: c.Fingerprint}
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
