package domain_test

import (
	"testing"

	"carecost/domain"
)

func priceOne(t *testing.T, h domain.Household, e domain.Entry, l domain.Line) domain.Quote {
	t.Helper()
	l.ID = "l1"
	q, err := domain.Price(domain.PriceInput{PricingDate: date(t, "2026-02-01"), Household: h, Lines: []domain.Line{l}},
		domain.PriceBasis{Tariff: tariffOf(e), Income: income2024(t), Services: lookup})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func checkLine(t *testing.T, got domain.LineResult, units, gross, fee, net string) {
	t.Helper()
	if got.UnitsPerMonth != units || got.CountyGross.String() != gross || got.ClientFee.String() != fee || got.CountyNet.String() != net {
		t.Errorf("units %s gross %s fee %s net %s, want %s %s %s %s", got.UnitsPerMonth, got.CountyGross, got.ClientFee, got.CountyNet, units, gross, fee, net)
	}
}

// checkCopay checks the voucher co-payment of a quote's one line, per unit
// and in all, and that the totals keep it apart from the client fee: all
// of it in voucher_copay (monthly x 12 a year), none in client_fee.
func checkCopay(t *testing.T, q domain.Quote, perUnit, copay string) {
	t.Helper()
	l := q.Lines[0]
	if l.VoucherCopayPerUnit == nil || l.VoucherCopayPerUnit.String() != perUnit || l.VoucherCopay.String() != copay || l.FeePerUnit != nil {
		t.Errorf("co-payment %v per unit, %s in all (fee per unit %v), want %s, %s", l.VoucherCopayPerUnit, l.VoucherCopay, l.FeePerUnit, perUnit, copay)
	}
	if l.Frequency == domain.OneOff {
		return
	}
	if q.Monthly.VoucherCopay != l.VoucherCopay || q.Monthly.ClientFee != 0 || q.Yearly.VoucherCopay != 12*l.VoucherCopay || q.Yearly.ClientFee != 0 {
		t.Errorf("totals %+v %+v", q.Monthly, q.Yearly)
	}
}

func TestFlat(t *testing.T) {
	one := domain.Household{Size: 1, GrossIncome: new(money(t, "1500"))}
	meals := domain.Entry{Service: "meals", Mode: "own", UnitCost: money(t, "9.80"), Rule: domain.RuleFlat, Fee: mp(t, "5.25")}
	t.Run("meals 5 a week with 52/12 weeks a month", func(t *testing.T) {
		// 5 x 52/12 = 65/3 meals; x 5.25 = 113.75 exactly; x 9.80 = 212.333.. -> 212.33.
		q := priceOne(t, one, meals, domain.Line{Service: "meals", Mode: "own", Quantity: qty(t, "5"), Frequency: "week"})
		checkLine(t, q.Lines[0], "21.667", "212.33", "113.75", "98.58")
	})
	t.Run("one meal a day with 365/12 days a month", func(t *testing.T) {
		// 365/12 x 5.25 = 159.6875 -> 159.69 (half away from zero).
		q := priceOne(t, one, meals, domain.Line{Service: "meals", Mode: "own", Quantity: qty(t, "1"), Frequency: "day"})
		checkLine(t, q.Lines[0], "30.417", "298.08", "159.69", "138.39")
	})
	t.Run("zero quantity", func(t *testing.T) {
		q := priceOne(t, one, meals, domain.Line{Service: "meals", Mode: "own", Quantity: 0, Frequency: "week"})
		checkLine(t, q.Lines[0], "0.000", "0.00", "0.00", "0.00")
	})
	t.Run("fee above the production cost is capped", func(t *testing.T) {
		cheap := meals
		cheap.UnitCost = money(t, "4.00")
		q := priceOne(t, one, cheap, domain.Line{Service: "meals", Mode: "own", Quantity: qty(t, "10"), Frequency: "month"})
		checkLine(t, q.Lines[0], "10.000", "40.00", "40.00", "0.00")
		if !q.Lines[0].Capped {
			t.Error("line not marked capped")
		}
	})
	t.Run("4 weeks a month is a tariff setting", func(t *testing.T) {
		tv := tariffOf(meals)
		tv.WeeksPerMonth = domain.Ratio{Num: 4, Den: 1}
		q, err := domain.Price(domain.PriceInput{Household: one, Lines: []domain.Line{{ID: "l1", Service: "meals", Mode: "own", Quantity: qty(t, "5"), Frequency: "week"}}},
			domain.PriceBasis{Tariff: tv, Services: lookup})
		if err != nil {
			t.Fatal(err)
		}
		checkLine(t, q.Lines[0], "20.000", "196.00", "105.00", "91.00")
	})
}

func TestFree(t *testing.T) {
	e := domain.Entry{Service: "assess", Mode: "own", UnitCost: money(t, "150"), Rule: domain.RuleFree}
	q := priceOne(t, domain.Household{Size: 1}, e, domain.Line{Service: "assess", Mode: "own", Quantity: qty(t, "2"), Frequency: domain.OneOff})
	checkLine(t, q.Lines[0], "2.000", "300.00", "0.00", "300.00")
	if q.Monthly.CountyGross != 0 || q.OneOff.CountyGross != money(t, "300") || q.Yearly.CountyGross != money(t, "300") {
		t.Errorf("one-off line: monthly %+v one-off %+v yearly %+v", q.Monthly, q.OneOff, q.Yearly)
	}
}

func TestIncomeTiered(t *testing.T) {
	// Helsinki 2026 safety phone (DOMAIN.md B 4): 35.68 up to 1 489 EUR (1
	// person) / 2 198 EUR (2 people), else 71.36.
	e := domain.Entry{Service: "phone", Mode: "own", UnitCost: money(t, "80"), Rule: domain.RuleIncomeTiered, Tiers: []domain.Tier{
		{MaxIncome: []domain.Money{money(t, "1489"), money(t, "2198")}, Fee: money(t, "35.68")}, {Fee: money(t, "71.36")}}}
	for _, tc := range []struct {
		name, gross, want string
		size              int
		// the tier picked (of 2) and the limits, for the size, around it
		tier        int
		above, upTo string
	}{
		{"1 person on the limit", "1489.00", "35.68", 1, 1, "", "1489.00"},
		{"1 person a cent above", "1489.01", "71.36", 1, 2, "1489.00", ""},
		{"2 people on their limit", "2198.00", "35.68", 2, 1, "", "2198.00"},
		{"4 people use the last limit", "2198.00", "35.68", 4, 1, "", "2198.00"},
		{"2 people above", "2500.00", "71.36", 2, 2, "2198.00", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := priceOne(t, domain.Household{Size: tc.size, GrossIncome: new(money(t, tc.gross))}, e,
				domain.Line{Service: "phone", Mode: "own", Quantity: qty(t, "1"), Frequency: "month"})
			if got := q.Lines[0].ClientFee.String(); got != tc.want {
				t.Errorf("fee = %s, want %s", got, tc.want)
			}
			str := func(m *domain.Money) string {
				if m == nil {
					return ""
				}
				return m.String()
			}
			if p := q.Lines[0].Tier; p == nil || p.Index != tc.tier || p.Of != 2 || str(p.Above) != tc.above || str(p.UpTo) != tc.upTo {
				t.Errorf("tier %+v, want %d of 2 above %q up to %q", p, tc.tier, tc.above, tc.upTo)
			}
		})
	}
}

func TestVoucher(t *testing.T) {
	e := domain.Entry{Service: "home-care", Mode: "voucher", UnitCost: money(t, "36.00"), Rule: domain.RuleVoucher}
	one := domain.Household{Size: 1, GrossIncome: new(money(t, "1800"))}
	t.Run("client pays the provider price above the voucher", func(t *testing.T) {
		q := priceOne(t, one, e, domain.Line{Service: "home-care", Mode: "voucher", Quantity: qty(t, "10"), Frequency: "month", ProviderPrice: mp(t, "42.50")})
		// county 10 x 36.00; client 10 x 6.50 to the provider, a co-payment
		// and no client fee; county net = gross.
		checkLine(t, q.Lines[0], "10.000", "360.00", "0.00", "360.00")
		checkCopay(t, q, "6.50", "65.00")
	})
	t.Run("provider price below the voucher value", func(t *testing.T) {
		q := priceOne(t, one, e, domain.Line{Service: "home-care", Mode: "voucher", Quantity: qty(t, "10"), Frequency: "month", ProviderPrice: mp(t, "30.00")})
		checkLine(t, q.Lines[0], "10.000", "300.00", "0.00", "300.00")
		checkCopay(t, q, "0.00", "0.00")
	})
	t.Run("a one-off voucher line counts once a year", func(t *testing.T) {
		q := priceOne(t, one, e, domain.Line{Service: "home-care", Mode: "voucher", Quantity: qty(t, "3"), Frequency: "one_off", ProviderPrice: mp(t, "40.00")})
		// 3 x 36.00 = 108.00 to the county; 3 x 4.00 = 12.00 to the provider.
		checkLine(t, q.Lines[0], "3.000", "108.00", "0.00", "108.00")
		checkCopay(t, q, "4.00", "12.00")
		if q.Monthly.VoucherCopay != 0 || q.OneOff.VoucherCopay.String() != "12.00" || q.Yearly.VoucherCopay.String() != "12.00" {
			t.Errorf("totals %+v %+v %+v", q.Monthly, q.OneOff, q.Yearly)
		}
	})
	t.Run("the entry's provider price serves when the line gives none", func(t *testing.T) {
		withPrice := e
		withPrice.ProviderPrice = mp(t, "40.00")
		q := priceOne(t, one, withPrice, domain.Line{Service: "home-care", Mode: "voucher", Quantity: qty(t, "1"), Frequency: "month"})
		checkLine(t, q.Lines[0], "1.000", "36.00", "0.00", "36.00")
		checkCopay(t, q, "4.00", "4.00")
	})
	t.Run("no provider price at all", func(t *testing.T) {
		_, err := domain.Price(domain.PriceInput{Household: one, Lines: []domain.Line{{ID: "l1", Service: "home-care", Mode: "voucher", Quantity: qty(t, "1"), Frequency: "month"}}},
			domain.PriceBasis{Tariff: tariffOf(e), Services: lookup})
		if got := domain.ErrorField(err); got != "lines[0].provider_price" {
			t.Errorf("field = %q, want lines[0].provider_price", got)
		}
	})
}

func housingLine(t *testing.T) domain.Line {
	return domain.Line{Service: "housing", Mode: "own", Quantity: qty(t, "1"), Frequency: "day"}
}

func TestHousingNetIncome(t *testing.T) {
	e := domain.Entry{Service: "housing", Mode: "own", UnitCost: money(t, "200"), Rule: domain.RuleHousingNet}
	ded := func(kind, amount string) domain.Deduction {
		return domain.Deduction{Kind: kind, Amount: money(t, amount)}
	}
	for _, tc := range []struct {
		name string
		h    domain.Household
		want string
	}{
		// DOMAIN.md B 5.1: net 1 500, housing 600, medicines 50 -> base 850;
		// 85 % = 722.50 would leave 127.50 < 195 -> 850 - 195 = 655.
		{"B5.1 kayttovara binds", domain.Household{Size: 1, NetIncome: new(money(t, "1500")), Deductions: []domain.Deduction{ded("housing", "600"), ded("medicines", "50")}}, "655.00"},
		{"85 % of net income", domain.Household{Size: 1, NetIncome: new(money(t, "2000"))}, "1700.00"},
		{"net income below the kayttovara", domain.Household{Size: 1, NetIncome: new(money(t, "150"))}, "0.00"},
		// Client earns more: 42.5 % x (2 000 + 1 000) = 1 275.
		{"spouse rule", domain.Household{Size: 2, NetIncome: new(money(t, "2000")), Spouse: &domain.Spouse{NetIncome: new(money(t, "1000"))}}, "1275.00"},
		// Spouse earns more: the spouse's income is ignored, 85 % x 2 000.
		{"spouse earns more", domain.Household{Size: 2, NetIncome: new(money(t, "2000")), Spouse: &domain.Spouse{NetIncome: new(money(t, "3000"))}}, "1700.00"},
		{"both in long-term care", domain.Household{Size: 2, NetIncome: new(money(t, "2000")), Spouse: &domain.Spouse{NetIncome: new(money(t, "1000")), InLongTermCare: true}}, "1700.00"},
		// 42.5 % x 1 900 = 807.50 would leave 1 000 - 807.50 < 195.
		{"spouse rule keeps the kayttovara", domain.Household{Size: 2, NetIncome: new(money(t, "1000")), Spouse: &domain.Spouse{NetIncome: new(money(t, "900"))}}, "805.00"},
		// Spouse deductions count: 42.5 % x (1 000 + 900 - 100) = 765.
		{"spouse deductions", domain.Household{Size: 2, NetIncome: new(money(t, "1000")), Spouse: &domain.Spouse{NetIncome: new(money(t, "900")), Deductions: []domain.Deduction{ded("housing", "100")}}}, "765.00"},
		// DOMAIN.md A.3, B 5.1: the net incomes are compared before the 10 c §
		// deductions. 4 000 > 3 000, so 42.5 % x (4 000 + 3 000 - 1 500 - 300)
		// = 42.5 % x 5 200 = 2 210.00 (at most 2 500 - 195 = 2 305). After
		// the deductions the client (2 500) is below the spouse (2 700): that
		// comparison gave 85 % x 2 500 = 2 125.00.
		{"A.3 B5.1 compared before deductions: client 4000 - 1500 above spouse 3000 - 300, spouse rule",
			domain.Household{Size: 2, NetIncome: new(money(t, "4000")), Deductions: []domain.Deduction{ded("housing", "1500")},
				Spouse: &domain.Spouse{NetIncome: new(money(t, "3000")), Deductions: []domain.Deduction{ded("housing", "300")}}}, "2210.00"},
		// 1 800 < 2 000 before the deductions: 85 % x 1 800 = 1 530.00. After
		// them the spouse has 1 500 and that comparison gave 42.5 % x 3 300
		// = 1 402.50.
		{"A.3 B5.1 compared before deductions: client 1800 below spouse 2000 - 500, 85 % of own",
			domain.Household{Size: 2, NetIncome: new(money(t, "1800")), Spouse: &domain.Spouse{NetIncome: new(money(t, "2000")), Deductions: []domain.Deduction{ded("housing", "500")}}}, "1530.00"},
		// 3 000 < 3 500: 85 % x 3 000 = 2 550.00 (the comparison after the
		// deductions, 3 000 > 2 000, charged 42.5 % x 5 000 = 2 125.00).
		{"A.3 B5.1 compared before deductions: client 3000 below spouse 3500 - 1500, 85 % of own",
			domain.Household{Size: 2, NetIncome: new(money(t, "3000")), Spouse: &domain.Spouse{NetIncome: new(money(t, "3500")), Deductions: []domain.Deduction{ded("housing", "1500")}}}, "2550.00"},
		// Equal incomes: the client's is not higher, 85 % x 2 000 = 1 700.
		{"A.3 B5.1 equal net incomes: 85 % of own", domain.Household{Size: 2, NetIncome: new(money(t, "2000")), Spouse: &domain.Spouse{NetIncome: new(money(t, "2000"))}}, "1700.00"},
		// Both spouses' deductions come off the combined income, the spouse's
		// too when they exceed the spouse's income: 42.5 % x (2 000 + 300 -
		// 500) = 765.00.
		{"A.3 B5.1 the spouse's deductions above the spouse's income come off the combined income",
			domain.Household{Size: 2, NetIncome: new(money(t, "2000")), Spouse: &domain.Spouse{NetIncome: new(money(t, "300")), Deductions: []domain.Deduction{ded("housing", "500")}}}, "765.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := priceOne(t, tc.h, e, housingLine(t))
			if got := q.Lines[0].ClientFee.String(); got != tc.want {
				t.Errorf("fee = %s, want %s (%+v)", got, tc.want, q.Housing)
			}
		})
	}
	// What a controller needs to re-explain the spouse rule: the two net
	// incomes compared, both deductions, the combined income.
	t.Run("A.3 B5.1 the detail shows the compared incomes and both deductions", func(t *testing.T) {
		q := priceOne(t, domain.Household{Size: 2, NetIncome: new(money(t, "4000")), Deductions: []domain.Deduction{ded("housing", "1500")},
			Spouse: &domain.Spouse{NetIncome: new(money(t, "3000")), Deductions: []domain.Deduction{ded("housing", "300")}}}, e, housingLine(t))
		d := q.Housing
		if d == nil || !d.SpouseRule || d.NetIncome != money(t, "4000") || d.Deductions != money(t, "1500") || d.Base != money(t, "2500") ||
			d.SpouseNetIncome == nil || *d.SpouseNetIncome != money(t, "3000") || d.SpouseDeductions == nil || *d.SpouseDeductions != money(t, "300") ||
			d.SpouseBase == nil || *d.SpouseBase != money(t, "2700") || d.CombinedIncome == nil || *d.CombinedIncome != money(t, "5200") ||
			d.Rate != pct(t, "42.5") || d.ByRate != money(t, "2210") || d.FeeBeforeCap != money(t, "2210") {
			t.Errorf("detail %+v", d)
		}
		q = priceOne(t, domain.Household{Size: 2, NetIncome: new(money(t, "1800")), Spouse: &domain.Spouse{NetIncome: new(money(t, "2000")), Deductions: []domain.Deduction{ded("housing", "500")}}}, e, housingLine(t))
		if d := q.Housing; d.SpouseRule || d.CombinedIncome != nil || d.SpouseNetIncome == nil || *d.SpouseNetIncome != money(t, "2000") || d.Rate != pct(t, "85") {
			t.Errorf("detail %+v", d)
		}
	})
	t.Run("production cost caps the fee", func(t *testing.T) {
		cheap := e
		cheap.UnitCost = money(t, "20")
		q := priceOne(t, domain.Household{Size: 1, NetIncome: new(money(t, "3000"))}, cheap, housingLine(t))
		// 365/12 days x 20.00 = 608.33.
		if q.Lines[0].ClientFee != money(t, "608.33") || !q.Lines[0].Capped {
			t.Errorf("fee = %s capped=%v, want 608.33 capped", q.Lines[0].ClientFee, q.Lines[0].Capped)
		}
	})
}

func TestCeilingAndHints(t *testing.T) {
	e := domain.Entry{Service: "respite", Mode: "own", UnitCost: money(t, "250"), Rule: domain.RuleFlat, Fee: mp(t, "42"), CountsTowardCeiling: true}
	in := domain.PriceInput{Maple: 2, Household: domain.Household{Size: 1}, Lines: []domain.Line{{ID: "l1", Service: "respite", Mode: "own", Quantity: qty(t, "2"), Frequency: "month"}}}
	q, err := domain.Price(in, domain.PriceBasis{Tariff: tariffOf(e), Income: income2024(t), Services: lookup})
	if err != nil {
		t.Fatal(err)
	}
	// 2 days x 42 = 84 a month, 1 008 a year >= 762.
	if q.Ceiling == nil || q.Ceiling.PerYear != money(t, "1008") || !q.Ceiling.Reached {
		t.Errorf("ceiling = %+v, want 1008.00 reached", q.Ceiling)
	}
	if len(q.Hints) != 1 || q.Hints[0].LineID != "l1" {
		t.Errorf("hints = %+v, want one MAPLe hint for l1", q.Hints)
	}
}

func TestPriceErrorsNameTheField(t *testing.T) {
	meals := domain.Entry{Service: "meals", Mode: "own", UnitCost: money(t, "9.80"), Rule: domain.RuleFlat, Fee: mp(t, "5.25")}
	phone := domain.Entry{Service: "phone", Mode: "own", UnitCost: money(t, "30"), Rule: domain.RuleFlat, Fee: mp(t, "20")}
	ok := domain.Line{ID: "l1", Service: "meals", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"}
	for _, tc := range []struct {
		name  string
		h     domain.Household
		line  func(domain.Line) domain.Line
		field string
	}{
		{"unknown service", domain.Household{Size: 1}, func(l domain.Line) domain.Line { l.Service = "spa"; return l }, "lines[1].service"},
		{"mode without a price", domain.Household{Size: 1}, func(l domain.Line) domain.Line { l.Mode = "voucher"; return l }, "lines[1].mode"},
		{"negative quantity", domain.Household{Size: 1}, func(l domain.Line) domain.Line { l.Quantity = -1; return l }, "lines[1].quantity"},
		{"bad frequency", domain.Household{Size: 1}, func(l domain.Line) domain.Line { l.Frequency = "hourly"; return l }, "lines[1].frequency"},
		{"household of 0", domain.Household{Size: 0}, func(l domain.Line) domain.Line { return l }, "household.size"},
		{"negative income", domain.Household{Size: 1, GrossIncome: new(domain.Money(-1))}, func(l domain.Line) domain.Line { return l }, "household.gross_income"},
		{"no frequency", domain.Household{Size: 1}, func(l domain.Line) domain.Line { l.Frequency = ""; return l }, "lines[1].frequency"},
		{"no mode", domain.Household{Size: 1}, func(l domain.Line) domain.Line { l.Mode = ""; return l }, "lines[1].mode"},
		{"a mode the service does not allow", domain.Household{Size: 1}, func(l domain.Line) domain.Line { l.Mode = "purchased"; return l }, "lines[1].mode"},
		{"absurd quantity", domain.Household{Size: 1}, func(l domain.Line) domain.Line { l.Quantity = domain.MaxQuantity + 1; return l }, "lines[1].quantity"},
		{"a monthly service per day", domain.Household{Size: 1}, func(l domain.Line) domain.Line { l.Service = "phone"; l.Frequency = "day"; return l }, "lines[1].frequency"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := domain.Price(domain.PriceInput{Household: tc.h, Lines: []domain.Line{ok, tc.line(ok)}},
				domain.PriceBasis{Tariff: tariffOf(meals, phone), Services: lookup})
			if domain.ErrorCode(err) != domain.EInvalid || domain.ErrorField(err) != tc.field {
				t.Errorf("got %q %q (%v), want invalid %q", domain.ErrorCode(err), domain.ErrorField(err), err, tc.field)
			}
		})
	}
}

// The largest case carecost accepts still prices to amounts that fit: every
// figure of the quote reads back as money (the read models parse them).
func TestLargestCaseFits(t *testing.T) {
	max := domain.MaxPrice
	e := domain.Entry{Service: "housing", Mode: "own", UnitCost: max, Rule: domain.RuleFlat, Fee: &max}
	in := domain.PriceInput{PricingDate: date(t, "2026-02-01"), Household: domain.Household{Size: 1}}
	for range domain.MaxLines {
		in.Lines = append(in.Lines, domain.Line{Service: "housing", Mode: "own", Quantity: domain.MaxQuantity, Frequency: "day"})
	}
	tv := tariffOf(e)
	tv.DaysPerMonth = domain.Ratio{Num: 31, Den: 1}
	q, err := domain.Price(in, domain.PriceBasis{Tariff: tv, Services: lookup})
	must(t, err)
	for _, m := range []domain.Money{q.Yearly.CountyGross, q.Yearly.ClientFee, q.Monthly.CountyGross} {
		if m <= 0 {
			t.Fatalf("overflow: %s", m)
		}
		if back, err := domain.ParseMoney(m.String()); err != nil || back != m {
			t.Errorf("%s reads back as %s, %v", m, back, err)
		}
	}
	in.Lines = append(in.Lines, in.Lines[0])
	_, err = domain.Price(in, domain.PriceBasis{Tariff: tv, Services: lookup})
	wantErr(t, err, domain.EInvalid, "lines")
	in.Lines = in.Lines[:1]
	huge := max + 1
	in.Lines[0].Mode, in.Lines[0].ProviderPrice = "voucher", &huge
	_, err = domain.Price(in, domain.PriceBasis{Tariff: tv, Services: lookup})
	wantErr(t, err, domain.EInvalid, "lines[0].provider_price")
}

// A service redefined after a tariff priced it: a line in a mode the
// service no longer allows, or hours priced for a service now counted
// otherwise, are refused rather than priced on a stale assumption.
func TestServiceChangedUnderTariff(t *testing.T) {
	hc := homeCareEntry(t, "own", "60")
	changed := func(id string, edit func(*domain.Service)) domain.ServiceLookup {
		return func(s string) *domain.Service {
			svc := lookup(s)
			if s == id && svc != nil {
				edit(svc)
			}
			return svc
		}
	}
	line := domain.Line{ID: "l1", Service: "home-care", Mode: "own", Quantity: qty(t, "10"), Frequency: "month"}
	in := domain.PriceInput{PricingDate: date(t, "2026-02-01"), Household: domain.Household{Size: 1, GrossIncome: new(money(t, "1800"))}, Lines: []domain.Line{line}}
	_, err := domain.Price(in, domain.PriceBasis{Tariff: tariffOf(hc), Income: income2024(t), Services: changed("home-care", func(s *domain.Service) { s.Unit = "visit" })})
	wantErr(t, err, domain.EInvalid, "lines[0].service")
	_, err = domain.Price(in, domain.PriceBasis{Tariff: tariffOf(hc), Income: income2024(t), Services: changed("home-care", func(s *domain.Service) { s.Modes = []domain.Mode{"purchased"} })})
	wantErr(t, err, domain.EInvalid, "lines[0].mode")
}
