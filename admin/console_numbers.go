package admin

import (
	"math/big"
	"strconv"
	"strings"

	"carecost/domain"
)

// Numbers in the console's forms: a number refused for its size says the
// range it must be in, and a number shown back in a field is written the
// way the page's language writes it, so that it reads back as typed.

// quantityText writes a quantity in l's way, its thousands grouped and
// without trailing zeros: "100 000", "0,001" in Finnish.
func quantityText(l *Lang, q domain.Quantity) string {
	whole, frac := int64(q)/1000, int64(q)%1000
	s := l.Number(whole)
	if frac != 0 {
		s += l.T("format.decimal") + strings.TrimRight(strconv.FormatInt(frac+1000, 10)[1:], "0")
	}
	return s
}

// quantityMessage is the message of a quantity out of its range, naming
// the range.
func quantityMessage(l *Lang) string {
	return l.T("estimates.error.quantity", "min", quantityText(l, 1), "max", quantityText(l, domain.MaxQuantity))
}

// readMoney reads an amount of euros typed in l's way, from 0 to max; msg
// is the message for its field ("" when it is fine): not an amount, or
// one out of the range, which it names.
func readMoney(l *Lang, v string, max domain.Money) (m domain.Money, msg string) {
	m, ok := l.ParseMoney(v)
	switch {
	case !ok:
		return 0, l.T("error.money")
	case m < 0 || m > max:
		return 0, l.T("error.money_range", "min", l.Money(0), "max", l.Money(max))
	}
	return m, ""
}

// ratioDecimals is how many decimals a ratio shown as a decimal may have
// (as many as a typed one may).
const ratioDecimals = 6

// ratioText writes a month conversion for a field or a page: a decimal
// in l's way ("4,333", as typed) when it has one of at most six
// decimals, else the fraction it was typed as ("52/12").
func ratioText(l *Lang, r domain.Ratio) string {
	if r.IsZero() {
		return ""
	}
	x := r.Rat()
	scale := big.NewInt(1_000_000)
	if new(big.Int).Mod(scale, x.Denom()).Sign() != 0 {
		return r.String()
	}
	s := x.FloatString(ratioDecimals)
	s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	return strings.Replace(s, ".", l.T("format.decimal"), 1)
}
