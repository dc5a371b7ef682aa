package domain_test

import (
	"encoding/json"
	"testing"

	"carecost/domain"
)

// schema2Voucher is a pricing as schema 2 recorded it: a voucher line of 10
// hours a month at the provider's 42.50 against a voucher of 36.00 (the
// co-payment 6.50 an hour, 65.00 a month, written as the client fee), a
// one-off voucher line of 3 hours at 40.00 (4.00 an hour, 12.00 once) and
// meals at a flat 5.25 (113.75 a month).
const schema2Voucher = `{"schema":2,"catalogue_position":"7","quote":{"pricing_date":"2026-02-01",` +
	`"tariff":{"id":"t","name":"T","version":1,"valid_from":"2026-01-01"},"weeks_per_month":"52/12","days_per_month":"365/12",` +
	`"monthly":{"county_gross":"572.33","client_fee":"178.75","county_net":"458.58"},` +
	`"one_off":{"county_gross":"108.00","client_fee":"12.00","county_net":"108.00"},` +
	`"yearly":{"county_gross":"6975.96","client_fee":"2157.00","county_net":"5610.96"},"lines":[` +
	`{"line_id":"l1","service":"home-care","mode":"voucher","rule":"voucher","unit":"hour","quantity":"10","frequency":"month","provider_price":"42.50","units_per_month":"10.000","fee_per_unit":"6.50","unit_cost":"36.00","county_gross":"360.00","client_fee":"65.00","county_net":"360.00"},` +
	`{"line_id":"l2","service":"home-care","mode":"voucher","rule":"voucher","unit":"hour","quantity":"3","frequency":"one_off","provider_price":"40.00","units_per_month":"3.000","fee_per_unit":"4.00","unit_cost":"36.00","county_gross":"108.00","client_fee":"12.00","county_net":"108.00"},` +
	`{"line_id":"l3","service":"meals","mode":"own","rule":"flat","unit":"meal","quantity":"5","frequency":"week","units_per_month":"21.667","fee_per_unit":"5.25","unit_cost":"9.80","county_gross":"212.33","client_fee":"113.75","county_net":"98.58"}]},` +
	`"personal":{}}`

// A schema-2 pricing reads with its voucher co-payments apart from its
// client fees: the voucher lines' client fees become their co-payments, the
// totals' client fees lose them to voucher_copay, the net costs stay; and the
// bytes are those schema 3 writes for that pricing.
func TestSchema2VoucherCopayUpcast(t *testing.T) {
	up, err := domain.UpcastPayload(domain.EvEstimatePriced, []byte(schema2Voucher))
	must(t, err)
	p, err := domain.DecodePayload(domain.EvEstimatePriced, []byte(schema2Voucher))
	must(t, err)
	if again, err := domain.EncodePayload(p); err != nil || string(again) != string(up) {
		t.Errorf("upcasts to other bytes than it encodes to:\n got %s\nwant %s", up, again)
	}
	q := p.(*domain.EstimatePriced).Quote
	for i, want := range []struct{ fee, copay, perUnit, net string }{
		{"0.00", "65.00", "6.50", "360.00"}, {"0.00", "12.00", "4.00", "108.00"}, {"113.75", "0.00", "", "98.58"},
	} {
		l := q.Lines[i]
		perUnit := ""
		if l.VoucherCopayPerUnit != nil {
			perUnit = l.VoucherCopayPerUnit.String()
		}
		if l.ClientFee.String() != want.fee || l.VoucherCopay.String() != want.copay || perUnit != want.perUnit || l.CountyNet.String() != want.net {
			t.Errorf("line %d: %+v, want fee %s co-payment %s (%s a unit) net %s", i+1, l, want.fee, want.copay, want.perUnit, want.net)
		}
		if (l.FeePerUnit != nil) != (l.Rule != domain.RuleVoucher) {
			t.Errorf("line %d fee per unit %v", i+1, l.FeePerUnit)
		}
	}
	// Monthly: 178.75 - 65.00 = 113.75 billed, 65.00 to the provider.
	// Once: 12.00 to the provider. A year: 12 x 113.75 = 1365.00 billed,
	// 12 x 65.00 + 12.00 = 792.00 to providers; 1365.00 + 792.00 = 2157.00.
	for _, c := range []struct {
		got                    domain.Totals
		gross, fee, copay, net string
	}{
		{q.Monthly, "572.33", "113.75", "65.00", "458.58"},
		{q.OneOff, "108.00", "0.00", "12.00", "108.00"},
		{q.Yearly, "6975.96", "1365.00", "792.00", "5610.96"},
	} {
		if c.got.CountyGross.String() != c.gross || c.got.ClientFee.String() != c.fee || c.got.VoucherCopay.String() != c.copay || c.got.CountyNet.String() != c.net {
			t.Errorf("totals %+v, want %s %s %s %s", c.got, c.gross, c.fee, c.copay, c.net)
		}
	}
	var raw struct {
		Quote struct {
			Lines []map[string]json.RawMessage `json:"lines"`
		} `json:"quote"`
	}
	must(t, json.Unmarshal(up, &raw))
	if _, ok := raw.Quote.Lines[2]["voucher_copay"]; ok {
		t.Errorf("a line without a voucher gains a co-payment: %s", up)
	}
}

// A schema-2 pricing without a voucher line keeps its lines' bytes; its
// totals gain a co-payment of 0.00.
func TestSchema2WithoutVoucherUpcast(t *testing.T) {
	in := `{"schema":2,"catalogue_position":"7","quote":{"pricing_date":"2026-02-01",` +
		`"tariff":{"id":"t","name":"T","version":1,"valid_from":"2026-01-01"},"weeks_per_month":"52/12","days_per_month":"365/12",` +
		`"monthly":{"county_gross":"212.33","client_fee":"113.75","county_net":"98.58"},` +
		`"one_off":{"county_gross":"0.00","client_fee":"0.00","county_net":"0.00"},` +
		`"yearly":{"county_gross":"2547.96","client_fee":"1365.00","county_net":"1182.96"},"lines":[` +
		`{"line_id":"l3","service":"meals","mode":"own","rule":"flat","unit":"meal","quantity":"5","frequency":"week","units_per_month":"21.667","fee_per_unit":"5.25","unit_cost":"9.80","county_gross":"212.33","client_fee":"113.75","county_net":"98.58"}]},` +
		`"personal":{}}`
	up, err := domain.UpcastPayload(domain.EvEstimatePriced, []byte(in))
	must(t, err)
	want := `{"schema":3,"catalogue_position":"7","quote":{"pricing_date":"2026-02-01",` +
		`"tariff":{"id":"t","name":"T","version":1,"valid_from":"2026-01-01"},"weeks_per_month":"52/12","days_per_month":"365/12",` +
		`"monthly":{"county_gross":"212.33","client_fee":"113.75","voucher_copay":"0.00","county_net":"98.58"},` +
		`"one_off":{"county_gross":"0.00","client_fee":"0.00","voucher_copay":"0.00","county_net":"0.00"},` +
		`"yearly":{"county_gross":"2547.96","client_fee":"1365.00","voucher_copay":"0.00","county_net":"1182.96"},"lines":[` +
		`{"line_id":"l3","service":"meals","mode":"own","rule":"flat","unit":"meal","quantity":"5","frequency":"week","units_per_month":"21.667","fee_per_unit":"5.25","unit_cost":"9.80","county_gross":"212.33","client_fee":"113.75","county_net":"98.58"}]},` +
		`"personal":{}}`
	if string(up) != want {
		t.Errorf("upcast to\n%s\nwant\n%s", up, want)
	}
}
