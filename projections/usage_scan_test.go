package projections

import (
	"reflect"
	"testing"

	"carecost/domain"
)

// The usage projection reads opened and line_added events without decoding
// them whole; what it reads is what the whole decoding says.
func TestUsageScanAgreesWithDecoding(t *testing.T) {
	line := func(svc string, mode domain.Mode) domain.Line {
		return domain.Line{ID: "l1", Service: svc, Mode: mode, Quantity: 5000, Frequency: "week"}
	}
	opened := []*domain.EstimateOpened{
		{EstimateID: "e1", Maple: 3, Segment: domain.SegContinuous, Lines: []domain.Line{line("meal-service", "own"), line("cleaning", "voucher")},
			Personal: domain.Personal{ClientRef: `a "quoted", \ ref`, Household: domain.Household{Size: 2}}},
		{EstimateID: "e2", Maple: 0, RevisionOf: "e1", Lines: []domain.Line{line(`odd "svc"`, "own")}},
		{EstimateID: "e3", Maple: 5, Segment: domain.SegMultiSector},
	}
	for _, o := range opened {
		data, err := domain.EncodePayload(o)
		if err != nil {
			t.Fatal(err)
		}
		got, err := scanOpened(data)
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		if got.maple != o.Maple || got.segment != string(o.Segment) || got.revision != o.RevisionOf || len(got.lines) != len(o.Lines) {
			t.Errorf("%s: scanned %+v", data, got)
			continue
		}
		for i, l := range o.Lines {
			if got.lines[i] != [2]string{l.Service, string(l.Mode)} {
				t.Errorf("%s: line %d scanned %v", data, i, got.lines[i])
			}
		}
		r := domain.RecordedEvent{Type: domain.EvEstimateOpened, Data: data}
		p, err := readUsage(&r, func() (domain.Payload, error) { return domain.DecodePayload(r.Type, r.Data) })
		if err != nil || p.assessed == nil || p.assessed.maple != o.Maple {
			t.Errorf("readUsage %+v %v", p, err)
		}
	}
	added, err := domain.EncodePayload(&domain.EstimateLineAdded{Line: line("safety-phone", "own")})
	if err != nil {
		t.Fatal(err)
	}
	r := domain.RecordedEvent{Type: domain.EvEstimateLineAdded, Data: added}
	p, err := readUsage(&r, nil)
	if err != nil || len(p.counts) != 1 || p.counts[0].labels != "safety-phone"+labelSep+"own" {
		t.Errorf("line added: %+v %v", p, err)
	}
	for _, bad := range []string{`{"schema":1,"line":{"service":5}}`, `{"schema":1,"line":[`, `{"schema":99}`} {
		r := domain.RecordedEvent{Type: domain.EvEstimateLineAdded, Data: []byte(bad)}
		if _, err := readUsage(&r, nil); err == nil {
			t.Errorf("%s read without an error", bad)
		}
	}
}

// A decided event read in one pass gives the head readPricing gives, and
// each line's service and mode as decoding the whole event does.
func TestPricingLinesAgreeWithDecoding(t *testing.T) {
	q := domain.Quote{Tariff: domain.TariffRef{ID: "t", Version: 2}, Monthly: domain.Totals{ClientFee: 1234, CountyGross: 5000},
		Lines: []domain.LineResult{{LineID: "l1", Service: "meal-service", Mode: "own"}, {LineID: "l2", Service: `odd "svc" \ x`, Mode: "voucher"}}}
	for _, d := range []*domain.EstimateDecided{
		{Decision: domain.Decision{Number: "D-1"}, Quote: q},
		{Decision: domain.Decision{Number: "D-2"}, Quote: domain.Quote{Tariff: q.Tariff}},
	} {
		data, err := domain.EncodePayload(d)
		if err != nil {
			t.Fatal(err)
		}
		h, lines, err := readPricingLines(domain.EvEstimateDecided, data)
		if err != nil {
			t.Fatalf("%s: %v", data, err)
		}
		want, err := readPricing(domain.EvEstimateDecided, data)
		if err != nil || !reflect.DeepEqual(h, want) {
			t.Errorf("%s: head %+v, want %+v (%v)", data, h, want, err)
		}
		if len(lines) != len(d.Quote.Lines) {
			t.Fatalf("%s: %d lines, want %d", data, len(lines), len(d.Quote.Lines))
		}
		for i, l := range d.Quote.Lines {
			if lines[i] != (lineKey{Service: l.Service, Mode: string(l.Mode)}) {
				t.Errorf("line %d: %+v, want %s %s", i, lines[i], l.Service, l.Mode)
			}
		}
	}
}
