package admin

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// tariffCreateForm is the form of a new tariff.
type tariffCreateForm struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	WeeksPerMonth string `json:"weeks_per_month"`
	DaysPerMonth  string `json:"days_per_month"`
}

// tariffsPage lists the tariffs, with the form of a new one.
type tariffsPage struct {
	catalogueList
	F tariffCreateForm
}

// versionInfos returns the version infos of a tariff.
func versionInfos(t projections.TariffView) []domain.VersionInfo {
	return infosOf(t.Versions, func(v domain.TariffVersion) domain.VersionInfo { return v.VersionInfo })
}

// tariffVersion returns version n of t.
func tariffVersion(t projections.TariffView, n int) (domain.TariffVersion, bool) {
	for _, v := range t.Versions {
		if v.Number == n {
			return v, true
		}
	}
	return domain.TariffVersion{}, false
}

// pageTariffs handles GET /tariffs.
func (s *Server) pageTariffs(c *fiber.Ctx) error {
	return s.renderTariffs(c, fiber.StatusOK, tariffCreateForm{}, newErrors())
}

func (s *Server) renderTariffs(c *fiber.Ctx, status int, in tariffCreateForm, f *formErrors) error {
	ts, err := s.reads.Tariffs(c.UserContext())
	if err != nil {
		return err
	}
	var rows []catalogueRow
	today := s.today()
	for _, t := range ts {
		rows = append(rows, catalogueRowOf(t.ID, t.Name, versionInfos(t), today))
	}
	p := &tariffsPage{catalogueList: s.newCatalogueList(c, tariffWords, "catalogue.tariffs.title", "catalogue.tariffs.intro", rows, f), F: in}
	return s.render(c, status, "tariffs_list", p)
}

// postTariffCreate handles POST /tariffs: a new tariff without versions.
func (s *Server) postTariffCreate(c *fiber.Ctx) error {
	l, f := s.pageLang(c), newErrors()
	in := tariffCreateForm{ID: formValue(c, "id"), Name: formValue(c, "name"), WeeksPerMonth: formValue(c, "weeks_per_month"),
		DaysPerMonth: formValue(c, "days_per_month")}
	slugInput(l, f, "id", in.ID)
	textInput(l, f, "name", in.Name, maxNameInput, true, false)
	weeks := ratioInput(l, f, "weeks_per_month", in.WeeksPerMonth, 4, 5)
	days := ratioInput(l, f, "days_per_month", in.DaysPerMonth, 28, 31)
	if f.Of("id") == "" {
		if _, err := s.reads.Tariff(c.UserContext(), in.ID); err == nil {
			f.add("id", l.T("catalogue.tariff.error.id_taken"))
		} else if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
	}
	ran, err := s.runForm(c, l, f, nil, map[string]string{"id": "id", "name": "name", "weeks_per_month": "weeks_per_month", "days_per_month": "days_per_month"},
		func(ctx context.Context, cmd domain.Command) (domain.Result, error) {
			return s.commands.CreateTariff(ctx, cmd, in.ID, in.Name, weeks, days)
		})
	if err != nil {
		return err
	}
	if ran {
		return s.redirectWith(c, "/tariffs/"+in.ID, "catalogue.notice.tariff_created")
	}
	return s.renderTariffs(c, fiber.StatusUnprocessableEntity, in, f)
}

// tariffPage is a tariff: its versions as a timeline, the form of a new
// draft and the way to the price history.
type tariffPage struct {
	versionsPage
	T projections.TariffView
	// Published: the tariff has a published version (a price history).
	Published bool
}

// pageTariff handles GET /tariffs/:id.
func (s *Server) pageTariff(c *fiber.Ctx) error {
	t, err := s.reads.Tariff(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return s.renderTariff(c, fiber.StatusOK, t, draftForm{Source: defaultSource(versionInfos(t), s.today())}, newErrors())
}

func (s *Server) renderTariff(c *fiber.Ctx, status int, t projections.TariffView, in draftForm, f *formErrors) error {
	k := tariffKind(t)
	p := &tariffPage{versionsPage: s.newVersionsPage(c, k, "catalogue.tariff.intro", in, f), T: t}
	for _, v := range k.versions {
		p.Published = p.Published || v.Status == domain.StatusPublished
	}
	return s.render(c, status, "tariffs_show", p)
}

// postTariffDraft handles POST /tariffs/:id/drafts: a new draft, copied,
// a correction or empty; it goes to the draft editor.
func (s *Server) postTariffDraft(c *fiber.Ctx) error {
	t, err := s.reads.Tariff(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return s.postDraft(c, tariffKind(t),
		func(ctx context.Context, cmd domain.Command, basedOn, corrects int, note string) (int, domain.Result, error) {
			return s.commands.CreateTariffDraft(ctx, cmd, t.ID, basedOn, corrects, note)
		},
		func(in draftForm, f *formErrors) error {
			return s.renderTariff(c, fiber.StatusUnprocessableEntity, t, in, f)
		})
}

// tariffKind is t as the forms of its versions see it.
func tariffKind(t projections.TariffView) versioned {
	return versioned{id: t.ID, name: t.Name, version: t.Version, versions: versionInfos(t), words: tariffWords}
}

// CreateFields are the fields of the new tariff's form.
func (p *tariffsPage) CreateFields() []formField {
	l := p.L
	return []formField{
		fieldOf(l, p.E, "text", "id", "id", "catalogue.tariff.id", p.F.ID).short(),
		fieldOf(l, p.E, "text", "name", "name", "catalogue.tariff.name", p.F.Name),
		fieldOf(l, p.E, "text", "weeks_per_month", "weeks_per_month", "catalogue.settings.weeks", p.F.WeeksPerMonth).short(),
		fieldOf(l, p.E, "text", "days_per_month", "days_per_month", "catalogue.settings.days", p.F.DaysPerMonth).short(),
	}
}

// draftFields are the fields of a new draft's form, in words.
func draftFields(l *Lang, f *formErrors, in draftForm, sources []option, words versionWords) []formField {
	source := fieldOf(l, f, "select", "draft-source", "source", "catalogue.draft.source", in.Source).with(sources)
	source.Hint = l.T(words.draftSourceHint)
	return []formField{source, fieldOf(l, f, "textarea", "draft-note", "note", "catalogue.draft.note", in.Note)}
}
