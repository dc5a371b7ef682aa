// Package demo holds the demo catalogue of carecost: the services of an
// elderly-care cost tool in the style of Päijät-Häme, tariff versions for 2025
// and 2026 (with a correction), and the statutory income-limit catalogue with
// its versions from 1.7.2021 to 2026. It is data, in the catalogue JSON format
// (docs/catalogue-format.md).
package demo

import (
	_ "embed"

	"carecost/domain"
)

//go:embed catalogue.json
var catalogue []byte

// CatalogueJSON returns the demo catalogue file.
func CatalogueJSON() []byte { return catalogue }

// Catalogue returns the demo catalogue, built through the aggregates.
func Catalogue() (*domain.CatalogueSet, error) {
	f, err := domain.ParseCatalogueFile(catalogue)
	if err != nil {
		return nil, err
	}
	return domain.BuildCatalogue(f)
}
