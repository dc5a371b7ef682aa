package domain_test

import (
	"math/big"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
)

// randomCase draws a household and lines from the demo catalogue.
func randomCase(r *rand.Rand, set *domain.CatalogueSet) domain.CaseInput {
	size := 1 + r.IntN(8)
	h := domain.Household{Size: size, GrossIncome: new(domain.Money(r.Int64N(600000))), NetIncome: new(domain.Money(r.Int64N(400000)))}
	if r.IntN(3) == 0 {
		h.Deductions = []domain.Deduction{{Kind: "housing", Amount: domain.Money(r.Int64N(100000))}}
	}
	if size > 1 && r.IntN(2) == 0 {
		h.Spouse = &domain.Spouse{NetIncome: new(domain.Money(r.Int64N(400000))), InLongTermCare: r.IntN(5) == 0}
		if r.IntN(3) == 0 {
			h.Spouse.Deductions = []domain.Deduction{{Kind: "maintenance", Amount: domain.Money(r.Int64N(100000))}}
		}
	}
	in := domain.CaseInput{Maple: 1 + r.IntN(5), Household: h, Basis: domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory",
		PricingDate: domain.NewDate(2025+r.IntN(2), time.Month(1+r.IntN(12)), 1+r.IntN(28))}}
	services := set.Catalogue.Services()
	for range 1 + r.IntN(7) {
		s := services[r.IntN(len(services))]
		l := domain.Line{Service: s.ID, Mode: s.Modes[r.IntN(len(s.Modes))], Quantity: domain.Quantity(r.Int64N(60000)),
			Frequency: domain.Frequencies[r.IntN(len(domain.Frequencies))]}
		if r.IntN(5) == 0 {
			l.Quantity = domain.Quantity(r.Int64N(1000)) // under one unit: tiny hours
		}
		if l.Mode == domain.ModeVoucher {
			p := domain.Money(r.Int64N(30000))
			l.ProviderPrice = &p
		}
		if (s.Category == domain.CatHomeCare || s.Category == domain.CatHousing) && l.Frequency == domain.OneOff {
			l.Frequency = domain.PerWeek
		}
		if (s.Unit == "month" && l.Frequency != domain.OneOff) || (s.Unit == "week" && l.Frequency == domain.PerDay) {
			l.Frequency = domain.PerMonth // a monthly service is not counted per day or week
		}
		in.Lines = append(in.Lines, l)
	}
	return in
}

func TestQuoteProperties(t *testing.T) {
	set, err := demo.Catalogue()
	must(t, err)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		in := randomCase(r, set)
		q, err := set.Quote(in, domain.Date{})
		if err != nil {
			t.Fatalf("case %d: %v (%+v)", i, err, in)
		}
		checkQuote(t, i, q)
	}
}

func checkQuote(t *testing.T, i int, q domain.Quote) {
	t.Helper()
	var monthly, once domain.Totals
	groupFee, groupGross := map[domain.Rule]domain.Money{}, map[domain.Rule]domain.Money{}
	for _, l := range q.Lines {
		tot := &monthly
		if l.Frequency == domain.OneOff {
			tot = &once
		}
		tot.CountyGross += l.CountyGross
		tot.ClientFee += l.ClientFee
		tot.VoucherCopay += l.VoucherCopay
		tot.CountyNet += l.CountyNet
		if l.ClientFee < 0 || l.CountyGross < 0 || l.VoucherCopay < 0 {
			t.Fatalf("case %d: negative figure in %+v", i, l)
		}
		if l.Rule != domain.RuleVoucher && (l.VoucherCopay != 0 || l.VoucherCopayPerUnit != nil) {
			t.Fatalf("case %d: a voucher co-payment on a %s line: %+v", i, l.Rule, l)
		}
		switch l.Rule {
		case domain.RuleVoucher:
			// The co-payment goes to the provider: no client fee, and the
			// county pays the voucher value, its gross cost.
			if l.ClientFee != 0 || l.CountyNet != l.CountyGross || l.FeePerUnit != nil || l.VoucherCopayPerUnit == nil {
				t.Fatalf("case %d: voucher line %+v", i, l)
			}
		case domain.RuleHomeCareIncome, domain.RuleHousingNet:
			groupFee[l.Rule] += l.ClientFee
			groupGross[l.Rule] += l.CountyGross
			fallthrough
		default:
			if l.ClientFee > l.CountyGross { // shared fees too: they are shared by cost
				t.Fatalf("case %d: fee %s above the cost %s in %+v", i, l.ClientFee, l.CountyGross, l)
			}
		}
		if l.CountyNet != l.CountyGross-l.ClientFee {
			t.Fatalf("case %d: net %s != gross - fee", i, l.CountyNet)
		}
	}
	for r, fee := range groupFee {
		if fee > groupGross[r] {
			t.Fatalf("case %d: %s fees %s above the cost %s", i, r, fee, groupGross[r])
		}
	}
	// The income-based fee of each rule: at most the exact production cost
	// of its lines (summed before rounding, rounded once) and at most their
	// rounded costs; its lines add up to it.
	type incomeFee struct {
		rule                     domain.Rule
		fee, before, cap, county domain.Money
	}
	var fees []incomeFee
	if d := q.HomeCare; d != nil {
		fees = append(fees, incomeFee{domain.RuleHomeCareIncome, d.Fee, d.FeeBeforeCap, d.Cap, d.CountyGross})
		// Some home care, however little (0 hours included), takes a row of
		// the table: the fee before the cap is never 0 for want of hours.
		if d.FeeBeforeCap != domain.RoundCents(new(big.Rat).Mul(d.IncomeAbove.Rat(), d.Percent.Rat())) {
			t.Fatalf("case %d: home care of %s h: fee before the cap %s, not %s x %s", i, d.HoursExact, d.FeeBeforeCap, d.IncomeAbove, d.Percent)
		}
	}
	if d := q.Housing; d != nil {
		fees = append(fees, incomeFee{domain.RuleHousingNet, d.Fee, d.FeeBeforeCap, d.Cap, d.CountyGross})
	}
	for _, g := range fees {
		exact := exactCost(q, g.rule)
		if g.cap != exact || g.fee != min(g.before, exact, g.county) {
			t.Fatalf("case %d: %s fee %s (before the cap %s), cap %s, lines %s; exact cost %s", i, g.rule, g.fee, g.before, g.cap, g.county, exact)
		}
		if g.fee != groupFee[g.rule] || g.county != groupGross[g.rule] {
			t.Fatalf("case %d: %s lines add up to fee %s cost %s, detail %s %s", i, g.rule, groupFee[g.rule], groupGross[g.rule], g.fee, g.county)
		}
	}
	if monthly != q.Monthly || once != q.OneOff {
		t.Fatalf("case %d: totals %+v %+v, lines add up to %+v %+v", i, q.Monthly, q.OneOff, monthly, once)
	}
	if q.Yearly.ClientFee != 12*q.Monthly.ClientFee+q.OneOff.ClientFee || q.Yearly.CountyNet != 12*q.Monthly.CountyNet+q.OneOff.CountyNet ||
		q.Yearly.VoucherCopay != 12*q.Monthly.VoucherCopay+q.OneOff.VoucherCopay || q.Yearly.CountyGross != 12*q.Monthly.CountyGross+q.OneOff.CountyGross {
		t.Fatalf("case %d: yearly %+v", i, q.Yearly)
	}
}

// exactCost is the production cost of the lines priced by rule r, computed
// here from the quantities: units per month exactly (quantity x the quote's
// weeks or days per month) x unit cost, summed, rounded once.
func exactCost(q domain.Quote, r domain.Rule) domain.Money {
	sum := new(big.Rat)
	for _, l := range q.Lines {
		if l.Rule != r {
			continue
		}
		u := l.Quantity.Rat()
		switch l.Frequency {
		case domain.PerWeek:
			u.Mul(u, q.WeeksPerMonth.Rat())
		case domain.PerDay:
			u.Mul(u, q.DaysPerMonth.Rat())
		}
		sum.Add(sum, u.Mul(u, l.UnitCost.Rat()))
	}
	return domain.RoundCents(sum)
}

// estimateView is what an estimate shows of itself.
type estimateView struct {
	Status     domain.EstimateStatus
	Personal   domain.Personal
	Maple      int
	Segment    domain.Segment
	Basis      domain.Basis
	Lines      []domain.Line
	Quote      *domain.Quote
	Decision   *domain.Decision
	RevisionOf string
	Version    int64
	Position   domain.Position
}

func viewOf(e *domain.Estimate) estimateView {
	m, s := e.Assessment()
	return estimateView{e.Status(), e.Personal(), m, s, e.Basis(), e.Lines(), e.Quote(), e.Decision(), e.RevisionOf(), e.StreamVersion(), e.Position()}
}

// The aggregate rebuilt from its events equals the aggregate that produced
// them, after every command of random command sequences.
func TestEstimateRebuildProperty(t *testing.T) {
	c, _ := demoCommands(t)
	set, err := demo.Catalogue()
	must(t, err)
	r := rand.New(rand.NewPCG(3, 4))
	for range 40 {
		id := domain.NewID()
		in := randomCase(r, set)
		in.ClientRef, in.Segment = "c", domain.SegOccasional
		e, _, err := c.OpenEstimate(ctx, domain.Command{}, id, in)
		must(t, err)
		for step := range 12 {
			next, err := randomCommand(r, c, set, id, e)
			if err != nil && domain.ErrorCode(err) != domain.EConflict && domain.ErrorCode(err) != domain.EInvalid {
				t.Fatal(err)
			}
			if next != nil && err == nil {
				e = next
			}
			back, err := c.Estimate(ctx, id)
			must(t, err)
			if !reflect.DeepEqual(viewOf(back), viewOf(e)) {
				t.Fatalf("step %d: rebuilt\n%+v\nproduced\n%+v", step, viewOf(back), viewOf(e))
			}
		}
	}
}

func randomCommand(r *rand.Rand, c *domain.Commands, set *domain.CatalogueSet, id string, e *domain.Estimate) (*domain.Estimate, error) {
	cmd := domain.Command{}
	line := randomCase(r, set).Lines[0]
	var next *domain.Estimate
	var err error
	switch r.IntN(8) {
	case 0:
		_, next, _, err = c.AddLine(ctx, cmd, id, line)
	case 1:
		if ls := e.Lines(); len(ls) > 0 {
			line.ID = ls[r.IntN(len(ls))].ID
			next, _, err = c.ChangeLine(ctx, cmd, id, line)
		}
	case 2:
		if ls := e.Lines(); len(ls) > 0 {
			next, _, err = c.RemoveLine(ctx, cmd, id, ls[r.IntN(len(ls))].ID)
		}
	case 3:
		next, _, err = c.ChangeHousehold(ctx, cmd, id, domain.Personal{ClientRef: "c", Household: randomCase(r, set).Household})
	case 4:
		next, _, err = c.ChangeAssessment(ctx, cmd, id, 1+r.IntN(5), domain.Segments[r.IntN(4)])
	case 5:
		next, _, err = c.Present(ctx, cmd, id)
	case 6:
		b := e.Basis()
		b.PricingDate = domain.NewDate(2025+r.IntN(2), 6, 1)
		next, _, err = c.ChangeBasis(ctx, cmd, id, b)
	case 7:
		if r.IntN(4) == 0 {
			next, _, err = c.Decide(ctx, cmd, id, domain.Decision{Number: "D-" + id, Date: today(), EffectiveFrom: domain.NewDate(2026, 2, 1)})
		}
	}
	return next, err
}
