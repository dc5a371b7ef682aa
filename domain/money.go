package domain

import (
	"encoding/json"
	"math/big"
	"strconv"
	"strings"
)

// Money is an amount of euros in integer cents. It travels in JSON as a
// decimal string ("298.22"), never as a number.
type Money int64

// Euros returns the Money for whole euros and cents.
func Euros(euros, cents int64) Money { return Money(euros*100 + cents) }

// ParseMoney parses a decimal amount of euros: "1234.56", "-0.05", "12",
// "12.5". More than two decimals, a comma, a sign in the middle, spaces or an
// empty string are errors: money is never rounded silently on input.
func ParseMoney(s string) (Money, error) {
	v, err := parseFixed(s, 2)
	if err != nil {
		return 0, err
	}
	return Money(v), nil
}

// parseFixed parses a decimal string with at most scale decimals into an
// integer scaled by 10^scale.
func parseFixed(s string, scale int) (int64, error) {
	neg := strings.HasPrefix(s, "-")
	body := strings.TrimPrefix(s, "-")
	whole, frac, hasDot := strings.Cut(body, ".")
	if whole == "" || (hasDot && frac == "") || len(frac) > scale || !digits(whole) || !digits(frac) {
		return 0, Errorf(EInvalid, "%q is not a decimal number with at most %d decimals (for example \"1234.50\")", s, scale)
	}
	if len(whole) > 15 {
		return 0, Errorf(EInvalid, "%q is too large", s)
	}
	w, _ := strconv.ParseInt(whole, 10, 64)
	f := int64(0)
	if frac != "" {
		f, _ = strconv.ParseInt(frac+strings.Repeat("0", scale-len(frac)), 10, 64)
	}
	v := w*pow10(scale) + f
	if neg {
		v = -v
	}
	return v, nil
}

// parseCentsFast reads a JSON string "1234.50" (an optional minus, at
// most 15 digits, at most two decimals) without allocating; anything else
// is left to the full path and its messages.
func parseCentsFast(b []byte) (Money, bool) {
	if len(b) < 3 || b[0] != '"' || b[len(b)-1] != '"' {
		return 0, false
	}
	b = b[1 : len(b)-1]
	neg := b[0] == '-'
	if neg {
		b = b[1:]
	}
	var whole, frac int64
	i, n := 0, 0
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		whole = whole*10 + int64(b[i]-'0')
		n++
	}
	if n == 0 || n > 15 {
		return 0, false
	}
	scale := int64(100)
	if i < len(b) {
		if b[i] != '.' || len(b)-i-1 < 1 || len(b)-i-1 > 2 {
			return 0, false
		}
		for _, c := range b[i+1:] {
			if c < '0' || c > '9' {
				return 0, false
			}
			frac = frac*10 + int64(c-'0')
			scale /= 10
		}
	}
	v := whole*100 + frac*scale
	if neg {
		v = -v
	}
	return Money(v), true
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func pow10(n int) int64 {
	p := int64(1)
	for range n {
		p *= 10
	}
	return p
}

// formatFixed formats v scaled by 10^scale with exactly scale decimals.
func formatFixed(v int64, scale int) string {
	sign := ""
	u := uint64(v)
	if v < 0 {
		sign, u = "-", uint64(-v)
	}
	p := uint64(pow10(scale))
	s := strconv.FormatUint(u/p, 10)
	if scale == 0 {
		return sign + s
	}
	f := strconv.FormatUint(u%p, 10)
	return sign + s + "." + strings.Repeat("0", scale-len(f)) + f
}

// String formats m as euros with two decimals: "298.22", "-0.05".
func (m Money) String() string { return formatFixed(int64(m), 2) }

// Rat returns m in euros as an exact rational.
func (m Money) Rat() *big.Rat { return big.NewRat(int64(m), 100) }

// MarshalText writes m as a decimal (JSON carries it as a string).
func (m Money) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalJSON reads a decimal string; a JSON number is refused so that no
// amount ever passes through a float.
func (m *Money) UnmarshalJSON(b []byte) error {
	if v, ok := parseCentsFast(b); ok {
		*m = v
		return nil
	}
	s, ok := plainString(b)
	if !ok && json.Unmarshal(b, &s) != nil {
		return Errorf(EInvalid, "an amount must be a decimal string such as \"12.50\", got %s", b)
	}
	v, err := ParseMoney(s)
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// Bounds of the amounts carecost accepts. They are far above any real price
// or income and keep every sum of a year of an estimate far inside what
// the arithmetic and the stored decimal strings hold.
const (
	MaxPrice  Money = 10_000_000    // 100 000.00 EUR: a unit cost, fee or provider price
	MaxIncome Money = 1_000_000_000 // 10 000 000.00 EUR a month: an income, deduction or limit
)

// checkAmount refuses a negative amount or one above max, naming field.
func checkAmount(field string, m, max Money) error {
	if m < 0 {
		return Invalidf(field, "must not be negative")
	}
	if m > max {
		return Invalidf(field, "%s is above the largest amount carecost accepts here (%s)", m, max)
	}
	return nil
}

// RoundCents rounds an amount of euros to the cent, half away from zero: the
// one rounding rule of carecost (DOMAIN.md A.1).
func RoundCents(euros *big.Rat) Money {
	c := new(big.Rat).Mul(euros, big.NewRat(100, 1))
	return Money(roundHalfAway(c))
}

// roundHalfAway rounds r to the nearest integer, halves away from zero.
func roundHalfAway(r *big.Rat) int64 {
	num := new(big.Int).Abs(r.Num())
	den := r.Denom()
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int))
	if rem.Lsh(rem, 1).Cmp(den) >= 0 {
		q.Add(q, big.NewInt(1))
	}
	if r.Sign() < 0 {
		q.Neg(q)
	}
	return q.Int64()
}
