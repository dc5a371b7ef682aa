package main

import (
	"fmt"
	"io"
	"slices"
	"text/tabwriter"

	"carecost/domain"
)

// writeQuoteTable writes a quote as a table a person can read.
func writeQuoteTable(w io.Writer, q domain.Quote) error {
	fmt.Fprintf(w, "Pricing date %s, tariff %s version %d (valid from %s%s)", q.PricingDate, q.Tariff.ID, q.Tariff.Version, q.Tariff.ValidFrom, corrects(q.Tariff.Corrects))
	if ic := q.IncomeCatalogue; ic != nil {
		fmt.Fprintf(w, ", income limits %s version %d (valid from %s%s)", ic.ID, ic.Version, ic.ValidFrom, corrects(ic.Corrects))
	}
	fmt.Fprintf(w, "\n\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "line\tservice\tmode\trule\tquantity\tunits/month\t%12s\t%11s\t%13s\t%11s\n", "county gross", "client fee", "voucher copay", "county net")
	capped := false
	for _, l := range q.Lines {
		copay := ""
		if l.Rule == domain.RuleVoucher {
			copay = l.VoucherCopay.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s / %s\t%s %s\t%12s\t%11s\t%13s\t%11s\n", l.LineID, l.Service, l.Mode, l.Rule, l.Quantity, l.Frequency,
			l.UnitsPerMonth, l.Unit, l.CountyGross, l.ClientFee.String()+capMark(l.Capped), copay, l.CountyNet)
		capped = capped || l.Capped
	}
	for _, r := range []struct {
		name string
		t    domain.Totals
	}{{"per month", q.Monthly}, {"one-off", q.OneOff}, {"per year", q.Yearly}} {
		fmt.Fprintf(tw, "%s\t\t\t\t\t\t%12s\t%11s\t%13s\t%11s\n", r.name, r.t.CountyGross, r.t.ClientFee.String()+" ", r.t.VoucherCopay, r.t.CountyNet)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeDetails(w, q, capped)
	return nil
}

func writeDetails(w io.Writer, q domain.Quote, capped bool) {
	if h := q.HomeCare; h != nil {
		fmt.Fprintf(w, "\nHome care (AML 10 e §): %d h/month (%s h exactly%s), household of %d", h.Hours, h.HoursExact, bandText(h.Band), h.HouseholdSize)
		fmt.Fprintf(w, ": income above the limit max(0, %s - %s) = %s; x %s %% = %s; cap (production cost) %s%s; fee %s EUR/month\n",
			h.GrossIncome, h.IncomeLimit, h.IncomeAbove, h.Percent, h.FeeBeforeCap, h.Cap, linesCost(h.Cap, h.CountyGross), h.Fee)
	}
	if h := q.Housing; h != nil {
		fmt.Fprintf(w, "\n24h housing (AML 7 c §): client base max(0, net %s - deductions %s) = %s", h.NetIncome, h.Deductions, h.Base)
		if h.SpouseInLongTermCare {
			fmt.Fprintf(w, "; both spouses in long-term care")
		}
		if h.SpouseNetIncome != nil {
			fmt.Fprintf(w, "; spouse net %s, deductions %s", *h.SpouseNetIncome, *h.SpouseDeductions)
		}
		switch {
		case h.SpouseRule:
			fmt.Fprintf(w, "; the client's net income before deductions is higher: %s %% of max(0, %s + %s - %s - %s) = %s %% of %s = %s",
				h.Rate, h.NetIncome, *h.SpouseNetIncome, h.Deductions, *h.SpouseDeductions, h.Rate, *h.CombinedIncome, h.ByRate)
		case h.SpouseNetIncome != nil:
			fmt.Fprintf(w, "; the client's net income before deductions is not higher: %s %% of %s = %s", h.Rate, h.Base, h.ByRate)
		default:
			fmt.Fprintf(w, "; %s %% of %s = %s", h.Rate, h.Base, h.ByRate)
		}
		fmt.Fprintf(w, "; the client keeps at least %s, so at most max(0, %s - %s); fee before the cap %s; cap (production cost) %s%s; fee %s EUR/month\n",
			h.Kayttovara, h.Base, h.Kayttovara, h.FeeBeforeCap, h.Cap, linesCost(h.Cap, h.CountyGross), h.Fee)
	}
	if c := q.Ceiling; c != nil {
		fmt.Fprintf(w, "\nFees counting toward the annual payment ceiling: %s EUR/year of %s (reached: %v)\n", c.PerYear, c.AnnualCeiling, c.Reached)
	}
	for _, l := range q.Lines {
		if t := l.Tier; t != nil {
			fmt.Fprintf(w, "\nIncome tier of %s (%s): tier %d of %d%s, fee %s per %s\n", l.LineID, l.Service, t.Index, t.Of, tierLimits(t), deref(l.FeePerUnit), l.Unit)
		}
	}
	if slices.ContainsFunc(q.Lines, func(l domain.LineResult) bool { return l.Rule == domain.RuleVoucher }) {
		fmt.Fprintln(w, "\nVoucher copay: paid by the client to the provider (price less voucher value); no client fee, outside the payment ceiling")
	}
	for _, h := range q.Hints {
		fmt.Fprintf(w, "\nHint for %s (%s): %s", h.LineID, h.Service, h.Message)
	}
	if len(q.Hints) > 0 {
		fmt.Fprintln(w)
	}
	if capped {
		fmt.Fprintln(w, "\n* fee capped at the production cost (AML 2 §)")
	}
}

// bandText names the row of the percentage table the hours took.
func bandText(b *domain.HoursBand) string {
	switch {
	case b == nil:
		return ""
	case b.To == nil:
		return fmt.Sprintf("; row %d of the percentage table, %d h or more", b.Row, b.From)
	}
	return fmt.Sprintf("; row %d of the percentage table, %d-%d h", b.Row, b.From, *b.To)
}

// tierLimits names the income limits around a tier.
func tierLimits(t *domain.TierPick) string {
	switch {
	case t.Above != nil && t.UpTo != nil:
		return fmt.Sprintf(" (gross income above %s, up to %s)", *t.Above, *t.UpTo)
	case t.Above != nil:
		return fmt.Sprintf(" (gross income above %s)", *t.Above)
	case t.UpTo != nil:
		return fmt.Sprintf(" (gross income up to %s)", *t.UpTo)
	}
	return ""
}

func deref(m *domain.Money) domain.Money {
	if m == nil {
		return 0
	}
	return *m
}

// linesCost names the lines' rounded costs where they, not the exact
// production cost, bound the fee.
func linesCost(cost, lines domain.Money) string {
	if lines >= cost {
		return ""
	}
	return fmt.Sprintf(" (the lines' costs, each rounded, add up to %s)", lines)
}

func corrects(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", corrects version %d", n)
}

func capMark(capped bool) string {
	if capped {
		return "*"
	}
	return " "
}
