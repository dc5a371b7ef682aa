package domain_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/domain/memstore"
)

// schema1Log returns the log recorded by schema 1 of the pricing events
// (testdata/schema1): estimates with home care, 24-hour housing with a
// spouse, both kinds of hint and a decided revision.
func schema1Log(t *testing.T) []domain.RecordedEvent {
	data, err := os.ReadFile("../testdata/schema1/log.json")
	must(t, err)
	log, err := memstore.ReadLog(data)
	must(t, err)
	return log
}

// Upcasting a schema-1 pricing moves its personal figures into "personal"
// and loses nothing: decoded, it is the quote schema 1 recorded, its hints
// with their code, threshold and value added and its voucher co-payments
// apart from its client fees (copayApart); and its bytes are those schema 3
// writes for that pricing.
func TestSchema1PricingsUpcast(t *testing.T) {
	n := 0
	for _, e := range schema1Log(t) {
		if e.Type != domain.EvEstimatePriced && e.Type != domain.EvEstimateDecided {
			continue
		}
		n++
		var v1 struct {
			Schema int          `json:"schema"`
			Quote  domain.Quote `json:"quote"`
		}
		must(t, json.Unmarshal(e.Data, &v1))
		if v1.Schema != 1 {
			t.Fatalf("the fixture holds schema %d", v1.Schema)
		}
		up, err := domain.UpcastPayload(e.Type, e.Data)
		must(t, err)
		var v2 struct {
			Schema   int                        `json:"schema"`
			Quote    map[string]json.RawMessage `json:"quote"`
			Personal map[string]json.RawMessage `json:"personal"`
		}
		must(t, json.Unmarshal(up, &v2))
		if v2.Schema != 3 || (v1.Quote.HomeCare != nil) != (v2.Personal["home_care"] != nil) ||
			(v1.Quote.Housing != nil) != (v2.Personal["housing"] != nil) {
			t.Errorf("%s upcast to %s", e.Type, up)
		}
		for _, k := range []string{`"gross_income"`, `"net_income"`, `"household_size"`, `"deductions"`, `"base"`, `"income_above_limit"`, "household has"} {
			if strings.Contains(string(v2.Quote["home_care"])+string(v2.Quote["housing"])+string(v2.Quote["hints"]), k) {
				t.Errorf("%s upcast keeps %q outside \"personal\": %s", e.Type, k, up)
			}
		}
		p, err := domain.DecodePayload(e.Type, e.Data)
		must(t, err)
		if again, err := domain.EncodePayload(p); err != nil || string(again) != string(up) {
			t.Errorf("%s upcasts to other bytes than it encodes to:\n got %s\nwant %s", e.Type, up, again)
		}
		got := quoteOf(t, e)
		for i, h := range got.Hints {
			if h.Code == "" || h.Threshold == "" || h.Value == "" || h.Message != v1.Quote.Hints[i].Message {
				t.Errorf("hint %d read back as %+v from %+v", i, h, v1.Quote.Hints[i])
			}
			got.Hints[i].Code, got.Hints[i].Threshold, got.Hints[i].Value = "", "", ""
		}
		dropDerivedCosts(t, got)
		copayApart(&v1.Quote)
		if !reflect.DeepEqual(*got, v1.Quote) {
			t.Errorf("%s at %s reads differently:\n got %+v\nwant %+v", e.Type, e.Position, *got, v1.Quote)
		}
	}
	if n < 10 {
		t.Fatalf("only %d pricings in the fixture", n)
	}
}

// copayApart turns a quote as schemas 1 and 2 recorded it, a voucher line's
// co-payment as its client fee, into one that keeps the co-payment apart, as
// schema 3 records it: on a voucher line the client fee and the fee per unit
// become voucher_copay and voucher_copay_per_unit, and the totals' client
// fees give the co-payments to their voucher_copay (a year: 12 x monthly +
// one-off). The county's net cost stays: it was the gross cost already.
func copayApart(q *domain.Quote) {
	var monthly, once domain.Money
	for i := range q.Lines {
		l := &q.Lines[i]
		if l.Rule != domain.RuleVoucher {
			continue
		}
		l.VoucherCopay, l.ClientFee = l.ClientFee, 0
		l.VoucherCopayPerUnit, l.FeePerUnit = l.FeePerUnit, nil
		if l.Frequency == domain.OneOff {
			once += l.VoucherCopay
		} else {
			monthly += l.VoucherCopay
		}
	}
	for _, m := range []struct {
		t     *domain.Totals
		copay domain.Money
	}{{&q.Monthly, monthly}, {&q.OneOff, once}, {&q.Yearly, 12*monthly + once}} {
		m.t.ClientFee -= m.copay
		m.t.VoucherCopay = m.copay
	}
}

// dropDerivedCosts checks the details' CountyGross, which schema 1 did not
// record and the upcast derives (the sum of the rounded costs of the lines
// of the rule), and sets it to zero, as a schema-1 quote read directly has.
func dropDerivedCosts(t *testing.T, q *domain.Quote) {
	t.Helper()
	sum := map[domain.Rule]domain.Money{}
	for _, l := range q.Lines {
		sum[l.Rule] += l.CountyGross
	}
	if d := q.HomeCare; d != nil {
		if d.CountyGross != sum[domain.RuleHomeCareIncome] {
			t.Errorf("home care county_gross %s, the lines cost %s", d.CountyGross, sum[domain.RuleHomeCareIncome])
		}
		d.CountyGross = 0
	}
	if d := q.Housing; d != nil {
		if d.CountyGross != sum[domain.RuleHousingNet] {
			t.Errorf("housing county_gross %s, the lines cost %s", d.CountyGross, sum[domain.RuleHousingNet])
		}
		d.CountyGross = 0
	}
}

// An estimate loaded from the schema-1 log is the one schema 1 loaded: the
// fixture keeps the aggregates' quotes and households as schema 1 saw them.
func TestSchema1EstimatesLoad(t *testing.T) {
	st, err := memstore.FromLog(schema1Log(t))
	must(t, err)
	data, err := os.ReadFile("../testdata/schema1/answers.json")
	must(t, err)
	var answers []struct {
		Path string          `json:"path"`
		Body json.RawMessage `json:"body"`
	}
	must(t, json.Unmarshal(data, &answers))
	cmds, n := domain.NewCommands(st), 0
	for _, a := range answers {
		id, ok := strings.CutPrefix(a.Path, "aggregate ")
		if !ok {
			continue
		}
		n++
		var want struct {
			Personal domain.Personal `json:"personal"`
			Quote    *domain.Quote   `json:"quote"`
			Status   string          `json:"status"`
		}
		must(t, json.Unmarshal(a.Body, &want))
		e, err := cmds.Estimate(t.Context(), id)
		must(t, err)
		q := e.Quote()
		if q != nil {
			dropDerivedCosts(t, q)
		}
		for i := range q.Hints {
			q.Hints[i].Code, q.Hints[i].Threshold, q.Hints[i].Value = "", "", ""
		}
		if want.Quote != nil {
			copayApart(want.Quote)
		}
		if !reflect.DeepEqual(q, want.Quote) || !reflect.DeepEqual(e.Personal(), want.Personal) || string(e.Status()) != want.Status {
			t.Errorf("estimate %s loads differently:\n got %+v %+v\nwant %+v %+v", id, e.Personal(), q, want.Personal, want.Quote)
		}
	}
	if n != 5 {
		t.Fatalf("%d estimates in the answers", n)
	}
}

// BenchmarkUpcastSchema1 upcasts the schema-1 pricings of the fixture: what
// a replay of an old log pays per pricing it reads.
func BenchmarkUpcastSchema1(b *testing.B) {
	data, err := os.ReadFile("../testdata/schema1/log.json")
	if err != nil {
		b.Fatal(err)
	}
	log, err := memstore.ReadLog(data)
	if err != nil {
		b.Fatal(err)
	}
	log = slices.DeleteFunc(log, func(e domain.RecordedEvent) bool {
		return e.Type != domain.EvEstimatePriced && e.Type != domain.EvEstimateDecided
	})
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := log[i%len(log)]
		if _, err := domain.UpcastPayload(e.Type, e.Data); err != nil {
			b.Fatal(err)
		}
	}
}
