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
			if r.IntN(2) == 0 {
				d.VersionWarning = &domain.VersionWarning{EffectiveFrom: domain.NewDate(2026, 3, 1), TariffVersion: 4, IncomeVersion: r.IntN(3)}
				d.PresentedTotals = &domain.QuoteTotals{Monthly: totals(), OneOff: totals(), Yearly: totals()}
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

// agreeHead checks, for each way a pricing is read (its head; the whole;
// the whole and its lines' keys), that where the one pass reads b, the field
// by field reading reads the same from it without an error. It returns how
// many of the three ways the one pass read.
func agreeHead(t testing.TB, b []byte) int {
	t.Helper()
	n := 0
	for _, way := range []struct{ whole, lines bool }{{false, false}, {true, false}, {true, true}} {
		var got, want *[]lineKey
		if way.lines {
			got, want = &[]lineKey{}, &[]lineKey{}
		}
		h, ok := readPricingFast(b, way.whole, got)
		if !ok {
			if got != nil && len(*got) != 0 {
				t.Fatalf("%s: the one pass gave up but left lines %v", b, *got)
			}
			continue
		}
		n++
		wantH, err := scanPricingFields(b, way.whole, want)
		if err != nil {
			t.Fatalf("%s (whole %v, lines %v): read in one pass, refused field by field: %v", b, way.whole, way.lines, err)
		}
		if !reflect.DeepEqual(h, wantH) || !reflect.DeepEqual(got, want) {
			t.Fatalf("%s (whole %v, lines %v)\none pass:       %+v %v\nfield by field: %+v %v", b, way.whole, way.lines, h, got, wantH, want)
		}
	}
	return n
}

// TestPricingFastAgrees: the one-pass reading of a pricing reads every
// payload carecost writes, every way, and what the field-by-field reading
// reads from it, also from many single-byte changes of them and hand-written
// edge cases.
func TestPricingFastAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, b := range pricingSamples(t) {
		if agreeHead(t, b) != 3 {
			t.Fatalf("not read in one pass every way: %s", b)
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
		`{"quote":{"monthly":{"client_fee":1}}}`, "{\"presented\":true\t,\"quote\":{}}", "{\"quote\":{\"tariff\":{\"id\":\"t\",\"version\":2\r\n}}}", `{"quote":{"lines":[}`,
		`{"quote":{"lines":[],"monthly":{"client_fee":"1.00"}}}`, `{"quote":{"lines":null},"version_warning":{"tariff_version":2}}`,
		`{"quote":{"lines":[{"service":"a","mode":"b","service":"c"}]}}`, `{"quote":{"lines":[{"mode":"b","service":""}]}}`, `{"quote":{"lines":[5]}}`,
		`{"quote":{"lines":nullx}}`, `{"quote":{"lines":[]},"presented_totals":{"monthly":{"client_fee":1}}}`, `{"quote":{"lines":[]}} x`,
		`{"quote":{"extra":{"a":[1,2,{"b":"}"}]},"yearly":{"county_net":"-0.01"}}}`,
	} {
		agreeHead(t, []byte(s))
	}
}

func FuzzPricingFast(f *testing.F) {
	for _, b := range pricingSamples(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) { agreeHead(t, b) })
}
