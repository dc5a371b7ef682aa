package domain

import "encoding/json"

// pricingSchema is the schema of carecost.estimate.priced and .decided: 2
// since the quote's personal figures (the household's size, incomes and
// deductions, the figures computed from them, the hints' household figures)
// moved into the payload's "personal" part.
const pricingSchema = 2

type pricedRecord struct {
	Schema
	CataloguePosition Position        `json:"catalogue_position"`
	Quote             quoteRecord     `json:"quote"`
	Personal          pricingPersonal `json:"personal"`
}

type decidedRecord struct {
	Schema
	Decision
	CataloguePosition Position        `json:"catalogue_position"`
	Quote             quoteRecord     `json:"quote"`
	Personal          pricingPersonal `json:"personal"`
}

// MarshalJSON writes the payload with the quote's personal figures in its
// "personal" part.
func (p EstimatePriced) MarshalJSON() ([]byte, error) {
	q, personal := splitQuote(p.Quote)
	return json.Marshal(pricedRecord{Schema: p.Schema, CataloguePosition: p.CataloguePosition, Quote: q, Personal: personal})
}

// UnmarshalJSON reads a payload of the current schema, the quote whole again.
func (p *EstimatePriced) UnmarshalJSON(b []byte) error {
	var r pricedRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	p.Schema, p.CataloguePosition, p.Quote = r.Schema, r.CataloguePosition, r.Quote.join(r.Personal)
	return nil
}

// MarshalJSON writes the payload with the quote's personal figures in its
// "personal" part.
func (p EstimateDecided) MarshalJSON() ([]byte, error) {
	q, personal := splitQuote(p.Quote)
	return json.Marshal(decidedRecord{Schema: p.Schema, Decision: p.Decision, CataloguePosition: p.CataloguePosition, Quote: q, Personal: personal})
}

// UnmarshalJSON reads a payload of the current schema, the quote whole again.
func (p *EstimateDecided) UnmarshalJSON(b []byte) error {
	var r decidedRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	p.Schema, p.Decision, p.CataloguePosition, p.Quote = r.Schema, r.Decision, r.CataloguePosition, r.Quote.join(r.Personal)
	return nil
}

func init() {
	register(pricingSchema, func() Payload { return &EstimatePriced{} })
	register(pricingSchema, func() Payload { return &EstimateDecided{} })
	registerUpcaster(EvEstimatePriced, 1, upcastPricingV1)
	registerUpcaster(EvEstimateDecided, 1, upcastPricingV1)
}
