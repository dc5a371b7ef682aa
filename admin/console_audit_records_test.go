package admin_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// voucherCase is a single client of 1 800,00 a month with home care 20 h a
// month, cleaning 4 h a month by voucher and a safety phone (tiered).
const voucherCase = `{
  "client_ref": "V-1", "maple": 3, "segment": "continuous",
  "tariff": "phhva", "income_catalogue": "statutory", "pricing_date": "2025-03-01",
  "household": {"size": 1, "gross_income": "1800.00", "net_income": "1500.00"},
  "lines": [{"service": "regular-home-care", "mode": "own", "quantity": 20, "frequency": "month"},
    {"service": "cleaning", "mode": "voucher", "quantity": 4, "frequency": "month"},
    {"service": "safety-phone", "mode": "own", "quantity": 1, "frequency": "month"}]
}`

// The audit shows a decision's voucher co-payments apart from its client
// fees, the tier its tiered line picked and the row of the percentage
// table its home-care hours took, on the page, in the list and in the CSV
// files. The figures: home care (1 800 - 653) x 26 % = 298,22 of
// 20 x 62,00 = 1 240,00; cleaning by voucher 4 x 25,00 = 100,00 to the
// county, 4 x (38,00 - 25,00) = 52,00 to the provider, no client fee; the
// safety phone 66,74 (1 800 is above the one-person limit 1 393,00, the
// second of two tiers) of 74,00. A month: client fees 364,96, co-payments
// 52,00, county net 1 240,00 - 298,22 + 100,00 + 74,00 - 66,74 = 1 049,04.
// A year: 4 379,52 and 624,00. 20 hours take the 17th row (4, 5, ... 20).
func TestAuditShowsCopayTierAndBand(t *testing.T) {
	pe := newProjectedEnv(t)
	id := pe.decidedCase("D-V", voucherCase)
	ville := pe.signedIn("ville")

	page := pe.page(ville, "/decisions/"+id+"?lang=fi").wantStatus(t, http.StatusOK).body
	contains(t, "the decision page", page, "Palvelusetelin omavastuu palveluntuottajalle", "52,00", "624,00", "364,96", "4 379,52", "1 049,04",
		"Porras 2/2 (tulot yli 1 393,00 €)", "Prosenttitaulukon rivi", "17: 20–20 tuntia")
	list := pe.page(ville, "/decisions?lang=en").wantStatus(t, http.StatusOK).body
	contains(t, "the decision list", list, "Voucher co-payments / month", "52.00")

	rows := readCSV(t, pe.page(ville, "/decisions.csv?lang=fi"))
	h, row := rows[0], rows[1]
	for name, want := range map[string]string{"Asiakasmaksu / kk": "364,96", "Palvelusetelien omavastuut / kk": "52,00",
		"Kertaluonteiset palvelusetelien omavastuut": "0,00", "Asiakasmaksu / vuosi": "4379,52", "Palvelusetelien omavastuut / vuosi": "624,00",
		"Hyvinvointialueen nettokustannus / kk": "1049,04"} {
		if got := column(t, h, row, name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
	rows = readCSV(t, pe.page(ville, "/decisions/"+id+"/lines.csv?lang=fi"))
	h = rows[0]
	if len(rows) != 4 || !slices.Contains(h, "Palvelusetelin omavastuu") {
		t.Fatalf("rows %q", rows)
	}
	for i, want := range []struct{ fee, copay, perUnit, tier string }{
		{"298,22", "", "", ""}, {"0,00", "52,00", "13,00", ""}, {"66,74", "", "", "Porras 2/2 (tulot yli 1 393,00 €)"},
	} {
		row := rows[1+i]
		got := []string{column(t, h, row, "Asiakasmaksu"), column(t, h, row, "Palvelusetelin omavastuu"),
			column(t, h, row, "Palvelusetelin omavastuu / yksikkö"), strings.ReplaceAll(column(t, h, row, "Tuloporras"), "\u00a0", " ")}
		if !slices.Equal(got, []string{want.fee, want.copay, want.perUnit, want.tier}) {
			t.Errorf("line %d: %q, want %+v", i+1, got, want)
		}
	}
}
