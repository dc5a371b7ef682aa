package main

import (
	"fmt"
	"io"
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
	fmt.Fprintf(tw, "line\tservice\tmode\trule\tquantity\tunits/month\t%12s\t%11s\t%11s\n", "county gross", "client fee", "county net")
	capped := false
	for _, l := range q.Lines {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s / %s\t%s %s\t%12s\t%11s\t%11s\n", l.LineID, l.Service, l.Mode, l.Rule, l.Quantity, l.Frequency,
			l.UnitsPerMonth, l.Unit, l.CountyGross, l.ClientFee.String()+capMark(l.Capped), l.CountyNet)
		capped = capped || l.Capped
	}
	for _, r := range []struct {
		name string
		t    domain.Totals
	}{{"per month", q.Monthly}, {"one-off", q.OneOff}, {"per year", q.Yearly}} {
		fmt.Fprintf(tw, "%s\t\t\t\t\t\t%12s\t%11s\t%11s\n", r.name, r.t.CountyGross, r.t.ClientFee.String()+" ", r.t.CountyNet)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	writeDetails(w, q, capped)
	return nil
}

func writeDetails(w io.Writer, q domain.Quote, capped bool) {
	if h := q.HomeCare; h != nil {
		fmt.Fprintf(w, "\nHome care (AML 10 e §): %d h/month (%s), household of %d: (%s - %s) x %s %% = %s, cap %s, fee %s EUR/month\n",
			h.Hours, h.HoursExact, h.HouseholdSize, h.GrossIncome, h.IncomeLimit, h.Percent, h.FeeBeforeCap, h.Cap, h.Fee)
	}
	if h := q.Housing; h != nil {
		rule := "net income"
		if h.SpouseRule {
			rule = "spouses' combined net income"
		}
		fmt.Fprintf(w, "\n24h housing (AML 7 c §): %s %% of %s (client base %s = %s - deductions %s), at least %s left to the client, cap %s: fee %s EUR/month\n",
			h.Rate, rule, h.Base, h.NetIncome, h.Deductions, h.Kayttovara, h.Cap, h.Fee)
	}
	if c := q.Ceiling; c != nil {
		fmt.Fprintf(w, "\nFees counting toward the annual payment ceiling: %s EUR/year of %s (reached: %v)\n", c.PerYear, c.AnnualCeiling, c.Reached)
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
