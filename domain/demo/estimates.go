package demo

import (
	"context"
	"fmt"
	"slices"
	"time"

	"carecost/domain"
)

// packages are the service packages the history's estimates draw from.
var packages = [][]domain.Line{
	{{Service: "regular-home-care", Mode: "own", Quantity: 5000, Frequency: "week"}, {Service: "meal-service", Mode: "voucher", Quantity: 7000, Frequency: "week", ProviderPrice: euros(1090)}, {Service: "safety-phone", Mode: "own", Quantity: 1000, Frequency: "month"}},
	{{Service: "regular-home-care", Mode: "purchased", Quantity: 20000, Frequency: "month"}, {Service: "bathing", Mode: "own", Quantity: 1000, Frequency: "week"}},
	{{Service: "cleaning", Mode: "voucher", Quantity: 2000, Frequency: "month", ProviderPrice: euros(3900)}, {Service: "errands", Mode: "own", Quantity: 1000, Frequency: "week"}, {Service: "clothing-care", Mode: "own", Quantity: 2000, Frequency: "month"}},
	{{Service: "day-activity", Mode: "own", Quantity: 2000, Frequency: "week"}, {Service: "safety-phone", Mode: "purchased", Quantity: 1000, Frequency: "month"}, {Service: "assessment-period", Mode: "own", Quantity: 14000, Frequency: "one_off"}},
	{{Service: "housing-24h", Mode: "purchased", Quantity: 1000, Frequency: "day"}},
	{{Service: "regular-home-care", Mode: "own", Quantity: 2500, Frequency: "week"}, {Service: "family-carer-leave", Mode: "own", Quantity: 3000, Frequency: "month"}, {Service: "short-term-care", Mode: "own", Quantity: 4000, Frequency: "month"}},
	{{Service: "errands", Mode: "purchased", Quantity: 2000, Frequency: "week"}, {Service: "bathing", Mode: "purchased", Quantity: 1000, Frequency: "week"}, {Service: "meal-service", Mode: "own", Quantity: 3000, Frequency: "week"}},
}

func euros(cents int64) *domain.Money {
	m := domain.Money(cents)
	return &m
}

// estimate is one estimate of the history and how far its life goes.
type estimate struct {
	k       int
	id      string
	cm      domain.Actor
	pricing domain.Date
	lines   []domain.Line
}

// scheduleEstimate schedules estimate k, opened at open, and the steps of
// its life: most are presented and decided, some of those revised later;
// some stay drafts or presented, some are cancelled. Steps that would come
// after now are left out, so the latest estimates are still in the works.
func (b *builder) scheduleEstimate(k int, open time.Time) {
	e := &estimate{k: k, id: domain.DeriveID(fmt.Sprintf("demo/estimate/%d", k)), cm: CaseManagers[k%len(CaseManagers)],
		lines: packages[k%len(packages)]}
	e.pricing = domain.DateOf(open).AddDays(14 + b.r.IntN(21))
	in := b.caseInput(k, e.pricing, e.lines)
	label := fmt.Sprintf("estimate %d", k+1)
	b.add(open, false, label+": open", func(ctx context.Context) error {
		b.estimates++
		_, _, err := b.cmds.OpenEstimate(ctx, b.command(e.cm), e.id, in)
		return err
	})
	t := open
	later := func(minDays, spread int) time.Time {
		t = b.officeTime(domain.DateOf(t).AddDays(minDays + b.r.IntN(spread)))
		return t
	}
	switch kind := b.r.IntN(20); {
	case kind < 2: // a draft
		return
	case kind < 4: // presented, the client thinking it over
		b.add(later(1, 10), false, label+": present", b.present(e.cm, e.id))
		return
	case kind < 5: // cancelled as a draft
		b.add(later(3, 20), false, label+": cancel", b.cancel(e.cm, e.id, "Asiakas valitsi yksityisen palvelun"))
		return
	case kind < 6: // cancelled once presented
		b.add(later(1, 10), false, label+": present", b.present(e.cm, e.id))
		b.add(later(5, 20), false, label+": cancel", b.cancel(e.cm, e.id, "Asiakas siirtyi ympärivuorokautiseen hoitoon"))
		return
	}
	b.add(later(1, 10), false, label+": present", b.present(e.cm, e.id))
	b.add(later(2, 12), false, label+": decide", b.decide(e.cm, e.id, e.pricing, e.lines))
	if b.r.IntN(3) != 0 {
		return
	}
	// A revision: the client's needs grew some months later.
	rev := domain.DeriveID(fmt.Sprintf("demo/revision/%d", k))
	revised := later(30, 90)
	revPricing := domain.DateOf(revised).AddDays(14)
	extra := domain.Line{Service: "errands", Mode: "own", Quantity: 1000, Frequency: "week"}
	for _, l := range e.lines {
		if l.Service == "errands" {
			extra = domain.Line{Service: "bathing", Mode: "own", Quantity: 1000, Frequency: "week"}
		}
	}
	revLines := append(append([]domain.Line(nil), e.lines...), extra)
	b.add(revised, false, label+": revise", func(ctx context.Context) error {
		if _, _, err := b.cmds.Revise(ctx, b.command(e.cm), e.id, rev, revPricing); err != nil {
			return err
		}
		b.estimates++
		_, _, _, err := b.cmds.AddLine(ctx, b.command(e.cm), rev, extra)
		return err
	})
	switch outcome := b.r.IntN(6); {
	case outcome == 0: // the revision still a draft
	case outcome == 1:
		b.add(later(2, 15), false, label+": cancel the revision", b.cancel(e.cm, rev, "Palvelutarve ei muuttunut"))
	default:
		b.add(later(1, 7), false, label+": present the revision", b.present(e.cm, rev))
		b.add(later(1, 10), false, label+": decide the revision", b.decide(e.cm, rev, revPricing, revLines))
	}
}

// caseInput is estimate k's case: a client, a household with incomes, an
// assessment and the package of services.
func (b *builder) caseInput(k int, pricing domain.Date, lines []domain.Line) domain.CaseInput {
	size := 1 + b.r.IntN(2)
	gross := domain.Money(110000 + b.r.Int64N(250000))
	net := gross * 3 / 4
	return domain.CaseInput{ClientRef: fmt.Sprintf("DEMO-%03d", k+1), Maple: 1 + b.r.IntN(5), Segment: domain.Segments[b.r.IntN(len(domain.Segments))],
		Household: domain.Household{Size: size, GrossIncome: &gross, NetIncome: &net,
			Deductions: []domain.Deduction{{Kind: "housing", Amount: domain.Money(40000 + b.r.Int64N(30000))}}},
		Basis: domain.Basis{TariffID: TariffID, IncomeCatalogueID: "statutory", PricingDate: pricing},
		Lines: lines}
}

func (b *builder) present(cm domain.Actor, id string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, _, err := b.cmds.Present(ctx, b.command(cm), id)
		return err
	}
}

func (b *builder) cancel(cm domain.Actor, id, reason string) func(context.Context) error {
	return func(ctx context.Context) error {
		_, _, err := b.cmds.Cancel(ctx, b.command(cm), id, reason)
		return err
	}
}

// decide records a decision dated the simulated day it is made, numbered
// in the county's series of its year ("2025/0042"), in effect from the
// first day of the month of the pricing date, or of the month after when
// the pricing date is later in its month (a December pricing then takes
// effect on 1 January, under the next year's price list: the decision
// records a version warning).
func (b *builder) decide(cm domain.Actor, id string, pricing domain.Date, lines []domain.Line) func(context.Context) error {
	return func(ctx context.Context) error {
		today := b.today()
		b.numbers[today.Year()]++
		d := domain.Decision{Number: fmt.Sprintf("%d/%04d", today.Year(), b.numbers[today.Year()]), Date: today, EffectiveFrom: effectiveFrom(pricing)}
		if _, _, err := b.cmds.Decide(ctx, b.command(cm), id, d); err != nil {
			return err
		}
		b.decisions++
		b.decided = append(b.decided, decided{id: id, pricing: pricing, lines: lines})
		return nil
	}
}

// effectiveFrom is the first day of pricing's month, or of the next month
// when pricing is after the first.
func effectiveFrom(pricing domain.Date) domain.Date {
	t := pricing.Time()
	if t.Day() == 1 {
		return pricing
	}
	return domain.NewDate(t.Year(), t.Month()+1, 1)
}

// scheduleStraddle schedules an estimate presented to its client before
// the correction of errands on fix and decided after it: re-priced at the
// decision, its totals differ from those presented (the audit flags it).
// It is priced on the date of the first decision with errands, the date
// the correction is chosen by.
func (b *builder) scheduleStraddle(fix domain.Date) {
	id := domain.DeriveID("demo/estimate/straddle")
	cm := CaseManagers[0]
	lines := []domain.Line{{Service: "errands", Mode: "own", Quantity: 2000, Frequency: "week"}, {Service: "meal-service", Mode: "own", Quantity: 5000, Frequency: "week"}}
	in := b.caseInput(EstimateCount, domain.Date{}, lines)
	label := "the estimate decided across a correction"
	b.add(b.officeTime(workday(fix.AddDays(-12))), false, label+": open", func(ctx context.Context) error {
		in.PricingDate = b.today()
		for _, d := range b.decided {
			if slices.ContainsFunc(d.lines, func(l domain.Line) bool { return l.Service == "errands" }) {
				in.PricingDate = d.pricing
				break
			}
		}
		b.estimates++
		_, _, err := b.cmds.OpenEstimate(ctx, b.command(cm), id, in)
		return err
	})
	b.add(b.officeTime(workday(fix.AddDays(-4))), false, label+": present", b.present(cm, id))
	b.add(b.officeTime(workday(fix.AddDays(3))), false, label+": decide", func(ctx context.Context) error {
		return b.decide(cm, id, in.PricingDate, lines)(ctx)
	})
}
