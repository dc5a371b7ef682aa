package domain

import "slices"

// Quote prices a case against the set. When the case names no tariff and the
// set has exactly one, that one is used; the same for the income-limit
// catalogue. A case without a pricing date is priced on today's date.
func (s *CatalogueSet) Quote(in CaseInput, today Date) (Quote, error) {
	if err := in.checkForQuote(); err != nil {
		return Quote{}, err
	}
	b, err := s.defaults(in.Basis, today)
	if err != nil {
		return Quote{}, err
	}
	pb, err := s.Basis(b)
	if err != nil {
		return Quote{}, err
	}
	return Price(PriceInput{PricingDate: b.PricingDate, Maple: in.Maple, Household: in.Household, Lines: numberLines(in.Lines)}, pb)
}

func (s *CatalogueSet) defaults(b Basis, today Date) (Basis, error) {
	if b.PricingDate.IsZero() {
		b.PricingDate = today
	}
	if b.TariffID == "" {
		ids := publishedIDs(s.Tariffs)
		if len(ids) != 1 {
			return b, Invalidf("tariff", "name the tariff to price with; the catalogue has %d with a published version: %v", len(ids), ids)
		}
		b.TariffID = ids[0]
	}
	if ids := publishedIDs(s.Incomes); b.IncomeCatalogueID == "" && len(ids) == 1 {
		b.IncomeCatalogueID = ids[0]
	}
	return b, nil
}

// publishedIDs returns the ids, sorted, of those of m that have a published
// version: the ones a case may leave out when there is only one.
func publishedIDs[A interface{ Versions() []VersionInfo }](m map[string]A) []string {
	var out []string
	for _, id := range sortedIDs(m) {
		if slices.ContainsFunc(m[id].Versions(), func(v VersionInfo) bool { return v.Status == StatusPublished }) {
			out = append(out, id)
		}
	}
	return out
}

// Basis resolves b into the versions in effect on its pricing date.
func (s *CatalogueSet) Basis(b Basis) (PriceBasis, error) {
	t := s.Tariffs[b.TariffID]
	if t == nil {
		return PriceBasis{}, Invalidf("tariff", "there is no tariff %q; the catalogue has %v", b.TariffID, sortedIDs(s.Tariffs))
	}
	tv, ok := t.VersionAt(b.PricingDate)
	if !ok {
		return PriceBasis{}, Invalidf("pricing_date", "tariff %s has no published version in effect on %s", b.TariffID, b.PricingDate)
	}
	pb := PriceBasis{Tariff: tv, Services: s.Catalogue.Service}
	if b.IncomeCatalogueID == "" {
		return pb, nil
	}
	ic := s.Incomes[b.IncomeCatalogueID]
	if ic == nil {
		return PriceBasis{}, Invalidf("income_catalogue", "there is no income-limit catalogue %q; the catalogue has %v", b.IncomeCatalogueID, sortedIDs(s.Incomes))
	}
	iv, ok := ic.VersionAt(b.PricingDate)
	if !ok {
		return PriceBasis{}, Invalidf("pricing_date", "income-limit catalogue %s has no published version in effect on %s", b.IncomeCatalogueID, b.PricingDate)
	}
	pb.Income = &iv
	return pb, nil
}

// File returns the set as a catalogue file: every version of every tariff and
// income-limit catalogue in number order, drafts and withdrawn ones included,
// so importing the file gives the same numbering.
func (s *CatalogueSet) File() CatalogueFile {
	f := CatalogueFile{Format: CatalogueFormat, Services: s.Catalogue.Services(), Tariffs: []TariffFile{}, IncomeCatalogues: []IncomeFile{}}
	for _, id := range sortedIDs(s.Tariffs) {
		f.Tariffs = append(f.Tariffs, TariffFileOf(s.Tariffs[id]))
	}
	for _, id := range sortedIDs(s.Incomes) {
		f.IncomeCatalogues = append(f.IncomeCatalogues, IncomeFileOf(s.Incomes[id]))
	}
	return f
}

// TariffFileOf returns tariff t in the catalogue-file shape.
func TariffFileOf(t *Tariff) TariffFile {
	tf := TariffFile{ID: t.id, Name: t.name, WeeksPerMonth: t.weeks, DaysPerMonth: t.days, Versions: []TariffVersionFile{}}
	for _, vi := range t.versions.list {
		v, _ := t.Version(vi.Number)
		tf.Versions = append(tf.Versions, TariffVersionFile{Version: v.Number, Status: v.Status, ValidFrom: v.ValidFrom,
			Corrects: v.Corrects, Note: v.Note, WeeksPerMonth: v.WeeksPerMonth, DaysPerMonth: v.DaysPerMonth, Entries: v.Entries})
	}
	return tf
}

// IncomeFileOf returns income-limit catalogue c in the catalogue-file shape.
func IncomeFileOf(c *IncomeCatalogue) IncomeFile {
	inf := IncomeFile{ID: c.id, Name: c.name, Versions: []IncomeVersionFile{}}
	for _, vi := range c.versions.list {
		v, _ := c.Version(vi.Number)
		inf.Versions = append(inf.Versions, IncomeVersionFile{Version: v.Number, Status: v.Status, ValidFrom: v.ValidFrom,
			Corrects: v.Corrects, Note: v.Note, Table: v.Table})
	}
	return inf
}
