package admin

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// Publishing a draft: the valid-from and the reason (the version's note),
// checked before anything is written. When the valid-from has begun (a
// retroactive change, such as a correction) or decided estimates in force
// would be priced differently, a confirmation step lists those decisions
// first; only the confirmed form publishes.

// confirmPage asks to confirm a publication that reaches decided
// estimates or begins in the past.
type confirmPage struct {
	consoleBase
	// Action is the publish form's path, Back the draft's page.
	Action, Back string
	Name         string
	Number       int
	ValidFrom    domain.Date
	// Until is the last day the version will hold (zero: open-ended).
	Until                   domain.Date
	ValidFromInput, Reason  string
	Expected                int64
	Retroactive, Correction bool
	Corrects                int
	Touched                 []touchedRow
	// More: the list stops at its limit; there are more.
	More bool
}

// touchedRow is a decided estimate a publication would touch.
type touchedRow struct {
	EstimateID, Number                       string
	DecisionDate, PricingDate, EffectiveFrom domain.Date
	Version                                  int
	ClientFee                                domain.Money
}

// touchedDecisions returns the decisions in force that flt selects whose
// pricing date falls from from to until (zero: open-ended): those a
// version valid then would price differently.
func (s *Server) touchedDecisions(ctx context.Context, flt projections.DecisionFilter, from, until domain.Date) ([]touchedRow, bool, error) {
	flt.PricedFrom, flt.PricedTo, flt.InForce, flt.Limit = from, until, new(true), projections.MaxLimit
	recs, err := s.reads.Decisions(ctx, flt)
	if err != nil {
		return nil, false, err
	}
	var out []touchedRow
	for _, r := range recs {
		if (flt.TariffID != "" && r.TariffID != flt.TariffID) || (flt.IncomeCatalogueID != "" && r.IncomeCatalogueID != flt.IncomeCatalogueID) ||
			r.PricingDate.Before(from) || (!until.IsZero() && r.PricingDate.After(until)) || r.SupersededBy != "" {
			continue
		}
		v := r.TariffVersion
		if flt.IncomeCatalogueID != "" {
			v = r.IncomeVersion
		}
		out = append(out, touchedRow{EstimateID: r.EstimateID, Number: r.DecisionNumber, DecisionDate: r.DecisionDate,
			PricingDate: r.PricingDate, EffectiveFrom: r.EffectiveFrom, Version: v})
	}
	return out, len(recs) >= projections.MaxLimit, nil
}

// publishCheck is what a publish form asks, read and checked.
type publishCheck struct {
	in          publishForm
	validFrom   domain.Date
	until       domain.Date
	expected    *int64
	retroactive bool
}

// readPublish reads the publish form of draft v among vs (the versions
// of its tariff or catalogue, whose stream is at version current) and
// checks what the domain would refuse.
func (s *Server) readPublish(c *fiber.Ctx, l *Lang, f *formErrors, vs []domain.VersionInfo, v domain.VersionInfo, current int64, words versionWords) publishCheck {
	p := publishCheck{in: publishForm{ValidFrom: formValue(c, "valid_from"), Reason: formValue(c, "reason"),
		Confirm: formValue(c, "confirm"), ExpectedVersion: formValue(c, "expected_version")}}
	p.expected = formVersion(c, l, f, current)
	if v.Status != domain.StatusDraft {
		f.add("", l.T(words.notDraft))
		return p
	}
	p.validFrom = dateInput(l, f, "publish-valid_from", p.in.ValidFrom, v.Corrects == 0, s.planDates())
	textInput(l, f, "publish-reason", p.in.Reason, maxNoteInput, true, true)
	if v.Corrects != 0 {
		cv, _ := versionOf(vs, v.Corrects)
		switch {
		case p.validFrom.IsZero() && f.Of("publish-valid_from") == "":
			p.validFrom = cv.ValidFrom
		case p.validFrom != cv.ValidFrom && f.Of("publish-valid_from") == "":
			f.add("publish-valid_from", l.T("catalogue.publish.error.correction_date", "n", cv.Number, "date", l.Date(cv.ValidFrom)))
		}
		if !currentFor(vs, cv) {
			f.add("", l.T("catalogue.publish.error.corrected", "n", cv.Number))
		}
	} else if !p.validFrom.IsZero() {
		for _, o := range vs {
			if o.Status == domain.StatusPublished && o.ValidFrom == p.validFrom {
				f.add("publish-valid_from", l.T("catalogue.publish.error.same_date", "n", o.Number))
				break
			}
		}
	}
	if !p.validFrom.IsZero() {
		if next := nextValidFrom(vs, p.validFrom); !next.IsZero() {
			p.until = next.AddDays(-1)
		}
		p.retroactive = p.validFrom.Before(s.today())
	}
	return p
}

// postTariffPublish handles POST /tariffs/:id/versions/:version/publish.
func (s *Server) postTariffPublish(c *fiber.Ctx) error {
	l, f := s.pageLang(c), newErrors()
	t, v, err := s.loadTariffVersion(c)
	if err != nil {
		return err
	}
	vs := versionInfos(t)
	p := s.readPublish(c, l, f, vs, v.VersionInfo, t.Version, tariffWords)
	if f.ok() {
		if err := s.checkEntries(c, l, f, v); err != nil {
			return err
		}
	}
	keep := func(pg *tariffVersionPage) {
		pg.Publish.ValidFrom, pg.Publish.Reason = p.in.ValidFrom, p.in.Reason
	}
	if !f.ok() {
		return s.versionFailed(c, t, v, f, keep)
	}
	touched, more, err := s.touchedDecisions(c.UserContext(), projections.DecisionFilter{TariffID: t.ID}, p.validFrom, p.until)
	if err != nil {
		return err
	}
	if (p.retroactive || len(touched) > 0) && p.in.Confirm != "yes" {
		cp := &confirmPage{consoleBase: catalogueBase(l.T("catalogue.confirm.title", "name", t.Name, "n", v.Number), tariffWords.confirmIntro, "nav.tariffs"),
			Action: versionPath(t, v) + "/publish", Back: versionPath(t, v), Name: t.Name, Number: v.Number, ValidFrom: p.validFrom,
			Until: p.until, ValidFromInput: p.validFrom.String(), Reason: p.in.Reason, Expected: t.Version, Retroactive: p.retroactive,
			Correction: v.Corrects != 0, Corrects: v.Corrects, Touched: touched, More: more}
		cp.Wide = true
		return s.render(c, fiber.StatusOK, "tariffs_confirm", cp)
	}
	expected := p.expected
	if p.in.Reason != v.Note {
		cmd, err := s.command(c, expected)
		if err != nil {
			return err
		}
		r, err := s.commands.SetTariffSettings(c.UserContext(), cmd, t.ID, v.Number, domain.Ratio{}, domain.Ratio{}, &p.in.Reason)
		if err != nil {
			if commandFailed(l, f, err, map[string]string{"note": "publish-reason"}) {
				return s.versionFailed(c, t, v, f, keep)
			}
			return err
		}
		expected = &r.Version
	}
	cmd, err := s.command(c, expected)
	if err != nil {
		return err
	}
	r, err := s.commands.PublishTariff(c.UserContext(), cmd, t.ID, v.Number, p.validFrom)
	if err != nil {
		if commandFailed(l, f, err, map[string]string{"valid_from": "publish-valid_from"}) {
			return s.versionFailed(c, t, v, f, keep)
		}
		return err
	}
	s.metrics.published.Inc()
	if err := s.settle(c, r); err != nil {
		return err
	}
	return s.redirectWith(c, "/tariffs/"+t.ID, "catalogue.notice.published")
}

// checkEntries checks a draft can be published: it has entries, each
// valid against the catalogue as it is now.
func (s *Server) checkEntries(c *fiber.Ctx, l *Lang, f *formErrors, v domain.TariffVersion) error {
	if len(v.Entries) == 0 {
		f.add("", l.T("catalogue.publish.error.empty"))
		return nil
	}
	svcs, err := s.reads.Services(c.UserContext())
	if err != nil {
		return err
	}
	byID := map[string]projections.ServiceView{}
	for _, sv := range svcs {
		byID[sv.ID] = sv
	}
	for _, e := range v.Entries {
		var svc *domain.Service
		if sv, ok := byID[e.Service]; ok {
			svc = &sv.Service
		}
		if e.Validate(svc) != nil {
			name := e.Service
			if svc != nil {
				name = serviceName(l, svc.Names)
			}
			f.add(entryKey(e.Service, e.Mode)+"-unit_cost", l.T("catalogue.publish.error.entry", "name", name,
				"mode", l.T("catalogue.mode."+string(e.Mode))))
		}
	}
	return nil
}
