package domain

import "slices"

// Mode is a production mode: how the county delivers a service.
type Mode string

// Production modes (DOMAIN.md A.2).
const (
	ModeOwn       Mode = "own"       // own production
	ModePurchased Mode = "purchased" // purchased service
	ModeVoucher   Mode = "voucher"   // service voucher
)

// Modes lists every production mode in display order.
var Modes = []Mode{ModeOwn, ModePurchased, ModeVoucher}

// Category groups services on screens and in reports.
type Category string

// Service categories.
const (
	CatSupport    Category = "support"
	CatHomeCare   Category = "home_care"
	CatHousing    Category = "housing"
	CatShortTerm  Category = "short_term_care"
	CatDay        Category = "day_activity"
	CatFamilyCare Category = "family_care"
	CatAssessment Category = "assessment"
)

// Categories lists every category.
var Categories = []Category{CatSupport, CatHomeCare, CatHousing, CatShortTerm, CatDay, CatFamilyCare, CatAssessment}

// Unit is what one unit of a service is.
type Unit string

// Units lists the service units carecost knows.
var Units = []Unit{"visit", "hour", "meal", "day", "week", "month", "delivery", "load", "call"}

// UnitHour is the unit of services charged by the hour (home care).
const UnitHour Unit = "hour"

// Names holds a name in Finnish, Swedish and English.
type Names struct {
	FI string `json:"fi" carecost:"required"`
	SV string `json:"sv,omitempty"`
	EN string `json:"en,omitempty"`
}

// Eligibility holds hints shown to the case manager, never hard rules: the
// usual minimum MAPLe level and the usual maximum gross monthly income.
type Eligibility struct {
	MinMaple       int    `json:"min_maple,omitempty"`
	MaxGrossIncome *Money `json:"max_gross_income,omitempty"`
	Note           string `json:"note,omitempty"`
}

// Service is a catalogue service: a stable slug id, names, category, unit,
// the production modes it may be delivered in and eligibility hints.
type Service struct {
	ID          string      `json:"id"`
	Names       Names       `json:"names" carecost:"required"`
	Category    Category    `json:"category" carecost:"required"`
	Unit        Unit        `json:"unit" carecost:"required"`
	Modes       []Mode      `json:"modes" carecost:"required"`
	Eligibility Eligibility `json:"eligibility,omitzero"`
}

// Allows reports whether s may be delivered in mode m.
func (s Service) Allows(m Mode) bool { return slices.Contains(s.Modes, m) }

// Validate checks a service definition; errors name the field.
func (s Service) Validate() error {
	if err := ValidSlug("id", s.ID); err != nil {
		return err
	}
	if s.Names.FI == "" {
		return Invalidf("names.fi", "a Finnish name is required")
	}
	for f, n := range map[string]string{"names.fi": s.Names.FI, "names.sv": s.Names.SV, "names.en": s.Names.EN} {
		if err := CheckText(f, n, maxName, f == "names.fi", false); err != nil {
			return err
		}
	}
	if err := CheckText("eligibility.note", s.Eligibility.Note, maxNote, false, true); err != nil {
		return err
	}
	if !slices.Contains(Categories, s.Category) {
		return Invalidf("category", "%q is not a category; use one of %v", s.Category, Categories)
	}
	if !slices.Contains(Units, s.Unit) {
		return Invalidf("unit", "%q is not a unit; use one of %v", s.Unit, Units)
	}
	if len(s.Modes) == 0 {
		return Invalidf("modes", "at least one production mode is required")
	}
	for i, m := range s.Modes {
		if !slices.Contains(Modes, m) {
			return Invalidf(fieldIndex("modes", i), "%q is not a production mode; use one of %v", m, Modes)
		}
		if slices.Index(s.Modes, m) != i {
			return Invalidf(fieldIndex("modes", i), "%q is listed twice", m)
		}
	}
	return s.Eligibility.validate()
}

func (e Eligibility) validate() error {
	if e.MinMaple < 0 || e.MinMaple > 5 {
		return Invalidf("eligibility.min_maple", "MAPLe is 1 to 5, got %d", e.MinMaple)
	}
	if e.MaxGrossIncome != nil && *e.MaxGrossIncome < 0 {
		return Invalidf("eligibility.max_gross_income", "must not be negative")
	}
	return nil
}
