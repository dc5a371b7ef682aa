package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// clientEditor runs one of the builder's editors of the client's details:
// the editor's part of the form is what was typed (a field left out is
// empty, and a required one says so), the rest what the estimate holds;
// check checks the part (messages on errs), run is the command (the
// API's). A failed form shows the editor open with the input kept.
func (s *Server) clientEditor(c *fiber.Ctx, part clientPart, check func(clientForm, *Lang, *formErrors, *catalogueNow) editorRun) error {
	bc, err := s.builderRequest(c)
	if err != nil {
		return err
	}
	l := bc.l
	held := clientFormOf(l, bc.d.ClientRef, bc.d.Maple, bc.d.Segment, bc.d.Household,
		domain.Basis{TariffID: bc.d.TariffID, IncomeCatalogueID: bc.d.IncomeCatalogueID, PricingDate: bc.d.PricingDate})
	errs := &formErrors{}
	merged := held.with(readClientForm(c), part)
	run := check(merged, l, errs, bc.cat)
	failed := func() error {
		return s.builderFailed(c, bc, errs, func(p *estimatePage) {
			p.Client, p.ClientOpen = merged.view(l, errs, bc.cat), true
		})
	}
	if !errs.ok() {
		return failed()
	}
	e, r, err := run()
	if err != nil {
		if bc.problem(errs, err, clientFieldOf) {
			return failed()
		}
		return err
	}
	return s.builderDone(c, e, r, "estimates.notice.client_saved")
}

// editorRun runs an editor's command.
type editorRun func() (*domain.Estimate, domain.Result, error)

// clientPart is the part of the client's details one of the builder's
// editors changes.
type clientPart int

const (
	// partHousehold: the client reference and the household.
	partHousehold clientPart = iota
	// partAssessment: the MAPLe level and the segment.
	partAssessment
	// partBasis: the price lists and the pricing date.
	partBasis
)

// with returns f with part taken from typed, as typed.
func (f clientForm) with(typed clientForm, part clientPart) clientForm {
	switch part {
	case partHousehold:
		f.ClientRef, f.Size, f.Gross, f.Net, f.Deductions = typed.ClientRef, typed.Size, typed.Gross, typed.Net, typed.Deductions
		f.Spouse, f.SpouseNet, f.SpouseLongTerm, f.SpouseDeductions = typed.Spouse, typed.SpouseNet, typed.SpouseLongTerm, typed.SpouseDeductions
	case partAssessment:
		f.Maple, f.Segment = typed.Maple, typed.Segment
	case partBasis:
		f.Tariff, f.Income, f.PricingDate = typed.Tariff, typed.Income, typed.PricingDate
	}
	return f
}

// postHousehold handles POST /estimates/:id/household: the client
// reference and the household.
func (s *Server) postHousehold(c *fiber.Ctx) error {
	return s.clientEditor(c, partHousehold, func(f clientForm, l *Lang, errs *formErrors, _ *catalogueNow) editorRun {
		p := f.personal(l, errs)
		return func() (*domain.Estimate, domain.Result, error) {
			return s.estimateCommandRun(c, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
				return s.commands.ChangeHousehold(c.UserContext(), cmd, id, p)
			})
		}
	})
}

// postAssessment handles POST /estimates/:id/assessment: MAPLe and
// segment.
func (s *Server) postAssessment(c *fiber.Ctx) error {
	return s.clientEditor(c, partAssessment, func(f clientForm, l *Lang, errs *formErrors, _ *catalogueNow) editorRun {
		maple, seg := f.assessment(l, errs)
		return func() (*domain.Estimate, domain.Result, error) {
			return s.estimateCommandRun(c, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
				return s.commands.ChangeAssessment(c.UserContext(), cmd, id, maple, seg)
			})
		}
	})
}

// postBasis handles POST /estimates/:id/basis: the price lists and the
// pricing date.
func (s *Server) postBasis(c *fiber.Ctx) error {
	return s.clientEditor(c, partBasis, func(f clientForm, l *Lang, errs *formErrors, cat *catalogueNow) editorRun {
		b := f.basis(l, errs, cat, s.planDates())
		return func() (*domain.Estimate, domain.Result, error) {
			return s.estimateCommandRun(c, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
				return s.commands.ChangeBasis(c.UserContext(), cmd, id, b)
			})
		}
	})
}

// estimateCommandRun builds the command of a builder form (the version the
// form was rendered from expected) and runs it on the estimate of the path.
func (s *Server) estimateCommandRun(c *fiber.Ctx, run func(domain.Command, string) (*domain.Estimate, domain.Result, error)) (*domain.Estimate, domain.Result, error) {
	expected, _ := expectedField(c)
	cmd, err := s.command(c, expected)
	if err != nil {
		return nil, domain.Result{}, err
	}
	return run(cmd, pathParam(c, "id"))
}

// lifecycle runs a lifecycle command with no fields of its own.
func (s *Server) lifecycle(c *fiber.Ctx, notice string, run func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error)) error {
	bc, err := s.builderRequest(c)
	if err != nil {
		return err
	}
	e, r, err := s.estimateCommandRun(c, run)
	if err != nil {
		errs := &formErrors{}
		if bc.problem(errs, err, func(string) string { return "" }) {
			return s.builderFailed(c, bc, errs, nil)
		}
		return err
	}
	return s.builderDone(c, e, r, notice)
}

// postReprice handles POST /estimates/:id/reprice.
func (s *Server) postReprice(c *fiber.Ctx) error {
	return s.lifecycle(c, "estimates.notice.repriced", func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.Reprice(c.UserContext(), cmd, id)
	})
}

// postPresent handles POST /estimates/:id/present: the estimate was shown
// to the client.
func (s *Server) postPresent(c *fiber.Ctx) error {
	return s.lifecycle(c, "estimates.notice.presented", func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.Present(c.UserContext(), cmd, id)
	})
}

// postDecide handles POST /estimates/:id/decide: the decision's number and
// dates (and, for an estimate not presented, why), checked before the
// command.
func (s *Server) postDecide(c *fiber.Ctx) error {
	bc, err := s.builderRequest(c)
	if err != nil {
		return err
	}
	l := bc.l
	in := decideInput{Number: formValue(c, "decision_number"), Date: formValue(c, "decision_date"),
		EffectiveFrom: formValue(c, "effective_from"), Reason: formValue(c, "not_presented_reason")}
	errs := &formErrors{}
	dec := domain.Decision{Number: in.Number}
	if msg := formatCharMessage(l, l.T("estimates.field.decision_number"), in.Number); msg != "" {
		errs.add("decision-number", msg)
	} else if in.Number == "" || len(in.Number) > 64 || domain.CheckText("decision_number", in.Number, 64, true, false) != nil {
		errs.add("decision-number", l.T("estimates.error.decision_number"))
	}
	var msg string
	if dec.Date, msg = readDate(l, in.Date, s.pastDates(), true); msg != "" {
		errs.add("decision-date", msg)
	}
	if dec.EffectiveFrom, msg = readDate(l, in.EffectiveFrom, s.planDates(), true); msg != "" {
		errs.add("effective-from", msg)
	}
	if bc.d.Status != string(domain.EstPresented) {
		switch msg := formatCharMessage(l, l.T("estimates.field.not_presented_reason"), in.Reason); {
		case msg != "":
			errs.add("not-presented-reason", msg)
		case in.Reason == "":
			errs.add("not-presented-reason", l.T("estimates.error.not_presented_reason"))
		case domain.CheckText("not_presented_reason", in.Reason, 500, true, true) != nil:
			errs.add("not-presented-reason", l.T("estimates.error.reason"))
		default:
			dec.Presented, dec.NotPresentedReason = new(false), in.Reason
		}
	}
	failed := func() error {
		return s.builderFailed(c, bc, errs, func(p *estimatePage) {
			if p.Edit {
				p.Decide, p.DecideOpen = decideViewOf(l, in, bc.d.Status, errs), true
			}
		})
	}
	if !errs.ok() {
		return failed()
	}
	e, r, err := s.estimateCommandRun(c, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.Decide(c.UserContext(), cmd, id, dec)
	})
	if err != nil {
		fields := map[string]string{"decision_number": "decision-number", "decision_date": "decision-date",
			"effective_from": "effective-from", "not_presented_reason": "not-presented-reason", "presented": "not-presented-reason"}
		if bc.problem(errs, err, func(f string) string { return fields[f] }) {
			return failed()
		}
		return err
	}
	return s.builderDone(c, e, r, "estimates.notice.decided")
}

// postRevise handles POST /estimates/:id/revise: opens a revision of a
// decided estimate and goes to its builder.
func (s *Server) postRevise(c *fiber.Ctx) error {
	bc, err := s.builderRequest(c)
	if err != nil {
		return err
	}
	l := bc.l
	v := formValue(c, "pricing_date")
	errs := &formErrors{}
	date, msg := readDate(l, v, s.planDates(), false)
	if msg != "" {
		errs.add("revise-pricing-date", msg)
	}
	failed := func() error {
		return s.builderFailed(c, bc, errs, func(p *estimatePage) {
			if p.MayRevise {
				p.Revise = reviseField(l, v, errs)
			}
		})
	}
	if !errs.ok() {
		return failed()
	}
	expected, _ := expectedField(c)
	cmd, err := s.command(c, expected)
	if err != nil {
		return err
	}
	newID := newID("", cmd, "revision/"+bc.d.ID)
	e, r, err := s.commands.Revise(c.UserContext(), cmd, bc.d.ID, newID, date)
	if err != nil {
		if bc.problem(errs, err, func(f string) string {
			if f == "pricing_date" {
				return "revise-pricing-date"
			}
			return ""
		}) {
			return failed()
		}
		return err
	}
	if err := s.settle(c, r); err != nil {
		return err
	}
	return s.redirectWith(c, "/estimates/"+e.ID(), "estimates.notice.revised")
}

// postCancel handles POST /estimates/:id/cancel: the reason is optional;
// the button sits in a section the person opens first.
func (s *Server) postCancel(c *fiber.Ctx) error {
	bc, err := s.builderRequest(c)
	if err != nil {
		return err
	}
	l := bc.l
	reason := formValue(c, "reason")
	errs := &formErrors{}
	if msg := formatCharMessage(l, l.T("estimates.field.cancel_reason"), reason); msg != "" {
		errs.add("cancel-reason", msg)
	} else if domain.CheckText("reason", reason, 500, false, true) != nil {
		errs.add("cancel-reason", l.T("estimates.error.reason"))
	}
	failed := func() error {
		return s.builderFailed(c, bc, errs, func(p *estimatePage) {
			if p.Edit {
				p.Cancel, p.CancelOpen = cancelField(l, reason, errs), true
			}
		})
	}
	if !errs.ok() {
		return failed()
	}
	e, r, err := s.estimateCommandRun(c, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.Cancel(c.UserContext(), cmd, id, reason)
	})
	if err != nil {
		if bc.problem(errs, err, func(f string) string {
			if f == "reason" {
				return "cancel-reason"
			}
			return ""
		}) {
			return failed()
		}
		return err
	}
	return s.builderDone(c, e, r, "estimates.notice.cancelled")
}
