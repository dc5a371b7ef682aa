package domain

import "encoding/json"

// pricingSchema is the schema of carecost.estimate.priced and .decided: 2
// since the quote's personal figures (the household's size, incomes and
// deductions, the figures computed from them, the hints' household figures)
// moved into the payload's "personal" part; 3 since a voucher line's
// co-payment is its voucher_copay, no longer its client_fee, and the totals
// keep the co-payments apart (voucher_copay). Schema 3 also names the tier
// an income_tiered line picked and the hours band of the home-care fee.
const pricingSchema = 3

// The payload types without their JSON methods: a record embeds one, so
// every field of the payload, present or future, is written and read as it
// is, but for the quote, which the record's own Quote hides (encoding/json
// takes the least nested field of a name).
type (
	pricedFields  EstimatePriced
	decidedFields EstimateDecided
)

type pricedRecord struct {
	pricedFields
	Quote    quoteRecord     `json:"quote"`
	Personal pricingPersonal `json:"personal"`
}

type decidedRecord struct {
	decidedFields
	Quote    quoteRecord     `json:"quote"`
	Personal pricingPersonal `json:"personal"`
}

// MarshalJSON writes the payload with the quote's personal figures in its
// "personal" part.
func (p EstimatePriced) MarshalJSON() ([]byte, error) {
	q, personal := splitQuote(p.Quote)
	return json.Marshal(pricedRecord{pricedFields: pricedFields(p), Quote: q, Personal: personal})
}

// UnmarshalJSON reads a payload of the current schema, the quote whole again.
func (p *EstimatePriced) UnmarshalJSON(b []byte) error {
	var r pricedRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*p = EstimatePriced(r.pricedFields)
	p.Quote = r.Quote.join(r.Personal)
	return nil
}

// MarshalJSON writes the payload with the quote's personal figures in its
// "personal" part.
func (p EstimateDecided) MarshalJSON() ([]byte, error) {
	q, personal := splitQuote(p.Quote)
	return json.Marshal(decidedRecord{decidedFields: decidedFields(p), Quote: q, Personal: personal})
}

// UnmarshalJSON reads a payload of the current schema, the quote whole again.
func (p *EstimateDecided) UnmarshalJSON(b []byte) error {
	var r decidedRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*p = EstimateDecided(r.decidedFields)
	p.Quote = r.Quote.join(r.Personal)
	return nil
}

func init() {
	register(pricingSchema, func() Payload { return &EstimatePriced{} })
	register(pricingSchema, func() Payload { return &EstimateDecided{} })
	registerUpcaster(EvEstimatePriced, 1, upcastPricingV1)
	registerUpcaster(EvEstimateDecided, 1, upcastPricingV1)
	registerUpcaster(EvEstimatePriced, 2, upcastPricingV2)
	registerUpcaster(EvEstimateDecided, 2, upcastPricingV2)
}
