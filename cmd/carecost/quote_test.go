package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCmd runs carecost with args and returns its exit code and output.
func runCmd(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(string) string { return "" }}
	code := run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// ownCatalogue is a catalogue written by hand in the documented format.
const ownCatalogue = `{
  "format": "carecost.catalogue/v1",
  "services": [
    {"id": "home-care", "names": {"fi": "Kotihoito"}, "category": "home_care", "unit": "hour", "modes": ["own"]},
    {"id": "housing", "names": {"fi": "Palveluasuminen"}, "category": "housing", "unit": "day", "modes": ["own"]}
  ],
  "tariffs": [{"id": "t", "name": "T", "versions": [{"valid_from": "2024-01-01", "entries": [
    {"service": "home-care", "mode": "own", "unit_cost": "60.00", "rule": "home_care_income"},
    {"service": "housing", "mode": "own", "unit_cost": "200.00", "rule": "housing_net_income"}
  ]}]}],
  "income_catalogues": [{"id": "law", "name": "Law", "versions": [{"valid_from": "2024-01-01", "table": {
    "limits": ["653", "1205", "1891", "2338", "2830", "3251"], "extra_person": "389",
    "percentages": [{"max_hours": 19, "by_household": ["25", "21"]}, {"max_hours": 20, "by_household": ["26", "22", "18"]}, {"max_hours": null, "by_household": ["27", "23"]}],
    "kayttovara": "195", "annual_ceiling": "762"}}]}]
}`

func TestQuoteWithOwnCatalogue(t *testing.T) {
	cat := writeFile(t, "cat.json", ownCatalogue)
	for _, tc := range []struct {
		name, body, want string
	}{
		{"B2.7 single", `{"pricing_date":"2025-01-01","household":{"size":1,"gross_income":"1800"},"lines":[{"service":"home-care","mode":"own","quantity":20,"frequency":"month"}]}`, "298.22"},
		{"B2.7 couple", `{"pricing_date":"2025-01-01","household":{"size":2,"gross_income":"3000"},"lines":[{"service":"home-care","mode":"own","quantity":20,"frequency":"month"}]}`, "394.90"},
		{"B5.1 housing", `{"pricing_date":"2025-01-01","household":{"size":1,"net_income":"1500","deductions":[{"kind":"housing","amount":"600"},{"kind":"medicines","amount":"50"}]},"lines":[{"service":"housing","mode":"own","quantity":1,"frequency":"day"}]}`, "655.00"},
		// DOMAIN.md A.3: 0.4 h rounds to 0 h, which takes the lowest row (here
		// 25 %): (1 800 - 653) x 25 % = 286.75, capped at 0.4 x 60.00 = 24.00.
		{"A.3 0.4 h a month is not free", `{"pricing_date":"2025-01-01","household":{"size":1,"gross_income":"1800"},"lines":[{"service":"home-care","mode":"own","quantity":"0.4","frequency":"month"}]}`, "24.00"},
		// DOMAIN.md A.3, B 5.1: 4 000 > 3 000 before the deductions, so
		// 42.5 % x (4 000 + 3 000 - 1 500 - 300) = 2 210.00.
		{"A.3 B5.1 spouse rule compared before deductions", `{"pricing_date":"2025-01-01","household":{"size":2,"net_income":"4000","deductions":[{"kind":"housing","amount":"1500"}],
			"spouse":{"net_income":"3000","deductions":[{"kind":"housing","amount":"300"}]}},"lines":[{"service":"housing","mode":"own","quantity":1,"frequency":"day"}]}`, "2210.00"},
		// 1 800 < 2 000 before the deductions: 85 % x 1 800 = 1 530.00.
		{"A.3 B5.1 client's net income not higher before deductions", `{"pricing_date":"2025-01-01","household":{"size":2,"net_income":"1800",
			"spouse":{"net_income":"2000","deductions":[{"kind":"housing","amount":"500"}]}},"lines":[{"service":"housing","mode":"own","quantity":1,"frequency":"day"}]}`, "1530.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runCmd(t, tc.body, "quote", "--catalogue", cat, "--input", "-")
			if code != 0 {
				t.Fatalf("exit %d: %s", code, errs)
			}
			var q struct {
				Monthly struct {
					ClientFee string `json:"client_fee"`
				} `json:"monthly"`
			}
			if err := json.Unmarshal([]byte(out), &q); err != nil {
				t.Fatal(err)
			}
			if q.Monthly.ClientFee != tc.want {
				t.Errorf("monthly client fee = %s, want %s", q.Monthly.ClientFee, tc.want)
			}
		})
	}
}

// "extra_person": "0.00" in an income-limit table is an amount: a household
// beyond the listed sizes has the last limit (docs/catalogue-format.md). Left
// out, such a household is refused.
func TestQuoteZeroExtraPerson(t *testing.T) {
	body := `{"pricing_date":"2025-01-01","household":{"size":7,"gross_income":"4000"},"lines":[{"service":"home-care","mode":"own","quantity":20,"frequency":"month"}]}`
	zero := writeFile(t, "zero.json", strings.Replace(ownCatalogue, `"extra_person": "389"`, `"extra_person": "0.00"`, 1))
	// DOMAIN.md B 2.1: 3 251 + 0 = 3 251; (4 000 - 3 251) x 18 % = 134.82.
	code, out, errs := runCmd(t, body, "quote", "--catalogue", zero, "--input", "-")
	if code != 0 || !strings.Contains(out, `"client_fee": "134.82"`) {
		t.Errorf("exit %d, %s%s; want a fee of 134.82", code, errs, out)
	}
	none := writeFile(t, "none.json", strings.Replace(ownCatalogue, `"extra_person": "389",`, ``, 1))
	code, _, errs = runCmd(t, body, "quote", "--catalogue", none, "--input", "-")
	if code != 2 || !strings.Contains(errs, "household.size") {
		t.Errorf("exit %d, %s; want 2 and household.size", code, errs)
	}
}

func TestQuoteTable(t *testing.T) {
	body := `{"pricing_date":"2026-02-01","household":{"size":1,"gross_income":"1800"},"lines":[{"service":"regular-home-care","mode":"own","quantity":20,"frequency":"month"}]}`
	code, out, errs := runCmd(t, body, "quote", "--input", "-", "--format", "table")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// 2026 limit 699: (1 800 - 699) x 26 % = 286.26.
	for _, want := range []string{"regular-home-care", "286.26", "per year", "3435.12", "tariff phhva version 3"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}

func TestQuoteBadInput(t *testing.T) {
	cat := writeFile(t, "cat.json", ownCatalogue)
	badCat := writeFile(t, "bad.json", strings.Replace(ownCatalogue, `"unit_cost": "60.00"`, `"unit_cost": 60`, 1))
	for _, tc := range []struct {
		name, body, want string
		args             []string
	}{
		{"unknown service", `{"household":{"size":1},"lines":[{"service":"spa","mode":"own","quantity":1,"frequency":"week"}]}`, "lines[0].service", nil},
		{"negative quantity", `{"household":{"size":1},"lines":[{"service":"home-care","mode":"own","quantity":-1,"frequency":"week"}]}`, "lines[0].quantity", nil},
		{"money as a number", `{"household":{"size":1,"gross_income":1800},"lines":[]}`, "household.gross_income", nil},
		{"not JSON", `{"household":`, "not valid JSON", nil},
		// A case file of null is refused like one of [] (docs/case-format.md),
		// not read as a case with every field left out.
		{"a list for the case", `[]`, "expected an object, got a list", nil},
		{"null for the case", `null`, "expected an object, got null", nil},
		{"unknown tariff", `{"tariff":"x","household":{"size":1},"lines":[]}`, "tariff", nil},
		{"bad catalogue", `{"household":{"size":1},"lines":[]}`, "tariffs[0].versions[0].entries[0].unit_cost", []string{"--catalogue", badCat}},
		{"no input flag", ``, "--input", []string{"--input", ""}},
		{"bad format", `{"household":{"size":1},"lines":[]}`, "--format", []string{"--format", "xml"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"quote", "--catalogue", cat, "--input", "-"}, tc.args...)
			code, _, errs := runCmd(t, tc.body, args...)
			if code != 2 || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want 2 and %q", code, errs, tc.want)
			}
		})
	}
}

// The table shows a voucher's co-payment in a column of its own, not as a
// client fee, and names the tier and the row of the percentage table. For
// docs/examples/case.json: meals 7 a week = 91/3 a month by voucher at the
// provider's 10.90 against the voucher's 5.80: 91/3 x 5.10 = 154.70 a
// month to the provider, 1856.40 a year; the client fees 523.33 - 154.70 =
// 368.63 a month. 21.667 hours round to 22, the 19th row of the law's
// table (4, 5, ... 22); 1 800.00 is above the one-person limit 1 489.00.
func TestQuoteTableVoucherTierBand(t *testing.T) {
	code, out, errs := runCmd(t, "", "quote", "--input", "../../docs/examples/case.json", "--format", "table")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"voucher copay", "0.00          154.70", "368.63          154.70", "4602.76         1856.40",
		"row 19 of the percentage table, 22-22 h", "tier 2 of 2 (gross income above 1489.00)"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
