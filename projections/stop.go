package projections

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"carecost/domain"
)

// Failure says where a projection stopped: the event it cannot apply (its
// position, id and type) and why, in words that carry nothing of the
// event's payload.
type Failure struct {
	Projection string          `json:"projection"`
	Position   domain.Position `json:"position"`
	EventID    string          `json:"event_id"`
	EventType  string          `json:"event_type"`
	Error      string          `json:"error"`
	At         time.Time       `json:"at"`
}

// String says what stopped, for a person.
func (f Failure) String() string {
	return fmt.Sprintf("projection %s is stopped before the event at position %s (id %s, %s) it cannot apply: %s",
		f.Projection, f.Position, f.EventID, f.EventType, f.Error)
}

// ErrStopped is matched (errors.Is) by every *StoppedError.
var ErrStopped = errors.New("projections: a projection is stopped")

// StoppedError is the error of projections stopped before an event they
// cannot apply (one failure each). It unwraps to an EUnavailable
// *domain.Error with the same words, so the HTTP layer answers 503 naming
// the projections and the events.
type StoppedError struct {
	Failures []Failure
}

// Error implements error.
func (e *StoppedError) Error() string { return "projections: " + e.words() }

// words says what stopped, for a person.
func (e *StoppedError) words() string {
	words := make([]string, len(e.Failures))
	for i, f := range e.Failures {
		words[i] = f.String()
	}
	return strings.Join(words, "; ")
}

// Is reports whether target is ErrStopped.
func (e *StoppedError) Is(target error) bool { return target == ErrStopped }

// Unwrap returns the error a person sees.
func (e *StoppedError) Unwrap() error {
	return &domain.Error{Code: domain.EUnavailable, Message: e.words()}
}

// Failure returns where the named projection is stopped, or nil when it
// runs.
func (r *Runner) Failure(name string) *Failure {
	r.mu.Lock()
	defer r.mu.Unlock()
	if f := r.failed[name]; f != nil {
		c := *f
		return &c
	}
	return nil
}

// cannotApply passes over an event an operator skipped, and stops p before
// any other.
func (r *Runner) cannotApply(ctx context.Context, p Projection, e domain.RecordedEvent, err error) error {
	if r.skipFor(p.Name(), e) {
		return r.pass(ctx, p, e)
	}
	return r.stop(ctx, p, e, err)
}

// stop stops p before e: it keeps the failure, wakes the waiters (they
// answer at once), counts and logs it once and records it in the failures
// table.
func (r *Runner) stop(ctx context.Context, p Projection, e domain.RecordedEvent, err error) error {
	f := Failure{Projection: p.Name(), Position: e.Position, EventID: e.ID, EventType: e.Type, Error: safeText(err), At: time.Now().UTC()}
	r.mu.Lock()
	r.failed[f.Projection] = &f
	r.resume[f.Projection] = make(chan struct{})
	r.wakeLocked()
	r.mu.Unlock()
	r.m.failures.WithLabelValues(f.Projection).Inc()
	r.log.Error("projection stopped: it cannot apply an event; skip the event or start a build that applies it",
		"projection", f.Projection, "position", f.Position.String(), "event_id", f.EventID, "event_type", f.EventType,
		"error", f.Error, "checkpoint", r.Checkpoint(f.Projection).String())
	if werr := r.recordFailure(ctx, f); werr != nil {
		r.log.Warn("projection failure not recorded in the read models", "projection", f.Projection, "error", safeText(werr))
	}
	return &StoppedError{Failures: []Failure{f}}
}

// resumed returns a channel closed once the named projection runs (closed
// already when it does).
func (r *Runner) resumed(name string) <-chan struct{} {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ch := r.resume[name]; ch != nil {
		return ch
	}
	ch := make(chan struct{})
	close(ch)
	return ch
}

// resumeAt lets the named projection run again when it is stopped at pos
// before event id; it reports whether it did.
func (r *Runner) resumeAt(name string, pos domain.Position, id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	f := r.failed[name]
	if f == nil || f.Position != pos || f.EventID != id {
		return false
	}
	r.resumeLocked(name)
	return true
}

const failureSchema = `CREATE TABLE IF NOT EXISTS projection_failures (id INTEGER PRIMARY KEY, projection TEXT NOT NULL,
	commit_pos INTEGER NOT NULL, prepare_pos INTEGER NOT NULL, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
	error TEXT NOT NULL, at INTEGER NOT NULL)`

// recordFailure keeps a row for f: where and why, never the payload.
func (r *Runner) recordFailure(ctx context.Context, f Failure) error {
	return r.db.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO projection_failures (projection, commit_pos, prepare_pos, event_id, event_type, error, at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, f.Projection, f.Position.Commit, f.Position.Prepare, f.EventID, f.EventType, f.Error, f.At.UnixNano())
		return err
	})
}
