package domain

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
)

// PriceInput is what the fee engine prices: the case's lines, household and
// MAPLe level on a pricing date.
type PriceInput struct {
	PricingDate Date
	Maple       int
	Household   Household
	Lines       []Line
}

// PriceBasis is what an estimate is priced against: the tariff version and the
// income-limit catalogue version in effect on the pricing date (Income may be
// nil when no line needs it) and the catalogue's services.
type PriceBasis struct {
	Tariff   TariffVersion
	Income   *IncomeVersion
	Services ServiceLookup
}

// pricedLine is a line during pricing: its result and exact units.
type pricedLine struct {
	res   LineResult
	units *big.Rat
	svc   *Service
}

// Price computes the quote of in against b (DOMAIN.md A.3): every line in
// exact arithmetic, rounded once to the cent; the home-care and housing fees
// once per estimate and shared out to their lines; totals as sums of lines.
// Errors name the field at fault ("lines[1].mode").
func Price(in PriceInput, b PriceBasis) (Quote, error) {
	if err := in.Household.Validate(); err != nil {
		return Quote{}, prefixField("household", err)
	}
	if in.Maple < 0 || in.Maple > 5 {
		return Quote{}, Invalidf("maple", "MAPLe is 1 to 5, got %d", in.Maple)
	}
	q := Quote{PricingDate: in.PricingDate, WeeksPerMonth: b.Tariff.WeeksPerMonth, DaysPerMonth: b.Tariff.DaysPerMonth,
		Tariff: TariffRef{ID: b.Tariff.TariffID, Name: b.Tariff.Name, Version: b.Tariff.Number, ValidFrom: b.Tariff.ValidFrom, Corrects: b.Tariff.Corrects}}
	if b.Income != nil {
		q.IncomeCatalogue = &IncomeRef{ID: b.Income.CatalogueID, Name: b.Income.Name, Version: b.Income.Number, ValidFrom: b.Income.ValidFrom, Corrects: b.Income.Corrects}
	}
	if len(in.Lines) > MaxLines {
		return Quote{}, Invalidf("lines", "at most %d lines in one estimate, got %d", MaxLines, len(in.Lines))
	}
	lines := make([]*pricedLine, len(in.Lines))
	for i, l := range in.Lines {
		pl, err := priceLine(l, in.Household, b)
		if err != nil {
			return Quote{}, prefixField(fieldIndex("lines", i), err)
		}
		lines[i] = pl
	}
	if err := incomeKnown(in, b); err != nil {
		return Quote{}, err
	}
	if err := priceHomeCare(&q, lines, in.Household, b.Income); err != nil {
		return Quote{}, err
	}
	if err := priceHousing(&q, lines, in.Household, b.Income); err != nil {
		return Quote{}, err
	}
	for _, pl := range lines {
		pl.res.CountyNet = countyNet(pl.res)
		q.Lines = append(q.Lines, pl.res)
		q.Hints = append(q.Hints, hints(pl, in)...)
	}
	q.totals()
	q.Ceiling = ceiling(lines, b.Income)
	return q, nil
}

// MaxLines bounds the lines of one estimate.
const MaxLines = 200

// countyNet is gross minus the client's fee. A voucher line has no client
// fee: its co-payment goes to the provider, and the county pays the voucher
// value, its gross cost.
func countyNet(l LineResult) Money { return l.CountyGross - l.ClientFee }

// priceLine prices one line by its entry's rule; the income-based rules are
// priced per estimate afterwards.
func priceLine(l Line, h Household, b PriceBasis) (*pricedLine, error) {
	if err := l.validate(); err != nil {
		return nil, err
	}
	svc := b.Services(l.Service)
	if svc == nil {
		return nil, Invalidf("service", "service %q is not in the catalogue", l.Service)
	}
	if err := l.fitsUnit(svc.Unit); err != nil {
		return nil, err
	}
	if !slices.Contains(svc.Modes, l.Mode) {
		return nil, Invalidf("mode", "service %q is not delivered as %q; it is delivered as %v", l.Service, l.Mode, svc.Modes)
	}
	e, ok := b.Tariff.Entry(l.Service, l.Mode)
	if !ok {
		return nil, Invalidf("mode", "tariff %s version %d has no price for %q as %q", b.Tariff.TariffID, b.Tariff.Number, l.Service, l.Mode)
	}
	if e.Rule == RuleHomeCareIncome && svc.Unit != UnitHour {
		return nil, Invalidf("service", "tariff %s version %d prices %q by hours (home_care_income), but the catalogue now counts it per %s; the tariff needs a new version",
			b.Tariff.TariffID, b.Tariff.Number, l.Service, svc.Unit)
	}
	if e.Rule.incomeBased() {
		if l.Frequency == OneOff {
			return nil, Invalidf("frequency", "%q is charged per month by income; use day, week or month", l.Service)
		}
	}
	units := l.unitsPerMonth(b.Tariff)
	pl := &pricedLine{units: units, svc: svc, res: LineResult{LineID: l.ID, Service: l.Service, Mode: l.Mode, Rule: e.Rule,
		Unit: svc.Unit, Quantity: l.Quantity, Frequency: l.Frequency, ProviderPrice: l.ProviderPrice, UnitsPerMonth: formatRat(units, 3), Entry: e}}
	pl.res.UnitCost = e.UnitCost
	pl.res.CountyGross = RoundCents(mul(units, e.UnitCost.Rat()))
	return pl, pricePerUnitRule(pl, l, e, h)
}

// pricePerUnitRule applies the rules that price a line by itself.
func pricePerUnitRule(pl *pricedLine, l Line, e Entry, h Household) error {
	switch e.Rule {
	case RuleFlat:
		pl.chargePerUnit(*e.Fee)
	case RuleIncomeTiered:
		t := pickTier(e.Tiers, h)
		pl.chargePerUnit(e.Tiers[t.Index-1].Fee)
		pl.res.Tier = &t
	case RuleVoucher:
		return priceVoucher(pl, l, e)
	}
	return nil
}

// chargePerUnit sets the fee to units x fee, capped at the production cost.
// The two are compared exactly, before rounding: a fee above the cost is cut
// to the line's cost (units x unit cost, rounded once) even where both
// round to the same cent.
func (pl *pricedLine) chargePerUnit(fee Money) {
	pl.res.FeePerUnit = &fee
	pl.res.ClientFee = RoundCents(mul(pl.units, fee.Rat()))
	if fee > pl.res.UnitCost && pl.units.Sign() > 0 {
		pl.res.ClientFee, pl.res.Capped = pl.res.CountyGross, true
	}
}

// pickTier picks the first tier whose income limit for the household's size
// covers its gross income, else the last, and names the limits around it.
func pickTier(tiers []Tier, h Household) TierPick {
	i := len(tiers) - 1
	for j, t := range tiers {
		if len(t.MaxIncome) > 0 && h.Gross() <= tierLimit(t, h.Size) {
			i = j
			break
		}
	}
	p := TierPick{Index: i + 1, Of: len(tiers)}
	if i > 0 {
		above := tierLimit(tiers[i-1], h.Size)
		p.Above = &above
	}
	if len(tiers[i].MaxIncome) > 0 {
		upTo := tierLimit(tiers[i], h.Size)
		p.UpTo = &upTo
	}
	return p
}

// priceVoucher: the county pays the voucher value (the entry's unit cost), or
// the provider's price when that is lower; the client pays the rest of the
// provider's price to the provider.
func priceVoucher(pl *pricedLine, l Line, e Entry) error {
	price := l.ProviderPrice
	if price == nil {
		price = e.ProviderPrice
	}
	if price == nil {
		return Invalidf("provider_price", "the provider's price per %s is required for a service voucher", pl.svc.Unit)
	}
	county := min(*price, e.UnitCost)
	co := *price - county
	pl.res.UnitCost = county
	pl.res.CountyGross = RoundCents(mul(pl.units, county.Rat()))
	pl.res.VoucherCopayPerUnit = &co
	pl.res.VoucherCopay = RoundCents(mul(pl.units, co.Rat()))
	return nil
}

func mul(a, b *big.Rat) *big.Rat { return new(big.Rat).Mul(a, b) }

// formatRat formats r with the given decimals, rounded half away from zero.
func formatRat(r *big.Rat, decimals int) string {
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt64(pow10(decimals)))
	return formatFixed(roundHalfAway(scaled), decimals)
}

// hints returns the eligibility hints of a line for the case.
func hints(pl *pricedLine, in PriceInput) []Hint {
	var out []Hint
	el := pl.svc.Eligibility
	if el.MinMaple > 0 && in.Maple > 0 && in.Maple < el.MinMaple {
		out = append(out, newHint(pl.res.LineID, pl.svc.ID, HintMinMaple, strconv.Itoa(el.MinMaple), strconv.Itoa(in.Maple)))
	}
	if el.MaxGrossIncome != nil && in.Household.GrossIncome != nil && *in.Household.GrossIncome > *el.MaxGrossIncome {
		out = append(out, newHint(pl.res.LineID, pl.svc.ID, HintMaxGrossIncome, el.MaxGrossIncome.String(), in.Household.GrossIncome.String()))
	}
	return out
}

// incomeKnown checks that the case and the income-limit table hold every
// figure its income-based lines depend on. An income left out is unknown,
// and pricing it as zero would give the lowest fee, so it is refused.
func incomeKnown(in PriceInput, b PriceBasis) error {
	h := in.Household
	for i, l := range in.Lines {
		e, ok := b.Tariff.Entry(l.Service, l.Mode)
		if !ok {
			continue // priceLine names the line
		}
		line := fmt.Sprintf("line %d (%s as %s, rule %s)", i+1, l.Service, l.Mode, e.Rule)
		if e.Rule.incomeBased() && b.Income == nil {
			return Invalidf("income_catalogue", "%s has an income-based fee; choose an income-limit catalogue", line)
		}
		switch e.Rule {
		case RuleIncomeTiered:
			if h.GrossIncome == nil && len(e.Tiers) > 1 {
				return Invalidf("household.gross_income", "%s depends on the household's gross monthly income; give it (\"0.00\" when there is none)", line)
			}
		case RuleHomeCareIncome:
			t := b.Income.Table
			if h.GrossIncome == nil {
				return Invalidf("household.gross_income", "%s depends on the household's gross monthly income; give it (\"0.00\" when there is none)", line)
			}
			if h.Size > len(t.Limits) && t.ExtraPerson == nil {
				return Invalidf("household.size", "income-limit catalogue %s version %d lists limits for up to %d people and no extra_person for a household of %d; the table needs an extra_person (\"0.00\" when a larger household keeps the last limit)",
					b.Income.CatalogueID, b.Income.Number, len(t.Limits), h.Size)
			}
		case RuleHousingNet:
			t := b.Income.Table
			if h.NetIncome == nil {
				return Invalidf("household.net_income", "%s depends on the client's net monthly income; give it (\"0.00\" when there is none)", line)
			}
			if s := h.Spouse; s != nil && !s.InLongTermCare && s.NetIncome == nil {
				return Invalidf("household.spouse.net_income", "%s depends on the spouse's net monthly income too; give it (\"0.00\" when there is none)", line)
			}
			if t.Kayttovara == nil {
				return Invalidf("income_catalogue", "income-limit catalogue %s version %d has no kayttovara, which %s needs; the table needs one",
					b.Income.CatalogueID, b.Income.Number, line)
			}
		}
	}
	return nil
}
