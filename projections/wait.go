package projections

import (
	"context"

	"carecost/domain"
)

// WaitFor returns once every projection has applied the log up to pos. It
// returns at once a *StoppedError (an EUnavailable error naming the
// projections and the events) when projections that have not reached pos
// are stopped, and an EUnavailable error when ctx ends first.
func (r *Runner) WaitFor(ctx context.Context, pos domain.Position) error {
	for {
		r.mu.Lock()
		ch, done := r.changed, true
		var stopped []Failure
		for _, p := range r.projs {
			if _, process := p.(process); process {
				continue // no query reads it
			}
			if r.pos[p.Name()].Less(pos) {
				done = false
				if f := r.failed[p.Name()]; f != nil {
					stopped = append(stopped, *f)
				}
			}
		}
		r.mu.Unlock()
		switch {
		case done:
			return nil
		case stopped != nil:
			return &StoppedError{Failures: stopped}
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return domain.Errorf(domain.EUnavailable, "the read models have not caught up with position %s yet", pos)
		}
	}
}
