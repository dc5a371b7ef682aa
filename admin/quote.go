package admin

import (
	"context"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// handleQuote handles POST /api/v1/quote: prices a case against the
// catalogue as it is now and stores nothing. A case without a pricing date
// is priced on today's date in Helsinki; one without a tariff or an
// income-limit catalogue takes the only one, as carecost quote does.
func (s *Server) handleQuote(c *fiber.Ctx) error {
	var in domain.CaseInput
	if err := decodeBody(c, &in, false); err != nil {
		return err
	}
	if in.PricingDate.IsZero() {
		in.PricingDate = domain.DateOf(s.now())
	}
	if err := s.basisDefaults(c.UserContext(), &in.Basis); err != nil {
		return err
	}
	q, err := s.commands.Quote(c.UserContext(), in)
	if err != nil {
		return err
	}
	s.usage.Quote()
	return c.JSON(q)
}

// maxListedIDs bounds the ids an error message lists.
const maxListedIDs = 10

// basisDefaults fills in what a case may leave out (docs/case-format.md):
// the tariff when the catalogue has exactly one with a published version,
// else the tariff is required; the income-limit catalogue when the
// catalogue has exactly one with a published version, else none. They are
// counted in the read models, which a catalogue command waits for before
// it answers.
func (s *Server) basisDefaults(ctx context.Context, b *domain.Basis) error {
	if b.TariffID == "" {
		ts, err := s.reads.Tariffs(ctx)
		if err != nil {
			return err
		}
		var ids []string
		for _, t := range ts {
			if slices.ContainsFunc(t.Versions, func(v domain.TariffVersion) bool { return v.Status == domain.StatusPublished }) {
				ids = append(ids, t.ID)
			}
		}
		if len(ids) != 1 {
			return errRequiredOneOf("tariff", ids)
		}
		b.TariffID = ids[0]
	}
	if b.IncomeCatalogueID == "" {
		ics, err := s.reads.IncomeCatalogues(ctx)
		if err != nil {
			return err
		}
		var ids []string
		for _, ic := range ics {
			if slices.ContainsFunc(ic.Versions, func(v domain.IncomeVersion) bool { return v.Status == domain.StatusPublished }) {
				ids = append(ids, ic.ID)
			}
		}
		if len(ids) == 1 {
			b.IncomeCatalogueID = ids[0]
		}
	}
	return nil
}

// errRequiredOneOf says that field is required and names what it may be.
func errRequiredOneOf(field string, ids []string) error {
	switch {
	case len(ids) == 0:
		return domain.Invalidf(field, "%s is required; the catalogue has none with a published version yet", field)
	case len(ids) > maxListedIDs:
		ids = append(ids[:maxListedIDs:maxListedIDs], "...")
	}
	return domain.Invalidf(field, "%s is required when the catalogue has more than one with a published version: one of %s", field, strings.Join(ids, ", "))
}
