package domain

import (
	"context"
	"errors"
	"slices"
	"strings"
)

// WhatIf names what an estimate is re-priced with: a tariff version, an
// income-limit catalogue version and a pricing date. A zero field keeps the
// estimate's own: its pricing date, and the versions in effect on the
// pricing date as the catalogue now stands.
type WhatIf struct {
	TariffVersion int  `json:"tariff_version,omitempty"`
	IncomeVersion int  `json:"income_version,omitempty"`
	PricingDate   Date `json:"pricing_date,omitzero"`
}

// Minus returns t - u, figure by figure.
func (t Totals) Minus(u Totals) Totals { return t.Plus(u.Times(-1)) }

// IsZero reports whether every figure is 0.
func (t Totals) IsZero() bool { return t == Totals{} }

// lineTotals returns the figures of one priced line.
func lineTotals(l LineResult) Totals {
	return Totals{CountyGross: l.CountyGross, ClientFee: l.ClientFee, VoucherCopay: l.VoucherCopay, CountyNet: l.CountyNet}
}

// Change is a set of figures before and after, and the difference.
type Change struct {
	Before Totals `json:"before"`
	After  Totals `json:"after"`
	Change Totals `json:"change"`
}

func changeOf(before, after Totals) Change {
	return Change{Before: before, After: after, Change: after.Minus(before)}
}

// LineChange compares one line of two pricings. A line priced in only one
// of them has zero figures in the other.
type LineChange struct {
	LineID    string    `json:"line_id"`
	Service   string    `json:"service"`
	Mode      Mode      `json:"mode"`
	Frequency Frequency `json:"frequency"`
	// UnitCostBefore and UnitCostAfter are the county's cost per unit.
	UnitCostBefore Money `json:"unit_cost_before"`
	UnitCostAfter  Money `json:"unit_cost_after"`
	Change
}

// Comparison sets two pricings of the same inputs side by side: per line,
// per month (recurring lines), once (one-off lines) and per year.
type Comparison struct {
	Lines   []LineChange `json:"lines"`
	Monthly Change       `json:"monthly"`
	OneOff  Change       `json:"one_off"`
	Yearly  Change       `json:"yearly"`
}

// Changed reports whether any figure differs.
func (c Comparison) Changed() bool {
	return !c.Monthly.Change.IsZero() || !c.OneOff.Change.IsZero() || !c.Yearly.Change.IsZero() ||
		slices.ContainsFunc(c.Lines, func(l LineChange) bool { return !l.Change.Change.IsZero() })
}

// Compare sets pricing after beside pricing before, line by line (lines
// matched by id, in before's order, then after's new ones).
func Compare(before, after Quote) Comparison {
	c := Comparison{Lines: []LineChange{}, Monthly: changeOf(before.Monthly, after.Monthly),
		OneOff: changeOf(before.OneOff, after.OneOff), Yearly: changeOf(before.Yearly, after.Yearly)}
	seen := map[string]bool{}
	for _, b := range before.Lines {
		lc := LineChange{LineID: b.LineID, Service: b.Service, Mode: b.Mode, Frequency: b.Frequency, UnitCostBefore: b.UnitCost}
		var at Totals
		if i := slices.IndexFunc(after.Lines, func(a LineResult) bool { return a.LineID == b.LineID }); i >= 0 {
			at, lc.UnitCostAfter = lineTotals(after.Lines[i]), after.Lines[i].UnitCost
			seen[b.LineID] = true
		}
		lc.Change = changeOf(lineTotals(b), at)
		c.Lines = append(c.Lines, lc)
	}
	for _, a := range after.Lines {
		if !seen[a.LineID] {
			c.Lines = append(c.Lines, LineChange{LineID: a.LineID, Service: a.Service, Mode: a.Mode, Frequency: a.Frequency,
				UnitCostAfter: a.UnitCost, Change: changeOf(Totals{}, lineTotals(a))})
		}
	}
	return c
}

// WhatIfResult is an estimate re-priced under other versions or another
// pricing date, beside its own figures: the decided ones for a decided or
// superseded estimate, else its latest pricing. Nothing is stored.
type WhatIfResult struct {
	EstimateID string         `json:"estimate_id"`
	Status     EstimateStatus `json:"status"`
	// Decided says Before holds the figures of the decision.
	Decided bool `json:"decided"`
	// TariffStatus and IncomeStatus are the status of the versions After
	// was priced with: a draft's figures are not a price list's yet.
	TariffStatus VersionStatus `json:"tariff_status"`
	IncomeStatus VersionStatus `json:"income_status,omitempty"`
	Before       Quote         `json:"before"`
	After        Quote         `json:"after"`
	Compare      Comparison    `json:"comparison"`
}

// WhatIf re-prices estimate id with w, storing nothing. The actor sees only
// the estimates they may read (another team's is not found).
func (c *Commands) WhatIf(ctx context.Context, actor Actor, id string, w WhatIf) (WhatIfResult, error) {
	if err := ValidUUID("id", id); err != nil {
		return WhatIfResult{}, noEstimate(id)
	}
	e, err := c.Estimate(ctx, id)
	if err != nil {
		return WhatIfResult{}, err
	}
	if !actor.Sees(e.team) {
		return WhatIfResult{}, noEstimate(id)
	}
	if e.quote == nil {
		return WhatIfResult{}, &Error{Code: EConflict, Message: "estimate " + id + " has not been priced yet"}
	}
	pb, date, err := c.whatIfBasis(ctx, e, w)
	if err != nil {
		return WhatIfResult{}, err
	}
	after, err := e.priceWith(pb, date)
	if err != nil {
		var pe *Error
		if errors.As(err, &pe) && pe.Code == EInvalid {
			// The estimate's own lines are fine; the versions chosen
			// cannot price them.
			field := "tariff_version"
			if strings.HasPrefix(pe.Field, "household") || pe.Field == "income_catalogue" {
				field = "income_version"
			}
			return WhatIfResult{}, Invalidf(field, "tariff %s version %d cannot price estimate %s on %s: %s (%s)",
				pb.Tariff.TariffID, pb.Tariff.Number, e.id, date, pe.Message, pe.Field)
		}
		return WhatIfResult{}, err
	}
	before := *e.quote
	r := WhatIfResult{EstimateID: e.id, Status: e.status, Decided: e.decision != nil, TariffStatus: pb.Tariff.Status,
		Before: before, After: after, Compare: Compare(before, after)}
	if pb.Income != nil {
		r.IncomeStatus = pb.Income.Status
	}
	return r, nil
}

// priceWith prices the estimate's inputs (its lines, assessment and
// household as they stand) against pb on date.
func (e *Estimate) priceWith(pb PriceBasis, date Date) (Quote, error) {
	return Price(PriceInput{PricingDate: date, Maple: e.maple, Household: e.personal.Household, Lines: e.lines}, pb)
}

// whatIfBasis resolves w for estimate e against the catalogue as it now
// stands.
func (c *Commands) whatIfBasis(ctx context.Context, e *Estimate, w WhatIf) (PriceBasis, Date, error) {
	date := w.PricingDate
	if date.IsZero() {
		date = e.quote.PricingDate
	}
	cat, err := c.Catalogue(ctx)
	if err != nil {
		return PriceBasis{}, date, err
	}
	pb := PriceBasis{Services: cat.Service}
	t, err := c.Tariff(ctx, e.basis.TariffID, Position{})
	if err != nil {
		return pb, date, err
	}
	if pb.Tariff, err = versionOrAt[TariffVersion](t, w.TariffVersion, date, "tariff_version", "tariff "+t.id); err != nil {
		return pb, date, err
	}
	if e.basis.IncomeCatalogueID == "" {
		if w.IncomeVersion != 0 {
			return pb, date, Invalidf("income_version", "estimate %s is priced without an income-limit catalogue", e.id)
		}
		return pb, date, nil
	}
	ic, err := c.IncomeCatalogue(ctx, e.basis.IncomeCatalogueID, Position{})
	if err != nil {
		return pb, date, err
	}
	iv, err := versionOrAt[IncomeVersion](ic, w.IncomeVersion, date, "income_version", "income-limit catalogue "+ic.id)
	if err != nil {
		return pb, date, err
	}
	pb.Income = &iv
	return pb, date, nil
}

// dated is a tariff or an income-limit catalogue, whose versions are of
// type V.
type dated[V any] interface {
	Version(n int) (V, bool)
	VersionAt(d Date) (V, bool)
}

// versionOrAt returns version n of a (any but a withdrawn one), or, when n
// is 0, the version in effect on date.
func versionOrAt[V any](a dated[V], n int, date Date, field, what string) (V, error) {
	if n == 0 {
		v, ok := a.VersionAt(date)
		if !ok {
			return v, Invalidf("pricing_date", "%s has no published version in effect on %s", what, date)
		}
		return v, nil
	}
	v, ok := a.Version(n)
	if !ok {
		var zero V
		return zero, Invalidf(field, "%s has no version %d", what, n)
	}
	if info := any(v).(interface{ info() VersionInfo }).info(); info.Status == StatusWithdrawn {
		return v, Invalidf(field, "version %d of %s was withdrawn", n, what)
	}
	return v, nil
}

func (v TariffVersion) info() VersionInfo { return v.VersionInfo }
func (v IncomeVersion) info() VersionInfo { return v.VersionInfo }
