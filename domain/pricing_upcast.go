package domain

import (
	"encoding/json"
	"errors"
	"strconv"

	"carecost/domain/jsonscan"
)

// upcastPricingV1 turns a schema-1 carecost.estimate.priced or .decided,
// whose quote kept its personal figures with the rest, into schema 2. It
// decodes only what moves (the home-care and housing detail and the hints)
// and carries every other field, the lines above all, as the bytes they
// were, so an old log replays without decoding each amount of each line.
// Schema 1 wrote the quote's fields in Quote's order; without the three
// that move, that is schema 2's order, and the three follow the lines. What
// it writes is what schema 2 wrote for the same pricing (a test holds it,
// upcast on to schema 3, to what EncodePayload writes).
func upcastPricingV1(b json.RawMessage) (json.RawMessage, error) {
	out := make([]byte, 0, len(b)+len(b)/8)
	out = append(out, `{"schema":2`...)
	var quote []byte
	err := jsonscan.EachField(b, func(k string, v []byte) bool {
		switch k {
		case "schema":
		case "quote":
			quote = v
		default:
			out = appendField(out, k, v)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	if quote == nil {
		return nil, errors.New("domain: a pricing without a quote")
	}
	out = append(out, `,"quote":{`...)
	var moved Quote
	var lines []byte
	var decodeErr error
	n := 0
	err = jsonscan.EachField(quote, func(k string, v []byte) bool {
		switch k {
		case "home_care":
			decodeErr = json.Unmarshal(v, &moved.HomeCare)
		case "housing":
			decodeErr = json.Unmarshal(v, &moved.Housing)
		case "hints":
			decodeErr = json.Unmarshal(v, &moved.Hints)
		default:
			if k == "lines" {
				lines = v
			}
			if n > 0 {
				out = append(out, ',')
			}
			out, n = appendKey(out, k), n+1
			out = append(out, v...)
		}
		return decodeErr == nil
	})
	if err = errors.Join(err, decodeErr); err != nil {
		return nil, err
	}
	moved.Hints = hintsFromV1(moved.Hints)
	if err := detailCostsFromLines(&moved, lines); err != nil {
		return nil, err
	}
	r, p := splitQuote(moved)
	for _, part := range []struct {
		key   string
		value any
		ok    bool
	}{{"home_care", r.HomeCare, r.HomeCare != nil}, {"housing", r.Housing, r.Housing != nil}, {"hints", r.Hints, len(r.Hints) > 0}} {
		if out, err = appendJSON(out, part.key, part.value, part.ok); err != nil {
			return nil, err
		}
	}
	out = append(out, '}')
	if out, err = appendJSON(out, "personal", p, true); err != nil {
		return nil, err
	}
	return append(out, '}'), nil
}

// detailCostsFromLines fills in the details' CountyGross, which schema 1
// did not record: the sum of the rounded costs of the lines of that rule
// (lines is the quote's lines as JSON; read only when there is a detail).
func detailCostsFromLines(q *Quote, lines []byte) error {
	if q.HomeCare == nil && q.Housing == nil {
		return nil
	}
	var costs []struct {
		Rule        Rule  `json:"rule"`
		CountyGross Money `json:"county_gross"`
	}
	if err := json.Unmarshal(lines, &costs); err != nil {
		return err
	}
	var homeCare, housing Money
	for _, l := range costs {
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
	return nil
}

// appendField appends ,"key":value.
func appendField(out []byte, key string, value []byte) []byte {
	return append(appendKey(append(out, ','), key), value...)
}

// appendKey appends "key": (carecost's keys need no escapes).
func appendKey(out []byte, key string) []byte {
	return append(strconv.AppendQuote(out, key), ':')
}

// appendJSON appends ,"key": and v in JSON, when ok.
func appendJSON(out []byte, key string, v any, ok bool) ([]byte, error) {
	if !ok {
		return out, nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return appendField(out, key, data), nil
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
