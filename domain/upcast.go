package domain

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// upcaster turns the JSON of a payload of one schema into the next.
type upcaster func(json.RawMessage) (json.RawMessage, error)

// eventKind describes a registered event type: its current schema, an empty
// payload, and the upcasters from each older schema to the next.
type eventKind struct {
	schema    int
	new       func() Payload
	upcasters map[int]upcaster
}

// registry holds the event types a build knows, by name.
type registry map[string]*eventKind

// kinds is the registry of carecost's event types.
var kinds = registry{}

// register adds an event type with its current schema version.
func register(schema int, newPayload func() Payload) { kinds.register(schema, newPayload) }

// registerUpcaster adds a function that turns a payload of schema from into
// schema from+1.
func registerUpcaster(name string, from int, up upcaster) { kinds.registerUpcaster(name, from, up) }

func (r registry) register(schema int, newPayload func() Payload) {
	name := newPayload().EventType()
	if _, dup := r[name]; dup {
		panic("domain: event type registered twice: " + name)
	}
	r[name] = &eventKind{schema: schema, new: newPayload, upcasters: map[int]upcaster{}}
}

func (r registry) registerUpcaster(name string, from int, up upcaster) {
	k, ok := r[name]
	if !ok || from < 1 || from >= k.schema {
		panic(fmt.Sprintf("domain: upcaster of %s from schema %d does not fit its registration", name, from))
	}
	k.upcasters[from] = up
}

// SchemaError is returned when a payload's schema version is one this build
// cannot read: newer than the newest it knows, or missing.
type SchemaError struct {
	EventType string
	Schema    int // the payload's schema version (0: none)
	Known     int // the newest schema version of the type this build knows
}

// Error implements error.
func (e *SchemaError) Error() string {
	if e.Schema < 1 {
		return fmt.Sprintf("domain: %s payload has no schema version (this build reads 1 to %d)", e.EventType, e.Known)
	}
	return fmt.Sprintf("domain: %s payload has schema %d, newer than this build knows (%d)", e.EventType, e.Schema, e.Known)
}

// CheckSchema returns an error when a stored payload of a known type cannot
// be read by this build: its schema is newer than the build knows, or
// missing (a *SchemaError), or the payload does not decode. It reads the
// schema only (cheap for a payload EncodePayload wrote); unknown types pass,
// their readers decide. Projections check each event they want before
// applying a batch, so such an event stops them rather than being misread.
func CheckSchema(name string, data []byte) error {
	k, ok := kinds[name]
	if !ok {
		return nil
	}
	v, err := schemaOf(name, data)
	if err != nil {
		return err
	}
	if v < 1 || v > k.schema {
		return &SchemaError{EventType: name, Schema: v, Known: k.schema}
	}
	return nil
}

// UpcastPayload returns the JSON of an event of the named type at the schema
// version this build writes, upcasting an older one step by step; a payload
// already at that version is returned as it is, after reading only its
// first field. A payload of a newer schema, or without one, is a
// *SchemaError. Every reader of stored payloads goes through it.
func UpcastPayload(name string, data []byte) ([]byte, error) { return kinds.upcast(name, data) }

func (r registry) upcast(name string, data []byte) ([]byte, error) {
	k, ok := r[name]
	if !ok {
		return nil, fmt.Errorf("domain: unknown event type %q", name)
	}
	v, err := schemaOf(name, data)
	if err != nil {
		return nil, err
	}
	if v == k.schema {
		return data, nil
	}
	if v < 1 || v > k.schema {
		return nil, &SchemaError{EventType: name, Schema: v, Known: k.schema}
	}
	for ; v < k.schema; v++ {
		up, ok := k.upcasters[v]
		if !ok {
			return nil, fmt.Errorf("domain: no upcaster for %s from schema %d to %d", name, v, v+1)
		}
		if data, err = up(data); err != nil {
			return nil, storedPayloadError("upcast "+name+" from schema "+fmt.Sprint(v), err)
		}
		if got, err := schemaOf(name, data); err != nil || got != v+1 {
			return nil, fmt.Errorf("domain: the upcaster of %s from schema %d gave schema %d, not %d", name, v, got, v+1)
		}
	}
	return data, nil
}

// schemaPrefix is how every payload EncodePayload writes begins.
var schemaPrefix = []byte(`{"schema":`)

// schemaOf returns the payload's schema version (0 when it has none). A
// payload that begins with the field, as EncodePayload writes them, is not
// decoded further.
func schemaOf(name string, data []byte) (int, error) {
	if rest, ok := bytes.CutPrefix(data, schemaPrefix); ok {
		n, i := 0, 0
		for ; i < len(rest) && i < 6 && rest[i] >= '0' && rest[i] <= '9'; i++ {
			n = n*10 + int(rest[i]-'0')
		}
		if i > 0 && i < len(rest) && (rest[i] == ',' || rest[i] == '}') {
			return n, nil
		}
	}
	var s struct {
		Schema int `json:"schema"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return 0, storedPayloadError("decode "+name, err)
	}
	return s.Schema, nil
}

// storedPayloadError is the error of a stored payload that does not decode.
// A value's own decoder (an amount, a date) names the value in its message,
// which may be personal data, and its code would blame the caller; such an
// error becomes an internal one that leaves both out. Errors of the JSON
// itself, which name fields and types only, are wrapped.
func storedPayloadError(what string, err error) error {
	var e *Error
	if errors.As(err, &e) {
		return fmt.Errorf("domain: %s: a stored value does not read as its type", what)
	}
	return fmt.Errorf("domain: %s: %w", what, err)
}
