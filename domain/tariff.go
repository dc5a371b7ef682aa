package domain

import (
	"slices"
	"strings"
)

// Default month conversions (DOMAIN.md A.1): 52 weeks and 365 days a year.
var (
	DefaultWeeksPerMonth = Ratio{52, 12}
	DefaultDaysPerMonth  = Ratio{365, 12}
)

// TariffVersion is one version of a price list with everything needed to
// price against it.
type TariffVersion struct {
	TariffID string `json:"tariff_id"`
	Name     string `json:"name"`
	VersionInfo
	WeeksPerMonth Ratio   `json:"weeks_per_month"`
	DaysPerMonth  Ratio   `json:"days_per_month"`
	Entries       []Entry `json:"entries"`
}

// Entry returns the entry for a service in a production mode.
func (v TariffVersion) Entry(service string, mode Mode) (Entry, bool) {
	i := slices.IndexFunc(v.Entries, func(e Entry) bool { return e.Service == service && e.Mode == mode })
	if i < 0 {
		return Entry{}, false
	}
	return v.Entries[i], true
}

// tariffContent is the editable part of a version.
type tariffContent struct {
	weeks, days Ratio
	entries     []Entry // sorted by service, mode
}

func (c *tariffContent) set(e Entry) {
	i, found := slices.BinarySearchFunc(c.entries, e.Key(), compareEntryKey)
	if found {
		c.entries[i] = e
		return
	}
	c.entries = slices.Insert(c.entries, i, e)
}

func (c *tariffContent) remove(k EntryKey) {
	if i, found := slices.BinarySearchFunc(c.entries, k, compareEntryKey); found {
		c.entries = slices.Delete(c.entries, i, i+1)
	}
}

func compareEntryKey(e Entry, k EntryKey) int {
	if c := strings.Compare(e.Service, k.Service); c != 0 {
		return c
	}
	return strings.Compare(string(e.Mode), string(k.Mode))
}

// sortEntries returns a sorted copy of entries.
func sortEntries(entries []Entry) []Entry {
	c := tariffContent{}
	for _, e := range entries {
		c.set(e)
	}
	return c.entries
}

// Tariff is the price-list aggregate (stream "tariff-<id>"): a name, default
// month conversions and numbered versions (drafts, published, withdrawn).
type Tariff struct {
	root
	id, name    string
	weeks, days Ratio
	versions    versions
	content     map[int]*tariffContent
}

// TariffStream returns the stream name of tariff id.
func TariffStream(id string) string { return "tariff-" + id }

// NewTariff returns an empty tariff aggregate for id, to load or create.
func NewTariff(id string) *Tariff {
	return &Tariff{root: newRoot(), id: strings.Clone(id), content: map[int]*tariffContent{}}
}

// Stream returns the tariff's stream name.
func (t *Tariff) Stream() string { return TariffStream(t.id) }

// Exists reports whether the tariff was created.
func (t *Tariff) Exists() bool { return t.name != "" }

// ID returns the tariff id.
func (t *Tariff) ID() string { return t.id }

// Name returns the tariff's name.
func (t *Tariff) Name() string { return t.name }

// Versions returns every version's info, in number order.
func (t *Tariff) Versions() []VersionInfo {
	out := make([]VersionInfo, len(t.versions.list))
	for i, v := range t.versions.list {
		out[i] = *v
	}
	return out
}

// Version returns version n with its content.
func (t *Tariff) Version(n int) (TariffVersion, bool) {
	v := t.versions.get(n)
	if v == nil {
		return TariffVersion{}, false
	}
	c := t.content[n]
	return TariffVersion{TariffID: t.id, Name: t.name, VersionInfo: *v, WeeksPerMonth: c.weeks,
		DaysPerMonth: c.days, Entries: slices.Clone(c.entries)}, true
}

// VersionAt returns the published version in effect on date d.
func (t *Tariff) VersionAt(d Date) (TariffVersion, bool) {
	v := t.versions.at(d)
	if v == nil {
		return TariffVersion{}, false
	}
	return t.Version(v.Number)
}

// Published returns the published versions by valid-from, then publication.
func (t *Tariff) Published() []VersionInfo { return t.versions.publishedList() }

// Defaults returns the tariff's default weeks and days per month.
func (t *Tariff) Defaults() (weeks, days Ratio) { return t.weeks, t.days }
