package jsonscan_test

import (
	"errors"
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
