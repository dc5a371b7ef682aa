package demo_test

import (
	"testing"

	"carecost/domain"
	"carecost/domain/demo"
)

func TestCatalogue(t *testing.T) {
	set, err := demo.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"meal-service", "safety-phone", "bathing", "cleaning", "errands", "clothing-care", "day-activity",
		"assessment-period", "service-need-assessment", "regular-home-care", "short-term-care", "housing-24h", "family-carer-leave"}
	for _, id := range want {
		if set.Catalogue.Service(id) == nil {
			t.Errorf("service %s missing", id)
		}
	}
	tar := set.Tariffs["phhva"]
	if tar == nil || len(tar.Published()) < 2 {
		t.Fatalf("want a tariff with at least two published versions")
	}
	for _, d := range []string{"2025-06-01", "2026-06-01"} {
		date, _ := domain.ParseDate(d)
		if _, ok := tar.VersionAt(date); !ok {
			t.Errorf("no tariff version on %s", d)
		}
	}
	inc := set.Incomes["statutory"]
	var froms []string
	for _, v := range inc.Published() {
		froms = append(froms, v.ValidFrom.String())
	}
	if got, want := len(froms), 4; got != want || froms[0] != "2021-07-01" || froms[3] != "2026-01-01" {
		t.Errorf("income versions = %v, want 2021-07-01, 2022, 2024, 2026", froms)
	}
}

// Every service is priced in every mode it allows, in every tariff version.
func TestCatalogueCoversModes(t *testing.T) {
	set, err := demo.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	for _, vi := range set.Tariffs["phhva"].Published() {
		v, _ := set.Tariffs["phhva"].Version(vi.Number)
		for _, s := range set.Catalogue.Services() {
			for _, m := range s.Modes {
				if _, ok := v.Entry(s.ID, m); !ok {
					t.Errorf("version %d: no entry for %s as %s", v.Number, s.ID, m)
				}
			}
		}
	}
}
