package domain_test

import (
	"testing"

	"carecost/domain"
)

// homeCare prices one home-care line of hours per month for a household.
func homeCare(t *testing.T, size int, gross, hours, freq, cost string) domain.Quote {
	t.Helper()
	in := domain.PriceInput{PricingDate: date(t, "2025-03-01"), Household: domain.Household{Size: size, GrossIncome: money(t, gross)},
		Lines: []domain.Line{{ID: "l1", Service: "home-care", Mode: "own", Quantity: qty(t, hours), Frequency: domain.Frequency(freq)}}}
	q, err := domain.Price(in, domain.PriceBasis{Tariff: tariffOf(homeCareEntry(t, "own", cost)), Income: income2024(t), Services: lookup})
	if err != nil {
		t.Fatal(err)
	}
	return q
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
		{"zero hours", 1, "5000", "0", "month", "60", "0.00", "8", 0},
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

// Several home-care lines: the hours add up to pick the percentage once, the
// fee is shared by hours and the last line takes the rounding remainder.
func TestHomeCareSharedOverLines(t *testing.T) {
	tv := tariffOf(homeCareEntry(t, "own", "60"), homeCareEntry(t, "purchased", "60"))
	in := domain.PriceInput{PricingDate: date(t, "2025-03-01"), Household: domain.Household{Size: 1, GrossIncome: money(t, "1800")},
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
	want := []string{"149.11", "74.56", "74.55"} // 298.22 x 10/20, x 5/20 rounded, remainder
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
	if got := domain.ErrorField(err); got != "lines[0].income_catalogue" {
		t.Fatalf("field = %q (%v), want lines[0].income_catalogue", got, err)
	}
}
