package admin

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// serviceInputFields are a service as its form holds it: its id (a new one
// only), names, category, unit, production modes and eligibility hints.
type serviceInputFields struct {
	ID              string   `json:"id"`
	NameFI          string   `json:"name_fi"`
	NameSV          string   `json:"name_sv"`
	NameEN          string   `json:"name_en"`
	Category        string   `json:"category"`
	Unit            string   `json:"unit"`
	Modes           []string `json:"modes"`
	MinMaple        string   `json:"min_maple"`
	MaxGrossIncome  string   `json:"max_gross_income"`
	EligibilityNote string   `json:"eligibility_note"`
}

// serviceForm is the form of a service: its fields and the definition
// the form was rendered from (a changed one is a conflict; a new
// service's form has none).
type serviceForm struct {
	serviceInputFields
	ExpectedDefinition string `json:"expected_definition"`
}

// retireForm confirms retiring a service.
type retireForm struct {
	ExpectedDefinition string `json:"expected_definition"`
}

// HasMode reports whether the form has mode m ticked.
func (f serviceForm) HasMode(m string) bool { return slices.Contains(f.Modes, m) }

// servicesPage lists the services.
type servicesPage struct {
	consoleBase
	Services []serviceRow
	CanKeep  bool
}

// serviceRow is a service as the list shows it.
type serviceRow struct {
	ID, Name, Category, Unit string
	Modes                    []string
	// Hints are the eligibility hints in words.
	Hints   []string
	Retired bool
}

// serviceFormPage is a service: its form for those who keep the
// catalogue, its facts for the others.
type serviceFormPage struct {
	consoleBase
	New, CanKeep, Retired bool
	Action                string
	F                     serviceForm
	E                     *formErrors
	Service               projections.ServiceView
	// Row is the service in words, for those who only read.
	Row               serviceRow
	Categories, Units []option
	Modes, Maples     []option
}

// retirePage confirms retiring a service.
type retirePage struct {
	consoleBase
	Service  projections.ServiceView
	Name     string
	Expected string
	E        *formErrors
}

// pageServices handles GET /services.
func (s *Server) pageServices(c *fiber.Ctx) error {
	svcs, err := s.reads.Services(c.UserContext())
	if err != nil {
		return err
	}
	l := s.pageLang(c)
	p := &servicesPage{consoleBase: catalogueBase("catalogue.services.title", "catalogue.services.intro", "nav.services"), CanKeep: s.mayKeep(c)}
	p.Wide = true
	for _, v := range svcs {
		p.Services = append(p.Services, serviceRowOf(l, v))
	}
	// Services in use first, then by name in the page's language.
	slices.SortStableFunc(p.Services, func(a, b serviceRow) int {
		if a.Retired != b.Retired {
			if a.Retired {
				return 1
			}
			return -1
		}
		return compareText(a.Name, b.Name)
	})
	return s.render(c, fiber.StatusOK, "services_list", p)
}

// serviceRowOf writes a service in words.
func serviceRowOf(l *Lang, v projections.ServiceView) serviceRow {
	r := serviceRow{ID: v.ID, Name: serviceName(l, v.Names), Category: l.T("catalogue.category." + string(v.Category)),
		Unit: l.T("catalogue.unit." + string(v.Unit)), Hints: hintWords(l, v.Eligibility), Retired: v.Retired}
	for _, m := range v.Modes {
		r.Modes = append(r.Modes, l.T("catalogue.mode."+string(m)))
	}
	return r
}

// hintWords writes a service's eligibility hints in words.
func hintWords(l *Lang, e domain.Eligibility) []string {
	var out []string
	if e.MinMaple > 0 {
		out = append(out, l.T("catalogue.service.hint_maple", "n", e.MinMaple))
	}
	if e.MaxGrossIncome != nil {
		out = append(out, l.T("catalogue.service.hint_income", "amount", l.Money(*e.MaxGrossIncome)))
	}
	if e.Note != "" {
		out = append(out, e.Note)
	}
	return out
}

// newServicePage returns the form page of a service (nil: a new one).
func (s *Server) newServicePage(c *fiber.Ctx, v *projections.ServiceView) *serviceFormPage {
	l := s.pageLang(c)
	p := &serviceFormPage{consoleBase: catalogueBase("catalogue.service.new_title", "catalogue.service.new_intro", "nav.services"),
		New: v == nil, CanKeep: s.mayKeep(c), Action: "/services", E: newErrors()}
	if v != nil {
		p.Service, p.Row = *v, serviceRowOf(l, *v)
		p.Title, p.Intro = serviceName(l, v.Names), "catalogue.service.intro"
		p.Retired, p.Action = v.Retired, "/services/"+v.ID
		p.F = serviceFormOf(l, *v)
	} else {
		p.F.Modes = []string{string(domain.ModeOwn)}
	}
	for _, cat := range domain.Categories {
		p.Categories = append(p.Categories, option{Value: string(cat), Label: l.T("catalogue.category." + string(cat))})
	}
	for _, u := range domain.Units {
		p.Units = append(p.Units, option{Value: string(u), Label: l.T("catalogue.unit." + string(u))})
	}
	p.Modes = modeOptions(l)
	p.Maples = []option{{Value: "", Label: l.T("catalogue.service.maple_none")}}
	for i := 1; i <= 5; i++ {
		p.Maples = append(p.Maples, option{strconv.Itoa(i), strconv.Itoa(i)})
	}
	return p
}

// serviceFormOf fills the form from a service.
func serviceFormOf(l *Lang, v projections.ServiceView) serviceForm {
	f := serviceForm{serviceInputFields: serviceInputFields{ID: v.ID, NameFI: v.Names.FI, NameSV: v.Names.SV, NameEN: v.Names.EN, Category: string(v.Category),
		Unit: string(v.Unit), MaxGrossIncome: moneyPtrText(l, v.Eligibility.MaxGrossIncome), EligibilityNote: v.Eligibility.Note},
		ExpectedDefinition: definitionOf(v)}
	for _, m := range v.Modes {
		f.Modes = append(f.Modes, string(m))
	}
	if v.Eligibility.MinMaple > 0 {
		f.MinMaple = strconv.Itoa(v.Eligibility.MinMaple)
	}
	return f
}

// definitionOf fingerprints a service's definition as read: a form
// rendered from another one is stale.
func definitionOf(v projections.ServiceView) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:8])
}

// pageServiceNew handles GET /services/new.
func (s *Server) pageServiceNew(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "services_form", s.newServicePage(c, nil))
}

// pageService handles GET /services/:id.
func (s *Server) pageService(c *fiber.Ctx) error {
	v, err := s.reads.Service(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "services_form", s.newServicePage(c, &v))
}

// readServiceForm reads and checks the service form; id is the service's
// (a new one's from the form).
func readServiceForm(c *fiber.Ctx, l *Lang, f *formErrors, id string) (serviceForm, domain.Service) {
	in := serviceForm{serviceInputFields: serviceInputFields{ID: id, NameFI: formValue(c, "name_fi"), NameSV: formValue(c, "name_sv"), NameEN: formValue(c, "name_en"),
		Category: formValue(c, "category"), Unit: formValue(c, "unit"), Modes: formValues(c, "modes"), MinMaple: formValue(c, "min_maple"),
		MaxGrossIncome: formValue(c, "max_gross_income"), EligibilityNote: formValue(c, "eligibility_note")},
		ExpectedDefinition: formValue(c, "expected_definition")}
	svc := domain.Service{ID: id, Names: domain.Names{
		FI: textInput(l, f, "name_fi", in.NameFI, maxNameInput, true, false),
		SV: textInput(l, f, "name_sv", in.NameSV, maxNameInput, false, false),
		EN: textInput(l, f, "name_en", in.NameEN, maxNameInput, false, false)},
		Category: domain.Category(in.Category), Unit: domain.Unit(in.Unit)}
	if !slices.Contains(domain.Categories, svc.Category) {
		f.add("category", l.T("error.choice"))
	}
	if !slices.Contains(domain.Units, svc.Unit) {
		f.add("unit", l.T("error.choice"))
	}
	for _, m := range domain.Modes { // in display order, each once
		if slices.Contains(in.Modes, string(m)) {
			svc.Modes = append(svc.Modes, m)
		}
	}
	if len(svc.Modes) == 0 || len(svc.Modes) != len(slices.Compact(slices.Sorted(slices.Values(in.Modes)))) {
		f.add("mode-"+string(domain.ModeOwn), l.T("catalogue.service.error.modes"))
	}
	svc.Eligibility.MinMaple, _ = intInput(l, f, "min_maple", in.MinMaple, false, 1, 5)
	if m, ok := moneyInput(l, f, "max_gross_income", in.MaxGrossIncome, false, domain.MaxIncome); ok {
		svc.Eligibility.MaxGrossIncome = &m
	}
	svc.Eligibility.Note = textInput(l, f, "eligibility_note", in.EligibilityNote, maxNoteInput, false, true)
	return in, svc
}

// serviceFields maps the domain's fields of a service to the form's.
var serviceFields = map[string]string{"id": "id", "fi": "name_fi", "sv": "name_sv", "en": "name_en", "category": "category",
	"unit": "unit", "modes": "mode-own", "min_maple": "min_maple", "max_gross_income": "max_gross_income", "note": "eligibility_note"}

// postServiceCreate handles POST /services: a new service.
func (s *Server) postServiceCreate(c *fiber.Ctx) error {
	l, f := s.pageLang(c), newErrors()
	id := slugInput(l, f, "id", formValue(c, "id"))
	if f.Of("id") == "" {
		if id == "new" {
			f.add("id", l.T("catalogue.service.error.id_taken"))
		} else if _, err := s.reads.Service(c.UserContext(), id); err == nil {
			f.add("id", l.T("catalogue.service.error.id_taken"))
		} else if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
	}
	in, svc := readServiceForm(c, l, f, id)
	if f.ok() {
		failed, err := s.defineService(c, l, svc)
		if err != nil {
			return err
		}
		if failed == nil {
			return s.redirectWith(c, "/services/"+id, "catalogue.notice.service_created")
		}
		f = failed
	}
	p := s.newServicePage(c, nil)
	p.F, p.E, p.Problems = in, f, problems(l, f, nil)
	return s.render(c, fiber.StatusUnprocessableEntity, "services_form", p)
}

// defineService runs the command: the form's messages when the domain
// refuses the service (nil when it was defined), or an error no form can
// show.
func (s *Server) defineService(c *fiber.Ctx, l *Lang, svc domain.Service) (*formErrors, error) {
	f := newErrors()
	err := svc.Validate()
	if err == nil {
		var cmd domain.Command
		if cmd, err = s.command(c, nil); err == nil {
			var r domain.Result
			if r, err = s.commands.DefineService(c.UserContext(), cmd, svc); err == nil {
				return nil, s.settle(c, r)
			}
		}
	}
	if commandFailed(l, f, err, serviceFields) {
		return f, nil
	}
	return nil, err
}

// postServiceSave handles POST /services/:id: a changed definition.
func (s *Server) postServiceSave(c *fiber.Ctx) error {
	l, f := s.pageLang(c), newErrors()
	cur, err := s.reads.Service(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	in, svc := readServiceForm(c, l, f, cur.ID)
	if in.ExpectedDefinition != definitionOf(cur) {
		f.stale(l.T("catalogue.error.conflict"))
	}
	if f.ok() {
		failed, err := s.defineService(c, l, svc)
		if err != nil {
			return err
		}
		if failed == nil {
			return s.redirectWith(c, "/services/"+cur.ID, "catalogue.notice.service_saved")
		}
		f = failed
	}
	p := s.newServicePage(c, &cur)
	in.ExpectedDefinition = definitionOf(cur)
	p.F, p.E, p.Problems = in, f, problems(l, f, nil)
	return s.render(c, fiber.StatusUnprocessableEntity, "services_form", p)
}

// pageServiceRetire handles GET /services/:id/retire: what retiring means,
// and the button.
func (s *Server) pageServiceRetire(c *fiber.Ctx) error {
	v, err := s.reads.Service(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "services_retire", s.newRetirePage(c, v))
}

func (s *Server) newRetirePage(c *fiber.Ctx, v projections.ServiceView) *retirePage {
	l := s.pageLang(c)
	name := serviceName(l, v.Names)
	return &retirePage{consoleBase: catalogueBase(l.T("catalogue.retire.title", "name", name), "catalogue.retire.intro", "nav.services"),
		Service: v, Name: name, Expected: definitionOf(v), E: newErrors()}
}

// postServiceRetire handles POST /services/:id/retire.
func (s *Server) postServiceRetire(c *fiber.Ctx) error {
	l, f := s.pageLang(c), newErrors()
	v, err := s.reads.Service(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	switch {
	case formValue(c, "expected_definition") != definitionOf(v):
		f.stale(l.T("catalogue.error.conflict"))
	case v.Retired:
		f.add("", l.T("catalogue.retire.error.already"))
	}
	if f.ok() {
		cmd, err := s.command(c, nil)
		if err == nil {
			var r domain.Result
			if r, err = s.commands.RetireService(c.UserContext(), cmd, v.ID); err == nil {
				if err = s.settle(c, r); err != nil {
					return err
				}
				return s.redirectWith(c, "/services", "catalogue.notice.service_retired")
			}
		}
		if !commandFailed(l, f, err, nil) {
			return err
		}
	}
	p := s.newRetirePage(c, v)
	p.E, p.Problems = f, problems(l, f, nil)
	return s.render(c, fiber.StatusUnprocessableEntity, "services_retire", p)
}

// NameFields are the form's names in Finnish, Swedish and English.
func (p *serviceFormPage) NameFields() []formField {
	l := p.L
	return []formField{
		fieldOf(l, p.E, "text", "name_fi", "name_fi", "catalogue.service.name_fi", p.F.NameFI),
		fieldOf(l, p.E, "text", "name_sv", "name_sv", "catalogue.service.name_sv", p.F.NameSV),
		fieldOf(l, p.E, "text", "name_en", "name_en", "catalogue.service.name_en", p.F.NameEN),
	}
}

// KindFields are the form's category and unit.
func (p *serviceFormPage) KindFields() []formField {
	l := p.L
	return []formField{
		fieldOf(l, p.E, "select", "category", "category", "catalogue.service.category", p.F.Category).with(p.Categories),
		fieldOf(l, p.E, "select", "unit", "unit", "catalogue.service.unit", p.F.Unit).with(p.Units),
	}
}

// HintFields are the form's eligibility hints.
func (p *serviceFormPage) HintFields() []formField {
	l := p.L
	return []formField{
		fieldOf(l, p.E, "select", "min_maple", "min_maple", "catalogue.service.min_maple", p.F.MinMaple).with(p.Maples).short(),
		fieldOf(l, p.E, "text", "max_gross_income", "max_gross_income", "catalogue.service.max_gross_income", p.F.MaxGrossIncome).short(),
		fieldOf(l, p.E, "textarea", "eligibility_note", "eligibility_note", "catalogue.service.eligibility_note", p.F.EligibilityNote),
	}
}
