package domain_test

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"carecost/domain"
)

// figures returns the personal figures of the guard log as decimal strings:
// the households' and every figure a pricing computed from them (the income
// limit of the household's size, the income above it, the housing bases,
// the fee by rate and the fees before the cap).
func figures(t *testing.T, log []domain.RecordedEvent) map[string]bool {
	out := map[string]bool{}
	add := func(m domain.Money) {
		if m != 0 {
			out[m.String()] = true
		}
	}
	for _, gross := range []string{"9876.54", "9765.43"} {
		h := guardHousehold(t, gross)
		add(h.Gross())
		add(h.Net())
		add(*h.Spouse.NetIncome)
		var sum, spouse domain.Money
		for _, d := range h.Deductions {
			add(d.Amount)
			sum += d.Amount
		}
		for _, d := range h.Spouse.Deductions {
			add(d.Amount)
			spouse += d.Amount
		}
		add(sum)
		add(spouse)
	}
	for _, e := range log {
		q := quoteOf(t, e)
		if q == nil {
			continue
		}
		hc, hs := q.HomeCare, q.Housing
		if hc == nil || hs == nil || hs.SpouseBase == nil || !hs.SpouseRule || hc.FeeBeforeCap == hc.Fee || hs.FeeBeforeCap == hs.Fee {
			t.Fatalf("the guard case no longer exercises both capped income-based fees and the spouse rule: %+v %+v", hc, hs)
		}
		for _, m := range []domain.Money{hc.IncomeLimit, hc.IncomeAbove, hc.FeeBeforeCap, hs.Base, *hs.SpouseBase, hs.ByRate, hs.FeeBeforeCap} {
			add(m)
		}
		for _, m := range []*domain.Money{hs.SpouseNetIncome, hs.SpouseDeductions, hs.CombinedIncome} {
			if m != nil {
				add(*m)
			}
		}
	}
	return out
}

// quoteOf returns the quote of a pricing event, nil for other events.
func quoteOf(t *testing.T, e domain.RecordedEvent) *domain.Quote {
	p, err := domain.DecodePayload(e.Type, e.Data)
	must(t, err)
	switch p := p.(type) {
	case *domain.EstimatePriced:
		return &p.Quote
	case *domain.EstimateDecided:
		return &p.Quote
	}
	return nil
}

// number finds the numbers in a text.
var number = regexp.MustCompile(`[0-9]+(\.[0-9]+)?`)

// leaves calls fn with every value of a JSON tree as text (numbers as
// written), with whether it is free text (has a space).
func leaves(node any, fn func(s string)) {
	switch n := node.(type) {
	case map[string]any:
		for _, v := range n {
			leaves(v, fn)
		}
	case []any:
		for _, v := range n {
			leaves(v, fn)
		}
	case string:
		fn(n)
		if strings.Contains(n, " ") {
			for _, m := range number.FindAllString(n, -1) {
				fn(m)
			}
		}
	case json.Number:
		fn(n.String())
	}
}

// The guard: no event of any registered type carries a personal figure (an
// income, a deduction, the household's size, a figure computed from them) or
// the client reference outside its "personal" part. Numbers are compared as
// whole values (and within texts), so "7" matches a size of 7 but not 1.75.
// The size is looked for in the events of estimate streams only: the
// catalogue's tables hold every small number.
func TestPersonalDataIsInOnePlace(t *testing.T) {
	log := guardLog(t)
	figs := figures(t, log)
	covered := map[string]bool{}
	for _, e := range log {
		covered[e.Type] = true
		var m map[string]any
		d := json.NewDecoder(strings.NewReader(string(e.Data)))
		d.UseNumber()
		must(t, d.Decode(&m))
		delete(m, "personal")
		rest, err := json.Marshal(m)
		must(t, err)
		if strings.Contains(string(rest), guardRef) {
			t.Errorf("%s (%s) has the client reference outside \"personal\": %s", e.Type, e.Stream, rest)
		}
		estimate := strings.HasPrefix(e.Stream, "estimate-")
		leaves(m, func(s string) {
			if figs[s] || (estimate && s == strconv.Itoa(7)) {
				t.Errorf("%s (%s) has the personal figure %s outside \"personal\": %s", e.Type, e.Stream, s, rest)
			}
		})
	}
	for _, name := range domain.EventTypes() {
		if !covered[name] {
			t.Errorf("event type %s is not in the guard log: record one in guardLog", name)
		}
	}
}

// A pricing splits and joins without loss: decoding and encoding again gives
// the bytes the store holds.
func TestPricingRecordRoundTrip(t *testing.T) {
	for _, e := range guardLog(t) {
		if e.Type != domain.EvEstimatePriced && e.Type != domain.EvEstimateDecided {
			continue
		}
		p, err := domain.DecodePayload(e.Type, e.Data)
		must(t, err)
		again, err := domain.EncodePayload(p)
		must(t, err)
		if string(again) != string(e.Data) {
			t.Fatalf("%s changed in a round trip:\n got %s\nwant %s", e.Type, again, e.Data)
		}
	}
}
