package domain_test

import (
	"testing"

	"carecost/domain"
)

// homeCare prices one home-care line of hours per month for a household.
func homeCare(t *testing.T, size int, gross, hours, freq, cost string) domain.Quote {
	t.Helper()
	in := domain.PriceInput{PricingDate: date(t, "2025-03-01"), Household: domain.Household{Size: size, GrossIncome: new(money(t, gross))},
		Lines: []domain.Line{{ID: "l1", Service: "home-care", Mode: "own", Quantity: qty(t, hours), Frequency: domain.Frequency(freq)}}}
	q, err := domain.Price(in, domain.PriceBasis{Tariff: tariffOf(homeCareEntry(t, "own", cost)), Income: income2024(t), Services: lookup})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

// The home-care detail names the row of the percentage table the hours
// picked. The law's table (DOMAIN.md B 2.2) has a row "4 hours or less",
// one row an hour from 5 to 37 and an open row from 38 hours: 20 h is the
// 17th row (4, 5, ... 20), 38 h and 60 h the 35th (21 rows to 24 h, 13
// more to 37 h).
func TestHomeCareBand(t *testing.T) {
	for _, tc := range []struct {
		hours         string
		row, from, to int
		openEnded     bool
	}{
		{"0.4", 1, 0, 4, false}, {"4", 1, 0, 4, false}, {"5", 2, 5, 5, false}, {"20", 17, 20, 20, false},
		{"37", 34, 37, 37, false}, {"38", 35, 38, 0, true}, {"60", 35, 38, 0, true},
	} {
		b := homeCare(t, 1, "1653", tc.hours, "month", "60").HomeCare.Band
		if b == nil || b.Row != tc.row || b.From != tc.from || (b.To == nil) != tc.openEnded || (b.To != nil && *b.To != tc.to) {
			t.Errorf("%s h: band %+v, want row %d from %d to %d (open %v)", tc.hours, b, tc.row, tc.from, tc.to, tc.openEnded)
		}
	}
}

func TestHomeCareIncome(t *testing.T) {
	for _, tc := range []struct {
		name                     string
		size                     int
		gross, hours, freq, cost string
		wantFee, wantPct         string
		wantHours                int
	}{
		// DOMAIN.md B 2.7, [KL-koti], [PHHYKY]: (1 800 - 653) x 26 % = 298.22.
		{"B2.7 single 1800 EUR 20 h", 1, "1800", "20", "month", "60", "298.22", "26", 20},
		// DOMAIN.md B 2.7: (3 000 - 1 205) x 22 % = 394.90.
		{"B2.7 couple 3000 EUR 20 h", 2, "3000", "20", "month", "60", "394.90", "22", 20},
		{"income below the limit", 1, "600", "20", "month", "60", "0.00", "26", 20},
		{"income exactly on the limit", 1, "653", "20", "month", "60", "0.00", "26", 20},
		{"band edge 4 h", 1, "1653", "4", "month", "60", "80.00", "8", 4},
		{"band edge 5 h", 1, "1653", "5", "month", "60", "100.00", "10", 5},
		{"37 h", 1, "1653", "37", "month", "60", "345.00", "34.5", 37},
		{"band edge 38 h", 1, "1653", "38", "month", "60", "350.00", "35", 38},
		{"60 h stays in the open band", 1, "1653", "60", "month", "60", "350.00", "35", 60},
		// 7 people: 3 251 + 389 = 3 640; the 6+ column.
		{"household of 7", 7, "4640", "20", "month", "60", "120.00", "12", 20},
		{"household of 9", 9, "5418", "10", "month", "60", "120.00", "12", 10},
		// 20.5 h rounds half up to 21 h.
		{"hours round half up", 1, "1653", "20.5", "month", "60", "265.00", "26.5", 21},
		{"20.4 h rounds down", 1, "1653", "20.4", "month", "60", "260.00", "26", 20},
		// 5 h a week x 52/12 = 21.667 h -> 22 h.
		{"weekly hours convert with 52/12", 1, "1653", "5", "week", "60", "270.00", "27", 22},
		// cost cap: 4 h x 10.00 = 40.00 < 80.00.
		{"production cost caps the fee", 1, "1653", "4", "month", "10", "40.00", "8", 4},
		// Some home care given, 0 h after rounding: the "4 hours or less" row,
		// not no fee (DOMAIN.md A.3, B 2.2). (5 000 - 653) x 8 % = 347.76, cut
		// to the cost of no hours.
		{"A.3 zero hours of home care cost nothing, so the fee is capped to 0", 1, "5000", "0", "month", "60", "0.00", "8", 0},
		// 0.4 h x 60.00 = 24.00 < (1 800 - 653) x 8 % = 91.76.
		{"A.3 0.4 h a month rounds to 0 h: the <= 4 h row, capped at its cost 24.00", 1, "1800", "0.4", "month", "60", "24.00", "8", 0},
		// (700 - 653) x 8 % = 3.76 < 24.00.
		{"A.3 0.4 h a month, income just above the limit: 8 % of 47.00", 1, "700", "0.4", "month", "60", "3.76", "8", 0},
		// 0.1 h a week x 52/12 = 0.433 h -> 0 h; cost 0.1 x 52/12 x 60.00 = 26.00.
		{"A.3 0.1 h a week (0.433 h) takes the <= 4 h row, capped at 26.00", 1, "1800", "0.1", "week", "60", "26.00", "8", 0},
		// Couple: (1 300 - 1 205) x 7 % = 6.65 < 0.2 x 60.00 = 12.00.
		{"A.3 couple 0.2 h a month: the <= 4 h row for 2 (7 %)", 2, "1300", "0.2", "month", "60", "6.65", "7", 0},
		// 0.499 h rounds down to 0 h, 0.5 h up to 1 h: the same row either way.
		{"A.3 0.499 h a month is 0 h", 1, "1000", "0.499", "month", "60", "27.76", "8", 0},
		{"A.3 0.5 h a month is 1 h", 1, "1000", "0.5", "month", "60", "27.76", "8", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := homeCare(t, tc.size, tc.gross, tc.hours, tc.freq, tc.cost)
			if got := q.Lines[0].ClientFee.String(); got != tc.wantFee {
				t.Errorf("fee = %s, want %s", got, tc.wantFee)
			}
			if got := q.HomeCare.Percent.String(); got != pct(t, tc.wantPct).String() {
				t.Errorf("percent = %s, want %s", got, tc.wantPct)
			}
			if q.HomeCare.Hours != tc.wantHours {
				t.Errorf("hours = %d, want %d", q.HomeCare.Hours, tc.wantHours)
			}
			if q.Monthly.ClientFee != q.Lines[0].ClientFee {
				t.Errorf("monthly total %s != line fee %s", q.Monthly.ClientFee, q.Lines[0].ClientFee)
			}
		})
	}
}

// Several home-care lines: the hours add up to pick the percentage once; the
// fee is shared by cost (here equal prices, so by hours), the cent left by
// rounding down going to the largest remainder.
func TestHomeCareSharedOverLines(t *testing.T) {
	tv := tariffOf(homeCareEntry(t, "own", "60"), homeCareEntry(t, "purchased", "60"))
	in := domain.PriceInput{PricingDate: date(t, "2025-03-01"), Household: domain.Household{Size: 1, GrossIncome: new(money(t, "1800"))},
		Lines: []domain.Line{
			{ID: "l1", Service: "home-care", Mode: "own", Quantity: qty(t, "10"), Frequency: "month"},
			{ID: "l2", Service: "home-care", Mode: "purchased", Quantity: qty(t, "5"), Frequency: "month"},
			{ID: "l3", Service: "home-care", Mode: "own", Quantity: qty(t, "5"), Frequency: "month"},
		}}
	q, err := domain.Price(in, domain.PriceBasis{Tariff: tv, Income: income2024(t), Services: lookup})
	if err != nil {
		t.Fatal(err)
	}
	// 20 h together: 298.22 (not 3 x the fee of fewer hours).
	if q.HomeCare.Fee != money(t, "298.22") {
		t.Fatalf("fee = %s, want 298.22", q.HomeCare.Fee)
	}
	want := []string{"149.11", "74.56", "74.55"} // 298.22 x 10/20; 74.555 twice, the first tie takes the cent
	for i, w := range want {
		if got := q.Lines[i].ClientFee.String(); got != w {
			t.Errorf("line %d fee = %s, want %s", i+1, got, w)
		}
	}
	if q.Monthly.ClientFee != q.HomeCare.Fee {
		t.Errorf("lines add up to %s, want %s", q.Monthly.ClientFee, q.HomeCare.Fee)
	}
}

func TestHomeCareNeedsIncomeCatalogue(t *testing.T) {
	in := domain.PriceInput{PricingDate: date(t, "2025-03-01"), Household: domain.Household{Size: 1},
		Lines: []domain.Line{{ID: "l1", Service: "home-care", Mode: "own", Quantity: qty(t, "10"), Frequency: "month"}}}
	_, err := domain.Price(in, domain.PriceBasis{Tariff: tariffOf(homeCareEntry(t, "own", "60")), Services: lookup})
	if got := domain.ErrorField(err); got != "income_catalogue" {
		t.Fatalf("field = %q (%v), want income_catalogue", got, err)
	}
}

// The fee is shared by cost, so a cheap line never carries more fee than it
// costs: by hours, the 10-euro line would carry 149.11 of a 100.00 cost.
func TestHomeCareSharedByCost(t *testing.T) {
	tv := tariffOf(homeCareEntry(t, "own", "60"), homeCareEntry(t, "purchased", "10"))
	in := domain.PriceInput{PricingDate: date(t, "2025-03-01"), Household: domain.Household{Size: 1, GrossIncome: new(money(t, "1800"))},
		Lines: []domain.Line{
			{ID: "l1", Service: "home-care", Mode: "own", Quantity: qty(t, "10"), Frequency: "month"},
			{ID: "l2", Service: "home-care", Mode: "purchased", Quantity: qty(t, "10"), Frequency: "month"},
		}}
	q, err := domain.Price(in, domain.PriceBasis{Tariff: tv, Income: income2024(t), Services: lookup})
	if err != nil {
		t.Fatal(err)
	}
	// 298.22 x 600/700 = 255.617..., x 100/700 = 42.602...: 255.61 + 42.60
	// leaves one cent, which goes to the larger remainder.
	for i, w := range []string{"255.62", "42.60"} {
		if got := q.Lines[i].ClientFee.String(); got != w {
			t.Errorf("line %d fee = %s, want %s", i+1, got, w)
		}
		if q.Lines[i].CountyNet < 0 {
			t.Errorf("line %d: county net %s is negative", i+1, q.Lines[i].CountyNet)
		}
	}
}

// An income-based fee needs the income it depends on: left out, it is
// refused (not priced as zero income, which would give the lowest fee).
func TestIncomeMustBeKnown(t *testing.T) {
	hc := homeCareEntry(t, "own", "60")
	tiered := domain.Entry{Service: "phone", Mode: "own", UnitCost: money(t, "76"), Rule: domain.RuleIncomeTiered,
		Tiers: []domain.Tier{{MaxIncome: []domain.Money{money(t, "1489")}, Fee: money(t, "35.68")}, {Fee: money(t, "71.36")}}}
	housing := domain.Entry{Service: "housing", Mode: "own", UnitCost: money(t, "200"), Rule: domain.RuleHousingNet}
	hours := domain.Line{ID: "l1", Service: "home-care", Mode: "own", Quantity: qty(t, "10"), Frequency: "month"}
	phone := domain.Line{ID: "l1", Service: "phone", Mode: "own", Quantity: qty(t, "1"), Frequency: "month"}
	days := domain.Line{ID: "l1", Service: "housing", Mode: "own", Quantity: qty(t, "1"), Frequency: "day"}
	noKayttovara := *income2024(t)
	noKayttovara.Table.Kayttovara = nil
	noExtra := *income2024(t)
	noExtra.Table.ExtraPerson = nil
	for _, tc := range []struct {
		name  string
		h     domain.Household
		e     domain.Entry
		l     domain.Line
		iv    *domain.IncomeVersion
		field string
	}{
		{"home care without gross income", domain.Household{Size: 1, NetIncome: new(money(t, "1500"))}, hc, hours, income2024(t), "household.gross_income"},
		{"income tiers without gross income", domain.Household{Size: 1}, tiered, phone, income2024(t), "household.gross_income"},
		{"housing without net income", domain.Household{Size: 1, GrossIncome: new(money(t, "1500"))}, housing, days, income2024(t), "household.net_income"},
		{"housing without the spouse's net income", domain.Household{Size: 2, NetIncome: new(money(t, "1500")), Spouse: &domain.Spouse{}}, housing, days, income2024(t), "household.spouse.net_income"},
		{"housing with a table without kayttovara", domain.Household{Size: 1, NetIncome: new(money(t, "1500"))}, housing, days, &noKayttovara, "income_catalogue"},
		{"9 people, limits for 6 and no extra person", domain.Household{Size: 9, GrossIncome: new(money(t, "5000"))}, hc, hours, &noExtra, "household.size"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := domain.Price(domain.PriceInput{PricingDate: date(t, "2026-02-01"), Household: tc.h, Lines: []domain.Line{tc.l}},
				domain.PriceBasis{Tariff: tariffOf(tc.e), Income: tc.iv, Services: lookup})
			if got := domain.ErrorField(err); got != tc.field {
				t.Errorf("field = %q (%v), want %s", got, err, tc.field)
			}
		})
	}
	// Zero is a known income; one tier needs no income at all; a spouse in
	// long-term care needs no figure of the spouse's.
	for _, ok := range []struct {
		h domain.Household
		e domain.Entry
		l domain.Line
	}{
		{domain.Household{Size: 1, GrossIncome: new(domain.Money(0))}, hc, hours},
		{domain.Household{Size: 1}, domain.Entry{Service: "phone", Mode: "own", UnitCost: money(t, "76"), Rule: domain.RuleIncomeTiered, Tiers: []domain.Tier{{Fee: money(t, "30")}}}, phone},
		{domain.Household{Size: 2, NetIncome: new(money(t, "1500")), Spouse: &domain.Spouse{InLongTermCare: true}}, housing, days},
	} {
		if _, err := domain.Price(domain.PriceInput{PricingDate: date(t, "2026-02-01"), Household: ok.h, Lines: []domain.Line{ok.l}},
			domain.PriceBasis{Tariff: tariffOf(ok.e), Income: income2024(t), Services: lookup}); err != nil {
			t.Errorf("%+v: %v", ok.h, err)
		}
	}
}

// The production-cost cap (AML 2 §, DOMAIN.md A.3) is the exact cost of the
// lines of an income-based rule, summed before rounding and rounded once;
// the fee is then shared to the lines by their rounded costs, none carrying
// more than its own.
func TestProductionCostCapIsExact(t *testing.T) {
	hc := func(cost string) domain.Entry { return homeCareEntry(t, "own", cost) }
	housing := domain.Entry{Service: "housing", Mode: "own", UnitCost: money(t, "200.01"), Rule: domain.RuleHousingNet}
	hours := func(q string) domain.Line {
		return domain.Line{Service: "home-care", Mode: "own", Quantity: qty(t, q), Frequency: "month"}
	}
	days := func(q string) domain.Line {
		return domain.Line{Service: "housing", Mode: "own", Quantity: qty(t, q), Frequency: "month"}
	}
	rich := domain.Household{Size: 1, GrossIncome: new(money(t, "5000")), NetIncome: new(money(t, "10000"))}
	for _, tc := range []struct {
		name       string
		e          domain.Entry
		lines      []domain.Line
		cap, gross string // the exact cost rounded once; the lines' rounded costs
		fee        string
		shares     []string
	}{
		// 0.5 h x 10.01 = 5.005 -> 5.01 twice; exactly 10.01 together. The
		// sum of the rounded lines, 10.02, is a cent above the cost.
		{"A.3 two home-care lines of 5.005 each cost 10.01, not 10.02", hc("10.01"), []domain.Line{hours("0.5"), hours("0.5")},
			"10.01", "10.02", "10.01", []string{"5.01", "5.00"}},
		// 15.5 days x 200.01 = 3 100.155 -> 3 100.16 twice; exactly 6 200.31.
		// 85 % of 10 000 = 8 500 is far above.
		{"A.3 two housing lines of 3100.155 each cost 6200.31, not 6200.32", housing, []domain.Line{days("15.5"), days("15.5")},
			"6200.31", "6200.32", "6200.31", []string{"3100.16", "3100.15"}},
		// 0.4 h x 10.01 = 4.004 -> 4.00 three times; exactly 12.012 -> 12.01.
		// The exact cost is a cent above the lines' costs: the fee is held to
		// the lines' 12.00 so that no line's fee exceeds its cost.
		{"A.3 exact cost a cent above the rounded lines: the fee stays within each line's cost", hc("10.01"), []domain.Line{hours("0.4"), hours("0.4"), hours("0.4")},
			"12.01", "12.00", "12.00", []string{"4.00", "4.00", "4.00"}},
		// 5 h a week x 52/12 x 40.00 = 866.666...: one line, one rounding;
		// (5 000 - 653) x 27 % = 1 173.69 is above it.
		{"A.1 one line: the cap is its cost", hc("40"), []domain.Line{{Service: "home-care", Mode: "own", Quantity: qty(t, "5"), Frequency: "week"}},
			"866.67", "866.67", "866.67", []string{"866.67"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for i := range tc.lines {
				tc.lines[i].ID = "l" + string(rune('1'+i))
			}
			q, err := domain.Price(domain.PriceInput{PricingDate: date(t, "2026-02-01"), Household: rich, Lines: tc.lines},
				domain.PriceBasis{Tariff: tariffOf(tc.e), Income: income2024(t), Services: lookup})
			must(t, err)
			var cap, gross, fee domain.Money
			if d := q.HomeCare; d != nil {
				cap, gross, fee = d.Cap, d.CountyGross, d.Fee
			}
			if d := q.Housing; d != nil {
				cap, gross, fee = d.Cap, d.CountyGross, d.Fee
			}
			if cap.String() != tc.cap || gross.String() != tc.gross || fee.String() != tc.fee {
				t.Errorf("cap %s lines %s fee %s, want %s %s %s", cap, gross, fee, tc.cap, tc.gross, tc.fee)
			}
			for i, w := range tc.shares {
				l := q.Lines[i]
				if l.ClientFee.String() != w || !l.Capped {
					t.Errorf("line %d fee %s capped=%v, want %s capped", i+1, l.ClientFee, l.Capped, w)
				}
				if l.ClientFee > l.CountyGross {
					t.Errorf("line %d fee %s above its cost %s", i+1, l.ClientFee, l.CountyGross)
				}
			}
			if q.Monthly.ClientFee != fee {
				t.Errorf("lines add up to %s, fee %s", q.Monthly.ClientFee, fee)
			}
		})
	}
}
