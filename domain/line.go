package domain

import (
	"math/big"
	"slices"
)

// Frequency says how often a line's quantity recurs.
type Frequency string

// Frequencies.
const (
	PerDay   Frequency = "day"
	PerWeek  Frequency = "week"
	PerMonth Frequency = "month"
	OneOff   Frequency = "one_off"
)

// Frequencies lists every frequency.
var Frequencies = []Frequency{PerDay, PerWeek, PerMonth, OneOff}

// Line is one service of an estimate: what, how it is produced, how much and
// how often, and for a voucher the provider's price per unit.
type Line struct {
	ID            string    `json:"id"`
	Service       string    `json:"service" carecost:"required"`
	Mode          Mode      `json:"mode" carecost:"required"`
	Quantity      Quantity  `json:"quantity" carecost:"required"`
	Frequency     Frequency `json:"frequency" carecost:"required"`
	ProviderPrice *Money    `json:"provider_price,omitempty"`
}

// validate checks the line's own fields (not its prices).
// MaxQuantity bounds the quantity of a line per period (100 000 units):
// far above any real care plan, far below what could overflow a sum.
const MaxQuantity Quantity = 100_000_000

// fitsUnit checks that a service counted per day, week or month is not
// entered per a shorter period: a monthly service "per day" would count
// some thirty months a month.
func (l Line) fitsUnit(u Unit) error {
	short := map[Unit][]Frequency{"month": {PerDay, PerWeek}, "week": {PerDay}}[u]
	if slices.Contains(short, l.Frequency) {
		return Invalidf("frequency", "%q is counted per %s; a quantity per %s does not fit (use %s or longer, or one_off)", l.Service, u, l.Frequency, u)
	}
	return nil
}

func (l Line) validate() error {
	if l.Service == "" {
		return Invalidf("service", "a service is required")
	}
	if l.Mode == "" {
		return Invalidf("mode", "a production mode is required; use one of %v", Modes)
	}
	if !slices.Contains(Modes, l.Mode) {
		return Invalidf("mode", "%q is not a production mode; use one of %v", l.Mode, Modes)
	}
	if l.Quantity < 0 {
		return Invalidf("quantity", "must not be negative")
	}
	if l.Quantity > MaxQuantity {
		return Invalidf("quantity", "%s is more than a line can hold (at most %s per period)", l.Quantity, MaxQuantity)
	}
	if l.Frequency == "" {
		return Invalidf("frequency", "a frequency is required; use one of %v", Frequencies)
	}
	if !slices.Contains(Frequencies, l.Frequency) {
		return Invalidf("frequency", "%q is not a frequency; use one of %v", l.Frequency, Frequencies)
	}
	if l.ProviderPrice != nil {
		if err := checkAmount("provider_price", *l.ProviderPrice, MaxPrice); err != nil {
			return err
		}
	}
	if l.ProviderPrice != nil && l.Mode != ModeVoucher {
		return Invalidf("provider_price", "a provider price belongs to a service-voucher line")
	}
	return nil
}

// unitsPerMonth converts the line's quantity to units per month (for a
// one-off line: the units, once) with the tariff version's conversions.
func (l Line) unitsPerMonth(v TariffVersion) *big.Rat {
	u := l.Quantity.Rat()
	switch l.Frequency {
	case PerDay:
		u.Mul(u, v.DaysPerMonth.Rat())
	case PerWeek:
		u.Mul(u, v.WeeksPerMonth.Rat())
	}
	return u
}
