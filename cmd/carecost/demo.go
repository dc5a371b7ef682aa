package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
)

// loadDemo fills an empty store with the demo catalogue, about forty sample
// estimates over six months (drafts, presented, decided, revised and
// cancelled ones), and a retroactive correction of the 2025 tariff, so a
// newcomer sees a populated tool and an audit trail with touched decisions.
// A store that has a catalogue already is left alone (users and tokens
// made before, say a bootstrap admin, do not count); loaded says whether
// the data was loaded now.
func loadDemo(ctx context.Context, a *app) (loaded bool, err error) {
	cat, err := a.cmds.Catalogue(ctx)
	if err != nil || cat.StreamVersion() >= 0 {
		return false, err
	}
	set, err := demo.Catalogue()
	if err != nil {
		return false, err
	}
	admin := domain.Command{Actor: domain.Actor{ID: "demo-admin", Role: "admin"}}
	if _, err := a.cmds.ImportCatalogue(ctx, admin, set); err != nil {
		return false, err
	}
	r := rand.New(rand.NewPCG(2026, 1))
	for i := range 40 {
		if err := demoEstimate(ctx, a.cmds, r, i); err != nil {
			return false, fmt.Errorf("sample estimate %d: %w", i+1, err)
		}
	}
	if err := demoCorrection(ctx, a.cmds, admin); err != nil {
		return false, err
	}
	a.log.Info("demo data loaded", "estimates", 40)
	return true, nil
}

// demoLines are the service packages the sample estimates draw from.
var demoLines = [][]domain.Line{
	{{Service: "regular-home-care", Mode: "own", Quantity: 5000, Frequency: "week"}, {Service: "meal-service", Mode: "voucher", Quantity: 7000, Frequency: "week", ProviderPrice: euros(1090)}, {Service: "safety-phone", Mode: "own", Quantity: 1000, Frequency: "month"}},
	{{Service: "regular-home-care", Mode: "purchased", Quantity: 20000, Frequency: "month"}, {Service: "bathing", Mode: "own", Quantity: 1000, Frequency: "week"}},
	{{Service: "cleaning", Mode: "voucher", Quantity: 2000, Frequency: "month", ProviderPrice: euros(3900)}, {Service: "errands", Mode: "own", Quantity: 1000, Frequency: "week"}, {Service: "clothing-care", Mode: "own", Quantity: 2000, Frequency: "month"}},
	{{Service: "day-activity", Mode: "own", Quantity: 2000, Frequency: "week"}, {Service: "safety-phone", Mode: "purchased", Quantity: 1000, Frequency: "month"}, {Service: "assessment-period", Mode: "own", Quantity: 14000, Frequency: "one_off"}},
	{{Service: "housing-24h", Mode: "purchased", Quantity: 1000, Frequency: "day"}},
	{{Service: "regular-home-care", Mode: "own", Quantity: 2500, Frequency: "week"}, {Service: "family-carer-leave", Mode: "own", Quantity: 3000, Frequency: "month"}, {Service: "short-term-care", Mode: "own", Quantity: 4000, Frequency: "month"}},
}

func euros(cents int64) *domain.Money {
	m := domain.Money(cents)
	return &m
}

func demoEstimate(ctx context.Context, cmds *domain.Commands, r *rand.Rand, i int) error {
	month := time.Month(9 + i%6)
	year := 2025
	if month > 12 {
		month, year = month-12, 2026
	}
	pricing := domain.NewDate(year, month, 1+r.IntN(27))
	size := 1 + r.IntN(2)
	gross := domain.Money(110000 + r.Int64N(250000))
	in := domain.CaseInput{ClientRef: fmt.Sprintf("DEMO-%03d", i+1), Maple: 1 + r.IntN(5), Segment: domain.Segments[r.IntN(len(domain.Segments))],
		Household: domain.Household{Size: size, GrossIncome: new(gross), NetIncome: new(gross * 3 / 4),
			Deductions: []domain.Deduction{{Kind: "housing", Amount: domain.Money(40000 + r.Int64N(30000))}}},
		Basis: domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: pricing},
		Lines: demoLines[r.IntN(len(demoLines))]}
	cm := domain.Command{Actor: domain.Actor{ID: fmt.Sprintf("demo-cm-%d", 1+i%3), Role: "case_manager"}}
	id := domain.NewID()
	if _, _, err := cmds.OpenEstimate(ctx, cm, id, in); err != nil {
		return err
	}
	return demoLifecycle(ctx, cmds, cm, r, id, pricing, i)
}

// demoLifecycle takes a sample estimate a step or more along its life.
func demoLifecycle(ctx context.Context, cmds *domain.Commands, cm domain.Command, r *rand.Rand, id string, pricing domain.Date, i int) error {
	var err error
	switch step := r.IntN(10); {
	case step < 2:
		return nil
	case step < 3:
		_, _, err = cmds.Cancel(ctx, cm, id, "the client chose private services")
		return err
	case step < 4:
		_, _, err = cmds.Present(ctx, cm, id)
		return err
	}
	if _, _, err = cmds.Present(ctx, cm, id); err != nil {
		return err
	}
	d := domain.Decision{Number: fmt.Sprintf("ASOH-%d-%04d", pricing.Year(), i+1), Date: domain.DateOf(time.Now()), EffectiveFrom: pricing.AddDays(14)}
	if _, _, err = cmds.Decide(ctx, cm, id, d); err != nil || i%7 != 0 {
		return err
	}
	rev := domain.NewID()
	if _, _, err = cmds.Revise(ctx, cm, id, rev, pricing.AddDays(40)); err != nil {
		return err
	}
	_, _, _, err = cmds.AddLine(ctx, cm, rev, domain.Line{Service: "errands", Mode: "own", Quantity: 1000, Frequency: "week"})
	return err
}

// demoCorrection publishes a correction of the 2025 tariff version: the
// errand service's fee was entered wrong. Decisions priced in 2025 show as
// touched by it in the audit trail.
func demoCorrection(ctx context.Context, cmds *domain.Commands, admin domain.Command) error {
	n, _, err := cmds.CreateTariffDraft(ctx, admin, "phhva", 0, 1, "Korjaus: asiointipalvelun asiakasmaksu 11.50 euroa")
	if err != nil {
		return err
	}
	for _, mode := range []domain.Mode{"own", "purchased"} {
		cost := map[domain.Mode]domain.Money{"own": 3200, "purchased": 3000}[mode]
		if _, err := cmds.SetTariffEntry(ctx, admin, "phhva", n, domain.Entry{Service: "errands", Mode: mode, UnitCost: cost,
			Rule: domain.RuleFlat, Fee: euros(1150)}); err != nil {
			return err
		}
	}
	_, err = cmds.PublishTariff(ctx, admin, "phhva", n, domain.Date{})
	return err
}
