package admin

import (
	"context"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The income-limit catalogues: their versions, the draft's table (income
// limits by household size, the home-care fee percentages by monthly
// hours and household size, and the amounts and rates beside them),
// publishing with the same confirmation as a tariff, and withdrawing.

// incomeCreateForm is the form of a new income-limit catalogue.
type incomeCreateForm struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// incomeTableForm is the form of a draft's table: limit-<size>,
// hours-<row> and pct-<row>-<size> fields, cols and rows counting them,
// and the amounts and rates beside the table.
type incomeTableForm struct {
	Cols                    string `json:"cols"`
	Rows                    string `json:"rows"`
	ExtraPerson             string `json:"extra_person"`
	Kayttovara              string `json:"kayttovara"`
	KayttovaraInstitutional string `json:"kayttovara_institutional"`
	AnnualCeiling           string `json:"annual_ceiling"`
	HousingRate             string `json:"housing_rate"`
	HousingSpouseRate       string `json:"housing_spouse_rate"`
	Note                    string `json:"note"`
	ExpectedVersion         string `json:"expected_version"`
}

// incomeListPage lists the income-limit catalogues.
type incomeListPage struct {
	catalogueList
	F incomeCreateForm
}

// incomeInfos returns the version infos of a catalogue.
func incomeInfos(ic projections.IncomeCatalogueView) []domain.VersionInfo {
	return infosOf(ic.Versions, func(v domain.IncomeVersion) domain.VersionInfo { return v.VersionInfo })
}

// pageIncomeCatalogues handles GET /income-catalogues.
func (s *Server) pageIncomeCatalogues(c *fiber.Ctx) error {
	return s.renderIncomeList(c, fiber.StatusOK, incomeCreateForm{}, newErrors())
}

func (s *Server) renderIncomeList(c *fiber.Ctx, status int, in incomeCreateForm, f *formErrors) error {
	ics, err := s.reads.IncomeCatalogues(c.UserContext())
	if err != nil {
		return err
	}
	var rows []catalogueRow
	today := s.today()
	for _, ic := range ics {
		rows = append(rows, catalogueRowOf(ic.ID, ic.Name, incomeInfos(ic), today))
	}
	p := &incomeListPage{catalogueList: s.newCatalogueList(c, incomeWords, "catalogue.income.title", "catalogue.income.intro", rows, f), F: in}
	return s.render(c, status, "income_list", p)
}

// postIncomeCreate handles POST /income-catalogues.
func (s *Server) postIncomeCreate(c *fiber.Ctx) error {
	l, f := s.pageLang(c), newErrors()
	in := incomeCreateForm{ID: formValue(c, "id"), Name: formValue(c, "name")}
	slugInput(l, f, "id", in.ID)
	textInput(l, f, "name", in.Name, maxNameInput, true, false)
	if f.Of("id") == "" {
		if _, err := s.reads.IncomeCatalogue(c.UserContext(), in.ID); err == nil {
			f.add("id", l.T("catalogue.income.error.id_taken"))
		} else if domain.ErrorCode(err) != domain.ENotFound {
			return err
		}
	}
	ran, err := s.runForm(c, l, f, nil, map[string]string{"id": "id", "name": "name"},
		func(ctx context.Context, cmd domain.Command) (domain.Result, error) {
			return s.commands.CreateIncomeCatalogue(ctx, cmd, in.ID, in.Name)
		})
	if err != nil {
		return err
	}
	if ran {
		return s.redirectWith(c, "/income-catalogues/"+in.ID, "catalogue.notice.income_created")
	}
	return s.renderIncomeList(c, fiber.StatusUnprocessableEntity, in, f)
}

// incomePage is a catalogue: its versions as a timeline and the form of a
// new draft.
type incomePage struct {
	versionsPage
	IC projections.IncomeCatalogueView
}

// pageIncomeCatalogue handles GET /income-catalogues/:id.
func (s *Server) pageIncomeCatalogue(c *fiber.Ctx) error {
	ic, err := s.reads.IncomeCatalogue(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return s.renderIncome(c, fiber.StatusOK, ic, draftForm{Source: defaultSource(incomeInfos(ic), s.today())}, newErrors())
}

func (s *Server) renderIncome(c *fiber.Ctx, status int, ic projections.IncomeCatalogueView, in draftForm, f *formErrors) error {
	p := &incomePage{versionsPage: s.newVersionsPage(c, incomeKind(ic), "catalogue.income.show_intro", in, f), IC: ic}
	for i := range p.Items {
		p.Items[i].DiffHref = "" // income tables have no diff page
	}
	return s.render(c, status, "income_show", p)
}

// postIncomeDraft handles POST /income-catalogues/:id/drafts.
func (s *Server) postIncomeDraft(c *fiber.Ctx) error {
	ic, err := s.reads.IncomeCatalogue(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return err
	}
	return s.postDraft(c, incomeKind(ic),
		func(ctx context.Context, cmd domain.Command, basedOn, corrects int, note string) (int, domain.Result, error) {
			return s.commands.CreateIncomeDraft(ctx, cmd, ic.ID, basedOn, corrects, nil, note)
		},
		func(in draftForm, f *formErrors) error {
			return s.renderIncome(c, fiber.StatusUnprocessableEntity, ic, in, f)
		})
}

// incomeKind is ic as the forms of its versions see it.
func incomeKind(ic projections.IncomeCatalogueView) versioned {
	return versioned{id: ic.ID, name: ic.Name, version: ic.Version, versions: incomeInfos(ic), words: incomeWords}
}

// incomeCell is an input (or a figure) of the table.
type incomeCell struct {
	ID, Name, Value, Error, Label, Text string
}

// incomeBand is a row of the percentage table: up to Hours monthly
// hours (Open: any more), a percentage by household size.
type incomeBand struct {
	Open  bool
	Hours incomeCell
	Cells []incomeCell
}

// incomeVersionPage is a catalogue version: the draft's table editor, or
// a published table.
type incomeVersionPage struct {
	versionPage
	IC projections.IncomeCatalogueView
	V  domain.IncomeVersion
	// Sizes are the household sizes of the columns (one more than the
	// table has in a draft, to add one).
	Sizes  []int
	Limits []incomeCell
	Bands  []incomeBand
	// Extras are the amounts and rates beside the table.
	Extras []incomeCell
	Note   string
}

// The table's bounds: household sizes and hours rows a form may have.
const (
	maxIncomeCols = 20
	maxIncomeRows = 60
)

// loadIncomeVersion reads the catalogue of the request and its version.
func (s *Server) loadIncomeVersion(c *fiber.Ctx) (projections.IncomeCatalogueView, domain.IncomeVersion, error) {
	n, err := versionParam(c)
	if err != nil {
		return projections.IncomeCatalogueView{}, domain.IncomeVersion{}, err
	}
	ic, err := s.reads.IncomeCatalogue(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return ic, domain.IncomeVersion{}, err
	}
	for _, v := range ic.Versions {
		if v.Number == n {
			return ic, v, nil
		}
	}
	return ic, domain.IncomeVersion{}, &domain.Error{Code: domain.ENotFound, Field: "version",
		Message: "income-limit catalogue " + ic.ID + " has no version " + strconv.Itoa(n)}
}

// incomeValues are the table's values as text, by field name.
type incomeValues map[string]string

// openRow names the fields of the open-ended hours row ("pct-open-2").
const openRow = "open"

// valuesOf writes a table's values as its form holds them; it returns
// the number of household sizes and of hours rows with a limit (the
// open-ended last row not counted).
func valuesOf(l *Lang, t domain.IncomeTable, note string) (incomeValues, int, int) {
	v := incomeValues{"note": note}
	for i, m := range t.Limits {
		v["limit-"+strconv.Itoa(i)] = moneyText(l, m)
	}
	closed := 0
	for j, r := range t.Percentages {
		row := strconv.Itoa(j)
		if r.MaxHours == nil || j == len(t.Percentages)-1 {
			row = openRow
		} else {
			closed++
		}
		if r.MaxHours != nil && row != openRow {
			v["hours-"+row] = strconv.Itoa(*r.MaxHours)
		}
		for i, p := range r.ByHousehold {
			v["pct-"+row+"-"+strconv.Itoa(i)] = percentText(l, p)
		}
	}
	for name, m := range map[string]*domain.Money{"extra_person": t.ExtraPerson, "kayttovara": t.Kayttovara,
		"kayttovara_institutional": t.KayttovaraInstitutional, "annual_ceiling": t.AnnualCeiling} {
		v[name] = moneyPtrText(l, m)
	}
	for name, p := range map[string]*domain.Percent{"housing_rate": t.HousingRate, "housing_spouse_rate": t.HousingSpouseRate} {
		if p != nil {
			v[name] = percentText(l, *p)
		}
	}
	return v, len(t.Limits), closed
}

// newIncomeVersionPage builds the page of version v from values (cols
// household sizes, rows hours rows with a limit besides the open-ended
// one). A draft's editor has one more household size and one more hours
// row, blank, to add them.
func (s *Server) newIncomeVersionPage(c *fiber.Ctx, ic projections.IncomeCatalogueView, v domain.IncomeVersion,
	vals incomeValues, cols, rows int, f *formErrors) *incomeVersionPage {
	l := s.pageLang(c)
	p := &incomeVersionPage{versionPage: s.newVersionPage(c, incomeKind(ic), v.VersionInfo, "catalogue.income.version_intro."+string(v.Status), f),
		IC: ic, V: v, Note: vals["note"]}
	if p.Editable {
		cols, rows = min(cols+1, maxIncomeCols), min(rows+1, maxIncomeRows)
	}
	cell := func(name, label string, money bool) incomeCell {
		c := incomeCell{ID: name, Name: name, Value: vals[name], Error: f.Of(name), Label: label, Text: vals[name]}
		switch {
		case c.Text == "":
		case money:
			if m, ok := l.ParseMoney(c.Text); ok {
				c.Text = l.Money(m)
			}
		default:
			c.Text = strings.Replace(l.T("format.percent"), "{amount}", c.Text, 1)
		}
		return c
	}
	for i := range cols {
		p.Sizes = append(p.Sizes, i+1)
		p.Limits = append(p.Limits, cell("limit-"+strconv.Itoa(i), l.T("catalogue.income.limit_label", "n", i+1), true))
	}
	band := func(row string, open bool) incomeBand {
		b := incomeBand{Open: open}
		hours := "hours-" + row
		b.Hours = incomeCell{ID: hours, Name: hours, Value: vals[hours], Error: f.Of(hours), Text: vals[hours],
			Label: l.T("catalogue.income.hours_label")}
		for i := range cols {
			name := "pct-" + row + "-" + strconv.Itoa(i)
			label := l.T("catalogue.income.pct_label", "n", i+1, "hours", vals[hours])
			if open {
				label = l.T("catalogue.income.pct_label_open", "n", i+1)
			}
			b.Cells = append(b.Cells, cell(name, label, false))
		}
		return b
	}
	for j := range rows {
		p.Bands = append(p.Bands, band(strconv.Itoa(j), false))
	}
	if p.Editable || vals["pct-"+openRow+"-0"] != "" {
		p.Bands = append(p.Bands, band(openRow, true))
	}
	for _, x := range []struct {
		name  string
		money bool
	}{{"extra_person", true}, {"kayttovara", true}, {"kayttovara_institutional", true}, {"annual_ceiling", true},
		{"housing_rate", false}, {"housing_spouse_rate", false}} {
		p.Extras = append(p.Extras, cell(x.name, l.T("catalogue.income."+x.name), x.money))
	}
	return p
}

// pageIncomeVersion handles GET /income-catalogues/:id/versions/:version.
func (s *Server) pageIncomeVersion(c *fiber.Ctx) error {
	ic, v, err := s.loadIncomeVersion(c)
	if err != nil {
		return err
	}
	vals, cols, rows := valuesOf(s.pageLang(c), v.Table, v.Note)
	return s.render(c, fiber.StatusOK, "income_version", s.newIncomeVersionPage(c, ic, v, vals, cols, rows, newErrors()))
}

// CreateFields are the fields of the new catalogue's form.
func (p *incomeListPage) CreateFields() []formField {
	l := p.L
	return []formField{
		fieldOf(l, p.E, "text", "id", "id", "catalogue.income.id", p.F.ID).short(),
		fieldOf(l, p.E, "text", "name", "name", "catalogue.income.name", p.F.Name),
	}
}

// NoteField is the field of the draft's note.
func (p *incomeVersionPage) NoteField() formField {
	return fieldOf(p.L, p.E, "textarea", "note", "note", "catalogue.settings.note", p.Note)
}

// Cols and Rows count the table form's household sizes and hours rows
// with a limit.
func (p *incomeVersionPage) Cols() int { return len(p.Sizes) }

// Rows counts the hours rows with a limit.
func (p *incomeVersionPage) Rows() int {
	n := 0
	for _, b := range p.Bands {
		if !b.Open {
			n++
		}
	}
	return n
}
