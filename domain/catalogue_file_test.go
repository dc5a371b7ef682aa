package domain_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"carecost/domain"
	"carecost/domain/demo"
)

// Export then import gives the same catalogue, numbering included.
func TestCatalogueFileRoundTrip(t *testing.T) {
	set, err := demo.Catalogue()
	must(t, err)
	data, err := json.Marshal(set.File())
	must(t, err)
	f, err := domain.ParseCatalogueFile(data)
	must(t, err)
	again, err := domain.BuildCatalogue(f)
	must(t, err)
	if !reflect.DeepEqual(again.File(), set.File()) {
		t.Error("export -> import -> export changed the catalogue")
	}
}

func TestDemoIncomeTablesFollowTheLaw(t *testing.T) {
	set, err := demo.Catalogue()
	must(t, err)
	law := lawPercentages(t)
	for _, vi := range set.Incomes["statutory"].Published() {
		v, _ := set.Incomes["statutory"].Version(vi.Number)
		if !reflect.DeepEqual(v.Table.Percentages, law) {
			t.Errorf("version %d: percentage table differs from AML 10 e §", v.Number)
		}
	}
	v, _ := set.Incomes["statutory"].VersionAt(date(t, "2024-06-01"))
	if v.Table.IncomeLimit(1) != money(t, "653") || v.Table.IncomeLimit(2) != money(t, "1205") || v.Table.AnnualCeiling == nil || *v.Table.AnnualCeiling != money(t, "762") {
		t.Errorf("2024 version: %+v", v.Table)
	}
}

func TestCatalogueFileErrorsNameTheField(t *testing.T) {
	base := string(demo.CatalogueJSON())
	for _, tc := range []struct {
		name, from, to, code, field string
	}{
		{"wrong format", `"carecost.catalogue/v1"`, `"v0"`, domain.EInvalid, "format"},
		{"mode the service does not allow", `"service": "safety-phone",
       "mode": "own"`, `"service": "safety-phone",
       "mode": "voucher"`, domain.EInvalid, "tariffs[0].versions[0].entries[3].mode"},
		{"negative unit cost", `"unit_cost": "9.80"`, `"unit_cost": "-9.80"`, domain.EInvalid, "tariffs[0].versions[0].entries[0].unit_cost"},
		{"same valid-from without a correction", `"corrects": 2,`, ``, domain.EConflict, "tariffs[0].versions[2].valid_from"},
		{"percentage above 100", `"by_household": [
         "8",`, `"by_household": [
         "108",`, domain.EInvalid, "income_catalogues[0].versions[0].table.percentages[0].by_household[0]"},
		{"bad money", `"kayttovara": "164.00"`, `"kayttovara": "164,00"`, domain.EInvalid, "income_catalogues[0].versions[0].table.kayttovara"},
		// DOMAIN.md A.3, B 3: income-based fees and voucher co-payments never
		// accrue the payment ceiling.
		{"A.3 B3 home care marked as counting toward the ceiling", `"rule": "home_care_income"`, `"rule": "home_care_income", "counts_toward_ceiling": true`,
			domain.EInvalid, "tariffs[0].versions[0].entries[18].counts_toward_ceiling"},
		{"A.3 B3 a voucher marked as counting toward the ceiling", `"unit_cost": "5.50",
       "rule": "voucher"`, `"unit_cost": "5.50",
       "rule": "voucher", "counts_toward_ceiling": true`, domain.EInvalid, "tariffs[0].versions[0].entries[2].counts_toward_ceiling"},
		{"A.3 B3 24h housing marked as counting toward the ceiling", `"rule": "housing_net_income"`, `"rule": "housing_net_income", "counts_toward_ceiling": true`,
			domain.EInvalid, "tariffs[0].versions[0].entries[23].counts_toward_ceiling"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if !strings.Contains(base, tc.from) {
				t.Fatalf("demo catalogue has no %q", tc.from)
			}
			data := []byte(strings.Replace(base, tc.from, tc.to, 1))
			f, err := domain.ParseCatalogueFile(data)
			if err == nil {
				_, err = domain.BuildCatalogue(f)
			}
			wantErr(t, err, tc.code, tc.field)
		})
	}
}

// A correction in a file keeps the month settings of the version it
// corrects unless it states its own.
func TestCatalogueFileCorrectionKeepsMonthSettings(t *testing.T) {
	doc := `{"format": "carecost.catalogue/v1",
	  "services": [{"id": "meals", "names": {"fi": "Ateria"}, "category": "support", "unit": "meal", "modes": ["own"]}],
	  "tariffs": [{"id": "t", "name": "T", "versions": [
	    {"valid_from": "2025-01-01", "weeks_per_month": "4.345", "days_per_month": "30",
	     "entries": [{"service": "meals", "mode": "own", "unit_cost": "10.20", "rule": "flat", "fee": "5.25"}]},
	    {"corrects": 1, "entries": [{"service": "meals", "mode": "own", "unit_cost": "10.20", "rule": "flat", "fee": "6.00"}]},
	    {"corrects": 2, "weeks_per_month": "4", "entries": [{"service": "meals", "mode": "own", "unit_cost": "10.20", "rule": "flat", "fee": "6.00"}]}]}]}`
	f, err := domain.ParseCatalogueFile([]byte(doc))
	must(t, err)
	set, err := domain.BuildCatalogue(f)
	must(t, err)
	for n, want := range map[int][2]string{2: {"4.345", "30"}, 3: {"4", "30"}} {
		v, _ := set.Tariffs["t"].Version(n)
		w, _ := domain.ParseRatio(want[0])
		d, _ := domain.ParseRatio(want[1])
		if v.WeeksPerMonth.Rat().Cmp(w.Rat()) != 0 || v.DaysPerMonth.Rat().Cmp(d.Rat()) != 0 {
			t.Errorf("version %d: %s weeks and %s days a month, want %s and %s", n, v.WeeksPerMonth, v.DaysPerMonth, want[0], want[1])
		}
	}
}
