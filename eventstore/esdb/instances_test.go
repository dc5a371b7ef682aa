package esdb_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
	"carecost/eventstore/esdb"
	"carecost/eventstore/esdb/esdbtest"
)

// instances returns n carecost command sides, each over its own client of
// one server, with the demo catalogue imported through the first.
func instances(t *testing.T, n int) []*domain.Commands {
	t.Helper()
	srv := esdbtest.Start(t, esdbtest.WithNoise(4))
	var out []*domain.Commands
	for range n {
		s, err := esdb.Open(srv.URL())
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		out = append(out, domain.NewCommands(s))
	}
	set, err := demo.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := out[0].ImportCatalogue(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}, set); err != nil {
		t.Fatal(err)
	}
	return out
}

func caseOf(client string) domain.CaseInput {
	gross, net := domain.Money(180000), domain.Money(150000)
	return domain.CaseInput{ClientRef: client, Maple: 3, Segment: domain.SegContinuous,
		Household: domain.Household{Size: 1, GrossIncome: &gross, NetIncome: &net},
		Basis:     domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: domain.NewDate(2025, 3, 1)},
		Lines:     []domain.Line{{Service: "meal-service", Mode: "own", Quantity: 5000, Frequency: "week"}}}
}

// Two instances on one store: concurrent changes of one estimate at one
// version through both, exactly one wins and the others get a conflict;
// nothing is lost (the estimate holds the winner's change and nothing
// else).
func TestInstancesOneWinnerPerVersion(t *testing.T) {
	ctx := context.Background()
	cs := instances(t, 2)
	id := domain.NewID()
	e, _, err := cs[0].OpenEstimate(ctx, domain.Command{}, id, caseOf("client-1"))
	if err != nil {
		t.Fatal(err)
	}
	for round := range 5 {
		v := e.Version()
		var wg sync.WaitGroup
		wins, conflicts := make(chan int, 8), make(chan int, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cmd := domain.Command{Expected: &v}
				l := domain.Line{ID: "l1", Service: "meal-service", Mode: "own", Quantity: domain.Quantity(1000*(i+1) + 100*(round+1)), Frequency: "week"}
				_, _, err := cs[i%2].ChangeLine(ctx, cmd, id, l)
				switch domain.ErrorCode(err) {
				case "":
					wins <- i
				case domain.EConflict:
					conflicts <- i
				default:
					t.Errorf("round %d, writer %d: %v", round, i, err)
				}
			}()
		}
		wg.Wait()
		close(wins)
		close(conflicts)
		if len(wins) != 1 || len(conflicts) != 7 {
			t.Fatalf("round %d: %d won, %d conflicts; want 1 and 7", round, len(wins), len(conflicts))
		}
		winner := <-wins
		// Either instance reads the winner's line at once.
		for _, c := range cs {
			got, err := c.Estimate(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if q := got.Lines()[0].Quantity; q != domain.Quantity(1000*(winner+1)+100*(round+1)) {
				t.Fatalf("round %d: the line holds %v, the winner wrote %d", round, q, 1000*(winner+1)+100*(round+1))
			}
			e = got
		}
	}
}

// A tariff correction published on one instance prices on the other at
// once; a command retried with its key on the other instance runs once;
// a decision number used on one is refused on the other.
func TestInstancesShareTheLog(t *testing.T) {
	ctx := context.Background()
	cs := instances(t, 2)
	admin := domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}
	before, err := cs[0].Quote(ctx, caseOf("q"))
	if err != nil {
		t.Fatal(err)
	}
	n, _, err := cs[1].CreateTariffDraft(ctx, admin, "phhva", 1, 1, "meals")
	if err != nil {
		t.Fatal(err)
	}
	tr, err := cs[1].Tariff(ctx, "phhva", domain.Position{})
	if err != nil {
		t.Fatal(err)
	}
	v, _ := tr.Version(n)
	meals, _ := v.Entry("meal-service", "own")
	fee := *meals.Fee + 100
	meals.Fee = &fee
	if _, err := cs[1].SetTariffEntry(ctx, admin, "phhva", n, meals); err != nil {
		t.Fatal(err)
	}
	if _, err := cs[1].PublishTariff(ctx, admin, "phhva", n, domain.Date{}); err != nil {
		t.Fatal(err)
	}
	after, err := cs[0].Quote(ctx, caseOf("q"))
	if err != nil {
		t.Fatal(err)
	}
	// 5 meals a week, 65/3 a month, a euro more each: +21.67.
	if after.Tariff.Version != n || after.Monthly.ClientFee-before.Monthly.ClientFee != 2167 {
		t.Errorf("the other instance prices with version %d, fee %s (was %s); want version %d, +21.67", after.Tariff.Version, after.Monthly.ClientFee, before.Monthly.ClientFee, n)
	}

	id := domain.NewID()
	key := domain.Command{ID: "cm/open-once", Actor: domain.Actor{ID: "cm", Role: "case_manager"}}
	if _, _, err := cs[0].OpenEstimate(ctx, key, id, caseOf("client-2")); err != nil {
		t.Fatal(err)
	}
	_, r, err := cs[1].OpenEstimate(ctx, key, id, caseOf("client-2"))
	if err != nil || !r.Replayed {
		t.Errorf("the same key on the other instance: replayed %v, %v", r.Replayed, err)
	}
	e, err := cs[1].Estimate(ctx, id)
	if err != nil || e.Version() != 1 {
		t.Errorf("the estimate after a retry on the other instance is at version %d (%v); the first run left it at 1", e.Version(), err)
	}

	today := domain.DateOf(time.Now())
	other := domain.NewID()
	for i, est := range []string{id, other} {
		if i == 1 {
			if _, _, err := cs[1].OpenEstimate(ctx, domain.Command{}, est, caseOf("client-3")); err != nil {
				t.Fatal(err)
			}
		}
		if _, _, err := cs[i].Present(ctx, domain.Command{}, est); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := cs[0].Decide(ctx, domain.Command{}, id, domain.Decision{Number: "HVA-1", Date: today, EffectiveFrom: today}); err != nil {
		t.Fatal(err)
	}
	_, _, err = cs[1].Decide(ctx, domain.Command{}, other, domain.Decision{Number: "hva-1", Date: today, EffectiveFrom: today})
	if domain.ErrorCode(err) != domain.ERefused || domain.ErrorField(err) != "decision_number" {
		t.Errorf("a decision number used on the other instance: %v", err)
	}
}
