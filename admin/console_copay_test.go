package admin_test

import (
	"net/http"
	"testing"
)

// The builder and the print page show a voucher's co-payment apart from
// the client fees. Home care 20 h a month for a single client of 1 800,00:
// (1 800 - 653) x 26 % = 298,22. Cleaning 4 h a month by voucher (25,00;
// the provider's price 38,00): no client fee, 4 x 13,00 = 52,00 to the
// provider, 624,00 a year; the county pays 1 240,00 - 298,22 + 100,00 =
// 1 041,78 a month.
func TestConsoleShowsVoucherCopayApart(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	id := anna.openEstimate(newEstimateForm())
	anna.addLine(id, "regular-home-care", "own", "20", "month")
	page := anna.get("/estimates/"+id).wantStatus(t, http.StatusOK).body
	lacks(t, "the builder without a voucher", page, `id="total-copay"`)
	anna.addLine(id, "cleaning", "voucher", "4", "month")
	page = anna.get("/estimates/"+id).wantStatus(t, http.StatusOK).body
	contains(t, "the builder", page, `id="total-client">298,22`, `id="total-copay">52,00`, `id="total-county">1 041,78`,
		`id="line-l2-client">0,00`, "omavastuu 13,00 € / tunti palveluntuottajalle, 52,00 €", "Palvelusetelien omavastuut vuodessa: 624,00 €.",
		`id="total-copay-note"`)
	print := anna.get("/estimates/"+id+"/print").wantStatus(t, http.StatusOK).body
	contains(t, "the print page", print, `id="print-total-client">298,22`, `id="print-total-copay">52,00`, `id="print-year-copay">624,00`,
		`id="print-total-county">1 041,78`, "Omavastuu palveluntuottajalle", `id="print-copay-note"`)
}
