package projections

import (
	"context"
	"errors"
	"slices"
	"time"

	"carecost/domain"
)

// States of a projection, in Status.
const (
	// StateCatchingUp: carecost is starting and catching up with the log.
	StateCatchingUp = "catching_up"
	// StateRunning: the projection applies the log as it grows.
	StateRunning = "running"
	// StateStopped: the projection is stopped before an event it cannot
	// apply (Status.Failure says which).
	StateStopped = "stopped"
)

// Failures returns where each stopped projection is stopped, in the order
// of the projections.
func (r *Runner) Failures() []Failure {
	var out []Failure
	for _, p := range r.projs {
		if f := r.Failure(p.Name()); f != nil {
			out = append(out, *f)
		}
	}
	return out
}

// Status returns where each projection stands against the head of the log.
func (r *Runner) Status(ctx context.Context) ([]Status, error) {
	head, err := r.store.Head(ctx)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	if r.lastHead.Less(head) {
		r.lastHead = head
	}
	r.mu.Unlock()
	return r.statusAt(head), nil
}

// StatusKnown is Status, but while the store is away (ErrUnavailable) it
// answers with the head as Status last read it, and away true: what an
// operator looks at during an outage still shows where each projection
// stands.
func (r *Runner) StatusKnown(ctx context.Context) (st []Status, away bool, err error) {
	st, err = r.Status(ctx)
	if !errors.Is(err, domain.ErrUnavailable) {
		return st, false, err
	}
	r.mu.Lock()
	head := r.lastHead
	r.mu.Unlock()
	return r.statusAt(head), true, nil
}

// statusAt returns where each projection stands against head.
func (r *Runner) statusAt(head domain.Position) []Status {
	r.mu.Lock()
	caughtUp := r.caughtUp
	r.mu.Unlock()
	out := make([]Status, len(r.projs))
	for i, p := range r.projs {
		cp := r.Checkpoint(p.Name())
		s := Status{Name: p.Name(), Version: p.Version(), Checkpoint: cp, Head: head, CaughtUp: !cp.Less(head), State: StateRunning}
		if !caughtUp {
			s.State = StateCatchingUp
		}
		if s.Failure = r.Failure(p.Name()); s.Failure != nil {
			s.State = StateStopped
		}
		s.Rebuildable = r.rebuildable(p)
		if rb, ok := r.rebuildProgress(p.Name(), head); ok {
			s.Rebuild, s.Rebuilding = &rb, rb.Running()
		}
		out[i] = s
	}
	return out
}

// Ready returns nil when the store answers, the projections caught up with
// the log once since start, none is stopped before an event it cannot apply,
// and none is stuck: behind the head with a checkpoint that has not moved
// for StuckAfter. (Under live load the projections always trail the head by
// a little; that is not unready.) A stopped projection is named with the
// position, id and type of the event and the error.
func (r *Runner) Ready(ctx context.Context) error {
	st, err := r.Status(ctx)
	if err != nil {
		return domain.Errorf(domain.EUnavailable, "the event store does not answer: %v", err)
	}
	r.mu.Lock()
	caughtUp, still := r.caughtUp, map[string]time.Duration{}
	for name, at := range r.moved {
		still[name] = time.Since(at)
	}
	r.mu.Unlock()
	if err := r.stoppedErr(); err != nil {
		return domain.Errorf(domain.EUnavailable, "%s", domain.ErrorMessage(err))
	}
	if !caughtUp {
		return domain.Errorf(domain.EUnavailable, "the projections are catching up with the log")
	}
	if i := slices.IndexFunc(st, func(s Status) bool { return !s.CaughtUp && still[s.Name] > StuckAfter }); i >= 0 {
		s := st[i]
		return domain.Errorf(domain.EUnavailable, "projection %s is stuck at %s of %s", s.Name, s.Checkpoint, s.Head)
	}
	return nil
}

// StuckAfter is how long a projection behind the head may go without
// progress before carecost reports itself not ready.
var StuckAfter = 30 * time.Second
