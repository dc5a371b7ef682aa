package admin

import (
	"cmp"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"time"

	"carecost/domain"
	"carecost/projections"
)

// valueSchemas describe carecost's value types, which travel as strings.
// Whether a value may be null depends on the field and the direction
// (schemas.field).
var valueSchemas = map[reflect.Type]object{
	reflect.TypeFor[domain.Money]():    {"type": "string", "pattern": `^-?\d+(\.\d{1,2})?$`, "example": "298.22", "description": "euros as a decimal string, never a number"},
	reflect.TypeFor[domain.Percent]():  {"type": "string", "pattern": `^-?\d+(\.\d{1,2})?$`, "example": "8.75", "description": "percent as a decimal string"},
	reflect.TypeFor[domain.Quantity](): {"type": "string", "example": "2.5", "description": "units as a decimal string (a plain number is accepted on input)"},
	reflect.TypeFor[domain.Ratio]():    {"type": "string", "example": "52/12", "description": "a positive fraction or decimal"},
	reflect.TypeFor[domain.Date]():     {"type": "string", "format": "date", "example": "2026-01-31", "description": "null in an answer where no date is set; a request leaves such a field out (null is refused)"},
	reflect.TypeFor[domain.Position](): {"type": "string", "example": "42", "description": "a position in the event log"},
	reflect.TypeFor[time.Time]():       {"type": "string", "format": "date-time", "example": "2026-03-02T09:15:00Z"},
	reflect.TypeFor[json.RawMessage](): {"description": "a JSON value"},
	reflect.TypeFor[domain.Payload]():  {"type": "object", "description": "the event's payload; its shape depends on the type"},
}

// enumSchemas list the values of carecost's enumerated string types.
var enumSchemas = map[reflect.Type]any{
	reflect.TypeFor[domain.Mode]():           domain.Modes,
	reflect.TypeFor[domain.Segment]():        domain.Segments,
	reflect.TypeFor[domain.Frequency]():      domain.Frequencies,
	reflect.TypeFor[domain.Rule]():           domain.Rules,
	reflect.TypeFor[domain.Category]():       domain.Categories,
	reflect.TypeFor[domain.Unit]():           domain.Units,
	reflect.TypeFor[domain.EstimateStatus](): estimateStatuses,
	reflect.TypeFor[domain.VersionStatus]():  []domain.VersionStatus{domain.StatusDraft, domain.StatusPublished, domain.StatusWithdrawn},
	reflect.TypeFor[errorCode]():             sortedCodes(),
}

// rawFields name what a json.RawMessage field of an answer holds, so the
// document describes it: the quote an estimate or a decision was priced
// with, kept as the bytes the log holds.
var rawFields = map[fieldKey]reflect.Type{
	{reflect.TypeFor[projections.EstimateDetail](), "quote"}: reflect.TypeFor[domain.Quote](),
	{reflect.TypeFor[projections.DecisionRecord](), "quote"}: reflect.TypeFor[domain.Quote](),
}

// fieldKey is a JSON field of a struct type.
type fieldKey struct {
	in   reflect.Type
	name string
}

// sortedCodes lists the error codes of errorCodes, by status, then name.
func sortedCodes() []string {
	codes := slices.Collect(maps.Keys(errorCodes))
	slices.SortFunc(codes, func(a, b string) int {
		return cmp.Or(cmp.Compare(errorCodes[a], errorCodes[b]), cmp.Compare(a, b))
	})
	return codes
}
