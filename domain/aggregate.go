package domain

// root is the bookkeeping every aggregate shares: the version and global
// position of the last event applied, and the events recorded by the command
// now being decided.
type root struct {
	version  int64 // version of the last applied event; -1 for a new stream
	position Position
	changes  []Payload
}

func newRoot() root { return root{version: -1} }

// StreamVersion returns the stream version of the last event applied (-1 when the
// stream is new).
func (r *root) StreamVersion() int64 { return r.version }

// Version returns the stream version, as StreamVersion does, on aggregates
// that have no numbered versions of their own (estimates, the catalogue).
func (r *root) Version() int64 { return r.version }

// Position returns the global position of the last event applied.
func (r *root) Position() Position { return r.position }

// Changes returns the events recorded by the current command.
func (r *root) Changes() []Payload { return r.changes }

func (r *root) base() *root { return r }

// aggregate is implemented by every aggregate: apply only assigns state from
// an event and never fails; commands validate and call record.
type aggregate interface {
	apply(Event)
	base() *root
	Stream() string
}

// record applies a new event to a and keeps it for appending.
func record(a aggregate, p Payload) {
	a.apply(Event{Payload: p})
	a.base().changes = append(a.base().changes, p)
}

// replay applies a stored event to a.
func replay(a aggregate, e Event) {
	a.apply(e)
	b := a.base()
	b.version, b.position = int64(e.Version), e.Position
}
