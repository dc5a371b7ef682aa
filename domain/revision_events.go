package domain

// EvEstimateRevisionAbandoned is the event type of EstimateRevisionAbandoned.
const EvEstimateRevisionAbandoned = "carecost.estimate.revision_abandoned"

// EstimateRevisionAbandoned is the first and only event of the stream of a
// revision that was recorded on its original but never opened (its opening
// failed or was cut off). A later revision of the original writes it, so the
// abandoned one can never open, nor be decided, after the new one was
// recorded. The estimate does not exist; its id cannot be used again.
type EstimateRevisionAbandoned struct {
	Schema
	// RevisionOf is the estimate the abandoned revision was to revise.
	RevisionOf string `json:"revision_of"`
	// ReplacedBy is the revision recorded in its place.
	ReplacedBy string `json:"replaced_by"`
}

// EventType implements Payload.
func (*EstimateRevisionAbandoned) EventType() string { return EvEstimateRevisionAbandoned }

func init() { register(1, func() Payload { return &EstimateRevisionAbandoned{} }) }
