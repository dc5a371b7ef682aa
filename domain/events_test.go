package domain_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

// samples returns one filled payload of every event type.
func samples(t *testing.T) []domain.Payload {
	entry := domain.Entry{Service: "phone", Mode: "own", UnitCost: money(t, "80"), Rule: domain.RuleIncomeTiered,
		Tiers: []domain.Tier{{MaxIncome: []domain.Money{money(t, "1489")}, Fee: money(t, "35.68")}, {Fee: money(t, "71.36")}}, CountsTowardCeiling: true}
	table := income2024(t).Table
	q, err := domain.Price(domain.PriceInput{PricingDate: date(t, "2026-01-01"), Maple: 2, Household: domain.Household{Size: 1, GrossIncome: new(money(t, "1600"))},
		Lines: []domain.Line{{ID: "l1", Service: "phone", Mode: "own", Quantity: qty(t, "1"), Frequency: "month"}}},
		domain.PriceBasis{Tariff: tariffOf(entry), Income: income2024(t), Services: lookup})
	must(t, err)
	personal := domain.Personal{ClientRef: "ref-qwerty", Household: domain.Household{Size: 2, GrossIncome: new(domain.Money(300000)), NetIncome: new(domain.Money(150000)),
		Deductions: []domain.Deduction{{Kind: "housing", Amount: 60000}}, Spouse: &domain.Spouse{NetIncome: new(domain.Money(90000))}}}
	basis := domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: date(t, "2026-01-01")}
	line := domain.Line{ID: "l1", Service: "meals", Mode: "voucher", Quantity: 2500, Frequency: "week", ProviderPrice: mp(t, "10.50")}
	return []domain.Payload{
		&domain.ServiceDefined{Service: testServices["respite"]},
		&domain.ServiceRetired{ServiceID: "respite"},
		&domain.TariffCreated{TariffID: "phhva", Name: "Hinnasto", WeeksPerMonth: domain.DefaultWeeksPerMonth, DaysPerMonth: domain.DefaultDaysPerMonth},
		&domain.TariffDraftCreated{Version: 2, BasedOn: 1, Corrects: 1, WeeksPerMonth: domain.Ratio{Num: 4, Den: 1}, DaysPerMonth: domain.DefaultDaysPerMonth, Entries: []domain.Entry{entry}, Note: "n"},
		&domain.TariffDraftEntrySet{Version: 2, Entry: entry},
		&domain.TariffDraftEntryRemoved{Version: 2, Service: "phone", Mode: "own"},
		&domain.TariffDraftSettingsSet{Version: 2, WeeksPerMonth: domain.DefaultWeeksPerMonth, DaysPerMonth: domain.DefaultDaysPerMonth, Note: "x"},
		&domain.TariffVersionPublished{Version: 2, ValidFrom: date(t, "2026-01-01"), Corrects: 1, WeeksPerMonth: domain.DefaultWeeksPerMonth, DaysPerMonth: domain.DefaultDaysPerMonth, Entries: []domain.Entry{entry}},
		&domain.TariffDraftWithdrawn{Version: 3},
		&domain.IncomeCatalogueCreated{CatalogueID: "statutory", Name: "Lakisääteinen"},
		&domain.IncomeDraftCreated{Version: 1, Table: table, Note: "2024"},
		&domain.IncomeDraftChanged{Version: 1, Table: table},
		&domain.IncomeVersionPublished{Version: 1, ValidFrom: date(t, "2024-01-01"), Table: table},
		&domain.IncomeDraftWithdrawn{Version: 2},
		&domain.EstimateOpened{EstimateID: domain.NewID(), Personal: personal, Maple: 3, Segment: domain.SegMultiSector, Basis: basis, Lines: []domain.Line{line}, RevisionOf: domain.NewID()},
		&domain.EstimateLineAdded{Line: line},
		&domain.EstimateLineChanged{Line: line},
		&domain.EstimateLineRemoved{LineID: "l1"},
		&domain.EstimateHouseholdChanged{Personal: personal},
		&domain.EstimateAssessmentChanged{Maple: 4, Segment: domain.SegAnticipated},
		&domain.EstimateBasisChanged{Basis: basis},
		&domain.EstimatePriced{Quote: q, CataloguePosition: domain.SeqPosition(42)},
		&domain.EstimatePresented{},
		&domain.EstimateDecided{Decision: domain.Decision{Number: "D-1", Date: date(t, "2026-01-02"), EffectiveFrom: date(t, "2026-02-01"), Presented: new(false),
			NotPresentedReason: "urgent"}, RevisionOf: domain.NewID(), Quote: q, CataloguePosition: domain.Position{Commit: 7, Prepare: 5},
			VersionWarning:  &domain.VersionWarning{EffectiveFrom: date(t, "2026-02-01"), TariffVersion: 4, IncomeVersion: 2},
			PresentedTotals: &domain.QuoteTotals{Monthly: domain.Totals{CountyGross: 100, ClientFee: 20, CountyNet: 80}}},
		&domain.DecisionNumberReserved{DecisionNumber: "HVA-2026-0001", EstimateID: domain.NewID()},
		&domain.EstimateRevised{RevisionID: domain.NewID()},
		&domain.EstimateSuperseded{RevisionID: domain.NewID()},
		&domain.EstimateCancelled{Reason: "moved"},
		&domain.EstimateRevisionAbandoned{RevisionOf: domain.NewID(), ReplacedBy: domain.NewID()},
		&domain.CommandNoop{},
		&domain.ProjectionEventSkipped{Projection: "decisions", Position: domain.SeqPosition(57), EventID: domain.NewID(), Reason: "the payload is malformed"},
		&domain.UserAdded{Name: "anna.virtanen", DisplayName: "Anna Virtanen", Team: "north-1", Roles: []domain.Role{domain.RoleCaseManager}, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"},
		&domain.UserPasswordSet{PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI"},
		&domain.UserRolesSet{Roles: []domain.Role{domain.RoleAdmin, domain.RoleController}},
		&domain.UserTeamSet{Team: "south-2"},
		&domain.UserDisabled{},
		&domain.UserEnabled{},
		&domain.UserLanguageSet{Language: "en"},
		&domain.TokenCreated{TokenID: "k3v9q2x7m4p8r5t6", User: "anna.virtanen", Roles: []domain.Role{domain.RoleController}, Label: "audit export",
			ExpiresAt: time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC), SecretHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"},
		&domain.TokenRevoked{},
		&domain.SampleSaved{SampleID: "single-10h", Name: "Single, 10 hours of home care a month"},
		&domain.SampleRemoved{SampleID: "single-10h"},
		&domain.UsageTallied{Quotes: 12, WhatIfs: 3, Active: []domain.ActiveActor{{ID: "anna.virtanen", Role: "case_manager"}, {ID: "ville", Role: "controller"}}},
	}
}

func TestEventRoundTrip(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range samples(t) {
		name := p.EventType()
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			data, err := domain.EncodePayload(p)
			must(t, err)
			if !strings.HasPrefix(string(data), `{"schema":`) {
				t.Errorf("no schema version in %s", data)
			}
			back, err := domain.DecodePayload(name, data)
			must(t, err)
			if !reflect.DeepEqual(back, p) {
				t.Errorf("round trip changed the payload:\n got %+v\nwant %+v", back, p)
			}
		})
	}
	for _, name := range domain.EventTypes() {
		if !seen[name] {
			t.Errorf("event type %s has no round-trip sample", name)
		}
		if !strings.HasPrefix(name, "carecost.") {
			t.Errorf("event type %s is not a stable carecost name", name)
		}
	}
}

func TestDecodeUnknownType(t *testing.T) {
	if _, err := domain.DecodePayload("carecost.nope", []byte(`{}`)); err == nil {
		t.Error("unknown type decoded")
	}
	var se *domain.SchemaError
	_, err := domain.DecodePayload(domain.EvEstimateCancelled, []byte(`{"schema":9}`))
	if !errors.As(err, &se) || se.Schema != 9 || se.Known != 1 || se.EventType != domain.EvEstimateCancelled {
		t.Errorf("a newer schema must be refused, naming the type and both schemas: %v", err)
	}
}

// A stored payload that does not decode gives an internal error that does
// not repeat the value, which may be personal data.
func TestDecodeErrorLeavesTheValueOut(t *testing.T) {
	bad := `{"schema":1,"personal":{"client_ref":"R","household":{"size":1,"gross_income":1234.56}}}`
	_, err := domain.DecodePayload(domain.EvEstimateHouseholdChanged, []byte(bad))
	if err == nil || strings.Contains(err.Error(), "1234.56") || domain.ErrorCode(err) != domain.EInternal {
		t.Errorf("err = %v (code %s)", err, domain.ErrorCode(err))
	}
	_, err = domain.DecodePayload(domain.EvEstimateHouseholdChanged, []byte(`{"schema":1,"personal":{"household":{"size":"seven"}}}`))
	if err == nil || !strings.Contains(err.Error(), "domain: decode carecost.estimate.household_changed") {
		t.Errorf("err = %v", err)
	}
}
