package domain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// CheckSchema returns an error when a stored payload of the named type has a
// schema version newer than this build reads (an event written by a newer
// carecost): reading it as an older shape could misread it. Unknown types
// and payloads without a schema pass; the reader decides about them.
func CheckSchema(eventType string, data []byte) error {
	k, ok := kinds[eventType]
	if !ok {
		return nil
	}
	if v := payloadSchema(data); v > k.schema {
		return fmt.Errorf("domain: %s has schema %d, newer than this build reads (%d)", eventType, v, k.schema)
	}
	return nil
}

// payloadSchema reads the schema version of a payload: at once when the
// payload starts with it (as EncodePayload writes it), else by decoding.
func payloadSchema(data []byte) int {
	const head = `{"schema":`
	if rest, ok := bytes.CutPrefix(data, []byte(head)); ok {
		end := bytes.IndexAny(rest, ",}")
		if n, err := strconv.Atoi(string(rest[:max(end, 0)])); err == nil {
			return n
		}
	}
	var s Schema
	if json.Unmarshal(data, &s) != nil {
		return 0
	}
	return s.Schema
}
