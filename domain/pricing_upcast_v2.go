package domain

import (
	"bytes"
	"encoding/json"
	"errors"

	"carecost/domain/jsonscan"
)

// upcastPricingV2 turns a schema-2 carecost.estimate.priced or .decided into
// schema 3, which keeps voucher co-payments apart from client fees. Schema 2
// recorded a voucher line's co-payment (paid by the client to the provider)
// as the line's client_fee, and its co-payment per unit as fee_per_unit;
// schema 3 records them as voucher_copay and voucher_copay_per_unit, the
// line's client fee 0. The totals (monthly, one-off, yearly) gain
// voucher_copay, the co-payments of their lines, and their client_fee loses
// them. The county's net cost does not change: schema 2 already kept a
// voucher line's net cost at its gross cost. Every other field is carried as
// the bytes it was; the lines are decoded only when there is a voucher among
// them. Schema 3's tier and hours band are not made up: a schema-2 pricing
// reads without them. What it writes is what EncodePayload writes for the
// same pricing (a test holds it to that).
func upcastPricingV2(b json.RawMessage) (json.RawMessage, error) {
	out := make([]byte, 0, len(b)+len(b)/16+64)
	out = append(out, `{"schema":3`...)
	var quoteErr error
	err := jsonscan.EachField(b, func(k string, v []byte) bool {
		switch k {
		case "schema":
		case "quote":
			var q []byte
			if q, quoteErr = upcastQuoteV2(v); quoteErr == nil {
				out = appendField(out, k, q)
			}
		default:
			out = appendField(out, k, v)
		}
		return quoteErr == nil
	})
	if err = errors.Join(err, quoteErr); err != nil {
		return nil, err
	}
	return append(out, '}'), nil
}

// upcastQuoteV2 rewrites a schema-2 quote as schema 3 records it.
func upcastQuoteV2(b []byte) ([]byte, error) {
	var lines []byte
	if err := jsonscan.EachField(b, func(k string, v []byte) bool {
		if k == "lines" {
			lines = v
			return false
		}
		return true
	}); err != nil {
		return nil, err
	}
	var monthly, oneOff Money // the voucher co-payments
	var newLines []byte
	if bytes.Contains(lines, []byte("voucher")) {
		var ls []LineResult
		if err := json.Unmarshal(lines, &ls); err != nil {
			return nil, err
		}
		moved := false
		for i := range ls {
			l := &ls[i]
			if l.Rule != RuleVoucher {
				continue
			}
			moved = true
			l.VoucherCopay, l.ClientFee = l.ClientFee, 0
			l.VoucherCopayPerUnit, l.FeePerUnit = l.FeePerUnit, nil
			if l.Frequency == OneOff {
				oneOff += l.VoucherCopay
			} else {
				monthly += l.VoucherCopay
			}
		}
		if moved {
			var err error
			if newLines, err = json.Marshal(ls); err != nil {
				return nil, err
			}
		}
	}
	out := make([]byte, 0, len(b)+len(b)/16+64)
	out = append(out, '{')
	n := 0
	var fieldErr error
	err := jsonscan.EachField(b, func(k string, v []byte) bool {
		switch k {
		case "monthly":
			v, fieldErr = totalsV3(v, monthly)
		case "one_off":
			v, fieldErr = totalsV3(v, oneOff)
		case "yearly":
			v, fieldErr = totalsV3(v, 12*monthly+oneOff)
		case "lines":
			if newLines != nil {
				v = newLines
			}
		}
		if n > 0 {
			out = append(out, ',')
		}
		out, n = append(appendKey(out, k), v...), n+1
		return fieldErr == nil
	})
	if err = errors.Join(err, fieldErr); err != nil {
		return nil, err
	}
	return append(out, '}'), nil
}

// totalsV3 returns schema-2 totals with the voucher co-payments copay taken
// out of the client fee into voucher_copay.
func totalsV3(b []byte, copay Money) ([]byte, error) {
	var t Totals
	if err := json.Unmarshal(b, &t); err != nil {
		return nil, err
	}
	t.ClientFee -= copay
	t.VoucherCopay = copay
	return json.Marshal(t)
}
