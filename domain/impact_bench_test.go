package domain_test

import (
	"testing"
	"time"

	"carecost/domain"
)

// BenchmarkVersionImpact answers the preview of a correction of the meals'
// fee over 1 000 decisions in force on an in-memory store: each decision's
// stream is read and re-priced. go test -bench VersionImpact ./domain
func BenchmarkVersionImpact(b *testing.B) {
	c, _ := demoCommands(&testing.T{})
	meals := domain.Line{Service: "meal-service", Mode: "own", Quantity: 5000, Frequency: "week"}
	errands := domain.Line{Service: "errands", Mode: "own", Quantity: 1000, Frequency: "week"}
	today := domain.DateOf(time.Now())
	var ids []string
	for i := range 1000 {
		in := demoCaseB()
		in.ClientRef = "client-" + itoa(i)
		in.Lines = append(in.Lines, meals, errands)
		id := domain.NewID()
		if _, _, err := c.OpenEstimate(ctx, domain.Command{}, id, in); err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.Present(ctx, domain.Command{}, id); err != nil {
			b.Fatal(err)
		}
		if _, _, err := c.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "B-" + itoa(i), Date: today, EffectiveFrom: today}); err != nil {
			b.Fatal(err)
		}
		ids = append(ids, id)
	}
	n, _, err := c.CreateTariffDraft(ctx, adminCmd, "phhva", 1, 1, "meals")
	if err != nil {
		b.Fatal(err)
	}
	t, _ := c.Tariff(ctx, "phhva", domain.Position{})
	v, _ := t.Version(n)
	e, _ := v.Entry("meal-service", "own")
	fee := *e.Fee + 50
	e.Fee = &fee
	if _, err := c.SetTariffEntry(ctx, adminCmd, "phhva", n, e); err != nil {
		b.Fatal(err)
	}
	list := listAll(c, ids...)
	b.ResetTimer()
	for range b.N {
		r, err := c.VersionImpact(ctx, domain.ImpactQuery{Kind: domain.KindTariff, ID: "phhva", Version: n}, list)
		if err != nil || len(r.Decisions) != 1000 {
			b.Fatalf("%v, %d decisions", err, len(r.Decisions))
		}
	}
}

func demoCaseB() domain.CaseInput {
	gross, net := domain.Money(180000), domain.Money(150000)
	return domain.CaseInput{ClientRef: "client", Maple: 3, Segment: domain.SegContinuous,
		Household: domain.Household{Size: 1, GrossIncome: &gross, NetIncome: &net},
		Basis:     domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: domain.NewDate(2025, 3, 1)},
		Lines:     []domain.Line{{Service: "regular-home-care", Mode: "own", Quantity: 20000, Frequency: "month"}}}
}
