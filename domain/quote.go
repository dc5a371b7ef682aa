package domain

// Totals are the figures of an estimate: the county's gross cost, the
// client's fee (what the county bills the client), the voucher co-payments
// (what the client pays the providers of voucher services, apart from the
// client fee; the county never sees that money) and the county's net cost.
type Totals struct {
	CountyGross  Money `json:"county_gross"`
	ClientFee    Money `json:"client_fee"`
	VoucherCopay Money `json:"voucher_copay"`
	CountyNet    Money `json:"county_net"`
}

func (t *Totals) add(l LineResult) {
	t.CountyGross += l.CountyGross
	t.ClientFee += l.ClientFee
	t.VoucherCopay += l.VoucherCopay
	t.CountyNet += l.CountyNet
}

// Plus returns the totals added figure by figure.
func (t Totals) Plus(u Totals) Totals {
	return Totals{CountyGross: t.CountyGross + u.CountyGross, ClientFee: t.ClientFee + u.ClientFee,
		VoucherCopay: t.VoucherCopay + u.VoucherCopay, CountyNet: t.CountyNet + u.CountyNet}
}

// Times returns every figure of the totals times n.
func (t Totals) Times(n int64) Totals {
	m := Money(n)
	return Totals{CountyGross: m * t.CountyGross, ClientFee: m * t.ClientFee, VoucherCopay: m * t.VoucherCopay, CountyNet: m * t.CountyNet}
}

// YearlyTotals returns the totals of a year: 12 x monthly + one-off.
func YearlyTotals(monthly, oneOff Totals) Totals { return monthly.Times(12).Plus(oneOff) }

// TariffRef names the tariff version a quote used.
type TariffRef struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Version   int    `json:"version"`
	ValidFrom Date   `json:"valid_from"`
	Corrects  int    `json:"corrects,omitempty"`
}

// IncomeRef names the income-limit catalogue version a quote used.
type IncomeRef struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Version   int    `json:"version"`
	ValidFrom Date   `json:"valid_from"`
	Corrects  int    `json:"corrects,omitempty"`
}

// LineResult is the priced line: units per month (for a one-off line, the
// units once), the county's gross cost, the client's fee and the county's net
// cost, with the tariff entry used.
type LineResult struct {
	LineID        string    `json:"line_id"`
	Service       string    `json:"service"`
	Mode          Mode      `json:"mode"`
	Rule          Rule      `json:"rule"`
	Unit          Unit      `json:"unit"`
	Quantity      Quantity  `json:"quantity"`
	Frequency     Frequency `json:"frequency"`
	ProviderPrice *Money    `json:"provider_price,omitempty"`
	UnitsPerMonth string    `json:"units_per_month"`
	// FeePerUnit is the client's fee per unit where the rule has one (flat,
	// income_tiered).
	FeePerUnit *Money `json:"fee_per_unit,omitempty"`
	// VoucherCopayPerUnit is, on a voucher line, what the client pays the
	// provider per unit: the provider's price less the voucher value.
	VoucherCopayPerUnit *Money `json:"voucher_copay_per_unit,omitempty"`
	// UnitCost is the county's cost per unit (the entry's unit cost; for a
	// voucher, what the county pays per unit).
	UnitCost    Money `json:"unit_cost"`
	CountyGross Money `json:"county_gross"`
	// ClientFee is what the county bills the client; 0 on a voucher line.
	ClientFee Money `json:"client_fee"`
	// VoucherCopay is, on a voucher line, the co-payment the client pays the
	// provider (written only when not 0). It is no client fee: the county
	// neither bills nor receives it, so the county's net cost of a voucher
	// line is its gross cost.
	VoucherCopay Money `json:"voucher_copay,omitzero"`
	CountyNet    Money `json:"county_net"`
	// Tier names the tier an income_tiered line's fee was picked from.
	Tier *TierPick `json:"tier,omitempty"`
	// Capped says the fee was cut to the production cost (AML 2 §).
	Capped bool `json:"capped,omitempty"`
	// Entry is the tariff entry used, with every rule parameter. Decisions
	// keep it; the pricings of a draft leave it out (Compact), as the
	// tariff version they name holds it.
	Entry Entry `json:"entry,omitzero"`
}

// HomeCareDetail explains the one home-care fee of an estimate (AML 10 e §).
// Hours is the total rounded half up; a total under 4 hours, 0 included,
// takes the lowest row of the table. Cap is the production cost of the
// home-care lines, their exact hours times their unit costs rounded once;
// CountyGross is the sum of the lines' rounded costs. Fee is FeeBeforeCap
// held to both, so the fee shares out to the lines without any line
// carrying more than its own cost.
//
// Band is the row of the percentage table the hours picked (nil in a
// pricing recorded before carecost named it).
type HomeCareDetail struct {
	Hours         int        `json:"hours"`
	HoursExact    string     `json:"hours_exact"`
	Band          *HoursBand `json:"band,omitempty"`
	HouseholdSize int        `json:"household_size"`
	GrossIncome   Money      `json:"gross_income"`
	IncomeLimit   Money      `json:"income_limit"`
	IncomeAbove   Money      `json:"income_above_limit"`
	Percent       Percent    `json:"percent"`
	FeeBeforeCap  Money      `json:"fee_before_cap"`
	Cap           Money      `json:"cap"`
	CountyGross   Money      `json:"county_gross"`
	Fee           Money      `json:"fee"`
}

// TierPick names the tier of an income_tiered entry a line's fee was
// picked from: Index counts from 1 in the entry's order and Of is the
// number of its tiers. Above and UpTo are the income limits, for the
// household's size, the household's gross income lay between (Above nil on
// the first tier, UpTo nil on the last): a limit tells the household's size,
// so a pricing event keeps them in its personal part, while the index, which
// the entry and the fee per unit already tell, stays with the line.
type TierPick struct {
	Index int    `json:"index"`
	Of    int    `json:"of"`
	Above *Money `json:"above,omitempty"`
	UpTo  *Money `json:"up_to,omitempty"`
}

// HousingDetail explains the one 24h housing fee of an estimate (AML 7 c §).
// NetIncome and Deductions are the client's; Base is the client's net income
// after the deductions (never below 0). With a spouse not in long-term care,
// the spouse's net income and deductions are shown too, and SpouseBase, the
// spouse's net income less the spouse's deductions (below 0 when they are
// larger: they still come off the combined income). The two net incomes
// are compared before the deductions, and when the client's is higher the
// spouse rule applies (SpouseRule): Rate is the spouse rate and
// CombinedIncome, the spouses' net incomes less both spouses' deductions
// (never below 0), is what it applies to; otherwise Rate applies to Base.
// ByRate is the result; FeeBeforeCap keeps the käyttövara to the client
// (at most Base - Kayttovara, never below 0); Cap and CountyGross are as for
// home care.
type HousingDetail struct {
	NetIncome            Money   `json:"net_income"`
	Deductions           Money   `json:"deductions"`
	Base                 Money   `json:"base"`
	SpouseInLongTermCare bool    `json:"spouse_in_long_term_care,omitempty"`
	SpouseNetIncome      *Money  `json:"spouse_net_income,omitempty"`
	SpouseDeductions     *Money  `json:"spouse_deductions,omitempty"`
	SpouseRule           bool    `json:"spouse_rule"`
	SpouseBase           *Money  `json:"spouse_base,omitempty"`
	CombinedIncome       *Money  `json:"combined_income,omitempty"`
	Rate                 Percent `json:"rate"`
	ByRate               Money   `json:"by_rate"`
	Kayttovara           Money   `json:"kayttovara"`
	FeeBeforeCap         Money   `json:"fee_before_cap"`
	Cap                  Money   `json:"cap"`
	CountyGross          Money   `json:"county_gross"`
	Fee                  Money   `json:"fee"`
}

// CeilingDetail shows the fees of the estimate that accrue the annual payment
// ceiling (maksukatto), per year, against the ceiling. Informational: the
// ceiling is tracked per client across all services, outside one estimate.
type CeilingDetail struct {
	AnnualCeiling Money `json:"annual_ceiling"`
	PerYear       Money `json:"per_year"`
	Reached       bool  `json:"reached"`
}

// Quote is a priced estimate: per line and in total, per month (recurring
// lines), once (one-off lines) and per year (12 x monthly + one-off), with the
// versions and entries used. The summary comes before the lines in JSON, so a
// reader that wants the totals can stop early.
type Quote struct {
	PricingDate     Date            `json:"pricing_date"`
	Tariff          TariffRef       `json:"tariff"`
	IncomeCatalogue *IncomeRef      `json:"income_catalogue,omitempty"`
	WeeksPerMonth   Ratio           `json:"weeks_per_month"`
	DaysPerMonth    Ratio           `json:"days_per_month"`
	Monthly         Totals          `json:"monthly"`
	OneOff          Totals          `json:"one_off"`
	Yearly          Totals          `json:"yearly"`
	HomeCare        *HomeCareDetail `json:"home_care,omitempty"`
	Housing         *HousingDetail  `json:"housing,omitempty"`
	Ceiling         *CeilingDetail  `json:"ceiling,omitempty"`
	Hints           []Hint          `json:"hints,omitempty"`
	Lines           []LineResult    `json:"lines"`
}

// totals fills Monthly, OneOff and Yearly from the lines.
func (q *Quote) totals() {
	q.Monthly, q.OneOff = Totals{}, Totals{}
	for _, l := range q.Lines {
		if l.Frequency == OneOff {
			q.OneOff.add(l)
		} else {
			q.Monthly.add(l)
		}
	}
	q.Yearly = YearlyTotals(q.Monthly, q.OneOff)
}

// Compact returns the quote without the copies of the tariff entries on its
// lines: what a draft's pricing event keeps. The figures, the versions used
// and each line's unit cost and fee per unit stay; the entries are in the
// tariff version the quote names.
func (q Quote) Compact() Quote {
	lines := make([]LineResult, len(q.Lines))
	for i, l := range q.Lines {
		l.Entry = Entry{}
		lines[i] = l
	}
	q.Lines = lines
	return q
}
