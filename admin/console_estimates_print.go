package admin

import (
	"github.com/gofiber/fiber/v2"
)

// estimatePrintPage is the estimate as the client gets it on paper: always
// in Finnish, A4, with the county's name, the date, the tariff version,
// the lines and totals and the fee basis in plain words.
type estimatePrintPage struct {
	L *Lang
	// Issuer is the county's name (Config.County), else the tariff's name.
	Issuer    string
	ByCounty  bool
	Today     string
	ClientRef string
	Decided   bool
	Decision  string
	Tariff    string
	Income    string
	Pricing   string
	Lines     []lineRow
	Totals    totalsView
	Explain   []explainBlock
	FeeBasis  []string
	BackHref  string
}

// printLanguage is the language of the print page: the client's copy is in
// Finnish whatever language the case manager works in.
const printLanguage = "fi"

// pageEstimatePrint handles GET /estimates/:id/print.
func (s *Server) pageEstimatePrint(c *fiber.Ctx) error {
	d, err := s.estimateFor(c)
	if err != nil {
		return err
	}
	l := s.catalogue.Lang(printLanguage)
	bc, err := s.buildContextFor(c, l, d)
	if err != nil {
		return err
	}
	p := &estimatePrintPage{L: l, Issuer: s.county, ByCounty: s.county != "", Today: l.Date(s.today()), ClientRef: d.ClientRef,
		Pricing: l.Date(d.PricingDate), BackHref: "/estimates/" + d.ID, Income: l.T("estimates.income.none")}
	for _, f := range bc.facts() {
		switch f.ID {
		case "fact-tariff":
			p.Tariff = f.Value
		case "fact-decision":
			p.Decided, p.Decision = true, f.Value
		}
	}
	if bc.q != nil {
		if p.Issuer == "" {
			p.Issuer = bc.q.Tariff.Name
		}
		if ic := bc.q.IncomeCatalogue; ic != nil {
			p.Income = l.T("estimates.fact.tariff_version", "name", ic.Name, "version", ic.Version, "from", l.Date(ic.ValidFrom))
		}
		for i, lr := range bc.q.Lines {
			row := bc.row(lr.LineID, i+1, lineInput{Service: lr.Service, Mode: string(lr.Mode), Quantity: quantityInput(l, lr.Quantity),
				Frequency: string(lr.Frequency)}, false, &formErrors{})
			bc.figures(&row, lr)
			p.Lines = append(p.Lines, row)
		}
		p.Totals = totalsOf(l, bc.q)
		p.Explain = explainFees(l, bc.q)
		p.FeeBasis = feeBasis(l, bc.q, bc.cat)
	}
	if p.Issuer == "" {
		p.Issuer = d.TariffID
	}
	return s.compose(c, fiber.StatusOK, "estimates_print", p, false)
}
