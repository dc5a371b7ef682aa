package admin

import (
	"embed"
	"encoding/json"
	"maps"
	"path"
	"slices"
	"strings"
)

// exampleFiles hold an example of the schemas a client meets first: every
// request body and every answer, one file each, named after the schema
// (examples/Quote.json). They are real: the request examples are accepted
// by their routes, the answers are what carecost answered to them, and
// a test keeps them so.
//
//go:embed examples/*.json
var exampleFiles embed.FS

// addExamples gives the schemas their examples: each example file to the
// schema it names, and to every schema without a file of its own the first
// value found for it inside those examples (in the order of the file
// names, then of the keys), so a line of a quote is the example of a
// priced line.
func (s *schemas) addExamples() {
	files, _ := exampleFiles.ReadDir("examples")
	found := map[string]json.RawMessage{}
	for _, f := range files {
		data, err := exampleFiles.ReadFile("examples/" + f.Name())
		if err != nil || !json.Valid(data) {
			panic("admin: example " + f.Name() + " is not JSON")
		}
		found[strings.TrimSuffix(f.Name(), path.Ext(f.Name()))] = data
	}
	for name, ex := range found {
		if def, ok := s.defs[name].(object); ok {
			def["example"] = ex
		}
	}
	for _, name := range slices.Sorted(maps.Keys(found)) {
		s.harvest(object{"$ref": schemaRef + name}, found[name])
	}
}

// harvest walks value beside its schema and gives each named schema it
// meets without an example the part of value it describes.
func (s *schemas) harvest(schema object, value json.RawMessage) {
	if name := refName(schema); name != "" {
		def, ok := s.defs[name].(object)
		if !ok {
			return
		}
		if _, has := def["example"]; !has && string(value) != "null" {
			def["example"] = value
		}
		schema = def
	}
	var obj map[string]json.RawMessage
	var list []json.RawMessage
	switch {
	case json.Unmarshal(value, &obj) == nil && obj != nil:
		props, _ := schema["properties"].(object)
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			if p, ok := props[k].(object); ok {
				s.harvest(p, obj[k])
			}
		}
	case json.Unmarshal(value, &list) == nil:
		if items, ok := schema["items"].(object); ok {
			for _, el := range list {
				s.harvest(items, el)
			}
		}
	}
}

// refName returns the name of the schema a reference, or a nullable
// reference, points to; "" for an inline schema.
func refName(schema object) string {
	if all, ok := schema["allOf"].([]object); ok && len(all) == 1 {
		schema = all[0]
	}
	ref, _ := schema["$ref"].(string)
	return strings.TrimPrefix(ref, schemaRef)
}
