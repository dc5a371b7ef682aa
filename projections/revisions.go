package projections

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"

	"carecost/domain"
	"carecost/domain/jsonscan"
)

// Revisions is the revisions process, not a read model: it reads every
// decision from the log and, for the decision of a revision, has the
// decision that revision replaces marked superseded. Deciding a revision
// writes that follow-up at once; a crash or a store failure between the two
// writes leaves it to this process, which the runner resumes at start from
// its checkpoint. Read models never wait for it: they derive the original's
// state from the revision's decision.
type Revisions struct {
	complete func(ctx context.Context, revisionID, original string) error
}

// NewRevisions returns the revisions process; complete records that
// revisionID, decided, replaced original (domain.Commands.CompleteRevision:
// idempotent, and a no-op once recorded).
func NewRevisions(complete func(ctx context.Context, revisionID, original string) error) *Revisions {
	return &Revisions{complete: complete}
}

// process is implemented by the consumers of the log that keep no read
// model: no query reads them, so read-your-writes does not wait for them
// (readiness and the status still report them).
type process interface{ keepsNoReadModel() }

func (*Revisions) keepsNoReadModel() {}

// Name implements Projection.
func (*Revisions) Name() string { return "revisions" }

// Version implements Projection.
func (*Revisions) Version() int { return 1 }

// Schema implements Projection: the process keeps only its checkpoint.
func (*Revisions) Schema() []string { return nil }

// Reset implements Projection.
func (*Revisions) Reset(context.Context, *sql.Tx) error { return nil }

// Wants implements Filter: decisions.
func (*Revisions) Wants(e domain.RecordedEvent) bool { return e.Type == domain.EvEstimateDecided }

// Apply implements Projection.
func (p *Revisions) Apply(ctx context.Context, _ *sql.Tx, events []domain.RecordedEvent) error {
	for _, e := range events {
		if e.Type != domain.EvEstimateDecided {
			continue
		}
		of, err := revisionOf(e.Type, e.Data)
		if err != nil {
			return err
		}
		if of != "" {
			if err := p.complete(ctx, strings.TrimPrefix(e.Stream, "estimate-"), of); err != nil {
				return err
			}
		}
	}
	return nil
}

// revisionOf reads the revision_of of a decided payload, upcast first,
// stopping before its quote.
func revisionOf(eventType string, payload []byte) (string, error) {
	var of string
	payload, err := domain.UpcastPayload(eventType, payload)
	if err != nil {
		return "", err
	}
	// EachFieldRest: the quote, the bulk of the payload, is never passed
	// over.
	scanErr := jsonscan.EachFieldRest(payload, func(k string, rest []byte) bool {
		switch k {
		case "revision_of":
			var v []byte
			if v, err = jsonscan.Value(rest); err == nil {
				err = json.Unmarshal(v, &of)
			}
			return false
		case "quote":
			return false
		}
		return true
	})
	if scanErr != nil {
		return "", scanErr
	}
	return of, err
}
