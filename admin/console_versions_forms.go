package admin

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The forms a tariff and an income-limit catalogue share: a new draft,
// withdrawing a draft and publishing one (with the confirmation of a
// retroactive publication or one that touches decided estimates). Each
// kind gives its commands and the way its version page is shown again.

// postDraft reads the form of a new draft of k and makes it with create;
// a refused form goes back to failed with the input and messages.
func (s *Server) postDraft(c *fiber.Ctx, k versioned,
	create func(ctx context.Context, cmd domain.Command, basedOn, corrects int, note string) (int, domain.Result, error),
	failed func(in draftForm, f *formErrors) error) error {
	l, f := s.pageLang(c), newErrors()
	in := draftForm{Source: formValue(c, "source"), Note: formValue(c, "note")}
	basedOn, corrects := readDraftSource(l, f, k.versions, in.Source)
	textInput(l, f, "draft-note", in.Note, maxNoteInput, false, true)
	expected := formVersion(c, l, f, k.version)
	var n int
	ran, err := s.runForm(c, l, f, expected, map[string]string{"note": "draft-note", "based_on": "draft-source", "corrects": "draft-source"},
		func(ctx context.Context, cmd domain.Command) (r domain.Result, err error) {
			n, r, err = create(ctx, cmd, basedOn, corrects, in.Note)
			return r, err
		})
	if err != nil {
		return err
	}
	if ran {
		return s.redirectWith(c, k.versionPath(n), k.words.draftCreated)
	}
	return failed(in, f)
}

// postWithdraw withdraws draft v of k with withdraw; a refused form goes
// back to failed.
func (s *Server) postWithdraw(c *fiber.Ctx, k versioned, v domain.VersionInfo,
	withdraw func(ctx context.Context, cmd domain.Command) (domain.Result, error), failed func(f *formErrors) error) error {
	l, f := s.pageLang(c), newErrors()
	if v.Status != domain.StatusDraft {
		f.add("", l.T(k.words.notDraft))
	}
	expected := formVersion(c, l, f, k.version)
	ran, err := s.runForm(c, l, f, expected, nil,
		func(ctx context.Context, cmd domain.Command) (domain.Result, error) {
			return withdraw(ctx, cmd)
		})
	if err != nil {
		return err
	}
	if ran {
		return s.redirectWith(c, k.path(), "catalogue.notice.draft_withdrawn")
	}
	return failed(f)
}

// publishSteps are what publishing differs in between the kinds.
type publishSteps struct {
	// kind is the kind of version published (its impact is previewed on
	// the confirmation page).
	kind domain.VersionKind
	// touches selects the decisions a version of the kind prices.
	touches projections.DecisionFilter
	// check adds a message when the draft's content cannot be published.
	check func(f *formErrors) error
	// failed shows the version page again with the messages and the
	// publish form's input.
	failed func(f *formErrors, in publishForm) error
	// setNote saves the reason as the draft's note; publish publishes it.
	setNote func(ctx context.Context, cmd domain.Command, note string) (domain.Result, error)
	publish func(ctx context.Context, cmd domain.Command, validFrom domain.Date) (domain.Result, error)
}

// postPublish publishes draft v of k: the form is checked first; a
// retroactive publication, or one that reaches decided estimates, is
// confirmed on a page listing them before anything is written.
func (s *Server) postPublish(c *fiber.Ctx, k versioned, v domain.VersionInfo, steps publishSteps) error {
	l, f := s.pageLang(c), newErrors()
	p := s.readPublish(c, l, f, k.versions, v, k.version, k.words)
	if f.ok() {
		if err := steps.check(f); err != nil {
			return err
		}
	}
	if !f.ok() {
		return steps.failed(f, p.in)
	}
	touched, more, err := s.touchedDecisions(c.UserContext(), steps.touches, p.validFrom, p.until)
	if err != nil {
		return err
	}
	if (p.retroactive || len(touched) > 0) && p.in.Confirm != "yes" {
		back := k.versionPath(v.Number)
		cp := &confirmPage{consoleBase: catalogueBase(l.T("catalogue.confirm.title", "name", k.name, "n", v.Number), k.words.confirmIntro, k.words.nav),
			Action: back + "/publish", Back: back, Name: k.name, Number: v.Number, ValidFrom: p.validFrom,
			Until: p.until, ValidFromInput: p.validFrom.String(), Reason: p.in.Reason, Expected: k.version, Retroactive: p.retroactive,
			Correction: v.Corrects != 0, Corrects: v.Corrects, Touched: touched, More: more}
		cp.Wide = true
		if err := s.confirmImpact(c, l, cp, steps.kind, k, v, p.validFrom); err != nil {
			return err
		}
		return s.render(c, fiber.StatusOK, "tariffs_confirm", cp)
	}
	expected := p.expected
	if p.in.Reason != v.Note {
		cmd, err := s.command(c, expected)
		if err != nil {
			return err
		}
		r, err := steps.setNote(c.UserContext(), cmd, p.in.Reason)
		if err != nil {
			if commandFailed(l, f, err, map[string]string{"note": "publish-reason"}) {
				return steps.failed(f, p.in)
			}
			return err
		}
		expected = &r.Version
	}
	cmd, err := s.command(c, expected)
	if err != nil {
		return err
	}
	r, err := steps.publish(c.UserContext(), cmd, p.validFrom)
	if err != nil {
		if commandFailed(l, f, err, map[string]string{"valid_from": "publish-valid_from"}) {
			return steps.failed(f, p.in)
		}
		return err
	}
	if err := s.settle(c, r); err != nil {
		return err
	}
	return s.redirectWith(c, k.path(), "catalogue.notice.published")
}
