package admin

import (
	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// householdBody is the body of PUT /api/v1/estimates/:id/household: the
// client reference and the household's figures (personal data).
type householdBody struct {
	domain.Personal
	ExpectedVersion *int64 `json:"expected_version,omitempty"`
}

// assessmentBody is the body of PUT /api/v1/estimates/:id/assessment.
type assessmentBody struct {
	Maple           int            `json:"maple" carecost:"required"`
	Segment         domain.Segment `json:"segment" carecost:"required"`
	ExpectedVersion *int64         `json:"expected_version,omitempty"`
}

// basisBody is the body of PUT /api/v1/estimates/:id/basis: the tariff, the
// income-limit catalogue and the pricing date.
type basisBody struct {
	domain.Basis    `carecost:"required=tariff,pricing_date"`
	ExpectedVersion *int64 `json:"expected_version,omitempty"`
}

// handleHouseholdPut handles PUT /api/v1/estimates/:id/household.
func (s *Server) handleHouseholdPut(c *fiber.Ctx) error {
	var b householdBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	return s.changeEstimate(c, b.ExpectedVersion, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.ChangeHousehold(c.UserContext(), cmd, id, b.Personal)
	})
}

// handleAssessmentPut handles PUT /api/v1/estimates/:id/assessment: the
// MAPLe level and service-need segment.
func (s *Server) handleAssessmentPut(c *fiber.Ctx) error {
	var b assessmentBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	return s.changeEstimate(c, b.ExpectedVersion, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.ChangeAssessment(c.UserContext(), cmd, id, b.Maple, b.Segment)
	})
}

// handleBasisPut handles PUT /api/v1/estimates/:id/basis.
func (s *Server) handleBasisPut(c *fiber.Ctx) error {
	var b basisBody
	if err := decodeBody(c, &b, false); err != nil {
		return err
	}
	if b.TariffID == "" {
		return domain.Invalidf("tariff", "tariff is required: the basis is replaced whole")
	}
	return s.changeEstimate(c, b.ExpectedVersion, func(cmd domain.Command, id string) (*domain.Estimate, domain.Result, error) {
		return s.commands.ChangeBasis(c.UserContext(), cmd, id, b.Basis)
	})
}

// changeEstimate runs one command on the estimate named by the path and
// answers with the estimate.
func (s *Server) changeEstimate(c *fiber.Ctx, expected *int64, run func(domain.Command, string) (*domain.Estimate, domain.Result, error)) error {
	id, cmd, err := s.estimateCommand(c, expected)
	if err != nil {
		return err
	}
	e, r, err := run(cmd, id)
	if err != nil {
		return err
	}
	return s.respondEstimate(c, fiber.StatusOK, r, e)
}
