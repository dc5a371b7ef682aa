package domain

// Event type names of the income-limit catalogue streams ("incometable-<id>").
const (
	EvIncomeCreated          = "carecost.incometable.created"
	EvIncomeDraftCreated     = "carecost.incometable.draft_created"
	EvIncomeDraftChanged     = "carecost.incometable.draft_changed"
	EvIncomeVersionPublished = "carecost.incometable.version_published"
	EvIncomeDraftWithdrawn   = "carecost.incometable.draft_withdrawn"
)

// IncomeCatalogueCreated: a new income-limit catalogue (statutory, a county's
// own lower table, remote home care, ...).
type IncomeCatalogueCreated struct {
	Schema
	CatalogueID string `json:"income_catalogue_id"`
	Name        string `json:"name"`
}

// IncomeDraftCreated: a new draft version with its table.
type IncomeDraftCreated struct {
	Schema
	Version  int         `json:"version"`
	BasedOn  int         `json:"based_on,omitempty"`
	Corrects int         `json:"corrects,omitempty"`
	Table    IncomeTable `json:"table"`
	Note     string      `json:"note,omitempty"`
}

// IncomeDraftChanged: a draft's table replaced.
type IncomeDraftChanged struct {
	Schema
	Version int         `json:"version"`
	Table   IncomeTable `json:"table"`
	Note    string      `json:"note,omitempty"`
}

// IncomeVersionPublished: a draft published from ValidFrom, with its table.
type IncomeVersionPublished struct {
	Schema
	Version   int         `json:"version"`
	ValidFrom Date        `json:"valid_from"`
	Corrects  int         `json:"corrects,omitempty"`
	Table     IncomeTable `json:"table"`
	Note      string      `json:"note,omitempty"`
}

// IncomeDraftWithdrawn: a draft dropped.
type IncomeDraftWithdrawn struct {
	Schema
	Version int `json:"version"`
}

// EventType implements Payload.
func (*IncomeCatalogueCreated) EventType() string { return EvIncomeCreated }

// EventType implements Payload.
func (*IncomeDraftCreated) EventType() string { return EvIncomeDraftCreated }

// EventType implements Payload.
func (*IncomeDraftChanged) EventType() string { return EvIncomeDraftChanged }

// EventType implements Payload.
func (*IncomeVersionPublished) EventType() string { return EvIncomeVersionPublished }

// EventType implements Payload.
func (*IncomeDraftWithdrawn) EventType() string { return EvIncomeDraftWithdrawn }

func init() {
	register(1, func() Payload { return &IncomeCatalogueCreated{} })
	register(1, func() Payload { return &IncomeDraftCreated{} })
	register(1, func() Payload { return &IncomeDraftChanged{} })
	register(1, func() Payload { return &IncomeVersionPublished{} })
	register(1, func() Payload { return &IncomeDraftWithdrawn{} })
}
