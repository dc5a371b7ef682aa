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

// upcastPricedV1 moves the personal figures of a schema-1 pricing (the
// quote kept them with the rest) into its personal part.
func upcastPricedV1(b json.RawMessage) (json.RawMessage, error) {
	var v struct {
		CataloguePosition Position `json:"catalogue_position"`
		Quote             Quote    `json:"quote"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	v.Quote.Hints = hintsFromV1(v.Quote.Hints)
	return json.Marshal(EstimatePriced{Schema: Schema{2}, CataloguePosition: v.CataloguePosition, Quote: v.Quote})
}

// upcastDecidedV1 is upcastPricedV1 for a decision.
func upcastDecidedV1(b json.RawMessage) (json.RawMessage, error) {
	var v struct {
		Decision
		CataloguePosition Position `json:"catalogue_position"`
		Quote             Quote    `json:"quote"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		return nil, err
	}
	v.Quote.Hints = hintsFromV1(v.Quote.Hints)
	return json.Marshal(EstimateDecided{Schema: Schema{2}, Decision: v.Decision, CataloguePosition: v.CataloguePosition, Quote: v.Quote})
}

// hintsFromV1 gives schema-1 hints (a message only) their code, threshold
// and value. A message it cannot read keeps no code and is kept whole, in
// the personal part.
func hintsFromV1(hs []Hint) []Hint {
	for i, h := range hs {
		hs[i], _ = hintFromMessage(h)
	}
	return hs
}

func init() {
	register(pricingSchema, func() Payload { return &EstimatePriced{} })
	register(pricingSchema, func() Payload { return &EstimateDecided{} })
	registerUpcaster(EvEstimatePriced, 1, upcastPricedV1)
	registerUpcaster(EvEstimateDecided, 1, upcastDecidedV1)
}
