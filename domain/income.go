package domain

// PercentRow is one row of the home-care percentage table: the percentages
// by household size (1, 2, ...; the last serves larger households) for
// monthly hours up to MaxHours. The last row has no MaxHours and serves every
// higher number of hours.
type PercentRow struct {
	MaxHours    *int      `json:"max_hours"`
	ByHousehold []Percent `json:"by_household" carecost:"required"`
}

// IncomeTable is the content of one income-limit catalogue version
// (DOMAIN.md A.2, B 2.1, 2.2, 3, 5.1).
type IncomeTable struct {
	// Limits are the monthly income limits for households of 1, 2, ... people.
	Limits []Money `json:"limits" carecost:"required"`
	// ExtraPerson is added to the last limit for each further person. Nil
	// when the table gives none: "0.00" is an amount (no increment), not a
	// missing one, and a household beyond the limits then prices against the
	// last limit; without it such a household cannot be priced.
	ExtraPerson *Money `json:"extra_person,omitempty"`
	// Percentages is the home-care table by monthly hours and household size.
	Percentages []PercentRow `json:"percentages" carecost:"required"`
	// Kayttovara is the minimum disposable amount left to a client in 24h
	// service housing or family care. Nil when the table gives none (then
	// 24h housing cannot be priced); "0.00" is an amount.
	Kayttovara *Money `json:"kayttovara,omitempty"`
	// KayttovaraInstitutional is the same for long-term institutional care
	// (recorded for reference; nil when the table gives none).
	KayttovaraInstitutional *Money `json:"kayttovara_institutional,omitempty"`
	// AnnualCeiling is the payment ceiling (maksukatto) per calendar year;
	// nil when the table gives none (a quote then shows no ceiling).
	AnnualCeiling *Money `json:"annual_ceiling,omitempty"`
	// HousingRate is the share of net income charged in 24h housing (85 %
	// when left out; "0" is a rate of 0 %).
	HousingRate *Percent `json:"housing_rate,omitempty"`
	// HousingSpouseRate is the share of the spouses' combined net income when
	// the client earns more than the spouse (42.5 % when left out).
	HousingSpouseRate *Percent `json:"housing_spouse_rate,omitempty"`
}

// IncomeLimit returns the income limit for a household of n people: the
// table's value, or the last value plus ExtraPerson per further person.
func (t IncomeTable) IncomeLimit(n int) Money {
	if n <= len(t.Limits) {
		return t.Limits[n-1]
	}
	return t.Limits[len(t.Limits)-1] + Money(n-len(t.Limits))*deref(t.ExtraPerson)
}

// housingRates returns the rates of AML 7 c § the table sets, the statutory
// ones where it leaves them out.
func (t IncomeTable) housingRates() (own, spouse Percent) {
	own, spouse = DefaultHousingRate, DefaultHousingSpouseRate
	if t.HousingRate != nil {
		own = *t.HousingRate
	}
	if t.HousingSpouseRate != nil {
		spouse = *t.HousingSpouseRate
	}
	return own, spouse
}

// Percentage returns the home-care percentage for whole monthly hours h and a
// household of n people.
func (t IncomeTable) Percentage(h, n int) Percent {
	row := t.Percentages[t.rowFor(h)]
	return row.ByHousehold[min(n, len(row.ByHousehold))-1]
}

// rowFor returns the index of the row of the percentage table for whole
// monthly hours h: the first whose MaxHours covers h, else the last.
func (t IncomeTable) rowFor(h int) int {
	for i, r := range t.Percentages {
		if r.MaxHours != nil && h <= *r.MaxHours {
			return i
		}
	}
	return len(t.Percentages) - 1
}

// HoursBand names the row of the home-care percentage table that whole
// monthly hours picked: Row counts from 1, From and To are the hours the
// row covers (To nil for the open-ended last row). The first row starts at
// 0 hours, each other one hour above the row before it.
type HoursBand struct {
	Row  int  `json:"row"`
	From int  `json:"from"`
	To   *int `json:"to,omitempty"`
}

// Band returns the row of the percentage table for whole monthly hours h.
func (t IncomeTable) Band(h int) HoursBand {
	i := t.rowFor(h)
	b := HoursBand{Row: i + 1}
	if i > 0 {
		b.From = *t.Percentages[i-1].MaxHours + 1
	}
	if m := t.Percentages[i].MaxHours; m != nil {
		to := *m
		b.To = &to
	}
	return b
}

// Validate checks the table is complete and consistent; errors name the field.
func (t IncomeTable) Validate() error {
	if len(t.Limits) == 0 {
		return Invalidf("limits", "income limits for at least a one-person household are required")
	}
	for i, l := range t.Limits {
		if err := checkAmount(fieldIndex("limits", i), l, MaxIncome); err != nil {
			return err
		}
		if i > 0 && l < t.Limits[i-1] {
			return Invalidf(fieldIndex("limits", i), "a larger household's limit (%s) is below the smaller one's (%s)", l, t.Limits[i-1])
		}
	}
	for f, m := range map[string]*Money{"extra_person": t.ExtraPerson, "kayttovara": t.Kayttovara,
		"kayttovara_institutional": t.KayttovaraInstitutional, "annual_ceiling": t.AnnualCeiling} {
		if m == nil {
			continue
		}
		if err := checkAmount(f, *m, MaxIncome); err != nil {
			return err
		}
	}
	for f, p := range map[string]*Percent{"housing_rate": t.HousingRate, "housing_spouse_rate": t.HousingSpouseRate} {
		if p != nil && (*p < 0 || *p > 10000) {
			return Invalidf(f, "a percentage is between 0 and 100, got %s", *p)
		}
	}
	return validatePercentRows(t.Percentages, len(t.Limits))
}

// validatePercentRows checks the hours rows: each has a percentage for
// households of 1, 2, ... up to at most the sizes of the limits (the last
// serves larger households).
func validatePercentRows(rows []PercentRow, sizes int) error {
	if len(rows) == 0 {
		return Invalidf("percentages", "the home-care percentage table needs at least one row")
	}
	prev := -1
	for i, r := range rows {
		f := fieldIndex("percentages", i)
		last := i == len(rows)-1
		if last != (r.MaxHours == nil) {
			return Invalidf(f+".max_hours", "every row but the last needs max_hours; the last row is open-ended (null)")
		}
		if r.MaxHours != nil {
			if *r.MaxHours <= prev {
				return Invalidf(f+".max_hours", "hours must grow from row to row")
			}
			prev = *r.MaxHours
		}
		if len(r.ByHousehold) == 0 {
			return Invalidf(f+".by_household", "at least a one-person percentage is required")
		}
		if len(r.ByHousehold) > sizes {
			return Invalidf(f+".by_household", "has %d percentages, more than the %d household sizes of the limits", len(r.ByHousehold), sizes)
		}
		for j, p := range r.ByHousehold {
			if p < 0 || p > 10000 {
				return Invalidf(fieldIndex(f+".by_household", j), "a percentage is between 0 and 100, got %s", p)
			}
		}
	}
	return nil
}

// Default housing rates of AML 7 c §, used when a table leaves them out.
const (
	DefaultHousingRate       Percent = 8500
	DefaultHousingSpouseRate Percent = 4250
)

// withDefaults returns t with the statutory housing rates filled in where
// they are left out (nil); a rate given as 0 stays 0.
func (t IncomeTable) withDefaults() IncomeTable {
	own, spouse := t.housingRates()
	t.HousingRate, t.HousingSpouseRate = &own, &spouse
	return t
}
