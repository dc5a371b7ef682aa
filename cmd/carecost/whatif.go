package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"carecost/domain"
)

func init() {
	commands["whatif"] = command{"re-price an estimate under another tariff version, income-limit version or pricing date, storing nothing", runWhatIf}
}

const whatIfUsage = `Usage: carecost whatif ESTIMATE_ID [--tariff-version N] [--income-version N] [--pricing-date YYYY-MM-DD] [--format json|table] [flags]

Re-prices the estimate's inputs (its lines, assessment and household) under the
versions and pricing date given, and sets the answer beside its own figures:
the decided ones for a decided or superseded estimate, else its latest pricing.
Left out: the estimate's pricing date, and the versions in effect on it as the
catalogue now stands. Nothing is stored; it reads the event log, also while
carecost serves.

`

func runWhatIf(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := flag.NewFlagSet("whatif", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.storeFlags(fs, e.getenv)
	tv := fs.Int("tariff-version", 0, "the tariff version to price with (0 or left out: the one in effect on the pricing date)")
	iv := fs.Int("income-version", 0, "the income-limit catalogue version to price with (0 or left out: the one in effect on the pricing date)")
	date := fs.String("pricing-date", "", "the pricing `date` (default: the estimate's)")
	format := fs.String("format", "table", "output format: table or json")
	fs.Usage = func() {
		io.WriteString(fs.Output(), whatIfUsage)
		fs.PrintDefaults()
	}
	id, rest := "", args
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		id, rest = args[0], args[1:]
	}
	if err := parseFlags(fs, rest); err != nil {
		return err
	}
	if id == "" {
		return domain.Invalidf("ESTIMATE_ID", "name the estimate to re-price (its id, a UUID)")
	}
	if *format != "json" && *format != "table" {
		return domain.Invalidf("--format", "use table or json, not %q", *format)
	}
	w := domain.WhatIf{TariffVersion: *tv, IncomeVersion: *iv}
	if *tv < 0 || *iv < 0 {
		return domain.Invalidf("--tariff-version", "a version number is 1 or more")
	}
	if *date != "" {
		d, err := domain.ParseDate(*date)
		if err != nil {
			return domain.Invalidf("--pricing-date", "%q is not a date (YYYY-MM-DD)", *date)
		}
		w.PricingDate = d
	}
	store, err := cfg.openLog()
	if err != nil {
		return err
	}
	defer store.Close()
	r, err := domain.NewCommands(store).WhatIf(ctx, domain.Actor{}, id, w)
	if flag, ok := whatIfFlags[domain.ErrorField(err)]; ok {
		// Name the flag the person typed, not the API's field.
		return domain.Invalidf(flag, "%s", domain.ErrorMessage(err))
	}
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(r)
	}
	return writeWhatIfTable(e.stdout, r)
}

// whatIfFlags are the flags of the what-if's fields.
var whatIfFlags = map[string]string{"tariff_version": "--tariff-version", "income_version": "--income-version", "pricing_date": "--pricing-date"}

// writeWhatIfTable writes a what-if answer for a person: the two bases,
// then per line and in total the client fee and the county's net cost,
// before, after and the change.
func writeWhatIfTable(out io.Writer, r domain.WhatIfResult) error {
	b, a := r.Before, r.After
	own := "latest pricing"
	if r.Decided {
		own = "decided"
	}
	fmt.Fprintf(out, "Estimate %s (%s)\n", r.EstimateID, r.Status)
	fmt.Fprintf(out, "%-14s pricing date %s, tariff %s version %d%s\n", own+":", b.PricingDate, b.Tariff.ID, b.Tariff.Version, incomeRef(b.IncomeCatalogue))
	fmt.Fprintf(out, "%-14s pricing date %s, tariff %s version %d%s\n\n", "what-if:", a.PricingDate, a.Tariff.ID, a.Tariff.Version, incomeRef(a.IncomeCatalogue))
	w := tabwriter.NewWriter(out, 2, 4, 2, ' ', tabwriter.AlignRight)
	copay := r.Compare.Monthly.Before.VoucherCopay != 0 || r.Compare.Monthly.After.VoucherCopay != 0 ||
		r.Compare.OneOff.Before.VoucherCopay != 0 || r.Compare.OneOff.After.VoucherCopay != 0
	head := "line\tservice\tmode\tfee " + own + "\tfee what-if\tchange\t"
	if copay {
		head += "voucher copay " + own + "\tvoucher copay what-if\tchange\t"
	}
	fmt.Fprintln(w, head+"county net "+own+"\tcounty net what-if\tchange\t")
	row := func(first, service, mode string, c domain.Change) {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t", first, service, mode, c.Before.ClientFee, c.After.ClientFee, signed(c.Change.ClientFee))
		if copay {
			fmt.Fprintf(w, "%s\t%s\t%s\t", c.Before.VoucherCopay, c.After.VoucherCopay, signed(c.Change.VoucherCopay))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t\n", c.Before.CountyNet, c.After.CountyNet, signed(c.Change.CountyNet))
	}
	for _, l := range r.Compare.Lines {
		row(l.LineID, l.Service, string(l.Mode), l.Change)
	}
	for _, t := range []struct {
		name string
		c    domain.Change
	}{{"per month", r.Compare.Monthly}, {"once", r.Compare.OneOff}, {"per year", r.Compare.Yearly}} {
		row(t.name, "", "", t.c)
	}
	return w.Flush()
}

func incomeRef(r *domain.IncomeRef) string {
	if r == nil {
		return ""
	}
	return fmt.Sprintf(", income limits %s version %d", r.ID, r.Version)
}

// signed writes a change with its sign.
func signed(m domain.Money) string {
	if m > 0 {
		return "+" + m.String()
	}
	return m.String()
}
