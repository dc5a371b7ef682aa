package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// estimateNewPage is the form that opens an estimate.
type estimateNewPage struct {
	consoleBase
	Client clientView
}

// newEstimateBase is the base of the new estimate's page.
func newEstimateBase() consoleBase {
	return consoleBase{Title: "estimates.new.title", Intro: "estimates.new.intro", Section: "nav.estimates", Styles: []string{"estimates"}}
}

// pageEstimateNew handles GET /estimates/new: the client's details, with
// one person in the household, the most recent tariff and income-limit
// catalogue and today's date filled in.
func (s *Server) pageEstimateNew(c *fiber.Ctx) error {
	cat, err := s.readCatalogueNow(c.UserContext())
	if err != nil {
		return err
	}
	p := &estimateNewPage{consoleBase: newEstimateBase()}
	p.Client = s.clientDefaults(cat).view(s.pageLang(c), &formErrors{}, cat)
	p.Client.ClientRef.Autofocus = true
	return s.render(c, fiber.StatusOK, "estimates_new", p)
}

// postEstimateOpen handles POST /estimates: checks every field, opens and
// prices the estimate (the API's command) and goes to its builder.
func (s *Server) postEstimateOpen(c *fiber.Ctx) error {
	ctx := c.UserContext()
	cat, err := s.readCatalogueNow(ctx)
	if err != nil {
		return err
	}
	l := s.pageLang(c)
	f := readClientForm(c)
	errs := &formErrors{}
	// The form's key names the opening: sent twice (a double click, the
	// browser's back and send again), it opens one estimate. The console's
	// form always has one; a form without it could open the same estimate
	// twice, so it opens none.
	if domain.ValidUUID("form_key", f.FormKey) != nil {
		errs.add("", l.T("estimates.error.form_key"))
		f.FormKey = domain.NewID()
	}
	personal := f.personal(l, errs)
	maple, seg := f.assessment(l, errs)
	basis := f.basis(l, errs, cat, s.planDates())
	failed := func() error {
		p := &estimateNewPage{consoleBase: newEstimateBase()}
		p.Problems = errs.summary()
		p.Client = f.view(l, errs, cat)
		return s.render(c, fiber.StatusUnprocessableEntity, "estimates_new", p)
	}
	if !errs.ok() {
		return failed()
	}
	cmd, err := s.command(c, nil)
	if err != nil {
		return err
	}
	if cmd.ID == "" {
		// Sent twice, the second answer is the first's.
		cmd.ID, cmd.Fingerprint = cmd.Actor.ID+"/"+f.FormKey, fingerprint(c)
	}
	id := newID("", cmd, "estimate")
	in := domain.CaseInput{ClientRef: personal.ClientRef, Maple: maple, Segment: seg, Household: personal.Household, Basis: basis}
	_, r, err := s.commands.OpenEstimate(ctx, cmd, id, in)
	if err != nil {
		if estimateProblem(l, errs, err, clientFieldOf) {
			if domain.ErrorField(err) == "Idempotency-Key" {
				f.FormKey = domain.NewID() // a new form: a new opening
			}
			return failed()
		}
		return err
	}
	if r.Replayed {
		s.metrics.repeated.Inc()
	}
	if err := s.settle(c, r); err != nil {
		return err
	}
	return s.redirectWith(c, "/estimates/"+id, "estimates.notice.opened")
}
