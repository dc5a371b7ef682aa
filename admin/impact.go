package admin

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// handleWhatIf handles GET /api/v1/estimates/:id/whatif: the estimate
// re-priced under a chosen tariff version, income-limit catalogue version
// and pricing date, beside its own (decided) figures; nothing is stored.
func (s *Server) handleWhatIf(c *fiber.Ctx) error {
	q := &query{c: c}
	w := domain.WhatIf{TariffVersion: q.intIn("tariff_version", 0, 1, 1<<30), IncomeVersion: q.intIn("income_version", 0, 1, 1<<30),
		PricingDate: q.date("pricing_date")}
	if q.err != nil {
		return q.err
	}
	r, err := s.commands.WhatIf(c.UserContext(), actorOf(c), pathParam(c, "id"), w)
	if err != nil {
		return err
	}
	s.usage.WhatIf()
	return c.JSON(r)
}

// handleTariffImpact handles GET /api/v1/tariffs/:id/versions/:version/impact.
func (s *Server) handleTariffImpact(c *fiber.Ctx) error {
	return s.impactOf(c, domain.KindTariff)
}

// handleIncomeImpact handles GET /api/v1/income-catalogues/:id/versions/:version/impact.
func (s *Server) handleIncomeImpact(c *fiber.Ctx) error {
	return s.impactOf(c, domain.KindIncome)
}

// impactOf answers what a version changes in the decisions in force:
// a published version as published, a draft as if published now (the
// preview, with valid_from for a draft that is not a correction), as known
// now or at a position or time.
func (s *Server) impactOf(c *fiber.Ctx, kind domain.VersionKind) error {
	n, err := versionParam(c)
	if err != nil {
		return err
	}
	iq, err := s.impactQuery(c, kind, pathParam(c, "id"), n)
	if err != nil {
		return err
	}
	r, err := s.versionImpact(c, iq)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

// versionImpact answers an impact question for the request's user. One who
// may not read decisions (an admin, who keeps the catalogue) gets the
// decisions unnamed: no estimate, decision number or dates but the pricing
// date, so the figures tell what the version does without telling whose.
func (s *Server) versionImpact(c *fiber.Ctx, q domain.ImpactQuery) (domain.Impact, error) {
	r, err := s.commands.VersionImpact(c.UserContext(), q, s.reads.InForce)
	if err != nil {
		return r, err
	}
	if id, _ := identityOf(c); !s.may(id, fiber.MethodGet, "/api/v1/decisions/:estimate_id") {
		r.Anonymise()
	}
	return r, nil
}

// impactQuery reads the query parameters of an impact question.
func (s *Server) impactQuery(c *fiber.Ctx, kind domain.VersionKind, id string, n int) (domain.ImpactQuery, error) {
	q := &query{c: c}
	iq := domain.ImpactQuery{Kind: kind, ID: id, Version: n, ValidFrom: q.date("valid_from")}
	iq.KnownAt.Position, iq.KnownAt.Time = q.knownAt("known_at")
	if q.err != nil {
		return iq, q.err
	}
	return iq, s.checkKnownAt(c, iq.KnownAt)
}

// checkKnownAt refuses a moment not come yet: an answer "as known at" it
// would change later.
func (s *Server) checkKnownAt(c *fiber.Ctx, k domain.KnownAt) error {
	if k.Time.After(s.now()) {
		return domain.Invalidf("known_at", "%s is in the future; what will be known then is not known yet", k.Time.Format(time.RFC3339))
	}
	if k.Position.IsZero() {
		return nil
	}
	st, err := s.health.Status(c.UserContext())
	if err != nil {
		return err
	}
	if len(st) > 0 && st[0].Head.Less(k.Position) {
		return domain.Invalidf("known_at", "the log ends at position %s; %s is not written yet", st[0].Head, k.Position)
	}
	return nil
}

// sampleBody is a sample case: its name and the case (docs/case-format.md
// without the client, the segment and the basis, but for the income-limit
// catalogue).
type sampleBody struct {
	Name            string            `json:"name" carecost:"required"`
	Case            domain.SampleCase `json:"case" carecost:"required"`
	ExpectedVersion *int64            `json:"expected_version,omitempty"`
}

// samplesView is a tariff's sample cases.
type samplesView struct {
	TariffID      string          `json:"tariff_id"`
	StreamVersion int64           `json:"stream_version"`
	Samples       []domain.Sample `json:"samples"`
}

// handleSampleIndex handles GET /api/v1/tariffs/:id/samples.
func (s *Server) handleSampleIndex(c *fiber.Ctx) error {
	return s.showSamples(c, pathParam(c, "id"))
}

func (s *Server) showSamples(c *fiber.Ctx, id string) error {
	if _, err := s.commands.Tariff(c.UserContext(), id, domain.Position{}); err != nil {
		return err
	}
	set, err := s.commands.Samples(c.UserContext(), id)
	if err != nil {
		return err
	}
	v := samplesView{TariffID: id, StreamVersion: set.StreamVersion(), Samples: set.Samples()}
	if v.Samples == nil {
		v.Samples = []domain.Sample{}
	}
	return c.JSON(v)
}

// handleSamplePut handles PUT /api/v1/tariffs/:id/samples/:sample: keeps a
// case as a sample of the tariff (or replaces the one of that id).
func (s *Server) handleSamplePut(c *fiber.Ctx) error {
	var b sampleBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	cmd, err := s.command(c, b.ExpectedVersion)
	if err != nil {
		return err
	}
	id := pathParam(c, "id")
	sm := domain.Sample{ID: pathParam(c, "sample"), Name: b.Name, Case: b.Case}
	if _, err := s.commands.SaveSample(c.UserContext(), cmd, id, sm, domain.DateOf(s.now())); err != nil {
		return err
	}
	return s.showSamples(c, id)
}

// handleSampleDelete handles DELETE /api/v1/tariffs/:id/samples/:sample.
func (s *Server) handleSampleDelete(c *fiber.Ctx) error {
	expected, err := bodyExpected(c)
	if err != nil {
		return err
	}
	cmd, err := s.command(c, expected)
	if err != nil {
		return err
	}
	id := pathParam(c, "id")
	if _, err := s.commands.RemoveSample(c.UserContext(), cmd, id, pathParam(c, "sample")); err != nil {
		return err
	}
	return s.showSamples(c, id)
}

// impactParams are the query parameters of an impact question.
var impactParams = []param{
	dateParam("valid_from", "for a draft that is not a correction: the valid-from it would be published with"),
	{name: "known_at", typ: "string", desc: "as known at a log position (42; positions count from 1) or a time (RFC 3339); default now"},
}
