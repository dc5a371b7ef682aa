package projections

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"carecost/domain"
	"carecost/domain/jsonscan/jsonscantest"
)

// pricingSamples are priced and decided payloads as carecost writes them,
// of varied content.
func pricingSamples(t testing.TB) [][]byte {
	r := rand.New(rand.NewPCG(5, 6))
	totals := func() domain.Totals {
		return domain.Totals{CountyGross: domain.Money(r.Int64N(1e7)), ClientFee: domain.Money(r.Int64N(1e6) - 1000),
			VoucherCopay: domain.Money(r.Int64N(1e5)), CountyNet: domain.Money(r.Int64N(1e7))}
	}
	var out [][]byte
	for i := range 40 {
		q := domain.Quote{PricingDate: domain.NewDate(2026, 1, 1).AddDays(r.IntN(700)),
			Tariff:        domain.TariffRef{ID: "phhva", Name: "Ikääntyneiden palvelujen hinnasto", Version: 1 + r.IntN(20), ValidFrom: domain.NewDate(2026, 1, 1), Corrects: r.IntN(2)},
			WeeksPerMonth: domain.Ratio{Num: 52, Den: 12}, DaysPerMonth: domain.Ratio{Num: 365, Den: 12},
			Monthly: totals(), OneOff: totals(), Yearly: totals()}
		if r.IntN(3) > 0 {
			q.IncomeCatalogue = &domain.IncomeRef{ID: "statutory", Name: "Lakisääteiset tulorajat", Version: r.IntN(9), ValidFrom: domain.NewDate(2025, 6, 1)}
		}
		if r.IntN(2) == 0 {
			q.Hints = []domain.Hint{{Code: "ceiling", Message: "a \"hint\", with escapes \\"}}
		}
		for range r.IntN(3) {
			q.Lines = append(q.Lines, domain.LineResult{LineID: "l1", Service: "kotihoito", Mode: domain.ModeOwn})
		}
		pos := domain.SeqPosition(uint64(r.IntN(100000)))
		var p domain.Payload = &domain.EstimatePriced{CataloguePosition: pos, Quote: q}
		if i%2 == 1 {
			d := &domain.EstimateDecided{Decision: domain.Decision{Number: fmt.Sprint("D-2026-", i), Date: domain.NewDate(2026, 2, 1).AddDays(i),
				EffectiveFrom: domain.NewDate(2026, 3, 1)}, CataloguePosition: pos, Quote: q}
			if r.IntN(2) == 0 {
				presented := r.IntN(2) == 0
				d.Presented = &presented
				if !presented {
					d.NotPresentedReason = "asiakas ei tavoitettavissa"
				}
			}
			if r.IntN(3) == 0 {
				d.RevisionOf = "e-1"
			}
			p = d
		}
		b, err := domain.EncodePayload(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// agreeHead checks that where readHeadFast reads a payload, the field by
// field reading reads the same head from it without an error.
func agreeHead(t testing.TB, b []byte) bool {
	t.Helper()
	h, ok := readHeadFast(b)
	if !ok {
		return false
	}
	want, err := scanPricingFields(b, false, nil)
	if err != nil {
		t.Fatalf("%s: read in one pass, refused field by field: %v", b, err)
	}
	if !reflect.DeepEqual(h, want) {
		t.Fatalf("%s\none pass:       %+v\nfield by field: %+v", b, h, want)
	}
	return true
}

// TestPricingHeadFastAgrees: the one-pass reading of a pricing's head reads
// every payload carecost writes, and what the field-by-field reading reads
// from it, also from many single-byte changes of them and hand-written
// edge cases.
func TestPricingHeadFastAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, b := range pricingSamples(t) {
		if !agreeHead(t, b) {
			t.Fatalf("not read in one pass: %s", b)
		}
		for m := range jsonscantest.Mutations(r, b, 300) {
			agreeHead(t, m)
		}
	}
	for _, s := range []string{
		`{"schema":3,"quote":{"monthly":{"client_fee":"1.00"}}}`, `{"schema":3,"quote":{"lines":[]}}`, `{"schema":3}`,
		`{"decision_number":"a","decision_number":"b","quote":{}}`, `{"presented":null,"quote":{}}`, `{"presented":true,"quote":{}}`,
		`{"version_warning":{"x":1},"quote":{}}`, `{"quote":{"tariff":null}}`, `{"quote":{"tariff":{"id":"t","version":"2"}}}`,
		`{"quote":{"tariff":{"id":"t","version":2.0}}}`, `{"quote":{"tariff":{"id":"t","version":02}}}`, `{"quote":{"tariff":{"id":"t\u00e4","version":2}}}`,
		`{"catalogue_position":"12/10","quote":{}}`, `{"catalogue_position":"x","quote":{}}`, `{"quote":{"pricing_date":null}}`,
		`{"quote":{"monthly":{"client_fee":1}}}`, "{\"presented\":true\t,\"quote\":{}}", "{\"quote\":{\"tariff\":{\"id\":\"t\",\"version\":2\r\n}}}", `{"quote":{"lines":[}`, `{"quote":{"extra":{"a":[1,2,{"b":"}"}]},"yearly":{"county_net":"-0.01"}}}`,
	} {
		agreeHead(t, []byte(s))
	}
}

func FuzzPricingHeadFast(f *testing.F) {
	for _, b := range pricingSamples(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { agreeHead(t, b) })
}
