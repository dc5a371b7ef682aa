package domain

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// noteTaken is a payload of a registry built for these tests: schema 1 had
// "text", schema 2 renamed it "note", schema 3 added "lang".
type noteTaken struct {
	Schema
	Note string `json:"note"`
	Lang string `json:"lang"`
}

func (*noteTaken) EventType() string { return "carecost.test.note_taken" }

// noteRegistry returns a registry with noteTaken at schema 3 and the given
// upcasters.
func noteRegistry(ups map[int]upcaster) registry {
	r := registry{}
	r.register(3, func() Payload { return &noteTaken{} })
	for from, up := range ups {
		r.registerUpcaster("carecost.test.note_taken", from, up)
	}
	return r
}

func noteUpcasters() map[int]upcaster {
	return map[int]upcaster{
		1: func(b json.RawMessage) (json.RawMessage, error) {
			var v struct{ Text string }
			if err := json.Unmarshal(b, &v); err != nil {
				return nil, err
			}
			return json.Marshal(map[string]any{"schema": 2, "note": v.Text})
		},
		2: func(b json.RawMessage) (json.RawMessage, error) {
			var v map[string]any
			if err := json.Unmarshal(b, &v); err != nil {
				return nil, err
			}
			v["schema"], v["lang"] = 3, "fi"
			return json.Marshal(v)
		},
	}
}

func TestUpcastChain(t *testing.T) {
	r := noteRegistry(noteUpcasters())
	got, err := r.upcast("carecost.test.note_taken", []byte(`{"schema":1,"text":"hei"}`))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"lang":"fi","note":"hei","schema":3}`; string(got) != want {
		t.Errorf("upcast = %s, want %s", got, want)
	}
	again, err := r.upcast("carecost.test.note_taken", got)
	if err != nil || string(again) != string(got) {
		t.Errorf("upcasting the current schema changed it: %s, %v", again, err)
	}
}

// A payload at the current schema comes back as it is: the same bytes,
// whatever field order, read without decoding when the schema comes first.
func TestUpcastCurrentIsNoop(t *testing.T) {
	r := noteRegistry(nil)
	for _, in := range []string{`{"schema":3,"note":"x"}`, `{"note":"x","schema":3}`, ` {"schema": 3}`} {
		got, err := r.upcast("carecost.test.note_taken", []byte(in))
		if err != nil || string(got) != in {
			t.Errorf("upcast(%s) = %s, %v", in, got, err)
		}
	}
}

func TestUpcastMissingUpcaster(t *testing.T) {
	ups := noteUpcasters()
	delete(ups, 2)
	_, err := noteRegistry(ups).upcast("carecost.test.note_taken", []byte(`{"schema":1,"text":"hei"}`))
	if err == nil || !strings.Contains(err.Error(), "no upcaster for carecost.test.note_taken from schema 2 to 3") {
		t.Errorf("err = %v", err)
	}
}

func TestUpcastRefusesNewerAndMissingSchema(t *testing.T) {
	r := noteRegistry(noteUpcasters())
	for in, want := range map[string]string{
		`{"schema":4,"note":"x"}`: "domain: carecost.test.note_taken payload has schema 4, newer than this build knows (3)",
		`{"note":"x"}`:            "domain: carecost.test.note_taken payload has no schema version (this build reads 1 to 3)",
		`{"schema":0}`:            "domain: carecost.test.note_taken payload has no schema version (this build reads 1 to 3)",
	} {
		_, err := r.upcast("carecost.test.note_taken", []byte(in))
		var se *SchemaError
		if !errors.As(err, &se) || err.Error() != want {
			t.Errorf("upcast(%s): err = %v, want %q", in, err, want)
		}
	}
}

// An upcaster that does not say the schema it produced is refused, so a
// payload is never upcast twice.
func TestUpcastChecksTheUpcastersSchema(t *testing.T) {
	ups := noteUpcasters()
	ups[1] = func(json.RawMessage) (json.RawMessage, error) { return json.RawMessage(`{"schema":1}`), nil }
	_, err := noteRegistry(ups).upcast("carecost.test.note_taken", []byte(`{"schema":1,"text":"hei"}`))
	if err == nil || !strings.Contains(err.Error(), "gave schema 1, not 2") {
		t.Errorf("err = %v", err)
	}
}

func TestUpcastUnknownTypeAndBadJSON(t *testing.T) {
	r := noteRegistry(nil)
	if _, err := r.upcast("carecost.test.nope", []byte(`{"schema":1}`)); err == nil {
		t.Error("an unknown type was upcast")
	}
	if _, err := r.upcast("carecost.test.note_taken", []byte(`{"schema":`)); err == nil {
		t.Error("broken JSON was upcast")
	}
}

func TestRegisterUpcasterOutsideTheSchemas(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("an upcaster from the current schema was registered")
		}
	}()
	noteRegistry(map[int]upcaster{3: nil})
}
