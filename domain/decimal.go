package domain

import (
	"bytes"
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
)

// Percent is a percentage in basis points (1 % = 100). It travels in JSON as
// a decimal string of percent: "8.75" is 875 basis points.
type Percent int64

// ParsePercent parses a decimal percentage with at most two decimals ("26",
// "8.75").
func ParsePercent(s string) (Percent, error) {
	v, err := parseFixed(s, 2)
	if err != nil {
		return 0, err
	}
	return Percent(v), nil
}

// String formats p as a percentage: "8.75".
func (p Percent) String() string { return formatFixed(int64(p), 2) }

// Rat returns p as an exact fraction (26 % is 13/50).
func (p Percent) Rat() *big.Rat { return big.NewRat(int64(p), 10000) }

// MarshalText writes p as a decimal of percent (JSON carries it as a string).
func (p Percent) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// UnmarshalJSON reads a decimal string of percent.
func (p *Percent) UnmarshalJSON(b []byte) error {
	s, err := decimalText(b)
	if err != nil {
		return Errorf(EInvalid, "a percentage must be a decimal string such as \"8.75\", got %s", b)
	}
	v, err := ParsePercent(s)
	if err != nil {
		return err
	}
	*p = v
	return nil
}

// Quantity is an amount of service units in thousandths ("2.5" visits is
// 2500). In JSON it is a decimal string or a plain number, read as text.
type Quantity int64

// ParseQuantity parses a decimal quantity with at most three decimals.
func ParseQuantity(s string) (Quantity, error) {
	v, err := parseFixed(s, 3)
	if err != nil {
		return 0, err
	}
	return Quantity(v), nil
}

// Units returns q as an exact rational.
func (q Quantity) Rat() *big.Rat { return big.NewRat(int64(q), 1000) }

// String formats q without trailing zeros: "2.5", "20".
func (q Quantity) String() string {
	s := formatFixed(int64(q), 3)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// MarshalText writes q as a decimal (JSON carries it as a string).
func (q Quantity) MarshalText() ([]byte, error) { return []byte(q.String()), nil }

// UnmarshalJSON reads a decimal string or a JSON number, exactly.
func (q *Quantity) UnmarshalJSON(b []byte) error {
	s, err := decimalText(b)
	if err != nil {
		return Errorf(EInvalid, "a quantity must be a number such as 2 or \"2.5\", got %s", b)
	}
	v, err := ParseQuantity(s)
	if err != nil {
		return err
	}
	*q = v
	return nil
}

// decimalText returns the text of a JSON string or number without going
// through a float.
func decimalText(b []byte) (string, error) {
	b = bytes.TrimSpace(b)
	if s, ok := plainString(b); ok {
		return s, nil
	}
	if len(b) > 0 && b[0] == '"' {
		var s string
		err := json.Unmarshal(b, &s)
		return s, err
	}
	if len(b) > 0 && b[0] != '{' && b[0] != '[' && b[0] != 'n' && b[0] != 't' && b[0] != 'f' && bytes.IndexAny(b, "eE \t\n") < 0 {
		return string(b), nil
	}
	var n json.Number
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	if err := d.Decode(&n); err != nil {
		return "", err
	}
	return n.String(), nil
}

// Ratio is an exact positive fraction such as weeks per month (52/12). In
// JSON it is a string: "52/12", "4" or "4.345".
type Ratio struct {
	Num, Den int64
}

// ParseRatio parses a fraction "a/b" of whole numbers or a decimal with at
// most six decimals ("4.345", "30.4375").
func ParseRatio(s string) (Ratio, error) {
	if n, d, ok := strings.Cut(s, "/"); ok {
		num, err1 := strconv.ParseInt(n, 10, 64)
		den, err2 := strconv.ParseInt(d, 10, 64)
		if err1 != nil || err2 != nil {
			return Ratio{}, Errorf(EInvalid, "%q: both parts of a fraction are whole numbers, such as \"52/12\" or \"1461/48\"", s)
		}
		if num <= 0 || den <= 0 {
			return Ratio{}, Errorf(EInvalid, "%q: a ratio is positive", s)
		}
		return Ratio{num, den}, nil
	}
	if whole, _, _ := strings.Cut(strings.TrimPrefix(s, "-"), "."); len(whole) > 9 {
		return Ratio{}, Errorf(EInvalid, "%q is too large for a ratio", s)
	}
	v, err := parseFixed(s, ratioDecimals)
	if err != nil {
		return Ratio{}, Errorf(EInvalid, "%q is not a fraction such as \"52/12\" or a decimal with at most %d decimals such as \"4.345\"", s, ratioDecimals)
	}
	if v <= 0 {
		return Ratio{}, Errorf(EInvalid, "%q: a ratio is positive", s)
	}
	return Ratio{v, pow10(ratioDecimals)}.reduced(), nil
}

// ratioDecimals is how many decimals a ratio written as a decimal may have.
const ratioDecimals = 6

// plainString returns the content of a JSON string without escapes, the
// fast path of the decoders of carecost's value types.
func plainString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' || bytes.IndexByte(b[1:len(b)-1], '\\') >= 0 || bytes.IndexByte(b[1:len(b)-1], '"') >= 0 {
		return "", false
	}
	return string(b[1 : len(b)-1]), true
}

func (r Ratio) reduced() Ratio {
	x := big.NewRat(r.Num, r.Den)
	return Ratio{x.Num().Int64(), x.Denom().Int64()}
}

// IsZero reports whether r is unset.
func (r Ratio) IsZero() bool { return r.Den == 0 }

// Rat returns r as a big.Rat.
func (r Ratio) Rat() *big.Rat { return big.NewRat(r.Num, r.Den) }

// String writes r as "num/den" ("52/12"), or "num" when den is 1.
func (r Ratio) String() string {
	if r.Den == 1 {
		return strconv.FormatInt(r.Num, 10)
	}
	return strconv.FormatInt(r.Num, 10) + "/" + strconv.FormatInt(r.Den, 10)
}

// MarshalText writes r as "num/den" (JSON carries it as a string).
func (r Ratio) MarshalText() ([]byte, error) { return []byte(r.String()), nil }

// UnmarshalJSON reads a string written by MarshalJSON.
func (r *Ratio) UnmarshalJSON(b []byte) error {
	s, ok := plainString(b)
	if !ok && json.Unmarshal(b, &s) != nil {
		return Errorf(EInvalid, "a ratio must be a string such as \"52/12\", got %s", b)
	}
	v, err := ParseRatio(s)
	if err != nil {
		return err
	}
	*r = v
	return nil
}
