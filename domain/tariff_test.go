package domain_test

import (
	"testing"

	"carecost/domain"
)

func wantErr(t *testing.T, err error, code, field string) {
	t.Helper()
	if domain.ErrorCode(err) != code || domain.ErrorField(err) != field {
		t.Fatalf("got %q %q (%v), want %q %q", domain.ErrorCode(err), domain.ErrorField(err), err, code, field)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func mealEntry(t *testing.T, fee string) domain.Entry {
	return domain.Entry{Service: "meals", Mode: "own", UnitCost: money(t, "9.80"), Rule: domain.RuleFlat, Fee: mp(t, fee)}
}

// newTariff returns a created tariff with version 1 published from 2025-01-01.
func newTariff(t *testing.T) *domain.Tariff {
	tr := domain.NewTariff("phhva")
	must(t, tr.Create("Hinnasto", domain.Ratio{}, domain.Ratio{}))
	n, err := tr.CreateDraft(0, 0, "")
	must(t, err)
	must(t, tr.SetEntry(n, mealEntry(t, "5.00"), lookup("meals")))
	must(t, tr.Publish(n, date(t, "2025-01-01"), lookup))
	return tr
}

func TestTariffEntryInvariants(t *testing.T) {
	tr := newTariff(t)
	n, err := tr.CreateDraft(1, 0, "")
	must(t, err)
	neg := mealEntry(t, "5.00")
	neg.UnitCost = -1
	wantErr(t, tr.SetEntry(n, neg, lookup("meals")), domain.EInvalid, "entry.unit_cost")
	wrongMode := mealEntry(t, "5.00")
	wrongMode.Mode = "purchased"
	wantErr(t, tr.SetEntry(n, wrongMode, lookup("meals")), domain.EInvalid, "entry.mode")
	negFee := mealEntry(t, "-1")
	wantErr(t, tr.SetEntry(n, negFee, lookup("meals")), domain.EInvalid, "entry.fee")
	noFee := mealEntry(t, "1")
	noFee.Fee = nil
	wantErr(t, tr.SetEntry(n, noFee, lookup("meals")), domain.EInvalid, "entry.fee")
	wantErr(t, tr.SetEntry(n, domain.Entry{Service: "spa", Mode: "own", Rule: domain.RuleFree}, nil), domain.EInvalid, "entry.service")
	voucherAsOwn := domain.Entry{Service: "meals", Mode: "own", Rule: domain.RuleVoucher}
	wantErr(t, tr.SetEntry(n, voucherAsOwn, lookup("meals")), domain.EInvalid, "entry.rule")
	hcPerMeal := domain.Entry{Service: "meals", Mode: "own", Rule: domain.RuleHomeCareIncome}
	wantErr(t, tr.SetEntry(n, hcPerMeal, lookup("meals")), domain.EInvalid, "entry.rule")
	badTiers := domain.Entry{Service: "phone", Mode: "own", Rule: domain.RuleIncomeTiered, Tiers: []domain.Tier{{Fee: 1}, {Fee: 2}}}
	wantErr(t, tr.SetEntry(n, badTiers, lookup("phone")), domain.EInvalid, "entry.tiers[0].max_income")
}

// Income-based fees and voucher co-payments never accrue the annual payment
// ceiling (DOMAIN.md A.3, B 3): an entry that says they do is refused,
// naming the field; the flat fee of short-term care may.
func TestCeilingOnlyForFeesTheLawLists(t *testing.T) {
	tr := newTariff(t)
	n, err := tr.CreateDraft(1, 0, "")
	must(t, err)
	for _, tc := range []struct {
		name string
		e    domain.Entry
		svc  string
	}{
		{"B3 regular home care (home_care_income) does not count", homeCareEntry(t, "own", "60"), "home-care"},
		{"B3 24h housing (housing_net_income) does not count", domain.Entry{Service: "housing", Mode: "own", UnitCost: money(t, "200"), Rule: domain.RuleHousingNet}, "housing"},
		{"B3 a voucher co-payment does not count", domain.Entry{Service: "home-care", Mode: "voucher", UnitCost: money(t, "36"), Rule: domain.RuleVoucher}, "home-care"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.e.CountsTowardCeiling = true
			wantErr(t, tr.SetEntry(n, tc.e, lookup(tc.svc)), domain.EInvalid, "entry.counts_toward_ceiling")
			tc.e.CountsTowardCeiling = false
			must(t, tr.SetEntry(n, tc.e, lookup(tc.svc)))
		})
	}
	respite := domain.Entry{Service: "respite", Mode: "own", UnitCost: money(t, "250"), Rule: domain.RuleFlat, Fee: mp(t, "42"), CountsTowardCeiling: true}
	must(t, tr.SetEntry(n, respite, lookup("respite")))
	// An entry recorded before the rule (priced here without the checks of a
	// tariff) still does not count.
	hc := homeCareEntry(t, "own", "60")
	hc.CountsTowardCeiling = true
	q, err := domain.Price(domain.PriceInput{Household: domain.Household{Size: 1, GrossIncome: new(money(t, "1800"))},
		Lines: []domain.Line{{ID: "l1", Service: "home-care", Mode: "own", Quantity: qty(t, "20"), Frequency: "month"}}},
		domain.PriceBasis{Tariff: tariffOf(hc), Income: income2024(t), Services: lookup})
	must(t, err)
	if q.Ceiling != nil {
		t.Errorf("home care counted toward the ceiling: %+v", q.Ceiling)
	}
}

func TestTariffPublishing(t *testing.T) {
	t.Run("a second version with the same valid-from needs to be a correction", func(t *testing.T) {
		tr := newTariff(t)
		n, _ := tr.CreateDraft(1, 0, "")
		wantErr(t, tr.Publish(n, date(t, "2025-01-01"), lookup), domain.EConflict, "valid_from")
	})
	t.Run("an empty draft cannot be published", func(t *testing.T) {
		tr := newTariff(t)
		n, _ := tr.CreateDraft(0, 0, "")
		wantErr(t, tr.Publish(n, date(t, "2026-01-01"), lookup), domain.EInvalid, "entries")
	})
	t.Run("publishing needs a valid-from", func(t *testing.T) {
		tr := newTariff(t)
		n, _ := tr.CreateDraft(1, 0, "")
		wantErr(t, tr.Publish(n, domain.Date{}, lookup), domain.EInvalid, "valid_from")
	})
	t.Run("a correction replaces the version from the same date", func(t *testing.T) {
		tr := newTariff(t)
		n, err := tr.CreateDraft(0, 1, "fix")
		must(t, err)
		must(t, tr.SetEntry(n, mealEntry(t, "4.90"), lookup("meals")))
		must(t, tr.Publish(n, domain.Date{}, lookup))
		v, _ := tr.VersionAt(date(t, "2025-06-01"))
		if v.Number != 2 || v.ValidFrom != date(t, "2025-01-01") || v.Corrects != 1 {
			t.Fatalf("in effect: version %d from %s corrects %d", v.Number, v.ValidFrom, v.Corrects)
		}
		e, _ := v.Entry("meals", "own")
		if *e.Fee != money(t, "4.90") {
			t.Errorf("fee = %s", e.Fee)
		}
		// Correcting the corrected version again is refused: correct version 2.
		m, _ := tr.CreateDraft(0, 1, "")
		wantErr(t, tr.Publish(m, domain.Date{}, lookup), domain.EConflict, "corrects")
	})
	t.Run("a correction keeps its valid-from", func(t *testing.T) {
		tr := newTariff(t)
		n, _ := tr.CreateDraft(0, 1, "")
		wantErr(t, tr.Publish(n, date(t, "2025-02-01"), lookup), domain.EInvalid, "valid_from")
	})
	t.Run("only published versions can be corrected", func(t *testing.T) {
		tr := newTariff(t)
		_, err := tr.CreateDraft(0, 7, "")
		wantErr(t, err, domain.EInvalid, "corrects")
	})
	t.Run("published versions do not change", func(t *testing.T) {
		tr := newTariff(t)
		wantErr(t, tr.SetEntry(1, mealEntry(t, "1"), lookup("meals")), domain.EConflict, "version")
		wantErr(t, tr.Withdraw(1), domain.EConflict, "version")
	})
	t.Run("a withdrawn draft is gone", func(t *testing.T) {
		tr := newTariff(t)
		n, _ := tr.CreateDraft(1, 0, "")
		must(t, tr.Withdraw(n))
		wantErr(t, tr.Publish(n, date(t, "2026-01-01"), lookup), domain.EConflict, "version")
		if m, _ := tr.CreateDraft(0, 0, ""); m != n+1 {
			t.Errorf("next draft = %d, want %d (numbers are not reused)", m, n+1)
		}
	})
}

func TestTariffVersionAt(t *testing.T) {
	tr := newTariff(t)
	n, _ := tr.CreateDraft(1, 0, "")
	must(t, tr.SetEntry(n, mealEntry(t, "5.25"), lookup("meals")))
	must(t, tr.Publish(n, date(t, "2026-01-01"), lookup))
	// A version inserted before the newest one is fine: a retroactive price.
	m, _ := tr.CreateDraft(1, 0, "")
	must(t, tr.SetEntry(m, mealEntry(t, "5.10"), lookup("meals")))
	must(t, tr.Publish(m, date(t, "2025-07-01"), lookup))
	for d, want := range map[string]int{"2025-01-01": 1, "2025-06-30": 1, "2025-07-01": 3, "2025-12-31": 3, "2026-01-01": 2, "2030-01-01": 2} {
		if v, _ := tr.VersionAt(date(t, d)); v.Number != want {
			t.Errorf("on %s: version %d, want %d", d, v.Number, want)
		}
	}
	if _, ok := tr.VersionAt(date(t, "2024-12-31")); ok {
		t.Error("a version in effect before the first valid-from")
	}
}

func TestIncomeCatalogue(t *testing.T) {
	c := domain.NewIncomeCatalogue("statutory")
	must(t, c.Create("Lakisääteinen"))
	tab := income2024(t).Table
	bad := tab
	bad.Percentages = append([]domain.PercentRow{}, tab.Percentages...)
	bad.Percentages[0] = domain.PercentRow{MaxHours: bad.Percentages[0].MaxHours, ByHousehold: []domain.Percent{10001, 700, 600, 600, 600, 600}}
	_, err := c.CreateDraft(0, 0, &bad, "")
	wantErr(t, err, domain.EInvalid, "table.percentages[0].by_household[0]")
	bad.Percentages[0].ByHousehold = []domain.Percent{800, 700, 600, 600, 600, 600, 600} // more columns than limits
	_, err = c.CreateDraft(0, 0, &bad, "")
	wantErr(t, err, domain.EInvalid, "table.percentages[0].by_household")
	falling := tab
	falling.Limits = []domain.Money{120000, 110000, 189100, 233800, 283000, 325100}
	_, err = c.CreateDraft(0, 0, &falling, "")
	wantErr(t, err, domain.EInvalid, "table.limits[1]")
	neg := tab
	neg.Kayttovara = new(domain.Money(-1))
	_, err = c.CreateDraft(0, 0, &neg, "")
	wantErr(t, err, domain.EInvalid, "table.kayttovara")
	empty, err := c.CreateDraft(0, 0, nil, "")
	must(t, err)
	wantErr(t, c.Publish(empty, date(t, "2024-01-01")), domain.EInvalid, "table.limits")
	must(t, c.SetDraft(empty, tab, ""))
	must(t, c.Publish(empty, date(t, "2024-01-01")))
	v, ok := c.VersionAt(date(t, "2025-05-05"))
	if !ok || v.Table.IncomeLimit(1) != money(t, "653") || v.Table.IncomeLimit(8) != money(t, "4029") {
		t.Errorf("version in effect: %v %+v", ok, v.VersionInfo)
	}
}

func TestCatalogueServices(t *testing.T) {
	c := domain.NewCatalogue()
	s := testServices["meals"]
	must(t, c.Define(s))
	must(t, c.Define(s))
	if len(c.Changes()) != 1 {
		t.Errorf("redefining an unchanged service recorded %d events, want 1", len(c.Changes()))
	}
	bad := s
	bad.Modes = []domain.Mode{"own", "own"}
	wantErr(t, c.Define(bad), domain.EInvalid, "modes[1]")
	bad = s
	bad.ID = "Meals!"
	wantErr(t, c.Define(bad), domain.EInvalid, "id")
	must(t, c.Retire("meals"))
	if !c.Retired("meals") {
		t.Error("not retired")
	}
	wantErr(t, c.Retire("nope"), domain.ENotFound, "service")
}

func TestTariffSettings(t *testing.T) {
	tr := newTariff(t)
	n, _ := tr.CreateDraft(1, 0, "index review")
	must(t, tr.SetSettings(n, domain.Ratio{Num: 4, Den: 1}, domain.Ratio{}, nil))
	v, _ := tr.Version(n)
	if v.Note != "index review" || v.WeeksPerMonth != (domain.Ratio{Num: 4, Den: 1}) || v.DaysPerMonth != domain.DefaultDaysPerMonth {
		t.Errorf("after settings without a note: %q %v %v", v.Note, v.WeeksPerMonth, v.DaysPerMonth)
	}
	empty := ""
	must(t, tr.SetSettings(n, domain.Ratio{}, domain.Ratio{}, &empty))
	if v, _ := tr.Version(n); v.Note != "" || v.WeeksPerMonth != (domain.Ratio{Num: 4, Den: 1}) {
		t.Errorf("after clearing the note: %q %v", v.Note, v.WeeksPerMonth)
	}
}

// Month conversions stay within what a month can be.
func TestTariffMonthSettings(t *testing.T) {
	r := func(s string) domain.Ratio {
		v, err := domain.ParseRatio(s)
		must(t, err)
		return v
	}
	wantErr(t, domain.NewTariff("a").Create("A", r("40"), domain.Ratio{}), domain.EInvalid, "weeks_per_month")
	wantErr(t, domain.NewTariff("a").Create("A", domain.Ratio{}, r("1000000")), domain.EInvalid, "days_per_month")
	must(t, domain.NewTariff("a").Create("A", r("4"), r("1461/48")))
	tr := newTariff(t)
	n, err := tr.CreateDraft(1, 0, "")
	must(t, err)
	wantErr(t, tr.SetSettings(n, r("3.9"), domain.Ratio{}, nil), domain.EInvalid, "weeks_per_month")
	must(t, tr.SetSettings(n, r("4.345"), r("30"), nil))
}

func TestNoPricesForRetiredService(t *testing.T) {
	c, _ := demoCommands(t)
	_, err := c.RetireService(ctx, domain.Command{}, "bathing")
	must(t, err)
	n, _, err := c.CreateTariffDraft(ctx, domain.Command{}, "phhva", 1, 0, "")
	must(t, err)
	_, err = c.SetTariffEntry(ctx, domain.Command{}, "phhva", n, domain.Entry{Service: "bathing", Mode: "own", UnitCost: money(t, "50"), Rule: domain.RuleFlat, Fee: mp(t, "10")})
	wantErr(t, err, domain.EConflict, "service")
}
