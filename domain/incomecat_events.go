package domain

import (
	"encoding/json"
	"strings"
)

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

// The payloads that carry a table are at schema 2: in schema 1 an amount or
// rate the table left out was stored as zero (and read as left out); from
// schema 2 on zero is an amount, and left out is left out.
func init() {
	register(1, func() Payload { return &IncomeCatalogueCreated{} })
	register(2, func() Payload { return &IncomeDraftCreated{} })
	register(2, func() Payload { return &IncomeDraftChanged{} })
	register(2, func() Payload { return &IncomeVersionPublished{} })
	register(1, func() Payload { return &IncomeDraftWithdrawn{} })
	for _, name := range []string{EvIncomeDraftCreated, EvIncomeDraftChanged, EvIncomeVersionPublished} {
		registerUpcaster(name, 1, zerosLeftOut)
	}
}

// optionalTableFields are the table's fields that may be left out.
var optionalTableFields = []string{"extra_person", "kayttovara", "kayttovara_institutional", "annual_ceiling", "housing_rate", "housing_spouse_rate"}

// zerosLeftOut upcasts a payload with a table from schema 1 to 2: a zero in
// an optional field meant "left out", so it is left out.
func zerosLeftOut(data json.RawMessage) (json.RawMessage, error) {
	var p map[string]json.RawMessage
	if err := json.Unmarshal(data, &p); err != nil {
		return nil, err
	}
	var table map[string]json.RawMessage
	if err := json.Unmarshal(p["table"], &table); err != nil {
		return nil, err
	}
	for _, f := range optionalTableFields {
		if v, ok := table[f]; ok && zeroNumber(v) {
			delete(table, f)
		}
	}
	t, err := json.Marshal(table)
	if err != nil {
		return nil, err
	}
	p["table"], p["schema"] = t, json.RawMessage("2")
	return json.Marshal(p)
}

// zeroNumber reports whether v is a JSON number or decimal string of value
// zero ("0", "0.00", 0).
func zeroNumber(v json.RawMessage) bool {
	s := strings.Trim(strings.TrimSpace(string(v)), `"`)
	s = strings.TrimPrefix(s, "-")
	digits := false
	for i, c := range s {
		switch {
		case c == '0':
			digits = true
		case c == '.' && i > 0:
		default:
			return false
		}
	}
	return digits
}
