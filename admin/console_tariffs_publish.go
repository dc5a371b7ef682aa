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
	// Impact is what the version would change in the decisions in force,
	// in euros (nil: it could not be asked); ImpactPath the full preview.
	Impact     *confirmImpactView
	ImpactPath string
}

// confirmImpactView is the money of a publication: how many decisions in
// force it changes and the change in client fees and county net cost.
type confirmImpactView struct {
	Changed, Clients                             int
	MonthlyFee, MonthlyNet, YearlyFee, YearlyNet string
	// Withheld says each decision's own figures are left out (for who may
	// not read decisions).
	Withheld bool
}

// touchedRow is a decided estimate a publication would touch.
type touchedRow struct {
	EstimateID, Number                       string
	DecisionDate, PricingDate, EffectiveFrom domain.Date
	Version                                  int
	ClientFee                                domain.Money
	// Changes: the version changes a price the decision used; FeeChange
	// and NetChange are the monthly client fee's and county net cost's
	// change, signed.
	Changes              bool
	FeeChange, NetChange string
}

// confirmImpact puts on the confirmation page what the draft would change
// in euros (the preview of its impact, as if published now from
// validFrom): the totals, and the change of each listed decision it
// changes. A draft the preview cannot answer shows no euros, and the
// publication is still checked as before.
func (s *Server) confirmImpact(c *fiber.Ctx, l *Lang, cp *confirmPage, kind domain.VersionKind, k versioned, v domain.VersionInfo, validFrom domain.Date) error {
	q := domain.ImpactQuery{Kind: kind, ID: k.id, Version: v.Number}
	cp.ImpactPath = k.versionPath(v.Number) + "/impact"
	if v.Corrects == 0 {
		q.ValidFrom = validFrom
		cp.ImpactPath += "?valid_from=" + validFrom.String()
	}
	r, err := s.commands.VersionImpact(c.UserContext(), q, s.reads.InForce)
	switch domain.ErrorCode(err) {
	case "":
	case domain.EInvalid, domain.ERefused, domain.EConflict, domain.ENotFound:
		return nil
	default:
		return err
	}
	cp.Impact = &confirmImpactView{Changed: len(r.Decisions), Clients: r.Clients,
		MonthlyFee: signedMoney(l, r.Monthly.ClientFee), MonthlyNet: signedMoney(l, r.Monthly.CountyNet),
		YearlyFee: signedMoney(l, r.Yearly.ClientFee), YearlyNet: signedMoney(l, r.Yearly.CountyNet)}
	byID := make(map[string]domain.DecisionImpact, len(r.Decisions))
	for _, d := range r.Decisions {
		byID[d.EstimateID] = d
	}
	// Each decision's own euros only for who may read decisions: an
	// admin sees which of them change and the totals, and the preview
	// lists their figures unnamed.
	id, _ := identityOf(c)
	figures := s.may(id, fiber.MethodGet, "/api/v1/decisions/:estimate_id")
	cp.Impact.Withheld = !figures
	for i, t := range cp.Touched {
		d, ok := byID[t.EstimateID]
		if !ok {
			continue
		}
		cp.Touched[i].Changes = true
		if figures && d.Compare != nil {
			ch := d.Compare.Monthly.Change
			cp.Touched[i].FeeChange, cp.Touched[i].NetChange = signedMoney(l, ch.ClientFee), signedMoney(l, ch.CountyNet)
		}
	}
	return nil
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
	t, v, err := s.loadTariffVersion(c)
	if err != nil {
		return err
	}
	return s.postPublish(c, tariffKind(t), v.VersionInfo, publishSteps{
		kind:    domain.KindTariff,
		touches: projections.DecisionFilter{TariffID: t.ID},
		check:   func(f *formErrors) error { return s.checkEntries(c, s.pageLang(c), f, v) },
		failed: func(f *formErrors, in publishForm) error {
			return s.versionFailed(c, t, v, f, func(pg *tariffVersionPage) {
				pg.Publish.ValidFrom, pg.Publish.Reason = in.ValidFrom, in.Reason
			})
		},
		setNote: func(ctx context.Context, cmd domain.Command, note string) (domain.Result, error) {
			return s.commands.SetTariffSettings(ctx, cmd, t.ID, v.Number, domain.Ratio{}, domain.Ratio{}, &note)
		},
		publish: func(ctx context.Context, cmd domain.Command, validFrom domain.Date) (domain.Result, error) {
			return s.commands.PublishTariff(ctx, cmd, t.ID, v.Number, validFrom)
		},
	})
}

// checkEntries checks a draft can be published: it has entries, each
// valid against the catalogue as it is now.
func (s *Server) checkEntries(c *fiber.Ctx, l *Lang, f *formErrors, v domain.TariffVersion) error {
	if len(v.Entries) == 0 {
		f.add("", l.T("catalogue.publish.error.empty"))
		return nil
	}
	_, byID, err := s.servicesByID(c.UserContext())
	if err != nil {
		return err
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

// servicesByID reads the services of the catalogue, also by id.
func (s *Server) servicesByID(ctx context.Context) ([]projections.ServiceView, map[string]projections.ServiceView, error) {
	svcs, err := s.reads.Services(ctx)
	if err != nil {
		return nil, nil, err
	}
	byID := make(map[string]projections.ServiceView, len(svcs))
	for _, sv := range svcs {
		byID[sv.ID] = sv
	}
	return svcs, byID, nil
}
