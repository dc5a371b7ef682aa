package admin

import (
	"cmp"
	"encoding/json"
	"maps"
	"reflect"
	"slices"
	"strings"
	"time"
	"unicode"

	"carecost/domain"
)

// object is a JSON object of the OpenAPI document.
type object = map[string]any

// valueSchemas describe carecost's value types, which travel as strings.
var valueSchemas = map[reflect.Type]object{
	reflect.TypeFor[domain.Money]():    {"type": "string", "pattern": `^-?\d+(\.\d{1,2})?$`, "example": "298.22", "description": "euros as a decimal string, never a number"},
	reflect.TypeFor[domain.Percent]():  {"type": "string", "pattern": `^-?\d+(\.\d{1,2})?$`, "example": "8.75", "description": "percent as a decimal string"},
	reflect.TypeFor[domain.Quantity](): {"type": "string", "example": "2.5", "description": "units as a decimal string (a plain number is accepted on input)"},
	reflect.TypeFor[domain.Ratio]():    {"type": "string", "example": "52/12", "description": "a positive fraction or decimal"},
	reflect.TypeFor[domain.Date]():     {"type": "string", "format": "date", "nullable": true, "example": "2026-01-31", "description": "null in an answer where no date is set; a request leaves such a field out (null is refused)"},
	reflect.TypeFor[domain.Position](): {"type": "string", "example": "42", "description": "a position in the event log"},
	reflect.TypeFor[time.Time]():       {"type": "string", "format": "date-time"},
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

// schemas collects the named schemas of the document, built from the Go
// types the handlers decode and encode.
type schemas struct {
	defs  object
	types map[string]reflect.Type
}

func newSchemas() *schemas { return &schemas{defs: object{}, types: map[string]reflect.Type{}} }

// of returns the schema of values of type t: a reference for a named
// struct, an inline schema for anything else.
func (s *schemas) of(t reflect.Type) object {
	if v, ok := valueSchemas[t]; ok {
		return v
	}
	if e, ok := enumSchemas[t]; ok {
		return object{"type": "string", "enum": e}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return s.of(t.Elem())
	case reflect.Struct:
		return object{"$ref": "#/components/schemas/" + s.named(t)}
	case reflect.Slice, reflect.Array:
		return object{"type": "array", "items": s.of(t.Elem())}
	case reflect.Map:
		return object{"type": "object", "additionalProperties": s.of(t.Elem())}
	case reflect.String:
		return object{"type": "string"}
	case reflect.Bool:
		return object{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return object{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return object{"type": "number"}
	}
	return object{}
}

// named registers struct type t under its name (capitalised; prefixed with
// its package when another type took the name) and returns the name.
func (s *schemas) named(t reflect.Type) string {
	name := capitalise(t.Name())
	if other, taken := s.types[name]; taken && other != t {
		name = capitalise(t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]) + name
	}
	if _, done := s.types[name]; done {
		return name
	}
	s.types[name] = t
	props := object{}
	s.defs[name] = object{"type": "object", "properties": props}
	s.properties(t, props)
	return name
}

// properties adds the JSON fields of struct type t to props, inlining
// embedded structs as encoding/json does.
func (s *schemas) properties(t reflect.Type, props object) {
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			s.properties(f.Type, props)
			continue
		}
		if name == "" {
			name = f.Name
		}
		props[name] = s.of(f.Type)
	}
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// sortedCodes lists the error codes of errorCodes, by status, then name.
func sortedCodes() []string {
	codes := slices.Collect(maps.Keys(errorCodes))
	slices.SortFunc(codes, func(a, b string) int {
		return cmp.Or(cmp.Compare(errorCodes[a], errorCodes[b]), cmp.Compare(a, b))
	})
	return codes
}
