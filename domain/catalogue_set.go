package domain

// CatalogueSet is a whole catalogue held in memory: the services, tariffs and
// income-limit catalogues as aggregates. It prices cases without a store
// (`carecost quote --catalogue`), and it is what import appends and export
// writes.
type CatalogueSet struct {
	Catalogue *Catalogue
	Tariffs   map[string]*Tariff
	Incomes   map[string]*IncomeCatalogue
}

// BuildCatalogue runs a catalogue file through the aggregates, so every
// invariant holds as if an admin had entered it; errors name the field.
func BuildCatalogue(f CatalogueFile) (*CatalogueSet, error) {
	s := &CatalogueSet{Catalogue: NewCatalogue(), Tariffs: map[string]*Tariff{}, Incomes: map[string]*IncomeCatalogue{}}
	for i, svc := range f.Services {
		if s.Catalogue.Service(svc.ID) != nil {
			return nil, Invalidf(fieldIndex("services", i)+".id", "service %q is listed twice", svc.ID)
		}
		if err := s.Catalogue.Define(svc); err != nil {
			return nil, prefixField(fieldIndex("services", i), err)
		}
	}
	for i, tf := range f.Tariffs {
		if err := s.addTariff(tf); err != nil {
			return nil, prefixField(fieldIndex("tariffs", i), err)
		}
	}
	for i, inf := range f.IncomeCatalogues {
		if err := s.addIncome(inf); err != nil {
			return nil, prefixField(fieldIndex("income_catalogues", i), err)
		}
	}
	return s, nil
}

func (s *CatalogueSet) addTariff(tf TariffFile) error {
	if s.Tariffs[tf.ID] != nil {
		return Invalidf("id", "tariff %q is listed twice", tf.ID)
	}
	t := NewTariff(tf.ID)
	if err := t.Create(tf.Name, tf.WeeksPerMonth, tf.DaysPerMonth); err != nil {
		return err
	}
	for i, vf := range tf.Versions {
		f := fieldIndex("versions", i)
		if err := checkNumber(f+".version", vf.Version, t.versions.next()); err != nil {
			return err
		}
		if err := checkStatus(f+".status", vf.Status); err != nil {
			return err
		}
		n, err := t.ImportDraft(vf, s.Catalogue.Service)
		if err == nil {
			err = finishVersion(vf.Status, func() error { return t.Publish(n, vf.ValidFrom, s.Catalogue.Service) }, func() error { return t.Withdraw(n) })
		}
		if err != nil {
			return prefixField(f, err)
		}
	}
	s.Tariffs[tf.ID] = t
	return nil
}

// finishVersion publishes or withdraws an imported draft as its status says.
func finishVersion(status VersionStatus, publish, withdraw func() error) error {
	switch status {
	case StatusDraft:
		return nil
	case StatusWithdrawn:
		return withdraw()
	}
	return publish()
}

func (s *CatalogueSet) addIncome(inf IncomeFile) error {
	if s.Incomes[inf.ID] != nil {
		return Invalidf("id", "income-limit catalogue %q is listed twice", inf.ID)
	}
	c := NewIncomeCatalogue(inf.ID)
	if err := c.Create(inf.Name); err != nil {
		return err
	}
	for i, vf := range inf.Versions {
		f := fieldIndex("versions", i)
		if err := checkNumber(f+".version", vf.Version, c.versions.next()); err != nil {
			return err
		}
		if err := checkStatus(f+".status", vf.Status); err != nil {
			return err
		}
		table := vf.Table
		n, err := c.CreateDraft(0, vf.Corrects, &table, vf.Note)
		if err == nil {
			err = finishVersion(vf.Status, func() error { return c.Publish(n, vf.ValidFrom) }, func() error { return c.Withdraw(n) })
		}
		if err != nil {
			return prefixField(f, err)
		}
	}
	s.Incomes[inf.ID] = c
	return nil
}
