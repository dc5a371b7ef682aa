package domain_test

import (
	"testing"
	"time"

	"carecost/domain"
)

func money(t testing.TB, s string) domain.Money {
	t.Helper()
	m, err := domain.ParseMoney(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func mp(t testing.TB, s string) *domain.Money {
	m := money(t, s)
	return &m
}

func date(t testing.TB, s string) domain.Date {
	t.Helper()
	d, err := domain.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func qty(t testing.TB, s string) domain.Quantity {
	t.Helper()
	q, err := domain.ParseQuantity(s)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func pct(t testing.TB, s string) domain.Percent {
	t.Helper()
	p, err := domain.ParsePercent(s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// lawPercentages is the table of AML 10 e § (DOMAIN.md B 2.2), written out
// here independently of the demo catalogue.
func lawPercentages(t testing.TB) []domain.PercentRow {
	t.Helper()
	cols := func(a string, rest ...string) []domain.Percent {
		out := []domain.Percent{pct(t, a)}
		for _, r := range rest {
			out = append(out, pct(t, r))
		}
		return out
	}
	rows := [][]string{
		{"8", "7", "6", "6", "6", "6"}, {"10", "8.75", "7.5", "7.5", "7.5", "7.5"}, {"12", "10.5", "9", "9", "9", "9"},
		{"14", "12.25", "10.5", "10.5", "10.5", "10.5"}, {"16", "14", "12", "12", "12", "12"}, {"17", "14.75", "12.5", "12.5", "12.5", "12"},
		{"18", "15.5", "13", "13", "13", "12"}, {"19", "16.25", "13.5", "13.5", "13.5", "12"}, {"20", "17", "14", "14", "14", "12"},
		{"21", "17.75", "14.5", "14.5", "14", "12"}, {"22", "18.5", "15", "15", "14", "12"}, {"23", "19.25", "15.5", "15.5", "14", "12"},
		{"24", "20", "16", "16", "14", "12"}, {"24.5", "20.5", "16.5", "16", "14", "12"}, {"25", "21", "17", "16", "14", "12"},
		{"25.5", "21.5", "17.5", "16", "14", "12"}, {"26", "22", "18", "16", "14", "12"}, {"26.5", "22.5", "18.5", "16", "14", "12"},
		{"27", "23", "19", "16", "14", "12"}, {"27.5", "23.5", "19", "16", "14", "12"}, {"28", "24", "19", "16", "14", "12"},
	}
	var out []domain.PercentRow
	for i, r := range rows {
		h := i + 4
		out = append(out, domain.PercentRow{MaxHours: &h, ByHousehold: cols(r[0], r[1:]...)})
	}
	for h := 25; h <= 37; h++ {
		hh := h
		one := domain.Percent(2800 + 50*(h-24))
		out = append(out, domain.PercentRow{MaxHours: &hh, ByHousehold: []domain.Percent{one, 2400, 1900, 1600, 1400, 1200}})
	}
	return append(out, domain.PercentRow{ByHousehold: cols("35", "24", "19", "16", "14", "12")})
}

// income2024 is the statutory income-limit table of 1.1.2024 (DOMAIN.md B
// 2.1) with the 2026 käyttövara of the worked housing example (B 5.1).
func income2024(t testing.TB) *domain.IncomeVersion {
	t.Helper()
	var limits []domain.Money
	for _, s := range []string{"653", "1205", "1891", "2338", "2830", "3251"} {
		limits = append(limits, money(t, s))
	}
	tab := domain.IncomeTable{Limits: limits, ExtraPerson: mp(t, "389"), Percentages: lawPercentages(t),
		Kayttovara: mp(t, "195"), AnnualCeiling: mp(t, "762"), HousingRate: new(domain.Percent(8500)), HousingSpouseRate: new(domain.Percent(4250))}
	if err := tab.Validate(); err != nil {
		t.Fatal(err)
	}
	return &domain.IncomeVersion{CatalogueID: "statutory", Name: "statutory", VersionInfo: domain.VersionInfo{Number: 3,
		Status: domain.StatusPublished, ValidFrom: date(t, "2024-01-01")}, Table: tab}
}

var testServices = map[string]domain.Service{
	"home-care": {ID: "home-care", Names: domain.Names{FI: "Kotihoito"}, Category: domain.CatHomeCare, Unit: "hour", Modes: []domain.Mode{"own", "purchased", "voucher"}},
	"meals":     {ID: "meals", Names: domain.Names{FI: "Ateria"}, Category: domain.CatSupport, Unit: "meal", Modes: []domain.Mode{"own", "voucher"}},
	"phone":     {ID: "phone", Names: domain.Names{FI: "Turvapuhelin"}, Category: domain.CatSupport, Unit: "month", Modes: []domain.Mode{"own"}},
	"housing":   {ID: "housing", Names: domain.Names{FI: "Palveluasuminen"}, Category: domain.CatHousing, Unit: "day", Modes: []domain.Mode{"own", "purchased"}},
	"respite":   {ID: "respite", Names: domain.Names{FI: "Lyhytaikainen"}, Category: domain.CatShortTerm, Unit: "day", Modes: []domain.Mode{"own"}, Eligibility: domain.Eligibility{MinMaple: 3}},
	"assess":    {ID: "assess", Names: domain.Names{FI: "Arviointi"}, Category: domain.CatAssessment, Unit: "visit", Modes: []domain.Mode{"own"}},
}

func lookup(id string) *domain.Service {
	s, ok := testServices[id]
	if !ok {
		return nil
	}
	return &s
}

// tariffOf returns a published tariff version with the given entries and the
// default month conversions.
func tariffOf(entries ...domain.Entry) domain.TariffVersion {
	return domain.TariffVersion{TariffID: "test", Name: "test", VersionInfo: domain.VersionInfo{Number: 1, Status: domain.StatusPublished},
		WeeksPerMonth: domain.DefaultWeeksPerMonth, DaysPerMonth: domain.DefaultDaysPerMonth, Entries: entries}
}

func homeCareEntry(t testing.TB, mode domain.Mode, cost string) domain.Entry {
	return domain.Entry{Service: "home-care", Mode: mode, UnitCost: money(t, cost), Rule: domain.RuleHomeCareIncome}
}

// today is the Helsinki date now: a decision date the domain takes for an
// estimate opened today.
func today() domain.Date { return domain.DateOf(time.Now()) }
