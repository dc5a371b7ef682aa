package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// DecodeJSON decodes one JSON value into v, strictly: unknown fields (names
// are case-sensitive), a key given twice, a required field left out
// (RequiredFields), wrong types, numbers out of range, trailing data
// and bad amounts are EInvalid errors that name the field as a path
// ("lines[2].quantity").
func DecodeJSON(data []byte, v any) error {
	// encoding/json would replace bad bytes with U+FFFD silently.
	if !utf8.Valid(data) {
		return Invalidf("", "the body is not valid UTF-8 text")
	}
	d := json.NewDecoder(bytes.NewReader(data))
	d.DisallowUnknownFields()
	err := d.Decode(v)
	if err == nil {
		if d.More() {
			return Invalidf("", "the body holds more than one JSON value")
		}
		// encoding/json matches names regardless of case, keeps the last of
		// two equal keys and leaves out fields at zero: check what it lets by.
		if err := duplicateKey(data); err != nil {
			return err
		}
		var tree any
		td := json.NewDecoder(bytes.NewReader(data))
		td.UseNumber()
		if td.Decode(&tree) == nil {
			if tree == nil {
				return nullBody(reflect.TypeOf(v))
			}
			return locate(tree, reflect.TypeOf(v), "")
		}
		return nil
	}
	var syn *json.SyntaxError
	if errors.As(err, &syn) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return Invalidf("", "the body is not valid JSON: %v", err)
	}
	var tree any
	td := json.NewDecoder(bytes.NewReader(data))
	td.UseNumber()
	if td.Decode(&tree) == nil {
		if located := locate(tree, reflect.TypeOf(v), ""); located != nil {
			return located
		}
	}
	var ute *json.UnmarshalTypeError
	if errors.As(err, &ute) {
		return Invalidf(ute.Field, "expected %s, got a JSON %s", ute.Type, ute.Value)
	}
	var de *Error
	if errors.As(err, &de) {
		return de
	}
	return Invalidf("", "%s", strings.TrimPrefix(err.Error(), "json: "))
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// nullBody refuses a whole document of null where an object or a list is
// expected: encoding/json would leave the value empty, as if every field had
// been left out, and the error would name some required field instead.
func nullBody(t reflect.Type) error {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return Invalidf("", "expected an object, got null")
	case reflect.Slice, reflect.Array:
		return Invalidf("", "expected a list, got null")
	}
	return nil
}

// locate walks a decoded JSON tree beside the Go type it was meant for and
// returns the first problem with its path, or nil.
func locate(node any, t reflect.Type, path string) error {
	if node == nil {
		// Only a field that may be absent in the Go value (a pointer, an
		// interface) takes null; elsewhere encoding/json would read it as
		// left out, or as zero.
		if t.Kind() != reflect.Pointer && t.Kind() != reflect.Interface {
			return Invalidf(path, "null is not a value here: give a value (or leave the field out where it is optional)")
		}
		return nil
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) && t.Kind() != reflect.Pointer {
		raw, _ := json.Marshal(node)
		if err := reflect.New(t).Interface().(json.Unmarshaler).UnmarshalJSON(raw); err != nil {
			return Invalidf(path, "%s", ErrorMessage(err))
		}
		return nil
	}
	switch t.Kind() {
	case reflect.Pointer:
		return locate(node, t.Elem(), path)
	case reflect.Struct:
		return locateStruct(node, t, path)
	case reflect.Slice, reflect.Array:
		list, ok := node.([]any)
		if !ok {
			return Invalidf(path, "expected a list, got %s", jsonKind(node))
		}
		for i, el := range list {
			if err := locate(el, t.Elem(), fieldIndex(path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		m, ok := node.(map[string]any)
		if !ok {
			return Invalidf(path, "expected an object, got %s", jsonKind(node))
		}
		for k, el := range m {
			if err := locate(el, t.Elem(), join(path, k)); err != nil {
				return err
			}
		}
	default:
		return locateScalar(node, t, path)
	}
	return nil
}

func locateStruct(node any, t reflect.Type, path string) error {
	m, ok := node.(map[string]any)
	if !ok {
		return Invalidf(path, "expected an object, got %s", jsonKind(node))
	}
	fields := jsonFields(t)
	for _, k := range slices.Sorted(maps.Keys(m)) {
		ft, ok := fields[k]
		if !ok {
			for name := range fields {
				if strings.EqualFold(name, k) {
					return Invalidf(join(path, k), "unknown field %q: names are case-sensitive; did you mean %q?", k, name)
				}
			}
			return Invalidf(join(path, k), "unknown field %q", k)
		}
		if err := locate(m[k], ft, join(path, k)); err != nil {
			return err
		}
	}
	for _, name := range RequiredFields(t) {
		if _, ok := m[name]; !ok {
			return Invalidf(join(path, name), "is required")
		}
	}
	return nil
}

// RequiredFields lists the JSON names of the fields of struct type t that
// DecodeJSON refuses to go without: those tagged `carecost:"required"`,
// with embedded structs inlined. An embedded struct may name fields of its
// own that the embedding type needs, `carecost:"required=client_ref,maple"`,
// when the embedded type leaves them optional elsewhere. The OpenAPI
// document lists the same fields as required.
func RequiredFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		tag := f.Tag.Get("carecost")
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			out = append(out, RequiredFields(f.Type)...)
			if names, ok := strings.CutPrefix(tag, "required="); ok {
				out = append(out, strings.Split(names, ",")...)
			}
			continue
		}
		if tag == "required" && name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return uniq(out)
}

// uniq drops the repeats from names, keeping the first of each.
func uniq(names []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// duplicateKey finds a key given twice in one object of data (valid JSON).
func duplicateKey(data []byte) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	stack := []*jsonFrame{{root: true}}
	expectKey := false
	for {
		tok, err := d.Token()
		if err != nil {
			return nil // the end, or an error the decoder reports itself
		}
		f := stack[len(stack)-1]
		if k, isKey := tok.(string); isKey && expectKey {
			if f.keys[k] {
				return Invalidf(join(f.path, k), "the key %q is given twice", k)
			}
			f.keys[k], f.key, expectKey = true, k, false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &jsonFrame{keys: map[string]bool{}, path: f.child()})
			expectKey = true
			continue
		case json.Delim('['):
			stack = append(stack, &jsonFrame{path: f.child()})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			f = stack[len(stack)-1]
		}
		// A value ended: next comes a key of an object, or the next element
		// of a list.
		if f.keys != nil {
			expectKey = true
		} else {
			f.index++
		}
	}
}

// jsonFrame is an object (keys set) or a list being read by duplicateKey.
type jsonFrame struct {
	root  bool
	keys  map[string]bool
	path  string
	key   string // the object's current key
	index int    // the list's current element
}

// child is the path of the value the frame reads now.
func (f *jsonFrame) child() string {
	switch {
	case f.root:
		return ""
	case f.keys != nil:
		return join(f.path, f.key)
	}
	return fieldIndex(f.path, f.index)
}

// jsonFields maps the JSON names of t's fields (embedded structs inlined) to
// their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

func locateScalar(node any, t reflect.Type, path string) error {
	var ok bool
	switch t.Kind() {
	case reflect.String:
		_, ok = node.(string)
	case reflect.Bool:
		_, ok = node.(bool)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		n, isNum := node.(json.Number)
		ok = isNum && !strings.ContainsAny(n.String(), ".eE")
		if !ok {
			return Invalidf(path, "expected a whole number, got %s", jsonKind(node))
		}
		var err error
		if t.Kind() >= reflect.Uint && t.Kind() <= reflect.Uint64 {
			_, err = strconv.ParseUint(n.String(), 10, t.Bits())
		} else {
			_, err = strconv.ParseInt(n.String(), 10, t.Bits())
		}
		if err != nil {
			return Invalidf(path, "%s is out of range", n)
		}
	default:
		return nil
	}
	if !ok {
		return Invalidf(path, "expected a %s, got %s", t.Kind(), jsonKind(node))
	}
	return nil
}

func jsonKind(node any) string {
	switch n := node.(type) {
	case string:
		return fmt.Sprintf("the string %q", n)
	case json.Number:
		return "the number " + n.String()
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return "null"
}

func join(path, k string) string {
	if path == "" {
		return k
	}
	return path + "." + k
}
