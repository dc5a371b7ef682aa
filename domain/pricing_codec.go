package domain

import "encoding/json"

// pricingSchema is the schema of carecost.estimate.priced and .decided: 2
// since the quote's personal figures (the household's size, incomes and
// deductions, the figures computed from them, the hints' household figures)
// moved into the payload's "personal" part.
const pricingSchema = 2

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

// upcastPricingV1 returns the upcaster of a schema-1 pricing or decision:
// the personal figures (the quote kept them with the rest) move into the
// personal part and every other field is kept; the result is written as
// the current code writes such a payload (the schema first).
func upcastPricingV1(empty func() Payload) upcaster {
	return func(b json.RawMessage) (json.RawMessage, error) {
		moved, err := movePricingPersonal(b)
		if err != nil {
			return nil, err
		}
		p := empty()
		if err := json.Unmarshal(moved, p); err != nil {
			return nil, err
		}
		return json.Marshal(p)
	}
}

// movePricingPersonal moves the personal figures of a schema-1 pricing's
// quote into a personal part and sets the schema to 2.
func movePricingPersonal(b json.RawMessage) (json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(b, &fields); err != nil {
		return nil, err
	}
	var q Quote
	if err := json.Unmarshal(fields["quote"], &q); err != nil {
		return nil, err
	}
	q.Hints = hintsFromV1(q.Hints)
	detailCostsFromLines(&q)
	record, personal := splitQuote(q)
	var err error
	if fields["quote"], err = json.Marshal(record); err != nil {
		return nil, err
	}
	if fields["personal"], err = json.Marshal(personal); err != nil {
		return nil, err
	}
	fields["schema"] = json.RawMessage("2")
	return json.Marshal(fields)
}

// detailCostsFromLines fills in the details' CountyGross, which schema 1
// did not record: the sum of the rounded costs of the lines of that rule.
func detailCostsFromLines(q *Quote) {
	var homeCare, housing Money
	for _, l := range q.Lines {
		switch l.Rule {
		case RuleHomeCareIncome:
			homeCare += l.CountyGross
		case RuleHousingNet:
			housing += l.CountyGross
		}
	}
	if q.HomeCare != nil {
		q.HomeCare.CountyGross = homeCare
	}
	if q.Housing != nil {
		q.Housing.CountyGross = housing
	}
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
	registerUpcaster(EvEstimatePriced, 1, upcastPricingV1(func() Payload { return &EstimatePriced{} }))
	registerUpcaster(EvEstimateDecided, 1, upcastPricingV1(func() Payload { return &EstimateDecided{} }))
}
