package admin

import (
	"reflect"
	"slices"
	"strings"
	"unicode"

	"carecost/domain"
)

// object is a JSON object of the OpenAPI document.
type object = map[string]any

// schemaRef prefixes the reference to a named schema.
const schemaRef = "#/components/schemas/"

// direction says whether a schema describes what a client sends or what
// carecost answers: the two differ in what is required and what may be null.
type direction int

const (
	// answer: what carecost writes (encoding/json). Every field without
	// omitempty or omitzero is always there; one that Go may hold as nil
	// (a pointer, a list, a map, an unset date) may be null.
	answer direction = iota
	// request: what a client sends (domain.DecodeJSON). The fields of
	// domain.RequiredFields are required; null is a value only for a
	// pointer field without omitempty.
	request
)

// schemas collects the named schemas of the document, built from the Go
// types the handlers decode and encode. A struct type gets one schema per
// direction, named after the type; when the two differ the request one
// takes the suffix Input. Answer schemas are built first (openAPIDocument).
type schemas struct {
	defs     object
	names    map[schemaKey]string
	owners   map[string]reflect.Type
	building map[schemaKey]bool
}

// schemaKey names the schema of a struct type in one direction.
type schemaKey struct {
	t reflect.Type
	d direction
}

func newSchemas() *schemas {
	return &schemas{defs: object{}, names: map[schemaKey]string{}, owners: map[string]reflect.Type{}, building: map[schemaKey]bool{}}
}

// of returns the schema of values of type t: a reference for a named
// struct, an inline schema for anything else.
func (s *schemas) of(t reflect.Type, d direction) object {
	if v, ok := valueSchemas[t]; ok {
		return v
	}
	if e, ok := enumSchemas[t]; ok {
		return object{"type": "string", "enum": e}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return s.of(t.Elem(), d)
	case reflect.Struct:
		return object{"$ref": schemaRef + s.named(t, d)}
	case reflect.Slice, reflect.Array:
		return object{"type": "array", "items": s.of(t.Elem(), d)}
	case reflect.Map:
		return object{"type": "object", "additionalProperties": s.of(t.Elem(), d)}
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

// named registers the schema of struct type t in direction d and returns
// its name.
func (s *schemas) named(t reflect.Type, d direction) string {
	k := schemaKey{t, d}
	if name, ok := s.names[k]; ok {
		return name
	}
	if s.building[k] {
		panic("admin: the schema of " + t.String() + " refers to itself")
	}
	if _, built := s.names[schemaKey{t, request}]; d == answer && built {
		panic("admin: the answer schema of " + t.String() + " is built after its request schema")
	}
	s.building[k] = true
	def := s.object(t, d)
	name := s.name(t, d, def)
	s.names[k] = name
	if _, ok := s.defs[name]; !ok {
		s.defs[name] = def
	}
	return name
}

// name chooses the name of the schema def of t in direction d: the type's
// name, capitalised, prefixed with its package when another type took it;
// a request schema that differs from the answer schema of its type takes
// the suffix Input.
func (s *schemas) name(t reflect.Type, d direction, def object) string {
	name := capitalise(t.Name())
	if owner, taken := s.owners[name]; taken && owner != t {
		name = capitalise(t.PkgPath()[strings.LastIndex(t.PkgPath(), "/")+1:]) + name
	}
	s.owners[name] = t
	if other, ok := s.names[schemaKey{t, answer}]; ok && d == request && !reflect.DeepEqual(s.defs[other], def) {
		return name + "Input"
	}
	return name
}

// object builds the schema of struct type t in direction d.
func (s *schemas) object(t reflect.Type, d direction) object {
	props := object{}
	var required []string
	needed := domain.RequiredFields(t)
	for _, f := range jsonFields(t) {
		req := !f.omit
		if d == request {
			req = slices.Contains(needed, f.name)
		}
		props[f.name] = s.field(f, d, req)
		if req {
			required = append(required, f.name)
		}
	}
	def := object{"type": "object", "properties": props}
	if len(required) > 0 {
		def["required"] = required
	}
	return def
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
