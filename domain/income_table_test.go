package domain_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"carecost/domain"
)

// zeroCatalogue is a small catalogue whose income table gets extra fields
// (`"extra_person": "0.00"` and the like) in place of EXTRA.
const zeroCatalogue = `{"format": "carecost.catalogue/v1",
  "services": [
    {"id": "home-care", "names": {"fi": "Kotihoito"}, "category": "home_care", "unit": "hour", "modes": ["own"]},
    {"id": "housing", "names": {"fi": "Palveluasuminen"}, "category": "housing", "unit": "day", "modes": ["own"]},
    {"id": "respite", "names": {"fi": "Lyhytaikainen"}, "category": "short_term_care", "unit": "day", "modes": ["own"]}],
  "tariffs": [{"id": "t", "name": "T", "versions": [{"valid_from": "2024-01-01", "entries": [
    {"service": "home-care", "mode": "own", "unit_cost": "60.00", "rule": "home_care_income"},
    {"service": "housing", "mode": "own", "unit_cost": "200.00", "rule": "housing_net_income"},
    {"service": "respite", "mode": "own", "unit_cost": "250.00", "rule": "flat", "fee": "42.00", "counts_toward_ceiling": true}]}]}],
  "income_catalogues": [{"id": "i", "name": "I", "versions": [{"valid_from": "2024-01-01", "table": {
    "limits": ["653", "1205", "1891", "2338", "2830", "3251"],
    "percentages": [{"max_hours": 19, "by_household": ["25", "21", "17", "16", "14", "12"]}, {"max_hours": null, "by_household": ["26", "22", "18", "16", "14", "12"]}]
    EXTRA}}]}]}`

// quoteJSON prices a case written as JSON against a catalogue written as
// JSON, as carecost quote does.
func quoteJSON(t *testing.T, catalogue, kase string) (domain.Quote, error) {
	t.Helper()
	f, err := domain.ParseCatalogueFile([]byte(catalogue))
	must(t, err)
	set, err := domain.BuildCatalogue(f)
	must(t, err)
	var in domain.CaseInput
	must(t, domain.DecodeJSON([]byte(kase), &in))
	return set.Quote(in, date(t, "2026-02-01"))
}

// An amount of "0.00" (or a rate of "0") in an income-limit table is that
// amount, not a missing one; a field left out is missing.
func TestIncomeTableZeroIsAnAmount(t *testing.T) {
	const (
		homeCare7 = `{"household": {"size": 7, "gross_income": "4000.00"}, "lines": [{"service": "home-care", "mode": "own", "quantity": 20, "frequency": "month"}]}`
		housing   = `{"household": {"size": 1, "net_income": "1000.00"}, "lines": [{"service": "housing", "mode": "own", "quantity": 1, "frequency": "day"}]}`
		respite   = `{"household": {"size": 1}, "lines": [{"service": "respite", "mode": "own", "quantity": 2, "frequency": "month"}]}`
	)
	for _, tc := range []struct {
		name, extra, kase string
		fee, field        string // the fee, or the field of the refusal
		ceiling           string // the ceiling shown ("" for none)
	}{
		// 7 people: 3 251 + 0 = 3 251; (4 000 - 3 251) x 12 % = 89.88.
		{"B2.1 extra_person 0.00: a 7th person adds 0 to the limit", `"extra_person": "0.00"`, homeCare7, "89.88", "", ""},
		// 3 251 + 389 = 3 640; (4 000 - 3 640) x 12 % = 43.20.
		{"B2.1 extra_person 389.00", `"extra_person": "389.00"`, homeCare7, "43.20", "", ""},
		{"B2.1 extra_person left out: a 7th person cannot be priced", ``, homeCare7, "", "household.size", ""},
		// 85 % x 1 000 = 850 leaves 150, at least the käyttövara of 0.
		{"B5.1 kayttovara 0.00 leaves the client at least nothing", `"kayttovara": "0.00"`, housing, "850.00", "", ""},
		// 85 % x 1 000 = 850 would leave 150 < 195: 1 000 - 195 = 805.
		{"B5.1 kayttovara 195.00", `"kayttovara": "195.00"`, housing, "805.00", "", ""},
		{"B5.1 kayttovara left out: 24h housing cannot be priced", ``, housing, "", "income_catalogue", ""},
		{"B5.1 housing_rate 0 is a rate of 0 %", `"kayttovara": "195.00", "housing_rate": "0"`, housing, "0.00", "", ""},
		{"B5.1 housing_rate left out is 85 %", `"kayttovara": "0.00"`, housing, "850.00", "", ""},
		// 2 days x 42 = 84 a month, 1 008 a year.
		{"B3 annual_ceiling 0.00 is a ceiling, reached at once", `"annual_ceiling": "0.00"`, respite, "84.00", "", "0.00"},
		{"B3 annual_ceiling 762.00", `"annual_ceiling": "762.00"`, respite, "84.00", "", "762.00"},
		{"B3 annual_ceiling left out: no ceiling shown", ``, respite, "84.00", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			extra := ""
			if tc.extra != "" {
				extra = ", " + tc.extra
			}
			q, err := quoteJSON(t, strings.Replace(zeroCatalogue, "EXTRA", extra, 1), tc.kase)
			if tc.field != "" {
				wantErr(t, err, domain.EInvalid, tc.field)
				return
			}
			must(t, err)
			if got := q.Monthly.ClientFee.String(); got != tc.fee {
				t.Errorf("fee %s, want %s", got, tc.fee)
			}
			got := ""
			if q.Ceiling != nil {
				got = q.Ceiling.AnnualCeiling.String()
				if !q.Ceiling.Reached {
					t.Errorf("ceiling %s not reached by %s", got, q.Ceiling.PerYear)
				}
			}
			if got != tc.ceiling {
				t.Errorf("ceiling %q, want %q", got, tc.ceiling)
			}
		})
	}
}

// A table exported and read back keeps an amount of 0 and a field left out
// apart.
func TestIncomeTableZeroSurvivesExport(t *testing.T) {
	for _, extra := range []string{``, `, "extra_person": "0.00", "kayttovara": "0.00", "kayttovara_institutional": "0.00", "annual_ceiling": "0.00", "housing_rate": "0", "housing_spouse_rate": "0"`} {
		f, err := domain.ParseCatalogueFile([]byte(strings.Replace(zeroCatalogue, "EXTRA", extra, 1)))
		must(t, err)
		set, err := domain.BuildCatalogue(f)
		must(t, err)
		data, err := json.Marshal(set.File())
		must(t, err)
		if f, err = domain.ParseCatalogueFile(data); err == nil {
			set, err = domain.BuildCatalogue(f)
		}
		must(t, err)
		v, _ := set.Incomes["i"].Version(1)
		tab := v.Table
		got := fmt.Sprint(tab.ExtraPerson == nil, tab.Kayttovara == nil, tab.KayttovaraInstitutional == nil, tab.AnnualCeiling == nil, *tab.HousingRate, *tab.HousingSpouseRate)
		want := "true true true true 85.00 42.50"
		if extra != "" {
			want = "false false false false 0.00 0.00"
		}
		if got != want {
			t.Errorf("%s: %s, want %s", extra, got, want)
		}
	}
}
