package domain_test

import (
	"testing"
	"unsafe"

	"carecost/domain"
)

// borrowed returns s as a string over a buffer the caller may overwrite,
// as an HTTP server's reused request buffers are.
func borrowed(s string) (string, []byte) {
	b := []byte(s)
	return unsafe.String(&b[0], len(b)), b
}

// The domain keeps its own copy of every id it is given: an id read from a
// buffer that is overwritten afterwards (the next request) changes nothing
// it holds, in an aggregate or in a cache's keys.
func TestIDsAreCopied(t *testing.T) {
	c, _ := demoCommands(t)
	id := domain.NewID()
	s, buf := borrowed(id)
	_, _, err := c.OpenEstimate(ctx, caseManager("north"), s, demoCase(t))
	must(t, err)
	name, nbuf := borrowed("anna")
	_, err = c.AddUser(ctx, domain.Command{}, domain.UserInput{Name: name, DisplayName: "Anna", Team: "north", Roles: []domain.Role{domain.RoleCaseManager}})
	must(t, err)
	tariff, tbuf := borrowed("phhva")
	_, err = c.Quote(ctx, domain.CaseInput{Household: domain.Household{Size: 1, GrossIncome: mp(t, "1800")}, Lines: []domain.Line{},
		Basis: domain.Basis{TariffID: tariff, IncomeCatalogueID: "statutory", PricingDate: date(t, "2025-03-01")}})
	must(t, err)
	for _, b := range [][]byte{buf, nbuf, tbuf} {
		for i := range b {
			b[i] = 'x'
		}
	}
	e, err := c.Estimate(ctx, id)
	if err != nil || e.ID() != id {
		t.Errorf("the estimate after its id's buffer changed: %v, %v", e, err)
	}
	if _, _, _, err := c.AddLine(ctx, caseManager("north"), id, domain.Line{Service: "bathing", Mode: "own", Quantity: qty(t, "1"), Frequency: "week"}); err != nil {
		t.Errorf("a command on it: %v", err)
	}
	if u, err := c.User(ctx, "anna"); err != nil || u.Name() != "anna" {
		t.Errorf("the user after the name's buffer changed: %v, %v", u, err)
	}
	if _, err := c.Quote(ctx, domain.CaseInput{Household: domain.Household{Size: 1, GrossIncome: mp(t, "1800")}, Lines: []domain.Line{},
		Basis: domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: date(t, "2025-03-01")}}); err != nil {
		t.Errorf("a quote after the tariff id's buffer changed: %v", err)
	}
}
