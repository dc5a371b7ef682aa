package domain_test

import (
	"testing"

	"carecost/domain"
)

// Income-table payloads of schema 1 stored an amount or rate left out as
// zero, and meant "left out"; read now, they still mean it: a käyttövara of
// "0.00" in a schema-1 table is none (24h housing cannot be priced), a
// housing rate of "0" the statutory 85 %. Schema 2 keeps a zero as zero.
func TestIncomeTableSchema1ZerosAreLeftOut(t *testing.T) {
	v1 := `{"schema":1,"version":1,"valid_from":"2024-01-01","table":{"limits":["653.00"],"extra_person":"0.00",
		"percentages":[{"max_hours":null,"by_household":["35.00"]}],"kayttovara":"0.00","annual_ceiling":"0.00",
		"housing_rate":"0","housing_spouse_rate":"42.50"}}`
	for _, name := range []string{domain.EvIncomeVersionPublished, domain.EvIncomeDraftCreated, domain.EvIncomeDraftChanged} {
		p, err := domain.DecodePayload(name, []byte(v1))
		must(t, err)
		var tab domain.IncomeTable
		switch p := p.(type) {
		case *domain.IncomeVersionPublished:
			tab = p.Table
		case *domain.IncomeDraftCreated:
			tab = p.Table
		case *domain.IncomeDraftChanged:
			tab = p.Table
		}
		if tab.ExtraPerson != nil || tab.Kayttovara != nil || tab.AnnualCeiling != nil || tab.HousingRate != nil {
			t.Errorf("%s: zeros of schema 1 read as amounts: %+v", name, tab)
		}
		if tab.HousingSpouseRate == nil || *tab.HousingSpouseRate != 4250 {
			t.Errorf("%s: a rate given was lost: %v", name, tab.HousingSpouseRate)
		}
	}
	v2 := `{"schema":2,"version":1,"valid_from":"2024-01-01","table":{"limits":["653.00"],"extra_person":"0.00",
		"percentages":[{"max_hours":null,"by_household":["35.00"]}],"kayttovara":"0.00"}}`
	p, err := domain.DecodePayload(domain.EvIncomeVersionPublished, []byte(v2))
	must(t, err)
	if tab := p.(*domain.IncomeVersionPublished).Table; tab.ExtraPerson == nil || *tab.ExtraPerson != 0 || tab.Kayttovara == nil {
		t.Errorf("schema 2 zeros: %+v", tab)
	}
}
