package domain

import "context"

// ProjectionsStream is the stream of what operators decided about the
// projections (the read models), kept in the log like every other decision.
const ProjectionsStream = "projections"

// EvProjectionEventSkipped names the event that lets a projection go past an
// event it cannot apply.
const EvProjectionEventSkipped = "carecost.projection.event_skipped"

// maxSkipReason bounds the reason of a skip, in characters.
const maxSkipReason = 500

// ProjectionEventSkipped: an operator let a projection go past the event at
// Position (whose id is EventID) without applying it, for Reason. Who did it
// is in the event's metadata.
type ProjectionEventSkipped struct {
	Schema
	Projection string   `json:"projection"`
	Position   Position `json:"position"`
	EventID    string   `json:"event_id"`
	Reason     string   `json:"reason"`
}

// EventType implements Payload.
func (*ProjectionEventSkipped) EventType() string { return EvProjectionEventSkipped }

func init() {
	register(1, func() Payload { return &ProjectionEventSkipped{} })
}

// Validate checks a skip: a projection, a position, an event id and a reason
// (one line of printable text, at most 500 characters, not blank).
func (s ProjectionEventSkipped) Validate() error {
	if err := s.checkRequest(); err != nil {
		return err
	}
	return CheckText("event_id", s.EventID, maxName, true, false)
}

// checkRequest checks what the operator gives: the projection, the position
// and the reason.
func (s ProjectionEventSkipped) checkRequest() error {
	if err := CheckText("projection", s.Projection, maxName, true, false); err != nil {
		return err
	}
	if s.Position.IsZero() {
		return Invalidf("position", "is required: the log position of the event to skip")
	}
	return CheckText("reason", s.Reason, maxSkipReason, true, false)
}

// ProjectionLog is the aggregate of the projections stream. It holds no
// state: every skip stands on its own, and the runner of the projections
// checks that it names the event a projection is stopped at.
type ProjectionLog struct {
	root
}

// NewProjectionLog returns the aggregate of the projections stream.
func NewProjectionLog() *ProjectionLog { return &ProjectionLog{root: newRoot()} }

// Stream returns ProjectionsStream.
func (*ProjectionLog) Stream() string { return ProjectionsStream }

func (*ProjectionLog) apply(Event) {}

// Skip records a skip after validating it.
func (l *ProjectionLog) Skip(s ProjectionEventSkipped) error {
	if err := s.Validate(); err != nil {
		return err
	}
	record(l, &s)
	return nil
}

// SkipEvent records s in the projections stream. check runs once the
// operator's input is valid, inside the decision (the runner confirms the projection is stopped at that
// event); a command that ran before (the same command id) answers as its
// first run did, even though check now fails.
func SkipEvent(ctx context.Context, store EventStore, cmd Command, s ProjectionEventSkipped, check func() error) (Result, error) {
	_, r, err := update(ctx, store, cmd, NewProjectionLog, func(l *ProjectionLog) error {
		if err := s.checkRequest(); err != nil {
			return err
		}
		if err := check(); err != nil {
			return err
		}
		return l.Skip(s)
	})
	return r, err
}
