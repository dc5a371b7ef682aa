package domain_test

import (
	"context"
	"testing"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
	"carecost/domain/memstore"
)

// guardRef is the client reference of the guard case.
const guardRef = "GUARD-REF-4711"

// guardHousehold is the household of the guard case: seven people (limits
// beyond the table's six), incomes high enough that both income-based fees
// are capped (so the fee before the cap differs from the fee), deductions
// and a spouse who earns less (the spouse rule).
func guardHousehold(t *testing.T, gross string) domain.Household {
	return domain.Household{Size: 7, GrossIncome: mp(t, gross), NetIncome: mp(t, "5432.10"),
		Deductions: []domain.Deduction{{Kind: "housing", Amount: money(t, "321.09")}, {Kind: "medicines", Amount: money(t, "43.21")}},
		Spouse:     &domain.Spouse{NetIncome: mp(t, "876.54"), Deductions: []domain.Deduction{{Kind: "other", Amount: money(t, "19.87")}}}}
}

// guardLog runs commands that record an event of every registered type: the
// demo catalogue and its drafts, and estimates of the guard case with a line
// of every fee rule and both hints (MAPLe 2 below the usual minimum, a gross
// income above the safety phone's usual maximum).
func guardLog(t *testing.T) []domain.RecordedEvent {
	ctx, adm := context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}}
	st := &faultyStore{memStore: &memStore{memstore.New()}}
	cmds := domain.NewCommands(st)
	set, err := demo.Catalogue()
	must(t, err)
	_, err = cmds.ImportCatalogue(ctx, adm, set)
	must(t, err)
	n, _, err := cmds.CreateTariffDraft(ctx, adm, "phhva", 0, 0, "draft")
	must(t, err)
	_, err = cmds.SetTariffEntry(ctx, adm, "phhva", n, domain.Entry{Service: "bathing", Mode: "own", UnitCost: money(t, "31.00"), Rule: domain.RuleFlat, Fee: mp(t, "8.50")})
	must(t, err)
	_, err = cmds.RemoveTariffEntry(ctx, adm, "phhva", n, "bathing", "own")
	must(t, err)
	_, err = cmds.SetTariffSettings(ctx, adm, "phhva", n, domain.DefaultWeeksPerMonth, domain.DefaultDaysPerMonth, new("settings"))
	must(t, err)
	_, err = cmds.WithdrawTariffDraft(ctx, adm, "phhva", n)
	must(t, err)
	n, _, err = cmds.CreateIncomeDraft(ctx, adm, "statutory", 0, 0, nil, "draft")
	must(t, err)
	_, err = cmds.SetIncomeDraft(ctx, adm, "statutory", n, income2024(t).Table, "changed")
	must(t, err)
	_, err = cmds.WithdrawIncomeDraft(ctx, adm, "statutory", n)
	must(t, err)
	_, err = cmds.RetireService(ctx, adm, "errands")
	must(t, err)

	cm := domain.Command{Actor: domain.Actor{ID: "cm", Role: "case_manager"}}
	basis := domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: date(t, "2025-03-01")}
	in := domain.CaseInput{ClientRef: guardRef, Maple: 2, Segment: domain.SegContinuous, Household: guardHousehold(t, "9876.54"), Basis: basis,
		Lines: []domain.Line{
			{Service: "regular-home-care", Mode: "own", Quantity: qty(t, "4"), Frequency: "month"},         // home_care_income
			{Service: "housing-24h", Mode: "own", Quantity: qty(t, "3"), Frequency: "month"},               // housing_net_income
			{Service: "safety-phone", Mode: "own", Quantity: qty(t, "1"), Frequency: "month"},              // income_tiered
			{Service: "meal-service", Mode: "own", Quantity: qty(t, "5"), Frequency: "week"},               // flat
			{Service: "cleaning", Mode: "voucher", Quantity: qty(t, "2"), Frequency: "month"},              // voucher
			{Service: "service-need-assessment", Mode: "own", Quantity: qty(t, "1"), Frequency: "one_off"}, // free
			{Service: "short-term-care", Mode: "own", Quantity: qty(t, "2"), Frequency: "month"}}}          // the ceiling
	id, rev, dropped := domain.NewID(), domain.NewID(), domain.NewID()
	_, _, err = cmds.OpenEstimate(ctx, cm, id, in)
	must(t, err)
	line, _, _, err := cmds.AddLine(ctx, cm, id, domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"})
	must(t, err)
	_, _, err = cmds.ChangeLine(ctx, cm, id, domain.Line{ID: line, Service: "bathing", Mode: "own", Quantity: qty(t, "2"), Frequency: "week"})
	must(t, err)
	_, _, err = cmds.RemoveLine(ctx, cm, id, line)
	must(t, err)
	_, _, err = cmds.ChangeHousehold(ctx, cm, id, domain.Personal{ClientRef: guardRef, Household: guardHousehold(t, "9765.43")})
	must(t, err)
	_, _, err = cmds.ChangeAssessment(ctx, cm, id, 2, domain.SegMultiSector)
	must(t, err)
	_, _, err = cmds.ChangeBasis(ctx, cm, id, domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: date(t, "2025-04-01")})
	must(t, err)
	_, _, err = cmds.Present(ctx, cm, id)
	must(t, err)
	decision := domain.Decision{Number: "G-1", Date: today(), EffectiveFrom: date(t, "2025-05-01")}
	_, _, err = cmds.Decide(ctx, cm, id, decision)
	must(t, err)
	_, _, err = cmds.Revise(ctx, cm, id, rev, domain.Date{})
	must(t, err)
	decision.Number, decision.Presented, decision.NotPresentedReason = "G-2", new(false), "only the pricing date moved"
	_, _, err = cmds.Decide(ctx, cm, rev, decision)
	must(t, err)
	_, _, err = cmds.OpenEstimate(ctx, cm, dropped, in)
	must(t, err)
	_, _, err = cmds.Cancel(ctx, cm, dropped, "moved")
	must(t, err)
	// A keyed command that changes nothing (a no-op), a revision whose
	// opening is cut off and then abandoned, an operator's skip.
	again := domain.Command{ID: "again", Actor: cm.Actor}
	_, _, err = cmds.Cancel(ctx, again, dropped, "moved")
	if err == nil {
		t.Fatal("cancelling twice was accepted")
	}
	spare := domain.NewID()
	_, _, err = cmds.OpenEstimate(ctx, cm, spare, in)
	must(t, err)
	_, _, err = cmds.Present(ctx, cm, spare)
	must(t, err)
	_, _, err = cmds.Present(ctx, again, spare)
	must(t, err)
	cut, next := domain.NewID(), domain.NewID()
	st.failOn(func(stream string, _ []domain.EventData) bool { return stream == domain.EstimateStream(cut) })
	if _, _, err = cmds.Revise(ctx, cm, rev, cut, domain.Date{}); err == nil {
		t.Fatal("the cut-off revision opened")
	}
	st.failOn(nil)
	later := time.Now().Add(domain.UnopenedRevisionTimeout + time.Second)
	cmds.Clock = func() time.Time { return later }
	_, _, err = cmds.Revise(ctx, cm, rev, next, domain.Date{})
	must(t, err)
	skip := domain.ProjectionEventSkipped{Projection: "decisions", Position: domain.SeqPosition(3), EventID: domain.NewID(), Reason: "a test"}
	_, err = domain.SkipEvent(ctx, st, cm, skip, func() error { return nil })
	must(t, err)
	guardUsers(t, cmds, adm)
	sample := domain.Sample{ID: "guard", Name: "guard sample", Case: domain.SampleCase{Household: guardHousehold(t, "6543.21"),
		IncomeCatalogueID: "statutory", Lines: []domain.Line{{Service: "regular-home-care", Mode: "own", Quantity: qty(t, "10"), Frequency: "month"}}}}
	_, err = cmds.SaveSample(ctx, adm, "phhva", sample, domain.NewDate(2025, 6, 1))
	must(t, err)
	_, err = cmds.RemoveSample(ctx, adm, "phhva", "guard")
	must(t, err)
	tally := domain.NewUsageTally()
	tally.Quote()
	tally.WhatIf()
	tally.Seen("cm", "case_manager")
	_, err = cmds.RecordUsage(ctx, tally, "guard")
	must(t, err)
	all, err := st.ReadAll(ctx, domain.ReadAllOptions{})
	must(t, err)
	return all
}

// guardUsers records every event of the user and token streams.
func guardUsers(t *testing.T, cmds *domain.Commands, adm domain.Command) {
	ctx, name, now := context.Background(), "guard.user", time.Now()
	if cmds.Clock != nil {
		now = cmds.Clock()
	}
	_, err := cmds.AddUser(ctx, adm, domain.UserInput{Name: name, DisplayName: "Guard User", Team: "guard-team",
		Roles: []domain.Role{domain.RoleCaseManager, domain.RoleController}, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"})
	must(t, err)
	_, err = cmds.SetUserPassword(ctx, adm, name, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdDI$aGFzaDI")
	must(t, err)
	_, err = cmds.SetUserRoles(ctx, adm, name, []domain.Role{domain.RoleCaseManager})
	must(t, err)
	_, err = cmds.SetUserTeam(ctx, adm, name, "other-team")
	must(t, err)
	_, err = cmds.CreateToken(ctx, adm, domain.TokenInput{ID: "guardtoken", User: name, Roles: []domain.Role{domain.RoleCaseManager},
		Label: "guard", ExpiresAt: now.AddDate(0, 1, 0), SecretHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"})
	must(t, err)
	_, err = cmds.RevokeToken(ctx, adm, "guardtoken")
	must(t, err)
	_, err = cmds.DisableUser(ctx, adm, name)
	must(t, err)
	_, err = cmds.EnableUser(ctx, adm, name)
	must(t, err)
	_, err = cmds.SetUserLanguage(ctx, adm, name, "en")
	must(t, err)
}
