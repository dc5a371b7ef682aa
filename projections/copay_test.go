package projections_test

import (
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// The read models keep a decision's voucher co-payments apart from its
// client fees. Home care 20 h a month at 62.00 for a single client of
// 1 800.00 a month: (1 800 - 653) x 26 % = 298.22, net 1 240.00 - 298.22 =
// 941.78. Cleaning 4 h a month by voucher (25.00; the provider's price
// 38.00): the county pays 100.00, the client 4 x 13.00 = 52.00 to the
// provider, no client fee. Monthly 1 340.00 gross, 298.22 fee, 52.00
// co-payment, 1 041.78 net; a year 12 times that.
func TestVoucherCopayApart(t *testing.T) {
	f := newFixture(t)
	id := domain.NewID()
	in := homeCareCase(t, "V-1")
	in.Lines = append(in.Lines, domain.Line{Service: "cleaning", Mode: "voucher", Quantity: 4000, Frequency: "month"})
	_, _, err := f.cmds.OpenEstimate(ctx, domain.Command{}, id, in)
	must(t, err)
	_, _, err = f.cmds.Decide(ctx, domain.Command{Actor: domain.Actor{ID: "cm-7", Role: "case_manager"}}, id,
		domain.Decision{Number: "D-V1", Date: today(), EffectiveFrom: date(t, "2025-04-01"), Presented: new(false), NotPresentedReason: "decided at the meeting"})
	must(t, err)
	f.catchUp(t)

	want := func(what string, m, y domain.Totals) {
		t.Helper()
		wm := domain.Totals{CountyGross: money(t, "1340.00"), ClientFee: money(t, "298.22"), VoucherCopay: money(t, "52.00"), CountyNet: money(t, "1041.78")}
		wy := domain.Totals{CountyGross: money(t, "16080.00"), ClientFee: money(t, "3578.64"), VoucherCopay: money(t, "624.00"), CountyNet: money(t, "12501.36")}
		if m != wm || y != wy {
			t.Errorf("%s: monthly %+v yearly %+v, want %+v %+v", what, m, y, wm, wy)
		}
	}
	rec, err := f.set.Decision(ctx, id)
	must(t, err)
	want("the decision", rec.Monthly, rec.Yearly)
	list, err := f.set.Decisions(ctx, projections.DecisionFilter{})
	must(t, err)
	want("the decisions", list[0].Monthly, list[0].Yearly)
	d, err := f.est.Estimate(ctx, id)
	must(t, err)
	want("the estimate", d.Monthly, d.Yearly)
	es, err := f.est.Estimates(ctx, projections.EstimateFilter{})
	must(t, err)
	want("the estimates", es[0].Monthly, es[0].Yearly)
}
