package domain

import (
	"encoding/json"
	"unicode/utf8"
	"unsafe"
)

// Reading a stored event through encoding/json costs a few microseconds
// for even a small payload (a pass to check the whole document, then
// reflection field by field): the largest part of replaying the events a
// replay decodes whole, above all the opened estimates, their lines and
// every event's metadata. The payloads and metadata carecost writes are a
// narrow subset of JSON (known keys, strings without escapes, integers),
// so the most frequent ones are read here directly: a fastReader reads that
// subset and gives up at the first thing outside it (an unknown or
// repeated key, an escape, a null, a number where a string goes, anything
// encoding/json would refuse or read differently), and the caller then
// decodes the same bytes with encoding/json. A result of the fast path is
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
		return p, readWhole(b, func(r *fastReader) { readLineEvent(r, &p.Schema, &p.Line) })
	},
	EvEstimateLineChanged: func(b []byte) (Payload, bool) {
		p := &EstimateLineChanged{}
		return p, readWhole(b, func(r *fastReader) { readLineEvent(r, &p.Schema, &p.Line) })
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
func readWhole(b []byte, read func(*fastReader)) bool {
	r := fastReader{b: b}
	read(&r)
	r.space()
	return !r.bad && r.i == len(b)
}

// fastReader reads the subset of JSON described above. Once bad, every
// read returns a zero value and the reader stays bad.
type fastReader struct {
	b   []byte
	i   int
	bad bool
}

func (r *fastReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// take reads the byte c, after space.
func (r *fastReader) take(c byte) bool {
	r.space()
	if !r.bad && r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// quoted reads a string and returns it with its quotes: no escapes, no
// control characters, valid UTF-8 (encoding/json would change invalid
// UTF-8), so its text is the bytes between the quotes.
func (r *fastReader) quoted() []byte {
	r.space()
	if r.bad || r.i >= len(r.b) || r.b[r.i] != '"' {
		r.bad = true
		return nil
	}
	ascii := true
	for j := r.i + 1; j < len(r.b); j++ {
		switch c := r.b[j]; {
		case c == '"':
			q := r.b[r.i : j+1]
			if !ascii && !utf8.Valid(q) {
				r.bad = true
				return nil
			}
			r.i = j + 1
			return q
		case c < 0x20 || c == '\\':
			r.bad = true
			return nil
		case c >= 0x80:
			ascii = false
		}
	}
	r.bad = true
	return nil
}

func (r *fastReader) str() string {
	q := r.quoted()
	if len(q) < 2 {
		return ""
	}
	return string(q[1 : len(q)-1])
}

// key reads a field's key and the colon after it.
func (r *fastReader) key() string {
	q := r.quoted()
	if !r.take(':') {
		r.bad = true
	}
	if r.bad {
		return ""
	}
	// The key is compared, never kept: a string over b's bytes.
	return unsafe.String(&q[1], len(q)-2)
}

// int reads an integer written without fraction or exponent, of at most
// 15 digits.
func (r *fastReader) int() int {
	r.space()
	b, j := r.b, r.i
	if r.bad || j >= len(b) {
		r.bad = true
		return 0
	}
	neg := b[j] == '-'
	if neg {
		j++
	}
	start := j
	v := 0
	for ; j < len(b) && b[j] >= '0' && b[j] <= '9'; j++ {
		v = v*10 + int(b[j]-'0')
	}
	n := j - start
	if n == 0 || n > 15 || (n > 1 && b[start] == '0') || (j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E')) {
		r.bad = true
		return 0
	}
	r.i = j
	if neg {
		return -v
	}
	return v
}

// number reads a JSON number and returns its text.
func (r *fastReader) number() []byte {
	r.space()
	b, i := r.b, r.i
	j := i
	digits := func() int {
		k := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j - k
	}
	if j < len(b) && b[j] == '-' {
		j++
	}
	if first := j; digits() == 0 || (j-first > 1 && b[first] == '0') {
		r.bad = true
	}
	if j < len(b) && b[j] == '.' {
		j++
		if digits() == 0 {
			r.bad = true
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if digits() == 0 {
			r.bad = true
		}
	}
	if r.bad {
		return nil
	}
	r.i = j
	return b[i:j]
}

func (r *fastReader) bool() bool {
	r.space()
	switch {
	case r.bad:
	case len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "true":
		r.i += 4
		return true
	case len(r.b)-r.i >= 5 && string(r.b[r.i:r.i+5]) == "false":
		r.i += 5
		return false
	}
	r.bad = true
	return false
}

// object reads an object, calling field with each key; field reads the
// value, or marks the reader bad for a key it does not know. A key seen
// twice makes the reader bad (encoding/json merges such fields).
func (r *fastReader) object(field func(key string)) {
	if !r.take('{') {
		r.bad = true
		return
	}
	if r.take('}') {
		return
	}
	var seenBuf [12]string
	seen := seenBuf[:0]
	for !r.bad {
		k := r.key()
		for _, s := range seen {
			if s == k {
				r.bad = true
			}
		}
		if r.bad {
			return
		}
		seen = append(seen, k)
		field(k)
		if r.take(',') {
			continue
		}
		if !r.take('}') {
			r.bad = true
		}
		return
	}
}

// array reads an array, calling elem for each element.
func (r *fastReader) array(elem func()) {
	if !r.take('[') {
		r.bad = true
		return
	}
	if r.take(']') {
		return
	}
	for !r.bad {
		elem()
		if r.take(',') {
			continue
		}
		if !r.take(']') {
			r.bad = true
		}
		return
	}
}

// unmarshal hands the next value, a string, to u (the types with JSON
// methods: amounts, dates); an error of u makes the reader bad, so the
// error is encoding/json's.
func (r *fastReader) unmarshal(u json.Unmarshaler) {
	if q := r.quoted(); !r.bad && u.UnmarshalJSON(q) != nil {
		r.bad = true
	}
}

func (r *fastReader) money() *Money {
	m := new(Money)
	r.unmarshal(m)
	return m
}

func (m *Meta) readFast(r *fastReader) {
	r.object(func(k string) {
		switch k {
		case "command_id":
			m.CommandID = r.str()
		case "correlation_id":
			m.CorrelationID = r.str()
		case "causation_id":
			m.CausationID = r.str()
		case "actor_id":
			m.ActorID = r.str()
		case "actor_name":
			m.ActorName = r.str()
		case "actor_role":
			m.ActorRole = r.str()
		case "actor_roles":
			m.ActorRoles = []string{}
			r.array(func() { m.ActorRoles = append(m.ActorRoles, r.str()) })
		case "actor_team":
			m.ActorTeam = r.str()
		case "actor_via":
			m.ActorVia = r.str()
		case "request":
			m.Request = r.str()
		default:
			r.bad = true
		}
	})
}

func (p *EstimateOpened) readFast(r *fastReader) {
	r.object(func(k string) {
		switch k {
		case "schema":
			p.Schema.Schema = r.int()
		case "estimate_id":
			p.EstimateID = r.str()
		case "personal":
			r.object(func(k string) {
				switch k {
				case "client_ref":
					p.Personal.ClientRef = r.str()
				case "household":
					p.Personal.Household.readFast(r)
				default:
					r.bad = true
				}
			})
		case "maple":
			p.Maple = r.int()
		case "segment":
			p.Segment = Segment(r.str())
		case "basis":
			r.object(func(k string) {
				switch k {
				case "tariff":
					p.Basis.TariffID = r.str()
				case "income_catalogue":
					p.Basis.IncomeCatalogueID = r.str()
				case "pricing_date":
					r.unmarshal(&p.Basis.PricingDate)
				default:
					r.bad = true
				}
			})
		case "lines":
			p.Lines = []Line{}
			r.array(func() {
				var l Line
				l.readFast(r)
				p.Lines = append(p.Lines, l)
			})
		case "revision_of":
			p.RevisionOf = r.str()
		case "team":
			p.Team = r.str()
		default:
			r.bad = true
		}
	})
}

func (h *Household) readFast(r *fastReader) {
	r.object(func(k string) {
		switch k {
		case "size":
			h.Size = r.int()
		case "gross_income":
			h.GrossIncome = r.money()
		case "net_income":
			h.NetIncome = r.money()
		case "deductions":
			h.Deductions = readDeductions(r)
		case "spouse":
			h.Spouse = &Spouse{}
			r.object(func(k string) {
				switch k {
				case "net_income":
					h.Spouse.NetIncome = r.money()
				case "deductions":
					h.Spouse.Deductions = readDeductions(r)
				case "in_long_term_care":
					h.Spouse.InLongTermCare = r.bool()
				default:
					r.bad = true
				}
			})
		default:
			r.bad = true
		}
	})
}

func readDeductions(r *fastReader) []Deduction {
	ds := []Deduction{}
	r.array(func() {
		var d Deduction
		r.object(func(k string) {
			switch k {
			case "kind":
				d.Kind = r.str()
			case "amount":
				r.unmarshal(&d.Amount)
			default:
				r.bad = true
			}
		})
		ds = append(ds, d)
	})
	return ds
}

func (l *Line) readFast(r *fastReader) {
	r.object(func(k string) {
		switch k {
		case "id":
			l.ID = r.str()
		case "service":
			l.Service = r.str()
		case "mode":
			l.Mode = Mode(r.str())
		case "quantity":
			// a number or a decimal string (Quantity.UnmarshalJSON)
			r.space()
			var v []byte
			if r.i < len(r.b) && r.b[r.i] == '"' {
				v = r.quoted()
			} else {
				v = r.number()
			}
			if !r.bad && l.Quantity.UnmarshalJSON(v) != nil {
				r.bad = true
			}
		case "frequency":
			l.Frequency = Frequency(r.str())
		case "provider_price":
			l.ProviderPrice = r.money()
		default:
			r.bad = true
		}
	})
}

func readLineEvent(r *fastReader, s *Schema, l *Line) {
	r.object(func(k string) {
		switch k {
		case "schema":
			s.Schema = r.int()
		case "line":
			l.readFast(r)
		default:
			r.bad = true
		}
	})
}
