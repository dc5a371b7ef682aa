package domain

import "strings"

// IncomeVersion is one version of an income-limit catalogue.
type IncomeVersion struct {
	CatalogueID string `json:"income_catalogue_id"`
	Name        string `json:"name"`
	VersionInfo
	Table IncomeTable `json:"table"`
}

// IncomeCatalogue is the income-limit catalogue aggregate (stream
// "incometable-<id>"): a name and numbered versions of an IncomeTable.
type IncomeCatalogue struct {
	root
	id, name string
	versions versions
	tables   map[int]IncomeTable
}

// IncomeStream returns the stream name of income-limit catalogue id.
func IncomeStream(id string) string { return "incometable-" + id }

// NewIncomeCatalogue returns an empty aggregate for id, to load or create.
func NewIncomeCatalogue(id string) *IncomeCatalogue {
	return &IncomeCatalogue{root: newRoot(), id: strings.Clone(id), tables: map[int]IncomeTable{}}
}

// Stream returns the catalogue's stream name.
func (c *IncomeCatalogue) Stream() string { return IncomeStream(c.id) }

// Exists reports whether the catalogue was created.
func (c *IncomeCatalogue) Exists() bool { return c.name != "" }

// ID returns the catalogue id.
func (c *IncomeCatalogue) ID() string { return c.id }

// Name returns the catalogue name.
func (c *IncomeCatalogue) Name() string { return c.name }

// Versions returns every version's info, in number order.
func (c *IncomeCatalogue) Versions() []VersionInfo {
	out := make([]VersionInfo, len(c.versions.list))
	for i, v := range c.versions.list {
		out[i] = *v
	}
	return out
}

// Version returns version n with its table.
func (c *IncomeCatalogue) Version(n int) (IncomeVersion, bool) {
	v := c.versions.get(n)
	if v == nil {
		return IncomeVersion{}, false
	}
	return IncomeVersion{CatalogueID: c.id, Name: c.name, VersionInfo: *v, Table: c.tables[n]}, true
}

// VersionAt returns the published version in effect on date d.
func (c *IncomeCatalogue) VersionAt(d Date) (IncomeVersion, bool) {
	v := c.versions.at(d)
	if v == nil {
		return IncomeVersion{}, false
	}
	return c.Version(v.Number)
}

// Published returns the published versions by valid-from, then publication.
func (c *IncomeCatalogue) Published() []VersionInfo { return c.versions.publishedList() }

// Create records a new income-limit catalogue.
func (c *IncomeCatalogue) Create(name string) error {
	if err := ValidSlug("id", c.id); err != nil {
		return err
	}
	if c.Exists() {
		return &Error{Code: EConflict, Field: "id", Message: "income-limit catalogue " + c.id + " already exists"}
	}
	if err := CheckText("name", name, maxName, true, false); err != nil {
		return err
	}
	record(c, &IncomeCatalogueCreated{CatalogueID: c.id, Name: name})
	return nil
}

// CreateDraft records a new draft version and returns its number. With table
// nil the draft copies basedOn (or, for a correction, the corrected version).
func (c *IncomeCatalogue) CreateDraft(basedOn, corrects int, table *IncomeTable, note string) (int, error) {
	if err := CheckText("note", note, maxNote, false, true); err != nil {
		return 0, err
	}
	if !c.Exists() {
		return 0, &Error{Code: ENotFound, Message: "there is no income-limit catalogue " + c.id}
	}
	if corrects != 0 {
		if v := c.versions.get(corrects); v == nil || v.Status != StatusPublished {
			return 0, Invalidf("corrects", "only a published version can be corrected; version %d is not one", corrects)
		}
		if basedOn == 0 {
			basedOn = corrects
		}
	}
	ev := &IncomeDraftCreated{Version: c.versions.next(), BasedOn: basedOn, Corrects: corrects, Note: note}
	switch {
	case table != nil:
		ev.Table = table.withDefaults()
		if err := ev.Table.Validate(); err != nil {
			return 0, prefixField("table", err)
		}
	case basedOn != 0 && c.versions.get(basedOn) != nil:
		ev.Table = c.tables[basedOn]
	case basedOn != 0:
		return 0, Invalidf("based_on", "there is no version %d to copy", basedOn)
	}
	record(c, ev)
	return ev.Version, nil
}

// SetDraft replaces the table of draft version n.
func (c *IncomeCatalogue) SetDraft(n int, table IncomeTable, note string) error {
	if err := CheckText("note", note, maxNote, false, true); err != nil {
		return err
	}
	if _, err := c.versions.draft("version", n); err != nil {
		return err
	}
	table = table.withDefaults()
	if err := table.Validate(); err != nil {
		return prefixField("table", err)
	}
	record(c, &IncomeDraftChanged{Version: n, Table: table, Note: note})
	return nil
}

// Publish publishes draft version n from validFrom; the table must be
// complete and valid.
func (c *IncomeCatalogue) Publish(n int, validFrom Date) error {
	d, err := c.versions.draft("version", n)
	if err != nil {
		return err
	}
	if err := c.tables[n].Validate(); err != nil {
		return prefixField("table", err)
	}
	from, err := c.versions.checkPublish(d, validFrom)
	if err != nil {
		return err
	}
	record(c, &IncomeVersionPublished{Version: n, ValidFrom: from, Corrects: d.Corrects, Table: c.tables[n], Note: d.Note})
	return nil
}

// Withdraw drops draft version n.
func (c *IncomeCatalogue) Withdraw(n int) error {
	if _, err := c.versions.draft("version", n); err != nil {
		return err
	}
	record(c, &IncomeDraftWithdrawn{Version: n})
	return nil
}

func (c *IncomeCatalogue) apply(e Event) {
	switch p := e.Payload.(type) {
	case *IncomeCatalogueCreated:
		c.name = p.Name
	case *IncomeDraftCreated:
		c.versions.add(VersionInfo{Number: p.Version, Status: StatusDraft, Corrects: p.Corrects, Note: p.Note})
		c.tables[p.Version] = p.Table
	case *IncomeDraftChanged:
		c.tables[p.Version] = p.Table
		c.versions.get(p.Version).Note = p.Note
	case *IncomeVersionPublished:
		c.tables[p.Version] = p.Table
		c.versions.markPublished(p.Version, p.ValidFrom, e)
	case *IncomeDraftWithdrawn:
		c.versions.get(p.Version).Status = StatusWithdrawn
	}
}
