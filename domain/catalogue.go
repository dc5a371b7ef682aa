package domain

import (
	"slices"
	"strings"
)

// CatalogueStream is the stream of service definitions.
const CatalogueStream = "catalogue"

// Event type names of the catalogue stream.
const (
	EvServiceDefined = "carecost.catalogue.service_defined"
	EvServiceRetired = "carecost.catalogue.service_retired"
)

// ServiceDefined: a service added to the catalogue or its definition changed.
type ServiceDefined struct {
	Schema
	Service Service `json:"service"`
}

// ServiceRetired: a service no longer offered; it stays for history.
type ServiceRetired struct {
	Schema
	ServiceID string `json:"service_id"`
}

// EventType implements Payload.
func (*ServiceDefined) EventType() string { return EvServiceDefined }

// EventType implements Payload.
func (*ServiceRetired) EventType() string { return EvServiceRetired }

func init() {
	register(1, func() Payload { return &ServiceDefined{} })
	register(1, func() Payload { return &ServiceRetired{} })
}

// Catalogue is the aggregate of service definitions (stream "catalogue").
type Catalogue struct {
	root
	services map[string]*Service
	retired  map[string]bool
}

// NewCatalogue returns an empty catalogue aggregate.
func NewCatalogue() *Catalogue {
	return &Catalogue{root: newRoot(), services: map[string]*Service{}, retired: map[string]bool{}}
}

// Stream returns CatalogueStream.
func (c *Catalogue) Stream() string { return CatalogueStream }

// Service returns the service with id, or nil.
func (c *Catalogue) Service(id string) *Service { return c.services[id] }

// Retired reports whether service id was retired.
func (c *Catalogue) Retired(id string) bool { return c.retired[id] }

// Services returns every service, retired ones included, sorted by id.
func (c *Catalogue) Services() []Service {
	out := make([]Service, 0, len(c.services))
	for _, s := range c.services {
		out = append(out, *s)
	}
	slices.SortFunc(out, func(a, b Service) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Define adds a service or changes its definition. A definition equal to the
// current one records nothing.
func (c *Catalogue) Define(s Service) error {
	if err := s.Validate(); err != nil {
		return err
	}
	if cur := c.services[s.ID]; cur != nil && sameService(*cur, s) && !c.retired[s.ID] {
		return nil
	}
	record(c, &ServiceDefined{Service: s})
	return nil
}

func sameService(a, b Service) bool {
	return a.Names == b.Names && a.Category == b.Category && a.Unit == b.Unit && slices.Equal(a.Modes, b.Modes) &&
		a.Eligibility.MinMaple == b.Eligibility.MinMaple && a.Eligibility.Note == b.Eligibility.Note &&
		equalMoneyPtr(a.Eligibility.MaxGrossIncome, b.Eligibility.MaxGrossIncome)
}

func equalMoneyPtr(a, b *Money) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// Retire marks service id as no longer offered.
func (c *Catalogue) Retire(id string) error {
	if c.services[id] == nil {
		return &Error{Code: ENotFound, Field: "service", Message: "there is no service " + id}
	}
	if c.retired[id] {
		return nil
	}
	record(c, &ServiceRetired{ServiceID: id})
	return nil
}

func (c *Catalogue) apply(e Event) {
	switch p := e.Payload.(type) {
	case *ServiceDefined:
		s := p.Service
		c.services[s.ID] = &s
		delete(c.retired, s.ID)
	case *ServiceRetired:
		c.retired[p.ServiceID] = true
	}
}
