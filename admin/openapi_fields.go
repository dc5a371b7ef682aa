package admin

import (
	"maps"
	"reflect"
	"strings"

	"carecost/domain"
)

// jsonField is a field of a struct type as encoding/json sees it.
type jsonField struct {
	in   reflect.Type // the struct type that declares it
	name string
	typ  reflect.Type
	// omit says encoding/json leaves the field out when it is empty
	// (omitempty) or zero (omitzero): an answer may not carry it.
	omit bool
}

// jsonFields lists the JSON fields of struct type t, embedded structs
// inlined as encoding/json does.
func jsonFields(t reflect.Type) []jsonField {
	var out []jsonField
	for i := range t.NumField() {
		f := t.Field(i)
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, jsonFields(f.Type)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, jsonField{in: t, name: name, typ: f.Type, omit: omits(opts, f.Type)})
	}
	return out
}

// omits reports whether encoding/json, given the tag options opts, leaves
// out some values of type t: omitzero leaves out the zero value, omitempty
// an empty one, which a struct never is.
func omits(opts string, t reflect.Type) bool {
	for _, o := range strings.Split(opts, ",") {
		switch {
		case o == "omitzero":
			return true
		case o == "omitempty" && t.Kind() != reflect.Struct:
			return true
		}
	}
	return false
}

// field returns the schema of one field, nullable where the direction lets
// it be null.
func (s *schemas) field(f jsonField, d direction, required bool) object {
	t := f.typ
	if raw, ok := rawFields[fieldKey{f.in, f.name}]; ok {
		t = raw
	}
	sch := s.of(t, d)
	var null bool
	switch d {
	case answer:
		null = !f.omit && mayBeNil(f.typ)
	case request:
		null = !f.omit && !required && f.typ.Kind() == reflect.Pointer
	}
	if !null {
		return sch
	}
	if _, ref := sch["$ref"]; ref {
		return object{"nullable": true, "allOf": []object{sch}}
	}
	sch = maps.Clone(sch)
	sch["nullable"] = true
	return sch
}

// mayBeNil reports whether encoding/json may write a value of type t as
// null: a nil pointer, list, map or interface, an unset date.
func mayBeNil(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Map, reflect.Interface:
		return true
	}
	return t == reflect.TypeFor[domain.Date]()
}
