package domain

import (
	"encoding/json"
	"fmt"
	"sort"
	"time"
)

// Payload is the body of a domain event. Each payload type has an explicit,
// stable name (a constant such as "carecost.tariff.version_published") and
// carries its schema version; renaming a Go type never breaks replay.
type Payload interface {
	EventType() string
}

// Schema is embedded in every payload: the version of the payload's JSON
// shape. Old shapes are upcast on read, never rewritten.
type Schema struct {
	Schema int `json:"schema"`
}

func (s *Schema) setSchema(v int) { s.Schema = v }

type schemaSetter interface{ setSchema(int) }

// Meta is the metadata of every event: who did it and why.
type Meta struct {
	CommandID     string `json:"command_id,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
	CausationID   string `json:"causation_id,omitempty"`
	ActorID       string `json:"actor_id,omitempty"`
	// ActorName is the actor's display name at the time.
	ActorName string `json:"actor_name,omitempty"`
	// ActorRole is the role the command ran under; ActorRoles every role
	// the actor held at the time, and ActorTeam their team.
	ActorRole  string   `json:"actor_role,omitempty"`
	ActorRoles []string `json:"actor_roles,omitempty"`
	ActorTeam  string   `json:"actor_team,omitempty"`
	// ActorVia names the credentials the command came through: the API
	// token ("token:<id>") or the console session ("session:password",
	// "session:oidc").
	ActorVia string `json:"actor_via,omitempty"`
	// Request is a fingerprint of the request that ran the command, kept
	// when the caller gave a command id, to tell a retry from a reuse.
	Request string `json:"request,omitempty"`
}

// Event is a decoded domain event with where and when it was recorded (zero
// for an event not yet appended).
type Event struct {
	ID         string
	Stream     string
	Version    uint64
	Position   Position
	RecordedAt time.Time
	Meta       Meta
	Payload    Payload
}

// EventTypes returns the names of all registered event types, sorted.
func EventTypes() []string {
	names := make([]string, 0, len(kinds))
	for n := range kinds {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// NewPayload returns an empty payload of the named type.
func NewPayload(name string) (Payload, bool) {
	k, ok := kinds[name]
	if !ok {
		return nil, false
	}
	return k.new(), true
}

// EncodePayload returns the JSON of p with its current schema version set.
func EncodePayload(p Payload) ([]byte, error) {
	k, ok := kinds[p.EventType()]
	if !ok {
		return nil, fmt.Errorf("domain: unregistered event type %q", p.EventType())
	}
	if s, ok := p.(schemaSetter); ok {
		s.setSchema(k.schema)
	}
	return json.Marshal(p)
}

// DecodePayload decodes the JSON of an event of the named type, upcasting old
// schema versions first (UpcastPayload).
func DecodePayload(name string, data []byte) (Payload, error) {
	data, err := UpcastPayload(name, data)
	if err != nil {
		return nil, err
	}
	if fast, ok := fastDecoders[name]; ok {
		if p, ok := fast(data); ok {
			return p, nil
		}
	}
	p := kinds[name].new()
	if err := json.Unmarshal(data, p); err != nil {
		return nil, storedPayloadError("decode "+name, err)
	}
	return p, nil
}

// DecodeEvent turns a recorded event into a domain Event.
func DecodeEvent(r RecordedEvent) (Event, error) {
	p, err := DecodePayload(r.Type, r.Data)
	if err != nil {
		return Event{}, err
	}
	e := Event{ID: r.ID, Stream: r.Stream, Version: r.Version, Position: r.Position, RecordedAt: r.RecordedAt, Payload: p}
	if e.Meta, err = DecodeMeta(r.Metadata); err != nil {
		return Event{}, fmt.Errorf("domain: decode metadata of %s: %w", r.ID, err)
	}
	if e.Meta.CorrelationID == "" {
		e.Meta.CorrelationID = e.Meta.CommandID
	}
	if e.Meta.CausationID == "" {
		e.Meta.CausationID = e.Meta.CommandID
	}
	return e, nil
}

// EncodeEvents turns payloads into events to append. Event ids derive from the
// command id, the stream and the index, so a retried command is idempotent.
func EncodeEvents(stream string, meta Meta, payloads []Payload) ([]EventData, error) {
	md, err := json.Marshal(meta)
	if err != nil {
		return nil, err
	}
	out := make([]EventData, len(payloads))
	for i, p := range payloads {
		data, err := EncodePayload(p)
		if err != nil {
			return nil, err
		}
		out[i] = EventData{ID: EventID(meta.CommandID, stream, i), Type: p.EventType(), Data: data, Metadata: md}
	}
	return out, nil
}
