package admin

import (
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// noticesFocusingLines are the notices after which the builder puts the
// focus on the next line's service: the estimate was just opened, or a
// line was just added.
var noticesFocusingLines = []string{"estimates.notice.opened", "estimates.notice.line_added"}

// pageEstimate handles GET /estimates/:id: the builder, or the estimate
// read-only when it is decided or cancelled or the person may not change
// it.
func (s *Server) pageEstimate(c *fiber.Ctx) error {
	d, err := s.estimateFor(c)
	if err != nil {
		return err
	}
	l := s.pageLang(c)
	bc, err := s.buildContextFor(c, l, d)
	if err != nil {
		return err
	}
	p := s.estimatePageFor(c, bc)
	if _, ok := c.Locals(localSession).(sessionInfo); ok {
		notice, err := s.takeNotice(c)
		if err != nil {
			return err
		}
		if notice != "" && l.Has(notice) {
			p.Notice = l.T(notice)
		}
		p.New.Focus = p.Edit && slices.Contains(noticesFocusingLines, notice)
		// Presented: the decision comes next.
		p.Decide.Number.Autofocus = p.Edit && notice == "estimates.notice.presented"
	}
	return s.render(c, fiber.StatusOK, "estimates_builder", p)
}

// builderFailed answers a builder form that failed: the builder again with
// the messages (the form's own input kept by change), 422, or 409 when the
// form was stale (render); an htmx request gets the live part with the
// messages.
func (s *Server) builderFailed(c *fiber.Ctx, bc *buildContext, errs *formErrors, change func(*estimatePage)) error {
	p := s.estimatePageFor(c, bc)
	p.Problems = errs.summary()
	if change != nil {
		change(p)
	}
	if isHTMX(c) {
		p.Announce = bc.l.T("common.problem")
		return s.renderPartial(c, "estimates_live", p)
	}
	return s.render(c, fiber.StatusUnprocessableEntity, "estimates_builder", p)
}

// builderDone answers a builder form whose command ran: an htmx request
// gets the live part of the estimate as the command left it (the totals
// read out); any other a redirect to the builder with notice.
func (s *Server) builderDone(c *fiber.Ctx, e *domain.Estimate, r domain.Result, notice string) error {
	if err := s.settle(c, r); err != nil {
		return err
	}
	if !isHTMX(c) {
		return s.redirectWith(c, "/estimates/"+e.ID(), notice)
	}
	d, err := estimateDetail(e, r)
	if err != nil {
		return err
	}
	l := s.pageLang(c)
	bc, err := s.buildContextFor(c, l, d)
	if err != nil {
		return err
	}
	p := s.estimatePageFor(c, bc)
	p.New.Focus = p.Edit && slices.Contains(noticesFocusingLines, notice)
	p.Announce = l.T(notice)
	if bc.q != nil {
		p.Announce += " " + l.T("estimates.announce.totals", "client", p.Totals.Client, "county", p.Totals.County)
	}
	return s.renderPartial(c, "estimates_live", p)
}

// builderRequest reads the estimate of a builder form and its context; the
// estimate must be one the person may change now.
func (s *Server) builderRequest(c *fiber.Ctx) (*buildContext, error) {
	d, err := s.estimateFor(c)
	if err != nil {
		return nil, err
	}
	bc, err := s.buildContextFor(c, s.pageLang(c), d)
	if err != nil {
		return nil, err
	}
	return bc, nil
}

// readLineInput reads a line's form.
func readLineInput(c *fiber.Ctx) lineInput {
	return lineInput{Service: formValue(c, "service"), Mode: formValue(c, "mode"), Quantity: formValue(c, "quantity"),
		Frequency: formValue(c, "frequency"), ProviderPrice: formValue(c, "provider_price")}
}

// checkLine checks a line as typed against the catalogue before any
// command: the service, a mode it is delivered in and priced for, the
// quantity, a frequency that fits its unit and fee, a provider's price
// only for a voucher. The messages go on the row's fields.
func (bc *buildContext) checkLine(in lineInput, prefix string, errs *formErrors) domain.Line {
	l := bc.l
	line := domain.Line{Service: in.Service, Mode: domain.Mode(in.Mode), Frequency: domain.Frequency(in.Frequency)}
	svc, known := bc.cat.services[in.Service]
	switch {
	case in.Service == "":
		errs.add(prefix+"-service", l.T("estimates.error.service_required"))
	case !known:
		errs.add(prefix+"-service", l.T("estimates.error.service"))
	}
	if known {
		modes := modesFor(svc, bc.tv)
		if !slices.Contains(modes, line.Mode) {
			names := make([]string, len(modes))
			for i, m := range modes {
				names[i] = l.T("estimates.mode." + string(m))
			}
			errs.add(prefix+"-mode", l.T("estimates.error.mode_not_allowed", "service", serviceName(l, svc.Names), "modes", strings.Join(names, ", ")))
		}
	} else if !slices.Contains(domain.Modes, line.Mode) {
		errs.add(prefix+"-mode", l.T("error.choice"))
	}
	q, err := parseQuantityErr(l, in.Quantity)
	if err != nil || q <= 0 || q > domain.MaxQuantity {
		errs.add(prefix+"-quantity", quantityMessage(l))
	}
	line.Quantity = q
	switch {
	case !slices.Contains(domain.Frequencies, line.Frequency):
		errs.add(prefix+"-frequency", l.T("error.choice"))
	case known:
		freqs := frequenciesFor(svc.Unit, incomeRule(bc.tv, svc.ID, line.Mode))
		if !slices.Contains(freqs, line.Frequency) {
			names := make([]string, len(freqs))
			for i, f := range freqs {
				names[i] = l.T("estimates.frequency." + string(f))
			}
			errs.add(prefix+"-frequency", l.T("estimates.error.frequency_not_allowed", "service", serviceName(l, svc.Names), "choices", strings.Join(names, ", ")))
		}
	}
	if in.ProviderPrice != "" {
		m, msg := readMoney(l, in.ProviderPrice, domain.MaxPrice)
		switch {
		case msg != "":
			errs.add(prefix+"-provider-price", msg)
		case line.Mode != domain.ModeVoucher:
			errs.add(prefix+"-provider-price", l.T("estimates.error.provider_price_voucher"))
		default:
			line.ProviderPrice = &m
		}
	}
	return line
}

// lineFieldOf maps a domain error's field on a line to the row's field;
// what the line depends on elsewhere (incomes, the catalogue) goes on the
// row as a whole.
func lineFieldOf(prefix string) func(string) string {
	return func(field string) string {
		switch field {
		case "service", "mode", "quantity", "frequency":
			return prefix + "-" + field
		case "provider_price":
			return prefix + "-provider-price"
		}
		return prefix
	}
}

// incomeFieldOf is the client's detail a line's domain error asks for
// (the incomes a fee depends on), as a link to its field; "" for none.
func incomeFieldOf(err error) string {
	switch domain.ErrorField(err) {
	case "household.gross_income":
		return "#gross-income"
	case "household.net_income":
		return "#net-income"
	case "household.spouse.net_income":
		return "#spouse-net-income"
	}
	return ""
}

// lineProblem puts a line's domain error on its row; when the error asks
// for a client's detail, the row links it and the client's details open.
func lineProblem(p *estimatePage, row *lineRow, fix string) {
	if fix == "" || !p.Edit {
		return
	}
	row.FixHref, p.ClientOpen = fix, true
}

// postLineAdd handles POST /estimates/:id/lines: checks the row, adds the
// line (the API's command) and answers with the builder, the focus on the
// next line's service.
func (s *Server) postLineAdd(c *fiber.Ctx) error {
	bc, err := s.builderRequest(c)
	if err != nil {
		return err
	}
	in := readLineInput(c)
	errs := &formErrors{}
	line := bc.checkLine(in, "line", errs)
	fix := ""
	failed := func() error {
		return s.builderFailed(c, bc, errs, func(p *estimatePage) {
			if p.Edit {
				p.New = bc.row("", len(p.Lines)+1, in, true, errs)
				lineProblem(p, &p.New, fix)
			}
		})
	}
	expected, _ := expectedField(c)
	if !errs.ok() {
		return failed()
	}
	cmd, err := s.command(c, expected)
	if err != nil {
		return err
	}
	_, e, r, err := s.commands.AddLine(c.UserContext(), cmd, bc.d.ID, line)
	if err != nil {
		if bc.problem(errs, err, lineFieldOf("line")) {
			fix = incomeFieldOf(err)
			return failed()
		}
		return err
	}
	return s.builderDone(c, e, r, "estimates.notice.line_added")
}

// lineOf returns the priced line of id in the estimate's quote.
func (bc *buildContext) lineOf(id string) (int, bool) {
	if bc.q == nil {
		return 0, false
	}
	i := slices.IndexFunc(bc.q.Lines, func(lr domain.LineResult) bool { return lr.LineID == id })
	return i, i >= 0
}

// postLineChange handles POST /estimates/:id/lines/:line: checks the row
// and replaces the line.
func (s *Server) postLineChange(c *fiber.Ctx) error {
	bc, err := s.builderRequest(c)
	if err != nil {
		return err
	}
	lineID := pathParam(c, "line")
	i, ok := bc.lineOf(lineID)
	if !ok {
		return &domain.Error{Code: domain.ENotFound, Message: "there is no line " + lineID}
	}
	in := bc.followService(readLineInput(c), bc.q.Lines[i].Service)
	prefix := "line-" + lineID
	errs := &formErrors{}
	line := bc.checkLine(in, prefix, errs)
	line.ID = lineID
	fix := ""
	failed := func() error {
		return s.builderFailed(c, bc, errs, func(p *estimatePage) {
			if p.Edit && i < len(p.Lines) {
				row := bc.row(lineID, i+1, in, true, errs)
				bc.figures(&row, bc.q.Lines[i])
				lineProblem(p, &row, fix)
				p.Lines[i] = row
			}
		})
	}
	expected, _ := expectedField(c)
	if !errs.ok() {
		return failed()
	}
	cmd, err := s.command(c, expected)
	if err != nil {
		return err
	}
	e, r, err := s.commands.ChangeLine(c.UserContext(), cmd, bc.d.ID, line)
	if err != nil {
		if bc.problem(errs, err, lineFieldOf(prefix)) {
			fix = incomeFieldOf(err)
			return failed()
		}
		return err
	}
	return s.builderDone(c, e, r, "estimates.notice.line_changed")
}

// followService fits a changed line's mode and period to a service chosen
// in place of was: a mode the new service is not delivered in becomes its
// first, a period its unit does not allow its usual one (as the choices
// of a new row follow its service). A line whose service stays is as
// typed.
func (bc *buildContext) followService(in lineInput, was string) lineInput {
	svc, known := bc.cat.services[in.Service]
	if in.Service == was || !known {
		return in
	}
	modes := modesFor(svc, bc.tv)
	if len(modes) > 0 && !slices.Contains(modes, domain.Mode(in.Mode)) {
		in.Mode = string(modes[0])
	}
	freqs := frequenciesFor(svc.Unit, incomeRule(bc.tv, svc.ID, domain.Mode(in.Mode)))
	if !slices.Contains(freqs, domain.Frequency(in.Frequency)) {
		in.Frequency = string(defaultFrequency(svc))
	}
	return in
}

// postLineRemove handles POST /estimates/:id/lines/:line/remove.
func (s *Server) postLineRemove(c *fiber.Ctx) error {
	bc, err := s.builderRequest(c)
	if err != nil {
		return err
	}
	lineID := pathParam(c, "line")
	if _, ok := bc.lineOf(lineID); !ok {
		return &domain.Error{Code: domain.ENotFound, Message: "there is no line " + lineID}
	}
	expected, _ := expectedField(c)
	cmd, err := s.command(c, expected)
	if err != nil {
		return err
	}
	e, r, err := s.commands.RemoveLine(c.UserContext(), cmd, bc.d.ID, lineID)
	if err != nil {
		errs := &formErrors{}
		if bc.problem(errs, err, func(string) string { return "" }) {
			return s.builderFailed(c, bc, errs, nil)
		}
		return err
	}
	return s.builderDone(c, e, r, "estimates.notice.line_removed")
}

// lineChoicesPage is the choices of a row alone (a partial update): its
// modes, its unit and its periods.
type lineChoicesPage struct {
	consoleBase
	Row lineRow
}

// pageLineChoices handles GET /estimates/:id/choices: the modes and
// periods the chosen service allows and its unit, for the row as typed;
// htmx swaps them in when the service changes, leaving the rest of the row
// (the quantity being typed) alone.
func (s *Server) pageLineChoices(c *fiber.Ctx) error {
	d, err := s.estimateFor(c)
	if err != nil {
		return err
	}
	if edit, _ := s.mayChange(c, d); !edit {
		return &domain.Error{Code: domain.EConflict, Message: "the estimate cannot change"}
	}
	bc, err := s.buildContextFor(c, s.pageLang(c), d)
	if err != nil {
		return err
	}
	in := lineInput{Service: strings.Clone(c.Query("service")), Mode: strings.Clone(c.Query("mode")), Quantity: strings.Clone(c.Query("quantity")),
		Frequency: strings.Clone(c.Query("frequency")), ProviderPrice: strings.Clone(c.Query("provider_price"))}
	row, number := strings.Clone(c.Query("row")), 0
	switch i, ok := bc.lineOf(row); {
	case ok:
		number = i + 1
	case row == "" || row == "new":
		// A new row's mode and period follow its service: its first mode
		// and its usual period.
		row, in.Mode, in.Frequency = "", "", ""
		if bc.q != nil {
			number = len(bc.q.Lines) + 1
		}
	default:
		return &domain.Error{Code: domain.ENotFound, Message: "there is no line " + row}
	}
	p := &lineChoicesPage{Row: bc.row(row, number, in, true, &formErrors{})}
	p.Row.OOB = true
	return s.renderPartial(c, "estimates_choices", p)
}

// parseQuantity reads a quantity typed in l's way ("2,5" in Finnish,
// "2.5" in English).
func parseQuantity(l *Lang, v string) (domain.Quantity, bool) {
	q, err := parseQuantityErr(l, v)
	return q, err == nil
}

// parseQuantityErr is parseQuantity with the domain's error.
func parseQuantityErr(l *Lang, v string) (domain.Quantity, error) {
	n, ok := l.ReadNumber(v)
	if !ok {
		return 0, domain.Invalidf("quantity", "%q is not a number", v)
	}
	return domain.ParseQuantity(n)
}
