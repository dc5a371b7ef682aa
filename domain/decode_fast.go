package domain

import (
	"encoding/json"

	"carecost/domain/jsonscan"
)

// Reading a stored event through encoding/json costs a few microseconds
// for even a small payload (a pass to check the whole document, then
// reflection field by field): the largest part of replaying the events a
// replay decodes whole, above all the opened estimates, their lines and
// every event's metadata. The payloads and metadata carecost writes are a
// narrow subset of JSON (known keys, strings without escapes, integers),
// so the most frequent ones are read here directly: a jsonscan.Reader reads
// that subset and goes bad at the first thing outside it (an unknown or
// repeated key, an escape, a null, a number where a string goes, anything
// encoding/json would refuse or read differently), and the same bytes are
// then decoded with encoding/json. A result of the fast path is
// therefore always the one encoding/json gives, and every error is
// encoding/json's (TestFastDecodeAgreesWithJSON and its fuzz target check
// the two side by side).

// fastDecoders read the payloads of some event types at their current
// schema; false means "use encoding/json".
var fastDecoders = map[string]func([]byte) (Payload, bool){
	EvEstimateOpened: func(b []byte) (Payload, bool) {
		p := &EstimateOpened{}
		return p, readWhole(b, p.readFast)
	},
	EvEstimateLineAdded: func(b []byte) (Payload, bool) {
		p := &EstimateLineAdded{}
		return p, readWhole(b, func(r *jsonscan.Reader) { readLineEvent(r, &p.Schema, &p.Line) })
	},
	EvEstimateLineChanged: func(b []byte) (Payload, bool) {
		p := &EstimateLineChanged{}
		return p, readWhole(b, func(r *jsonscan.Reader) { readLineEvent(r, &p.Schema, &p.Line) })
	},
}

// DecodeMeta reads an event's metadata (empty metadata is no metadata).
func DecodeMeta(b []byte) (Meta, error) {
	var m Meta
	if len(b) == 0 || readWhole(b, m.readFast) {
		return m, nil
	}
	m = Meta{}
	err := json.Unmarshal(b, &m)
	return m, err
}

// readWhole reads b with read and tells whether b was one value of the
// subset, read whole, with nothing but space after it.
func readWhole(b []byte, read func(*jsonscan.Reader)) bool {
	r := jsonscan.NewReader(b)
	read(r)
	return r.End()
}

// readMoney reads an amount into a new Money.
func readMoney(r *jsonscan.Reader) *Money {
	m := new(Money)
	r.Unmarshal(m)
	return m
}

func (m *Meta) readFast(r *jsonscan.Reader) {
	r.Object(func(k string) {
		switch k {
		case "command_id":
			m.CommandID = r.String()
		case "correlation_id":
			m.CorrelationID = r.String()
		case "causation_id":
			m.CausationID = r.String()
		case "actor_id":
			m.ActorID = r.String()
		case "actor_name":
			m.ActorName = r.String()
		case "actor_role":
			m.ActorRole = r.String()
		case "actor_roles":
			m.ActorRoles = []string{}
			r.Array(func() { m.ActorRoles = append(m.ActorRoles, r.String()) })
		case "actor_team":
			m.ActorTeam = r.String()
		case "actor_via":
			m.ActorVia = r.String()
		case "request":
			m.Request = r.String()
		default:
			r.Fail()
		}
	})
}

func (p *EstimateOpened) readFast(r *jsonscan.Reader) {
	r.Object(func(k string) {
		switch k {
		case "schema":
			p.Schema.Schema = r.Int()
		case "estimate_id":
			p.EstimateID = r.String()
		case "personal":
			r.Object(func(k string) {
				switch k {
				case "client_ref":
					p.Personal.ClientRef = r.String()
				case "household":
					p.Personal.Household.readFast(r)
				default:
					r.Fail()
				}
			})
		case "maple":
			p.Maple = r.Int()
		case "segment":
			p.Segment = Segment(r.String())
		case "basis":
			r.Object(func(k string) {
				switch k {
				case "tariff":
					p.Basis.TariffID = r.String()
				case "income_catalogue":
					p.Basis.IncomeCatalogueID = r.String()
				case "pricing_date":
					r.Unmarshal(&p.Basis.PricingDate)
				default:
					r.Fail()
				}
			})
		case "lines":
			p.Lines = []Line{}
			r.Array(func() {
				var l Line
				l.readFast(r)
				p.Lines = append(p.Lines, l)
			})
		case "revision_of":
			p.RevisionOf = r.String()
		case "team":
			p.Team = r.String()
		default:
			r.Fail()
		}
	})
}

func (h *Household) readFast(r *jsonscan.Reader) {
	r.Object(func(k string) {
		switch k {
		case "size":
			h.Size = r.Int()
		case "gross_income":
			h.GrossIncome = readMoney(r)
		case "net_income":
			h.NetIncome = readMoney(r)
		case "deductions":
			h.Deductions = readDeductions(r)
		case "spouse":
			h.Spouse = &Spouse{}
			r.Object(func(k string) {
				switch k {
				case "net_income":
					h.Spouse.NetIncome = readMoney(r)
				case "deductions":
					h.Spouse.Deductions = readDeductions(r)
				case "in_long_term_care":
					h.Spouse.InLongTermCare = r.Bool()
				default:
					r.Fail()
				}
			})
		default:
			r.Fail()
		}
	})
}

func readDeductions(r *jsonscan.Reader) []Deduction {
	ds := []Deduction{}
	r.Array(func() {
		var d Deduction
		r.Object(func(k string) {
			switch k {
			case "kind":
				d.Kind = r.String()
			case "amount":
				r.Unmarshal(&d.Amount)
			default:
				r.Fail()
			}
		})
		ds = append(ds, d)
	})
	return ds
}

func (l *Line) readFast(r *jsonscan.Reader) {
	r.Object(func(k string) {
		switch k {
		case "id":
			l.ID = r.String()
		case "service":
			l.Service = r.String()
		case "mode":
			l.Mode = Mode(r.String())
		case "quantity":
			// a number or a decimal string (Quantity.UnmarshalJSON)
			if v := r.QuotedOrNumber(); !r.Bad() && l.Quantity.UnmarshalJSON(v) != nil {
				r.Fail()
			}
		case "frequency":
			l.Frequency = Frequency(r.String())
		case "provider_price":
			l.ProviderPrice = readMoney(r)
		default:
			r.Fail()
		}
	})
}

func readLineEvent(r *jsonscan.Reader, s *Schema, l *Line) {
	r.Object(func(k string) {
		switch k {
		case "schema":
			s.Schema = r.Int()
		case "line":
			l.readFast(r)
		default:
			r.Fail()
		}
	})
}
