package domain_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"testing"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
)

var adminCmd = domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}

// decideCase opens, presents and decides a case today and returns the id.
func decideCase(t *testing.T, c *domain.Commands, in domain.CaseInput, number string) string {
	t.Helper()
	id := domain.NewID()
	_, _, err := c.OpenEstimate(ctx, domain.Command{}, id, in)
	must(t, err)
	_, _, err = c.Present(ctx, domain.Command{}, id)
	must(t, err)
	today := domain.DateOf(time.Now())
	_, _, err = c.Decide(ctx, domain.Command{}, id, domain.Decision{Number: number, Date: today, EffectiveFrom: today})
	must(t, err)
	return id
}

// listAll is a DecisionLister over the decisions given, as every one of
// them stood at asOf (the domain itself checks which the version covers).
func listAll(c *domain.Commands, ids ...string) domain.DecisionLister {
	return func(ctx context.Context, kind domain.VersionKind, id string, from domain.Date, asOf domain.KnownAt) ([]string, error) {
		return ids, nil
	}
}

func errandsCase(t *testing.T, client string, lines ...domain.Line) domain.CaseInput {
	in := demoCase(t)
	in.ClientRef, in.Lines = client, lines
	return in
}

// A correction of one service's fee touches exactly the decisions that use
// that service, with the euro difference worked out by hand; a draft's
// preview equals the impact of the same version once published; asked as
// known before the publication, the answer is none.
func TestCorrectionImpactInEuros(t *testing.T) {
	c, store := demoCommands(t)
	errands2 := domain.Line{Service: "errands", Mode: "own", Quantity: qty(t, "2"), Frequency: "week"}
	errands1 := domain.Line{Service: "errands", Mode: "own", Quantity: qty(t, "1"), Frequency: "month"}
	meals := domain.Line{Service: "meal-service", Mode: "own", Quantity: qty(t, "5"), Frequency: "week"}
	a := decideCase(t, c, errandsCase(t, "client-a", errands2, meals), "D-1")
	b := decideCase(t, c, errandsCase(t, "client-b", meals), "D-2")
	cc := decideCase(t, c, errandsCase(t, "client-c", errands1), "D-3")
	// The 2026 version does not cover a pricing date of 2025.
	later := errandsCase(t, "client-d", errands1)
	later.PricingDate = date(t, "2026-02-01")
	d := decideCase(t, c, later, "D-4")
	list := listAll(c, a, b, cc, d)

	n, _, err := c.CreateTariffDraft(ctx, adminCmd, "phhva", 1, 1, "errands fee corrected")
	must(t, err)
	e, ok := mustTariff(t, c).Version(n)
	if !ok {
		t.Fatal("no draft")
	}
	errands, _ := e.Entry("errands", "own")
	errands.Fee = mp(t, "14.00") // was 12.00
	_, err = c.SetTariffEntry(ctx, adminCmd, "phhva", n, errands)
	must(t, err)
	sample := domain.Sample{ID: "errands-twice-a-week", Name: "Errands twice a week",
		Case: domain.SampleCase{Household: domain.Household{Size: 1}, Lines: []domain.Line{errands2}}}
	_, err = c.SaveSample(ctx, adminCmd, "phhva", sample, date(t, "2025-06-01"))
	must(t, err)
	before, err := store.Head(ctx)
	must(t, err)

	preview, err := c.VersionImpact(ctx, domain.ImpactQuery{Kind: domain.KindTariff, ID: "phhva", Version: n}, list)
	must(t, err)
	// 2 a week: 52/12 x 2 = 8.6667 errands a month: 104.00 -> 121.33 (+17.33);
	// once a month: 12.00 -> 14.00 (+2.00). The county's net cost falls as much.
	if preview.Published || preview.Covered != 3 || len(preview.Decisions) != 2 || preview.Clients != 2 {
		t.Fatalf("preview: published %v, covered %d, decisions %d, clients %d; want false, 3, 2, 2", preview.Published, preview.Covered, len(preview.Decisions), preview.Clients)
	}
	want := map[string]string{a: "17.33", cc: "2.00"}
	for _, di := range preview.Decisions {
		if got := di.Compare.Monthly.Change.ClientFee.String(); got != want[di.EstimateID] {
			t.Errorf("decision %s: client fee change %s, want %s", di.DecisionNumber, got, want[di.EstimateID])
		}
		if got := (-di.Compare.Monthly.Change.CountyNet).String(); got != want[di.EstimateID] {
			t.Errorf("decision %s: county net change -%s, want -%s", di.DecisionNumber, got, want[di.EstimateID])
		}
		if len(di.Uses) != 1 || di.Uses[0].Service != "errands" || di.Uses[0].Changed[0] != "fee" {
			t.Errorf("decision %s uses %+v, want errands' fee", di.DecisionNumber, di.Uses)
		}
	}
	if got := preview.Monthly.ClientFee.String(); got != "19.33" {
		t.Errorf("monthly client fees change by %s, want 19.33", got)
	}
	if got := preview.Yearly.ClientFee.String(); got != "231.96" {
		t.Errorf("yearly client fees change by %s, want 231.96", got)
	}
	if preview.Replaces != 1 || len(preview.Samples) != 1 || preview.Samples[0].Compare == nil {
		t.Fatalf("preview: replaces %d, samples %+v; want 1 and the one sample priced", preview.Replaces, preview.Samples)
	}
	if got := preview.Samples[0].Compare.Monthly.Change.ClientFee.String(); got != "17.33" {
		t.Errorf("the sample's fee changes by %s a month, want 17.33", got)
	}
	if got := preview.Monthly.CountyGross.String(); got != "0.00" {
		t.Errorf("county gross changes by %s, want 0.00 (only the fee changed)", got)
	}

	_, err = c.PublishTariff(ctx, adminCmd, "phhva", n, domain.Date{})
	must(t, err)
	impact, err := c.VersionImpact(ctx, domain.ImpactQuery{Kind: domain.KindTariff, ID: "phhva", Version: n}, list)
	must(t, err)
	if !impact.Published {
		t.Fatal("the published version's impact says it is not published")
	}
	impact.Published, impact.Status = preview.Published, preview.Status
	if !sameJSONValue(t, preview, impact) {
		t.Errorf("the preview differs from the impact once published:\n%+v\n%+v", preview, impact)
	}
	// A decision priced knowing the correction is not changed by it.
	e2 := decideCase(t, c, errandsCase(t, "client-e", errands2), "D-5")
	list = listAll(c, a, b, cc, d, e2)
	again, err := c.VersionImpact(ctx, domain.ImpactQuery{Kind: domain.KindTariff, ID: "phhva", Version: n}, list)
	must(t, err)
	if again.Covered != 3 || len(again.Decisions) != 2 {
		t.Errorf("after a decision that knew the correction: covered %d, changed %d; want 3, 2", again.Covered, len(again.Decisions))
	}
	// A correction of the correction that changes the meals' fee changes
	// the decisions with meals, and names only the meals: the errands were
	// the first correction's doing.
	n2, _, err := c.CreateTariffDraft(ctx, adminCmd, "phhva", n, n, "meals corrected")
	must(t, err)
	v2, _ := mustTariff(t, c).Version(n2)
	mealsEntry, _ := v2.Entry("meal-service", "own")
	mealsEntry.Fee = mp(t, "5.50")
	_, err = c.SetTariffEntry(ctx, adminCmd, "phhva", n2, mealsEntry)
	must(t, err)
	second, err := c.VersionImpact(ctx, domain.ImpactQuery{Kind: domain.KindTariff, ID: "phhva", Version: n2}, list)
	must(t, err)
	got := map[string][]domain.EntryChange{}
	for _, di := range second.Decisions {
		got[di.EstimateID] = di.Uses
	}
	if len(got) != 2 || len(got[a]) != 1 || got[a][0].Service != "meal-service" || len(got[b]) != 1 || second.Replaces != n {
		t.Errorf("the second correction changes %+v (replaces %d); want the meals of D-1 and D-2, replacing %d", got, second.Replaces, n)
	}
	// D-1's meals: 65/3 a month, 5.00 -> 5.50: 108.33 -> 119.17; its errands
	// are re-priced too (it was decided under the first version).
	for _, di := range second.Decisions {
		if di.EstimateID == b {
			if got := di.Compare.Monthly.Change.ClientFee.String(); got != "10.84" {
				t.Errorf("D-2 changes by %s, want 10.84", got)
			}
		}
	}
	then, err := c.VersionImpact(ctx, domain.ImpactQuery{Kind: domain.KindTariff, ID: "phhva", Version: n, KnownAt: domain.KnownAt{Position: before}}, list)
	must(t, err)
	if then.Published || len(then.Decisions) != 0 {
		t.Errorf("as known before the correction: published %v, %d decisions; want none", then.Published, len(then.Decisions))
	}
}

func mustTariff(t *testing.T, c *domain.Commands) *domain.Tariff {
	t.Helper()
	tr, err := c.Tariff(ctx, "phhva", domain.Position{})
	must(t, err)
	return tr
}

// What-if under a decision's own versions gives the decided figures exactly
// (generated estimates); under another version it gives what a fresh quote
// of the same inputs gives.
func TestWhatIfProperties(t *testing.T) {
	c, _ := demoCommands(t)
	set, err := demo.Catalogue()
	must(t, err)
	r := rand.New(rand.NewPCG(9, 9))
	for i := range 60 {
		in := randomCase(r, set)
		in.ClientRef, in.Segment = "client", domain.SegContinuous
		id := domain.NewID()
		if _, _, err := c.OpenEstimate(ctx, domain.Command{}, id, in); err != nil {
			continue // a generated case the catalogue cannot price
		}
		_, _, err := c.Present(ctx, domain.Command{}, id)
		must(t, err)
		today := domain.DateOf(time.Now())
		e, _, err := c.Decide(ctx, domain.Command{}, id, domain.Decision{Number: "P-" + itoa(i), Date: today, EffectiveFrom: today})
		must(t, err)
		q := e.Quote()
		own := domain.WhatIf{TariffVersion: q.Tariff.Version, IncomeVersion: q.IncomeCatalogue.Version}
		w, err := c.WhatIf(ctx, domain.Actor{}, id, own)
		must(t, err)
		if w.Compare.Changed() || !sameJSONValue(t, w.After.Monthly, q.Monthly) || !sameJSONValue(t, w.After.Yearly, q.Yearly) {
			t.Fatalf("case %d: what-if under its own versions changed %+v", i, w.Compare)
		}
		// Under the 2026 list on a 2026 date: a fresh quote of the same case.
		other := domain.WhatIf{TariffVersion: 3, PricingDate: date(t, "2026-03-01")}
		w, err = c.WhatIf(ctx, domain.Actor{}, id, other)
		fresh := in
		fresh.PricingDate = other.PricingDate
		fq, ferr := c.Quote(ctx, fresh)
		if (err == nil) != (ferr == nil) {
			t.Fatalf("case %d: what-if error %v, quote error %v", i, err, ferr)
		}
		if err == nil && !sameJSONValue(t, w.After, fq) {
			t.Fatalf("case %d: what-if under version 3 differs from a fresh quote:\n%+v\n%+v", i, w.After, fq)
		}
	}
}

func sameJSONValue(t *testing.T, a, b any) bool {
	t.Helper()
	x, err := json.Marshal(a)
	must(t, err)
	y, err := json.Marshal(b)
	must(t, err)
	return string(x) == string(y)
}

func itoa(i int) string { return strconv.Itoa(i) }
