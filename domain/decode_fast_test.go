package domain

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"carecost/domain/jsonscan/jsonscantest"
)

// fastTargets are the types with a fast path, each with an empty value
// for encoding/json to decode into.
var fastTargets = []struct {
	name string
	fast func([]byte) (any, bool)
	ref  func() any
}{
	{EvEstimateOpened, func(b []byte) (any, bool) { return fastDecoders[EvEstimateOpened](b) }, func() any { return &EstimateOpened{} }},
	{EvEstimateLineAdded, func(b []byte) (any, bool) { return fastDecoders[EvEstimateLineAdded](b) }, func() any { return &EstimateLineAdded{} }},
	{EvEstimateLineChanged, func(b []byte) (any, bool) { return fastDecoders[EvEstimateLineChanged](b) }, func() any { return &EstimateLineChanged{} }},
	{"metadata", func(b []byte) (any, bool) {
		var m Meta
		return &m, readWhole(b, m.readFast)
	}, func() any { return &Meta{} }},
}

// agree checks that where the fast path reads b, encoding/json reads the
// same value from it without error.
func agree(t testing.TB, b []byte) {
	t.Helper()
	for _, tg := range fastTargets {
		got, ok := tg.fast(b)
		if !ok {
			continue
		}
		want := tg.ref()
		if err := json.Unmarshal(b, want); err != nil {
			t.Fatalf("%s: the fast path read %s, encoding/json refused it: %v", tg.name, b, err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%s: %s\nfast path:     %#v\nencoding/json: %#v", tg.name, b, got, want)
		}
	}
	// DecodeMeta is encoding/json's answer, error or value.
	m, err := DecodeMeta(b)
	var want Meta
	werr := json.Unmarshal(b, &want)
	if len(b) == 0 {
		werr = nil
	}
	if (err == nil) != (werr == nil) || (err == nil && !reflect.DeepEqual(m, want)) {
		t.Fatalf("DecodeMeta(%s) = %#v, %v; encoding/json %#v, %v", b, m, err, want, werr)
	}
}

func randomMoney(r *rand.Rand) *Money {
	if r.IntN(4) == 0 {
		return nil
	}
	m := Money(r.Int64N(2_000_000))
	return &m
}

func randomDeductions(r *rand.Rand) []Deduction {
	var ds []Deduction
	for range r.IntN(3) {
		ds = append(ds, Deduction{Kind: DeductionKinds[r.IntN(len(DeductionKinds))], Amount: Money(r.Int64N(100000))})
	}
	return ds
}

func randomLine(r *rand.Rand) Line {
	return Line{ID: fmt.Sprintf("l%d", r.IntN(100)), Service: "kotihoito", Mode: Mode([]string{"own", "voucher", "purchased"}[r.IntN(3)]),
		Quantity: Quantity(r.Int64N(100_000)), Frequency: Frequencies[r.IntN(len(Frequencies))], ProviderPrice: randomMoney(r)}
}

// fastSample is a payload or metadata, and the target that wrote it ("":
// hand-written).
type fastSample struct {
	target string
	b      []byte
}

// fastSamples are payloads and metadata as carecost writes them, of varied
// content, and hand-written ones at the edges of the subset.
func fastSamples(t testing.TB) []fastSample {
	r := rand.New(rand.NewPCG(1, 2))
	var out []fastSample
	add := func(v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		target := "metadata"
		if p, ok := v.(Payload); ok {
			target = p.EventType()
		}
		out = append(out, fastSample{target, b})
	}
	for i := range 60 {
		h := Household{Size: 1 + r.IntN(4), GrossIncome: randomMoney(r), NetIncome: randomMoney(r), Deductions: randomDeductions(r)}
		if r.IntN(2) == 0 {
			h.Spouse = &Spouse{NetIncome: randomMoney(r), Deductions: randomDeductions(r), InLongTermCare: r.IntN(2) == 0}
		}
		o := &EstimateOpened{Schema: Schema{1}, EstimateID: fmt.Sprintf("e-%d", i), Maple: r.IntN(6), Segment: Segments[r.IntN(len(Segments))],
			Personal: Personal{ClientRef: []string{"BENCH", "Äänekoski 12", "x"}[r.IntN(3)], Household: h},
			Basis:    Basis{TariffID: "phhva", IncomeCatalogueID: []string{"", "statutory"}[r.IntN(2)], PricingDate: NewDate(2026, 3, 1).AddDays(r.IntN(400))}}
		for range r.IntN(3) {
			o.Lines = append(o.Lines, randomLine(r))
		}
		if r.IntN(3) == 0 {
			o.RevisionOf, o.Team = "e-1", "Lahti"
		}
		add(o)
		add(&EstimateLineAdded{Schema: Schema{1}, Line: randomLine(r)})
		add(&EstimateLineChanged{Schema: Schema{1}, Line: randomLine(r)})
		m := Meta{CommandID: fmt.Sprint("c", i), ActorID: "u1", ActorName: "Päivi Virtanen", ActorRole: "case_manager", ActorTeam: "Lahti", ActorVia: "session:password"}
		if r.IntN(2) == 0 {
			m.ActorRoles = []string{"case_manager", "controller"}[:r.IntN(3)]
			m.CorrelationID, m.CausationID, m.Request = "k", "c", "sha256:ab"
		}
		add(m)
	}
	for _, s := range []string{
		`{}`, ` { } `, `null`, `[]`, `""`, `{"command_id":"a"} x`, `{"command_id":"a"`, `{"command_id":"a",}`,
		`{"command_id":"a","command_id":"b"}`, `{"Command_ID":"a"}`, `{"command_id":null}`, `{"command_id":1}`,
		`{"command_id":"a\"b"}`, `{"command_id":"\u00e4"}`, "{\"command_id\":\"\xff\"}", "{\"command_id\":\"a\tb\"}",
		`{"actor_roles":[]}`, `{"actor_roles":["a",]}`, `{"actor_roles":null}`, `{"actor_roles":["a","b"]}`, `{"unknown":1}`,
		`{"schema":1,"line":{"id":"a","quantity":2.5,"frequency":"week"}}`, `{"schema":1,"line":{"quantity":"2.5"}}`,
		`{"schema":1,"line":{"quantity":1e2}}`, `{"schema":1,"line":{"quantity":01}}`, `{"schema":1,"line":{"quantity":-0}}`,
		`{"schema":1,"line":{"quantity":2.}}`, `{"schema":1,"line":{"quantity":2.1234}}`, `{"schema":1,"line":{"quantity":null}}`,
		`{"schema":1,"line":{"provider_price":"12.5"}}`, `{"schema":1,"line":{"provider_price":"12.555"}}`, `{"schema":1,"line":{"provider_price":12}}`,
		`{"schema":1.0,"line":{}}`, `{"schema":01,"line":{}}`, `{"schema":-0,"line":{}}`, `{"schema":1e0,"line":{}}`, `{"schema":9999999999999999,"line":{}}`,
		`{"schema":1,"estimate_id":"a","maple":3,"lines":[]}`, `{"schema":1,"maple":true}`, `{"schema":1,"basis":{"pricing_date":"2026-02-30"}}`,
		`{"schema":1,"basis":{"pricing_date":null}}`, `{"schema":1,"personal":{"household":{"size":2,"spouse":{"in_long_term_care":tru}}}}`,
		`{"schema":1,"personal":{"household":{"spouse":{"in_long_term_care":false}}}}`, `{"schema":1,"personal":{"household":{"deductions":[{"kind":"other","amount":"1.00"},{}]}}}`,
		`{"schema":1,"personal":{"household":{"gross_income":"-5.00"}}}`,
		`{"schema":1,"personal":{"household":{"spouse":{"net_income":"1.00"},"spouse":{"in_long_term_care":true}}}}`, "\n{\"schema\":1,\r\n\t\"maple\" : 2 }\n",
	} {
		out = append(out, fastSample{"", []byte(s)})
	}
	return out
}

// TestFastDecodeAgreesWithJSON: wherever the fast path reads a payload or
// metadata, encoding/json reads the same value, over payloads as written,
// edge cases, and many single-byte changes of each.
func TestFastDecodeAgreesWithJSON(t *testing.T) {
	samples := fastSamples(t)
	r := rand.New(rand.NewPCG(3, 4))
	for _, s := range samples {
		b := s.b
		agree(t, b)
		for m := range jsonscantest.Mutations(r, b, 200) {
			agree(t, m)
		}
	}
}

// TestFastDecodeReadsWhatCarecostWrites: the payloads and metadata carecost
// writes take the fast path (else it would be dead code, and a replay as
// slow as before).
func TestFastDecodeReadsWhatCarecostWrites(t *testing.T) {
	for _, s := range fastSamples(t) {
		for _, tg := range fastTargets {
			if _, ok := tg.fast(s.b); tg.name == s.target && !ok {
				t.Errorf("%s: the fast path did not read %s", tg.name, s.b)
			}
		}
	}
	p, err := DecodePayload(EvEstimateOpened, []byte(`{"schema":1,"estimate_id":"e","maple":2,"personal":{"client_ref":"x","household":{"size":1}}}`))
	if err != nil || p.(*EstimateOpened).Personal.Household.Size != 1 {
		t.Fatalf("DecodePayload: %#v, %v", p, err)
	}
}

func FuzzFastDecode(f *testing.F) {
	for _, s := range fastSamples(f) {
		f.Add(s.b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { agree(t, b) })
}

// fillAll sets every field of v, at every depth, to a value other than its
// zero (a slice gets one element, a pointer a value).
func fillAll(t *testing.T, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("x")
	case reflect.Int, reflect.Int64:
		v.SetInt(3)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(t, v.Elem())
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fillAll(t, v.Index(0))
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[Date]() {
			v.Set(reflect.ValueOf(NewDate(2026, 5, 31)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(t, v.Field(i))
			}
		}
	default:
		t.Fatalf("fillAll: a field of kind %s: teach fillAll and the fast path about it", v.Kind())
	}
}

// TestFastDecodeKnowsEveryField: a payload or metadata with every field
// set takes the fast path and reads back as it was written. A field added
// to one of these types without the fast path learning it fails here (its
// events would all take encoding/json's slower path).
func TestFastDecodeKnowsEveryField(t *testing.T) {
	for _, v := range []any{&EstimateOpened{}, &EstimateLineAdded{}, &EstimateLineChanged{}, &Meta{}} {
		fillAll(t, reflect.ValueOf(v).Elem())
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var got any
		var ok bool
		if p, isPayload := v.(Payload); isPayload {
			got, ok = fastDecoders[p.EventType()](b)
		} else {
			var m Meta
			got, ok = &m, readWhole(b, m.readFast)
		}
		if !ok {
			t.Errorf("%T: the fast path does not read %s", v, b)
		} else if !reflect.DeepEqual(got, v) {
			t.Errorf("%T: read %#v, written %#v", v, got, v)
		}
	}
}
