package jsonscan_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"carecost/domain/jsonscan"
)

func TestEachField(t *testing.T) {
	var got []string
	err := jsonscan.EachField([]byte(`{"a":1,"b":{"c":[1,"}",{"d":null}]},"e\"f":"x\"y", "g" : true}`), func(k string, v []byte) bool {
		got = append(got, k+"="+string(v))
		return true
	})
	want := []string{`a=1`, `b={"c":[1,"}",{"d":null}]}`, `e"f="x\"y"`, `g=true`}
	if err != nil || len(got) != len(want) {
		t.Fatalf("got %q, %v", got, err)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %s, want %s", i, got[i], want[i])
		}
	}
}

func TestEachFieldStops(t *testing.T) {
	n := 0
	err := jsonscan.EachField([]byte(`{"a":1,"b":2,"c":3}`), func(string, []byte) bool { n++; return n < 2 })
	if err != nil || n != 2 {
		t.Errorf("called %d times: %v", n, err)
	}
}

func TestEachFieldMalformed(t *testing.T) {
	for _, in := range []string{``, `[]`, `{"a":1`, `{"a"1}`, `{"a":"x}`, `{"a":{"b":1}`} {
		if err := jsonscan.EachField([]byte(in), func(string, []byte) bool { return true }); !errors.Is(err, jsonscan.ErrMalformed) {
			t.Errorf("%s: err = %v", in, err)
		}
	}
}

// Strings whose quotes are escaped, with backslashes before them in even and
// odd numbers, end where JSON says.
func TestEachFieldEscapes(t *testing.T) {
	in := `{"a":"x\\","b":"y\\\"z","c\\":"\\\\\"","d":1}`
	var got []string
	if err := jsonscan.EachField([]byte(in), func(k string, v []byte) bool { got = append(got, k+"="+string(v)); return true }); err != nil {
		t.Fatal(err)
	}
	want := []string{`a="x\\"`, `b="y\\\"z"`, `c\=` + `"\\\\\""`, `d=1`}
	if len(got) != len(want) {
		t.Fatalf("got %q", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %s, want %s", i, got[i], want[i])
		}
	}
}

// EachFieldRest hands out the rest of the document from each value, and
// passes over a value only when asked to go on: a malformed tail after the
// field a reader stops at is never looked at.
func TestEachFieldRest(t *testing.T) {
	var keys, rests []string
	err := jsonscan.EachFieldRest([]byte(`{"a":1,"b":{"c":2},"d":[}`), func(k string, rest []byte) bool {
		keys, rests = append(keys, k), append(rests, string(rest))
		return k != "b"
	})
	if err != nil || len(keys) != 2 || rests[0] != `1,"b":{"c":2},"d":[}` || rests[1] != `{"c":2},"d":[}` {
		t.Errorf("keys %q, rests %q, %v", keys, rests, err)
	}
	if err := jsonscan.EachFieldRest([]byte(`{"a":{"b":1}`), func(string, []byte) bool { return true }); !errors.Is(err, jsonscan.ErrMalformed) {
		t.Errorf("a malformed object walked whole: %v", err)
	}
}

func TestValue(t *testing.T) {
	for in, want := range map[string]string{`"a\"b",1`: `"a\"b"`, `{"x":[1,2]}}`: `{"x":[1,2]}`, `12}`: `12`, `null`: `null`} {
		if got, err := jsonscan.Value([]byte(in)); err != nil || string(got) != want {
			t.Errorf("Value(%s) = %s, %v; want %s", in, got, err, want)
		}
	}
	if _, err := jsonscan.Value([]byte(`{"a":`)); !errors.Is(err, jsonscan.ErrMalformed) {
		t.Errorf("a cut value: %v", err)
	}
}

func TestEachElement(t *testing.T) {
	var got []string
	if err := jsonscan.EachElement([]byte(` [1, "a]", {"b":[2]} ,null]`), func(v []byte) bool { got = append(got, string(v)); return true }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0] != "1" || got[1] != `"a]"` || got[2] != `{"b":[2]}` || got[3] != "null" {
		t.Errorf("got %q", got)
	}
	if err := jsonscan.EachElement([]byte(`[]`), func([]byte) bool { t.Error("an element in []"); return true }); err != nil {
		t.Error(err)
	}
	for _, bad := range []string{`{}`, `[1,`, `[1`, ``} {
		if err := jsonscan.EachElement([]byte(bad), func([]byte) bool { return true }); !errors.Is(err, jsonscan.ErrMalformed) {
			t.Errorf("%s: %v", bad, err)
		}
	}
}

// TestReaderSkip: Skip passes over any valid JSON value and goes bad at an
// invalid one (a value skipped ends where JSON says it does).
func TestReaderSkip(t *testing.T) {
	for _, s := range []string{`"a\"b\\\u00e4\n"`, `{"a":[1,-2.5e3,true,false,null,{"b":"}"}]}`, `[]`, `{}`, `0`, `"ä"`} {
		r := jsonscan.NewReader([]byte(s))
		if r.Skip(); !r.End() {
			t.Errorf("%s: not skipped whole", s)
		}
		if !json.Valid([]byte(s)) {
			t.Fatalf("%s is not JSON", s)
		}
	}
	for _, s := range []string{`"a\x"`, `"a`, `{"a"}`, `{"a":1,}`, `[1,]`, `tru`, `01`, `1.`, `-`, `{"a":1`, `"\u12"`, "\"a\tb\"", strings.Repeat("[", 100) + strings.Repeat("]", 100)} {
		r := jsonscan.NewReader([]byte(s))
		if r.Skip(); r.End() {
			t.Errorf("%s: skipped", s)
		}
	}
}

// TestReaderStop: Stop ends every Object and Array being read at once.
func TestReaderStop(t *testing.T) {
	r := jsonscan.NewReader([]byte(`{"a":{"b":[1,2],"c":"x","d":`))
	var seen []string
	r.Object(func(k string) {
		seen = append(seen, k)
		r.Object(func(k string) {
			seen = append(seen, k)
			switch k {
			case "b":
				r.Skip()
			case "c":
				if r.String() != "x" {
					r.Fail()
				}
			case "d":
				r.Stop()
			}
		})
	})
	if !r.Stopped() || strings.Join(seen, ",") != "a,b,c,d" {
		t.Fatalf("stopped %v, seen %v", r.Stopped(), seen)
	}
	if r.AtValue() {
		t.Fatal("a value after the end")
	}
}

// TestValueEndsAtAnySpace: a number or literal ends at any of JSON's
// spaces, a tab or carriage return too.
func TestValueEndsAtAnySpace(t *testing.T) {
	for _, s := range []string{"{\"a\":true\t,\"b\":2\r\n}", "{\"a\":true\r,\"b\":2\t}"} {
		var got []string
		err := jsonscan.EachField([]byte(s), func(k string, v []byte) bool {
			got = append(got, k+"="+string(v))
			return true
		})
		if err != nil || strings.Join(got, " ") != "a=true b=2" {
			t.Errorf("%q: %v, %v", s, got, err)
		}
	}
}

// TestReaderManyKeys: an object of many keys is refused at once, not read
// key by key against every key before it.
func TestReaderManyKeys(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 40000 {
		fmt.Fprintf(&b, "\"k%d\":0,", i)
	}
	b.WriteString("\"z\":0}")
	r := jsonscan.NewReader([]byte(b.String()))
	n := 0
	r.Object(func(string) { n++; r.Skip() })
	if !r.Bad() || n > 32 {
		t.Fatalf("read %d keys, bad %v", n, r.Bad())
	}
}
