package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// handleQuote handles POST /api/v1/quote: prices a case against the
// catalogue as it is now and stores nothing. A case without a pricing date
// is priced on today's date in Helsinki.
func (s *Server) handleQuote(c *fiber.Ctx) error {
	var in domain.CaseInput
	if err := decodeBody(c, &in, false); err != nil {
		return err
	}
	if in.PricingDate.IsZero() {
		in.PricingDate = domain.DateOf(s.now())
	}
	q, err := s.commands.Quote(c.UserContext(), in)
	if err != nil {
		return err
	}
	s.metrics.quotes.Inc()
	return c.JSON(q)
}
