package admin

import (
	"context"
	"regexp"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// Saving, publishing and withdrawing a draft of an income-limit catalogue.

// maxHoursInput bounds the hours of a row: a month has at most 744 hours.
const maxHoursInput = 744

// incomeBandInput is a row of the percentage table as the form gave it.
type incomeBandInput struct {
	row   string
	hours int
	pcts  []domain.Percent
}

// readIncomeTable reads and checks the table form. It returns the values
// as typed, the form's household sizes and hours rows, the table, and
// where each of the table's hours rows is on the form.
func readIncomeTable(c *fiber.Ctx, l *Lang, f *formErrors) (incomeValues, int, int, domain.IncomeTable, []string) {
	cols, _ := strconv.Atoi(formValue(c, "cols"))
	rows, _ := strconv.Atoi(formValue(c, "rows"))
	cols, rows = min(max(cols, 1), maxIncomeCols), min(max(rows, 0), maxIncomeRows)
	vals := incomeValues{}
	get := func(name string) string {
		v := formValue(c, name)
		if v != "" {
			vals[name] = v
		}
		return v
	}
	// filled returns the values of a row of fields up to the last one
	// filled in.
	filled := func(prefix string) []string {
		var out []string
		for i := range cols {
			out = append(out, get(prefix+strconv.Itoa(i)))
		}
		for len(out) > 0 && out[len(out)-1] == "" {
			out = out[:len(out)-1]
		}
		return out
	}
	var t domain.IncomeTable
	limits := filled("limit-")
	if len(limits) == 0 {
		f.add("limit-0", l.T("error.required"))
	}
	for i, v := range limits {
		if m, ok := moneyInput(l, f, "limit-"+strconv.Itoa(i), v, true, domain.MaxIncome); ok {
			t.Limits = append(t.Limits, m)
		}
	}
	pcts := func(row string) []domain.Percent {
		var out []domain.Percent
		vs := filled("pct-" + row + "-")
		if len(vs) == 0 {
			f.add("pct-"+row+"-0", l.T("error.required"))
		}
		for i, v := range vs {
			if p, ok := percentInput(l, f, "pct-"+row+"-"+strconv.Itoa(i), v, true); ok {
				out = append(out, p)
			}
		}
		return out
	}
	var bands []incomeBandInput
	for j := range rows {
		row := strconv.Itoa(j)
		hours := get("hours-" + row)
		if hours == "" && len(filled("pct-"+row+"-")) == 0 {
			continue // a blank row
		}
		b := incomeBandInput{row: row}
		b.hours, _ = intInput(l, f, "hours-"+row, hours, true, 0, maxHoursInput)
		b.pcts = pcts(row)
		bands = append(bands, b)
	}
	slices.SortStableFunc(bands, func(a, b incomeBandInput) int { return a.hours - b.hours })
	var rowOf []string
	for _, b := range bands {
		h := b.hours
		t.Percentages = append(t.Percentages, domain.PercentRow{MaxHours: &h, ByHousehold: b.pcts})
		rowOf = append(rowOf, b.row)
	}
	t.Percentages = append(t.Percentages, domain.PercentRow{ByHousehold: pcts(openRow)})
	rowOf = append(rowOf, openRow)
	for _, x := range []struct {
		name string
		dst  **domain.Money
	}{{"extra_person", &t.ExtraPerson}, {"kayttovara", &t.Kayttovara}, {"kayttovara_institutional", &t.KayttovaraInstitutional},
		{"annual_ceiling", &t.AnnualCeiling}} {
		if m, ok := moneyInput(l, f, x.name, get(x.name), false, domain.MaxIncome); ok {
			*x.dst = &m
		}
	}
	for _, x := range []struct {
		name string
		dst  **domain.Percent
	}{{"housing_rate", &t.HousingRate}, {"housing_spouse_rate", &t.HousingSpouseRate}} {
		if p, ok := percentInput(l, f, x.name, get(x.name), false); ok {
			*x.dst = &p
		}
	}
	vals["note"] = formValue(c, "note")
	textInput(l, f, "note", vals["note"], maxNoteInput, false, true)
	if f.ok() {
		if err := t.Validate(); err != nil {
			tableFailed(l, f, domain.ErrorField(err), rowOf)
		}
	}
	return vals, cols, rows, t, rowOf
}

// tableFieldRE reads a field path of an income table.
var tableFieldRE = regexp.MustCompile(`^(?:table\.)?(limits|percentages)(?:\[(\d+)\])?(?:\.(max_hours|by_household)(?:\[(\d+)\])?)?$`)

// tableFailed puts a message of the domain's check of a table on its
// field: rowOf says where the table's hours rows are on the form.
func tableFailed(l *Lang, f *formErrors, field string, rowOf []string) {
	m := tableFieldRE.FindStringSubmatch(field)
	if m == nil {
		for _, name := range []string{"extra_person", "kayttovara", "kayttovara_institutional", "annual_ceiling", "housing_rate", "housing_spouse_rate"} {
			if field == name || field == "table."+name {
				f.add(name, l.T("error.invalid"))
				return
			}
		}
		f.add("", l.T("error.invalid"))
		return
	}
	idx := func(s string) int { n, _ := strconv.Atoi(s); return n }
	switch {
	case m[1] == "limits":
		f.add("limit-"+strconv.Itoa(idx(m[2])), l.T("catalogue.income.error.limits_grow"))
	case m[2] == "":
		f.add("pct-"+openRow+"-0", l.T("error.required"))
	default:
		row := openRow
		if k := idx(m[2]); k < len(rowOf) {
			row = rowOf[k]
		}
		switch {
		case m[3] == "max_hours" && row == openRow:
			f.add("pct-"+openRow+"-0", l.T("error.invalid"))
		case m[3] == "max_hours":
			f.add("hours-"+row, l.T("catalogue.income.error.hours_grow"))
		case m[4] != "":
			f.add("pct-"+row+"-"+m[4], l.T("catalogue.error.percent"))
		default:
			f.add("pct-"+row+"-0", l.T("catalogue.income.error.too_many_pct"))
		}
	}
}

// incomeVersionFailed renders the version page again with the form's
// values and messages.
func (s *Server) incomeVersionFailed(c *fiber.Ctx, ic projections.IncomeCatalogueView, v domain.IncomeVersion, f *formErrors,
	vals incomeValues, cols, rows int, keep func(*incomeVersionPage)) error {
	if vals == nil {
		vals, cols, rows = valuesOf(s.pageLang(c), v.Table, v.Note)
	} else {
		cols, rows = max(cols-1, 0), max(rows-1, 0)
	}
	p := s.newIncomeVersionPage(c, ic, v, vals, cols, rows, f)
	if keep != nil {
		keep(p)
	}
	p.Problems = problems(s.pageLang(c), f, nil)
	return s.render(c, fiber.StatusUnprocessableEntity, "income_version", p)
}

// postIncomeTable handles POST /income-catalogues/:id/versions/:version:
// the draft's whole table and note.
func (s *Server) postIncomeTable(c *fiber.Ctx) error {
	l, f := s.pageLang(c), newErrors()
	ic, v, err := s.loadIncomeVersion(c)
	if err != nil {
		return err
	}
	vals, cols, rows, table, _ := readIncomeTable(c, l, f)
	if v.Status != domain.StatusDraft {
		f.add("", l.T(incomeWords.notDraft))
	}
	expected := formVersion(c, l, f, ic.Version)
	ran, err := s.runForm(c, l, f, expected, map[string]string{"note": "note"},
		func(ctx context.Context, cmd domain.Command) (domain.Result, error) {
			return s.commands.SetIncomeDraft(ctx, cmd, ic.ID, v.Number, table, vals["note"])
		})
	if err != nil {
		return err
	}
	if ran {
		return s.redirectWith(c, incomeKind(ic).versionPath(v.Number), "catalogue.notice.table_saved")
	}
	return s.incomeVersionFailed(c, ic, v, f, vals, cols, rows, nil)
}

// postIncomePublish handles POST
// /income-catalogues/:id/versions/:version/publish.
func (s *Server) postIncomePublish(c *fiber.Ctx) error {
	ic, v, err := s.loadIncomeVersion(c)
	if err != nil {
		return err
	}
	return s.postPublish(c, incomeKind(ic), v.VersionInfo, publishSteps{
		kind:    domain.KindIncome,
		touches: projections.DecisionFilter{IncomeCatalogueID: ic.ID},
		check: func(f *formErrors) error {
			if v.Table.Validate() != nil {
				f.add("", s.pageLang(c).T("catalogue.income.error.incomplete"))
			}
			return nil
		},
		failed: func(f *formErrors, in publishForm) error {
			return s.incomeVersionFailed(c, ic, v, f, nil, 0, 0, func(pg *incomeVersionPage) {
				pg.Publish.ValidFrom, pg.Publish.Reason = in.ValidFrom, in.Reason
			})
		},
		setNote: func(ctx context.Context, cmd domain.Command, note string) (domain.Result, error) {
			return s.commands.SetIncomeDraft(ctx, cmd, ic.ID, v.Number, v.Table, note)
		},
		publish: func(ctx context.Context, cmd domain.Command, validFrom domain.Date) (domain.Result, error) {
			return s.commands.PublishIncome(ctx, cmd, ic.ID, v.Number, validFrom)
		},
	})
}

// postIncomeWithdraw handles POST
// /income-catalogues/:id/versions/:version/withdraw.
func (s *Server) postIncomeWithdraw(c *fiber.Ctx) error {
	ic, v, err := s.loadIncomeVersion(c)
	if err != nil {
		return err
	}
	return s.postWithdraw(c, incomeKind(ic), v.VersionInfo,
		func(ctx context.Context, cmd domain.Command) (domain.Result, error) {
			return s.commands.WithdrawIncomeDraft(ctx, cmd, ic.ID, v.Number)
		},
		func(f *formErrors) error { return s.incomeVersionFailed(c, ic, v, f, nil, 0, 0, nil) })
}
