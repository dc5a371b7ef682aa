package domain

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Decision numbers are unique within the county. The store appends to one
// stream at a time, so the number is reserved in a stream of its own,
// "decision-number-<sha256 of the normalised number>", before the decision
// is appended to the estimate's stream:
//   - Every check of the decision (the estimate's state, the dates, the
//     pricing, the revision) comes first; a refused decision writes nothing.
//   - The reservation is appended with NoStream, or with the exact version
//     of the stream when it takes over a reservation: of many deciders of
//     one number, exactly one appends; the others read who holds it.
//   - The holder's estimate decided with that number keeps it for good (a
//     revision, or a decision it replaced, is no exception). Re-deciding the
//     holder's own estimate (a retried command) is fine.
//   - A reservation whose decision never landed (its estimate is not
//     decided with that number) is being recorded for DecisionNumberHold
//     after it was written; after that a crash cut it off, and the next
//     decision with the number takes it over, so a crash between the two
//     appends never locks a number forever.

// DecisionNumberHold is how long a reservation whose decision has not landed
// keeps its number from another estimate. A decision lands well within it:
// the estimate's append follows the reservation at once.
const DecisionNumberHold = time.Minute

// EvDecisionNumberReserved is the event type of DecisionNumberReserved.
const EvDecisionNumberReserved = "carecost.decision_number.reserved"

// DecisionNumberReserved: the decision number is reserved for the decision
// of estimate EstimateID (the newest such event of the stream holds it).
type DecisionNumberReserved struct {
	Schema
	DecisionNumber string `json:"decision_number"`
	EstimateID     string `json:"estimate_id"`
}

// EventType implements Payload.
func (*DecisionNumberReserved) EventType() string { return EvDecisionNumberReserved }

func init() { register(1, func() Payload { return &DecisionNumberReserved{} }) }

// NormalDecisionNumber is the form in which decision numbers are compared:
// full-width letters, digits and signs as their ASCII forms, trimmed and
// case-folded, ß as ss ("hva-2026-1", " HVA-2026-1" and "ＨＶＡ-2026-1"
// are one number).
func NormalDecisionNumber(n string) string {
	n = strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, n)
	n = strings.NewReplacer("ß", "ss", "ẞ", "ss").Replace(strings.TrimSpace(n))
	return strings.ToLower(strings.ToUpper(n))
}

// DecisionNumberStream returns the name of the stream that reserves decision
// number n.
func DecisionNumberStream(n string) string {
	sum := sha256.Sum256([]byte(NormalDecisionNumber(n)))
	return "decision-number-" + hex.EncodeToString(sum[:])
}

// reserveNumber reserves the number of decision d for estimate id, or
// refuses it (ERefused naming decision_number) when another estimate's
// decision holds it. A reservation the estimate holds already is kept as
// it is.
func (c *Commands) reserveNumber(ctx context.Context, cmd Command, id string, d Decision) error {
	stream := DecisionNumberStream(d.Number)
	for attempt := 1; attempt <= maxAttempts; attempt++ {
		expected := NoStream
		recs, err := c.store.ReadStream(ctx, stream, ReadStreamOptions{})
		switch {
		case errors.Is(err, ErrStreamNotFound):
			if err := c.unreservedHolder(ctx, id, d.Number); err != nil {
				return err
			}
		case err != nil:
			return fmt.Errorf("domain: read %s: %w", stream, err)
		case len(recs) > 0:
			last := recs[len(recs)-1]
			holder, err := reservationOf(last)
			if err != nil {
				return err
			}
			if holder.EstimateID == id {
				return nil
			}
			if err := c.numberFree(ctx, d.Number, holder.EstimateID, last.RecordedAt); err != nil {
				return err
			}
			expected = ExactVersion(last.Version)
		}
		meta := cmd.meta()
		if cmd.ID != "" {
			// Its own ids: a retry writes nothing twice, and a takeover
			// (another expected version) is another event.
			meta.CommandID = DeriveID(fmt.Sprintf("decision-number/%s/%d", cmd.ID, expected))
		}
		events, err := EncodeEvents(stream, meta, []Payload{&DecisionNumberReserved{DecisionNumber: d.Number, EstimateID: id}})
		if err != nil {
			return err
		}
		if _, err = c.store.Append(ctx, stream, expected, events...); !errors.Is(err, ErrConcurrency) {
			return err
		}
		// Another decider wrote first: read who holds the number now.
	}
	return &Error{Code: EConflict, Field: "decision_number", Message: "the decision number was contended by too many decisions at the same moment; try again"}
}

// reservationOf decodes a reservation event.
func reservationOf(r RecordedEvent) (*DecisionNumberReserved, error) {
	p, err := DecodePayload(r.Type, r.Data)
	if err != nil {
		return nil, err
	}
	res, ok := p.(*DecisionNumberReserved)
	if !ok {
		return nil, Errorf(EInternal, "domain: stream %s holds a %s event", r.Stream, r.Type)
	}
	return res, nil
}

// numberFree returns nil when the reservation of number by estimate holder,
// recorded at reserved, may be taken over: its decision never landed and
// can no longer land.
func (c *Commands) numberFree(ctx context.Context, number, holder string, reserved time.Time) error {
	h, err := c.loadEstimate(ctx, holder)
	if err != nil {
		return err
	}
	switch {
	case h.decision != nil && NormalDecisionNumber(h.decision.Number) == NormalDecisionNumber(number):
		return &Error{Code: ERefused, Field: "decision_number", Message: fmt.Sprintf(
			"decision number %q is already the number of the decision on estimate %s; a decision number is used once", h.decision.Number, holder)}
	case c.now().Sub(reserved) < DecisionNumberHold:
		return &Error{Code: ERefused, Field: "decision_number", Message: fmt.Sprintf(
			"decision number %q is taken by the decision being recorded on estimate %s; a decision number is used once", number, holder)}
	}
	return nil
}

// unreservedHolder refuses number for estimate id when a decision recorded
// before numbers were reserved holds it: NumberHolders (the decisions read
// model) names the estimates whose decision has that number.
func (c *Commands) unreservedHolder(ctx context.Context, id, number string) error {
	if c.NumberHolders == nil {
		return nil
	}
	holders, err := c.NumberHolders(ctx, number)
	if err != nil {
		return err
	}
	for _, h := range holders {
		if h == id {
			continue
		}
		e, err := c.Estimate(ctx, h)
		if err != nil {
			if ErrorCode(err) == ENotFound {
				continue
			}
			return err
		}
		if e.decision != nil && NormalDecisionNumber(e.decision.Number) == NormalDecisionNumber(number) {
			return &Error{Code: ERefused, Field: "decision_number", Message: fmt.Sprintf(
				"decision number %q is already the number of the decision on estimate %s; a decision number is used once", e.decision.Number, h)}
		}
	}
	return nil
}
