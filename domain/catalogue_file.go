package domain

import (
	"slices"
	"strings"
)

// CatalogueFormat names the catalogue JSON format (docs/catalogue-format.md),
// used by `carecost quote --catalogue`, and by catalogue import and export.
const CatalogueFormat = "carecost.catalogue/v1"

// CatalogueFile is a whole catalogue in one JSON document: services, tariffs
// with their versions, and income-limit catalogues with theirs.
type CatalogueFile struct {
	Format           string       `json:"format"`
	Services         []Service    `json:"services"`
	Tariffs          []TariffFile `json:"tariffs"`
	IncomeCatalogues []IncomeFile `json:"income_catalogues"`
}

// TariffFile is a tariff in a catalogue file.
type TariffFile struct {
	ID            string              `json:"id"`
	Name          string              `json:"name"`
	WeeksPerMonth Ratio               `json:"weeks_per_month,omitzero"`
	DaysPerMonth  Ratio               `json:"days_per_month,omitzero"`
	Versions      []TariffVersionFile `json:"versions"`
}

// TariffVersionFile is a tariff version in a catalogue file, in number order.
// Status is "published" when left out; a correction names the version it
// corrects and keeps its valid-from.
type TariffVersionFile struct {
	Version       int           `json:"version,omitempty"`
	Status        VersionStatus `json:"status,omitempty"`
	ValidFrom     Date          `json:"valid_from,omitzero"`
	Corrects      int           `json:"corrects,omitempty"`
	Note          string        `json:"note,omitempty"`
	WeeksPerMonth Ratio         `json:"weeks_per_month,omitzero"`
	DaysPerMonth  Ratio         `json:"days_per_month,omitzero"`
	Entries       []Entry       `json:"entries"`
}

// IncomeFile is an income-limit catalogue in a catalogue file.
type IncomeFile struct {
	ID       string              `json:"id"`
	Name     string              `json:"name"`
	Versions []IncomeVersionFile `json:"versions"`
}

// IncomeVersionFile is an income-limit catalogue version in a catalogue file.
type IncomeVersionFile struct {
	Version   int           `json:"version,omitempty"`
	Status    VersionStatus `json:"status,omitempty"`
	ValidFrom Date          `json:"valid_from,omitzero"`
	Corrects  int           `json:"corrects,omitempty"`
	Note      string        `json:"note,omitempty"`
	Table     IncomeTable   `json:"table"`
}

// ParseCatalogueFile decodes and checks a catalogue file; errors name the
// field ("tariffs[0].versions[1].entries[3].mode").
func ParseCatalogueFile(data []byte) (CatalogueFile, error) {
	var f CatalogueFile
	if err := DecodeJSON(data, &f); err != nil {
		return f, err
	}
	if f.Format != CatalogueFormat {
		return f, Invalidf("format", "expected %q, got %q", CatalogueFormat, f.Format)
	}
	return f, nil
}

// checkNumber checks that a version's number, when given, is the next one.
func checkNumber(field string, given, next int) error {
	if given != 0 && given != next {
		return Invalidf(field, "versions are listed in number order: expected %d, got %d", next, given)
	}
	return nil
}

func checkStatus(field string, s VersionStatus) error {
	if s != "" && !slices.Contains([]VersionStatus{StatusDraft, StatusPublished, StatusWithdrawn}, s) {
		return Invalidf(field, "%q is not a status; use draft, published or withdrawn", s)
	}
	return nil
}

// sortedIDs returns ids sorted, for stable output.
func sortedIDs[T any](m map[string]T) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.SortFunc(ids, strings.Compare)
	return ids
}
