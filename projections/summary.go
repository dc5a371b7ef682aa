package projections

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"carecost/domain"
	"carecost/domain/jsonscan"
)

// pricingHead is what the read models take from a priced or decided event:
// the decision (if any), the catalogue position, the versions used and the
// totals, without the lines.
type pricingHead struct {
	Decision          domain.Decision
	CataloguePosition domain.Position
	PricingDate       domain.Date
	TariffID          string
	TariffVersion     int
	IncomeID          string
	IncomeVersion     int
	Monthly           domain.Totals
	OneOff            domain.Totals
	Yearly            domain.Totals
	// VersionWarning and PresentedTotals are a decided event's (nil when
	// it has none).
	VersionWarning  *domain.VersionWarning
	PresentedTotals *domain.QuoteTotals
}

// readPricing reads a carecost.estimate.priced or .decided payload and stops
// at the quote's lines (the bulk of the payload), so a replay does not pay
// for decoding every line of every pricing. The payload is upcast first
// (at the current schema, that only reads its first field).
func readPricing(eventType string, payload []byte) (pricingHead, error) {
	return scanPricing(eventType, payload, true, nil)
}

// readPricingLines is readPricing, and reads the service and mode of each
// of the quote's lines on the way (one pass over the payload for both).
func readPricingLines(eventType string, payload []byte) (pricingHead, []lineKey, error) {
	lines := []lineKey{}
	h, err := scanPricing(eventType, payload, true, &lines)
	return h, lines, err
}

// readPricingHead is readPricing without the fields that follow the quote
// (a decision's version warning and presented totals): it stops inside the
// quote, at its lines, and never passes over them.
func readPricingHead(eventType string, payload []byte) (pricingHead, error) {
	return scanPricing(eventType, payload, false, nil)
}

func scanPricing(eventType string, payload []byte, whole bool, lines *[]lineKey) (pricingHead, error) {
	payload, err := domain.UpcastPayload(eventType, payload)
	if err != nil {
		return pricingHead{}, err
	}
	if h, ok := readPricingFast(payload, whole, lines); ok {
		return h, nil
	}
	return scanPricingFields(payload, whole, lines)
}

// readPricingFast is scanPricing in one pass over a payload as carecost
// writes it (jsonscan.Reader); false when the payload is written otherwise
// (scanPricingFields reads it then, and lines is left as it was). Where it
// reads a payload it reads what scanPricingFields reads: the quote's fields
// up to its lines (and the lines' keys when lines is not nil), nothing of
// the quote after them, and with whole the fields that follow the quote
// (TestPricingFastAgrees).
func readPricingFast(b []byte, whole bool, lines *[]lineKey) (pricingHead, bool) {
	var h pricingHead
	var keys []lineKey
	if lines != nil {
		keys = *lines
	}
	r := jsonscan.NewReader(b)
	r.Object(func(k string) {
		switch k {
		case "decision_number":
			h.Decision.Number = r.String()
		case "decision_date":
			r.Unmarshal(&h.Decision.Date)
		case "effective_from":
			r.Unmarshal(&h.Decision.EffectiveFrom)
		case "presented":
			v := r.Bool()
			h.Decision.Presented = &v
		case "not_presented_reason":
			h.Decision.NotPresentedReason = r.String()
		case "catalogue_position":
			if p := r.String(); !r.Bad() && h.CataloguePosition.UnmarshalText([]byte(p)) != nil {
				r.Fail()
			}
		case "quote":
			readQuoteFast(r, &h, whole, lines != nil, &keys)
			if !whole {
				r.Stop() // the head ends with the quote's
			}
		case "version_warning":
			if json.Unmarshal(r.Raw(), &h.VersionWarning) != nil {
				r.Fail()
			}
		case "presented_totals":
			if json.Unmarshal(r.Raw(), &h.PresentedTotals) != nil {
				r.Fail()
			}
		default:
			r.Skip()
		}
	})
	if r.Bad() || whole == r.Stopped() {
		return pricingHead{}, false
	}
	if lines != nil {
		*lines = keys
	}
	return h, true
}

// readQuoteFast reads a quote up to its lines (readQuoteHead): with
// withLines each line's key too, with whole it passes over the lines and
// what follows them unread, else it stops the reader at the lines.
func readQuoteFast(r *jsonscan.Reader, h *pricingHead, whole, withLines bool, keys *[]lineKey) {
	past := false // past the lines
	r.Object(func(k string) {
		if past {
			r.Skip()
			return
		}
		switch k {
		case "lines":
			past = true
			switch {
			case !r.AtValue():
				r.Fail() // scanPricingFields refuses a key without a value
			case !withLines && !whole:
				r.Stop() // never passes over the lines
			case !withLines:
				r.Skip()
			case r.Null(): // a quote without lines
			default:
				r.Array(func() {
					var l lineKey
					r.Object(func(k string) {
						switch k {
						case "service":
							l.Service = r.String()
						case "mode":
							l.Mode = r.String()
						default:
							r.Skip()
						}
					})
					*keys = append(*keys, l)
				})
			}
		case "pricing_date":
			r.Unmarshal(&h.PricingDate)
		case "tariff":
			h.TariffID, h.TariffVersion = readRefFast(r)
		case "income_catalogue":
			h.IncomeID, h.IncomeVersion = readRefFast(r)
		case "monthly":
			readTotalsFast(r, &h.Monthly)
		case "one_off":
			readTotalsFast(r, &h.OneOff)
		case "yearly":
			readTotalsFast(r, &h.Yearly)
		default:
			r.Skip()
		}
	})
}

func readRefFast(r *jsonscan.Reader) (id string, version int) {
	r.Object(func(k string) {
		switch k {
		case "id":
			id = r.String()
		case "version":
			version = r.Int()
		default:
			r.Skip()
		}
	})
	return id, version
}

func readTotalsFast(r *jsonscan.Reader, t *domain.Totals) {
	r.Object(func(k string) {
		switch k {
		case "county_gross":
			r.Unmarshal(&t.CountyGross)
		case "client_fee":
			r.Unmarshal(&t.ClientFee)
		case "voucher_copay":
			r.Unmarshal(&t.VoucherCopay)
		case "county_net":
			r.Unmarshal(&t.CountyNet)
		default:
			r.Skip()
		}
	})
}

// scanPricingFields reads a pricing payload at the current schema field by
// field (jsonscan.EachFieldRest), whatever its form.
func scanPricingFields(payload []byte, whole bool, lines *[]lineKey) (pricingHead, error) {
	var h pricingHead
	var err error
	scanErr := jsonscan.EachFieldRest(payload, func(k string, rest []byte) bool {
		if k == "quote" {
			err = readQuoteHead(rest, &h, lines)
			return err == nil && whole
		}
		v, e := jsonscan.Value(rest)
		if e != nil {
			err = e
			return false
		}
		switch k {
		case "decision_number":
			h.Decision.Number, err = jsonString(v)
		case "decision_date":
			err = h.Decision.Date.UnmarshalJSON(v)
		case "effective_from":
			err = h.Decision.EffectiveFrom.UnmarshalJSON(v)
		case "presented":
			h.Decision.Presented, err = jsonBool(v)
		case "not_presented_reason":
			h.Decision.NotPresentedReason, err = jsonString(v)
		case "catalogue_position":
			var p string
			if p, err = jsonString(v); err == nil {
				err = h.CataloguePosition.UnmarshalText([]byte(p))
			}
		case "version_warning":
			err = json.Unmarshal(v, &h.VersionWarning)
		case "presented_totals":
			err = json.Unmarshal(v, &h.PresentedTotals)
		}
		return err == nil
	})
	if scanErr != nil {
		return h, scanErr
	}
	return h, err
}

// readQuoteHead reads the quote at the start of b up to its lines (b may go
// on after the quote); with lines not nil it reads the key of each line
// too, else it never passes over them.
func readQuoteHead(b []byte, h *pricingHead, lines *[]lineKey) error {
	var err error
	scanErr := jsonscan.EachFieldRest(b, func(k string, rest []byte) bool {
		if k == "lines" {
			if lines != nil {
				err = appendLineKeys(rest, lines)
			}
			return false
		}
		v, e := jsonscan.Value(rest)
		if e != nil {
			err = e
			return false
		}
		switch k {
		case "pricing_date":
			err = h.PricingDate.UnmarshalJSON(v)
		case "tariff":
			h.TariffID, h.TariffVersion, err = refOf(v)
		case "income_catalogue":
			h.IncomeID, h.IncomeVersion, err = refOf(v)
		case "monthly":
			err = readTotals(v, &h.Monthly)
		case "one_off":
			err = readTotals(v, &h.OneOff)
		case "yearly":
			err = readTotals(v, &h.Yearly)
		}
		return err == nil
	})
	if scanErr != nil {
		return scanErr
	}
	return err
}

// refOf returns the id and version of a version reference (zero for null).
func refOf(b []byte) (string, int, error) {
	if string(b) == "null" {
		return "", 0, nil
	}
	var id string
	n, err := 0, error(nil)
	scanErr := jsonscan.EachField(b, func(k string, v []byte) bool {
		switch k {
		case "id":
			id, err = jsonString(v)
		case "version":
			n, err = strconv.Atoi(string(v))
		}
		return err == nil
	})
	if scanErr != nil {
		return "", 0, scanErr
	}
	return id, n, err
}

func readTotals(b []byte, t *domain.Totals) error {
	var err error
	scanErr := jsonscan.EachField(b, func(k string, v []byte) bool {
		switch k {
		case "county_gross":
			err = t.CountyGross.UnmarshalJSON(v)
		case "client_fee":
			err = t.ClientFee.UnmarshalJSON(v)
		case "voucher_copay":
			err = t.VoucherCopay.UnmarshalJSON(v)
		case "county_net":
			err = t.CountyNet.UnmarshalJSON(v)
		}
		return err == nil
	})
	if scanErr != nil {
		return scanErr
	}
	return err
}

// jsonString reads a JSON string; one without escapes (nearly all) without
// encoding/json.
func jsonString(v []byte) (string, error) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && bytes.IndexByte(v, '\\') < 0 {
		return string(v[1 : len(v)-1]), nil
	}
	var s string
	err := json.Unmarshal(v, &s)
	return s, err
}

// jsonBool reads a JSON boolean or null (nil).
func jsonBool(v []byte) (*bool, error) {
	switch string(v) {
	case "true":
		return new(true), nil
	case "false":
		return new(false), nil
	case "null":
		return nil, nil
	}
	return nil, fmt.Errorf("projections: %.20s is not true or false", v)
}
