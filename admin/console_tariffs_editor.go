package admin

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The draft editor: a tariff version's entries as a table of service x
// production mode -> unit cost and fee-rule parameters, each row its own
// form (saved and checked one at a time), a form for a new entry, the
// month conversions and note, publishing and withdrawing. A published or
// withdrawn version shows the same table read-only.

// entryForm is the form of one entry: its key, unit cost and fee rule
// with the rule's parameters (those another rule takes are left out).
type entryForm struct {
	Service             string `json:"service"`
	Mode                string `json:"mode"`
	UnitCost            string `json:"unit_cost"`
	Rule                string `json:"rule"`
	Fee                 string `json:"fee"`
	ProviderPrice       string `json:"provider_price"`
	Tiers               string `json:"tiers"`
	CountsTowardCeiling string `json:"counts_toward_ceiling"`
	Row                 string `json:"row"`
	ExpectedVersion     string `json:"expected_version"`
}

// entryKeyForm names the entry to remove.
type entryKeyForm struct {
	Service         string `json:"service"`
	Mode            string `json:"mode"`
	ExpectedVersion string `json:"expected_version"`
}

// settingsForm is the form of a draft's month conversions and note.
type settingsForm struct {
	WeeksPerMonth   string `json:"weeks_per_month"`
	DaysPerMonth    string `json:"days_per_month"`
	Note            string `json:"note"`
	ExpectedVersion string `json:"expected_version"`
}

// publishForm publishes a draft: the valid-from, the reason (the
// version's note) and, for a retroactive one, the confirmation.
type publishForm struct {
	ValidFrom       string `json:"valid_from"`
	Reason          string `json:"reason"`
	Confirm         string `json:"confirm"`
	ExpectedVersion string `json:"expected_version"`
}

// entryRow is an entry of the table: what the inputs hold, its service's
// name and unit, its parameters in words and its messages.
type entryRow struct {
	// Key is the row's id ("meal-service--own", "new"), the prefix of its
	// fields' ids.
	Key                                            string
	Service, Mode                                  string
	UnitCost, Rule, Fee, ProviderPrice, Tiers      string
	Ceiling                                        bool
	Name, Unit, ModeLabel, RuleLabel, UnitCostText string
	Params                                         []string
	E                                              *formErrors
}

// tariffVersionPage is a tariff version: the draft editor, or a published
// version read-only.
type tariffVersionPage struct {
	versionPage
	T        projections.TariffView
	V        domain.TariffVersion
	Rows     []entryRow
	New      entryRow
	Services []option
	Modes    []option
	Rules    []option
	Settings settingsForm
	// InEffect is the version in effect today, the one the diff compares
	// a draft with (the corrected one for a correction).
	InEffect int
	DiffHref string
	// Today is the date in the date input's format, for its hint.
	Today string
	// Announce is read out after a row saved itself (a partial update):
	// what was saved, or why not.
	Announce string
	// LiveRow is the row a partial update answers with.
	LiveRow *entryRowView
}

// entryRowView is a row of the entries table with its page.
type entryRowView struct {
	P *tariffVersionPage
	R entryRow
}

// RowView pairs row r with the page, for the row's template.
func (p *tariffVersionPage) RowView(r entryRow) entryRowView { return entryRowView{P: p, R: r} }

// entryKey is the id of an entry's row.
func entryKey(service string, mode domain.Mode) string { return service + "--" + string(mode) }

// loadTariffVersion reads the tariff of the request and its version.
func (s *Server) loadTariffVersion(c *fiber.Ctx) (projections.TariffView, domain.TariffVersion, error) {
	n, err := versionParam(c)
	if err != nil {
		return projections.TariffView{}, domain.TariffVersion{}, err
	}
	t, err := s.reads.Tariff(c.UserContext(), pathParam(c, "id"))
	if err != nil {
		return t, domain.TariffVersion{}, err
	}
	v, ok := tariffVersion(t, n)
	if !ok {
		return t, v, &domain.Error{Code: domain.ENotFound, Field: "version", Message: "tariff " + t.ID + " has no version " + strconv.Itoa(n)}
	}
	return t, v, nil
}

// newTariffVersionPage builds the page of version v of t as it is now.
func (s *Server) newTariffVersionPage(c *fiber.Ctx, t projections.TariffView, v domain.TariffVersion) (*tariffVersionPage, error) {
	l := s.pageLang(c)
	svcs, byID, err := s.servicesByID(c.UserContext())
	if err != nil {
		return nil, err
	}
	k := tariffKind(t)
	p := &tariffVersionPage{versionPage: s.newVersionPage(c, k, v.VersionInfo, "catalogue.version.intro."+string(v.Status), newErrors()),
		T: t, V: v, Modes: modeOptions(l), Today: s.today().String()}
	// A draft's rows save themselves as they change.
	p.Live = v.Status == domain.StatusDraft
	for _, r := range domain.Rules {
		p.Rules = append(p.Rules, option{string(r), l.T("catalogue.rule." + string(r))})
	}
	for _, sv := range svcs {
		if !sv.Retired {
			p.Services = append(p.Services, option{sv.ID, serviceName(l, sv.Names)})
		}
	}
	slices.SortFunc(p.Services, func(a, b option) int { return compareText(a.Label, b.Label) })
	for _, e := range v.Entries {
		p.Rows = append(p.Rows, entryRowOf(l, e, byID[e.Service]))
	}
	slices.SortStableFunc(p.Rows, func(a, b entryRow) int { return compareText(a.Name, b.Name) })
	p.New = entryRow{Key: "new", Rule: string(domain.RuleFlat), E: newErrors()}
	p.Settings = settingsForm{WeeksPerMonth: ratioText(l, v.WeeksPerMonth), DaysPerMonth: ratioText(l, v.DaysPerMonth), Note: v.Note}
	vs := k.versions
	p.InEffect = inEffectOn(vs, s.today())
	if v.Corrects != 0 {
		p.InEffect = v.Corrects
	}
	from := p.InEffect
	if v.Status == domain.StatusPublished {
		from = replacedBy(vs, v.VersionInfo)
	}
	p.DiffHref = "/tariffs/" + t.ID + "/diff?from=" + strconv.Itoa(from) + "&to=" + strconv.Itoa(v.Number)
	return p, nil
}

// entryRowOf fills a row from an entry.
func entryRowOf(l *Lang, e domain.Entry, sv projections.ServiceView) entryRow {
	r := entryRow{Key: entryKey(e.Service, e.Mode), Service: e.Service, Mode: string(e.Mode), UnitCost: moneyText(l, e.UnitCost),
		Rule: string(e.Rule), Fee: moneyPtrText(l, e.Fee), ProviderPrice: moneyPtrText(l, e.ProviderPrice),
		Tiers: tiersText(l, e.Tiers), Ceiling: e.CountsTowardCeiling, E: newErrors()}
	r.describe(l, e, sv)
	return r
}

// describe fills the row's words: names, labels and the parameters.
func (r *entryRow) describe(l *Lang, e domain.Entry, sv projections.ServiceView) {
	r.Name, r.Unit = e.Service, ""
	if sv.ID != "" {
		r.Name, r.Unit = serviceName(l, sv.Names), l.T("catalogue.unit."+string(sv.Unit))
	}
	r.ModeLabel, r.RuleLabel, r.UnitCostText = l.T("catalogue.mode."+string(e.Mode)), l.T("catalogue.rule."+string(e.Rule)), l.Money(e.UnitCost)
	r.Params = entryParams(l, e)
}

// entryParams writes an entry's rule parameters in words.
func entryParams(l *Lang, e domain.Entry) []string {
	var out []string
	if e.Fee != nil {
		out = append(out, l.T("catalogue.entry.param_fee", "fee", l.Money(*e.Fee)))
	}
	if e.ProviderPrice != nil {
		out = append(out, l.T("catalogue.entry.param_provider", "price", l.Money(*e.ProviderPrice)))
	}
	out = append(out, tierWords(l, e.Tiers)...)
	if e.CountsTowardCeiling {
		out = append(out, l.T("catalogue.entry.param_ceiling"))
	}
	return out
}

// tierWords writes the steps of an income_tiered rule in words.
func tierWords(l *Lang, tiers []domain.Tier) []string {
	var out []string
	for _, t := range tiers {
		if len(t.MaxIncome) == 0 {
			out = append(out, l.T("catalogue.entry.tier_last", "fee", l.Money(t.Fee)))
			continue
		}
		limits := make([]string, len(t.MaxIncome))
		for i, m := range t.MaxIncome {
			limits[i] = l.Money(m)
		}
		out = append(out, l.T("catalogue.entry.tier", "fee", l.Money(t.Fee), "limits", strings.Join(limits, " / ")))
	}
	return out
}

// tiersText writes tiers for the tiers field: a step a line, the fee,
// then after a colon the income limits by household size separated by
// semicolons; the last step has no limits.
func tiersText(l *Lang, tiers []domain.Tier) string {
	lines := make([]string, len(tiers))
	for i, t := range tiers {
		lines[i] = moneyText(l, t.Fee)
		if len(t.MaxIncome) > 0 {
			limits := make([]string, len(t.MaxIncome))
			for j, m := range t.MaxIncome {
				limits[j] = moneyText(l, m)
			}
			lines[i] += ": " + strings.Join(limits, "; ")
		}
	}
	return strings.Join(lines, "\n")
}

// parseTiers reads the tiers field (see tiersText); ok is false when a
// line does not read.
func parseTiers(l *Lang, text string) ([]domain.Tier, bool) {
	var out []domain.Tier
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		feeText, limitsText, hasLimits := strings.Cut(line, ":")
		fee, ok := l.ParseMoney(feeText)
		if !ok {
			return nil, false
		}
		t := domain.Tier{Fee: fee}
		if hasLimits {
			for _, part := range strings.Split(limitsText, ";") {
				if strings.TrimSpace(part) == "" {
					continue
				}
				m, ok := l.ParseMoney(part)
				if !ok {
					return nil, false
				}
				t.MaxIncome = append(t.MaxIncome, m)
			}
		}
		out = append(out, t)
	}
	return out, true
}

// pageTariffVersion handles GET /tariffs/:id/versions/:version.
func (s *Server) pageTariffVersion(c *fiber.Ctx) error {
	t, v, err := s.loadTariffVersion(c)
	if err != nil {
		return err
	}
	p, err := s.newTariffVersionPage(c, t, v)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "tariffs_version", p)
}

// readEntry reads and checks an entry's form; key is the row's id. The
// parameters the chosen rule does not take are left out.
func readEntry(c *fiber.Ctx, l *Lang, f *formErrors, key string, svcs map[string]projections.ServiceView) (entryRow, domain.Entry) {
	in := entryRow{Key: key, Service: formValue(c, "service"), Mode: formValue(c, "mode"), UnitCost: formValue(c, "unit_cost"),
		Rule: formValue(c, "rule"), Fee: formValue(c, "fee"), ProviderPrice: formValue(c, "provider_price"),
		Tiers: formValue(c, "tiers"), Ceiling: formValue(c, "counts_toward_ceiling") != "", E: f}
	field := func(name string) string { return key + "-" + name }
	e := domain.Entry{Service: in.Service, Mode: domain.Mode(in.Mode), Rule: domain.Rule(in.Rule), CountsTowardCeiling: in.Ceiling}
	sv, known := svcs[in.Service]
	switch {
	case in.Service == "":
		f.add(field("service"), l.T("error.required"))
	case !known:
		f.add(field("service"), l.T("error.choice"))
	case sv.Retired:
		f.add(field("service"), l.T("catalogue.entry.error.retired"))
	}
	switch {
	case !slices.Contains(domain.Modes, e.Mode):
		f.add(field("mode"), l.T("error.choice"))
	case known && !sv.Allows(e.Mode):
		allowed := make([]string, len(sv.Modes))
		for i, m := range sv.Modes {
			allowed[i] = l.T("catalogue.mode." + string(m))
		}
		f.add(field("mode"), l.T("catalogue.entry.error.mode", "modes", strings.Join(allowed, ", ")))
	}
	e.UnitCost, _ = moneyInput(l, f, field("unit_cost"), in.UnitCost, true, domain.MaxPrice)
	switch {
	case !slices.Contains(domain.Rules, e.Rule):
		f.add(field("rule"), l.T("error.choice"))
	case (e.Rule == domain.RuleVoucher) != (e.Mode == domain.ModeVoucher) && slices.Contains(domain.Modes, e.Mode):
		f.add(field("rule"), l.T("catalogue.entry.error.voucher"))
	case e.Rule == domain.RuleHomeCareIncome && known && sv.Unit != domain.UnitHour:
		f.add(field("rule"), l.T("catalogue.entry.error.hours"))
	}
	switch e.Rule {
	case domain.RuleFlat:
		if m, ok := moneyInput(l, f, field("fee"), in.Fee, true, domain.MaxPrice); ok {
			e.Fee = &m
		}
	case domain.RuleVoucher:
		if m, ok := moneyInput(l, f, field("provider_price"), in.ProviderPrice, false, domain.MaxPrice); ok {
			e.ProviderPrice = &m
		}
	case domain.RuleIncomeTiered:
		tiers, ok := parseTiers(l, in.Tiers)
		switch {
		case !ok:
			f.add(field("tiers"), l.T("catalogue.entry.error.tiers"))
		case len(tiers) == 0:
			f.add(field("tiers"), l.T("catalogue.entry.error.tiers_none"))
		default:
			e.Tiers = tiers
		}
	}
	if e.CountsTowardCeiling && (e.Rule == domain.RuleHomeCareIncome || e.Rule == domain.RuleHousingNet || e.Rule == domain.RuleVoucher) {
		f.add(field("counts_toward_ceiling"), l.T("catalogue.entry.error.ceiling"))
	}
	if f.ok() {
		svc := sv.Service
		if err := e.Validate(&svc); err != nil {
			fields := map[string]string{}
			for _, name := range []string{"service", "mode", "unit_cost", "rule", "fee", "provider_price", "tiers", "counts_toward_ceiling", "max_income"} {
				fields[name] = field(name)
			}
			fields["max_income"] = field("tiers")
			if domain.ErrorField(err) != "" && strings.HasPrefix(domain.ErrorField(err), "tiers") {
				f.add(field("tiers"), l.T("catalogue.entry.error.tiers_order"))
			} else {
				commandFailed(l, f, err, fields)
			}
		}
	}
	in.describe(l, e, sv)
	return in, e
}

// entryFailed renders the editor again with the row's input and messages.
func (s *Server) entryFailed(c *fiber.Ctx, t projections.TariffView, v domain.TariffVersion, in entryRow) error {
	p, err := s.newTariffVersionPage(c, t, v)
	if err != nil {
		return err
	}
	if in.Key == "new" {
		p.New = in
	} else if i := slices.IndexFunc(p.Rows, func(r entryRow) bool { return r.Key == in.Key }); i >= 0 {
		p.Rows[i] = in
	} else {
		p.Rows = append(p.Rows, in)
	}
	p.Problems = problems(s.pageLang(c), in.E, p.rowNames())
	if isHTMX(c) && in.Key != "new" {
		return s.entriesAnswer(c, p, in.Key, rowRefused(s.pageLang(c), in, p.Problems))
	}
	return s.render(c, fiber.StatusUnprocessableEntity, "tariffs_version", p)
}

// postTariffEntry handles POST /tariffs/:id/versions/:version/entries: an
// entry added (row "new") or changed.
func (s *Server) postTariffEntry(c *fiber.Ctx) error {
	l, f := s.pageLang(c), newErrors()
	t, v, err := s.loadTariffVersion(c)
	if err != nil {
		return err
	}
	_, byID, err := s.servicesByID(c.UserContext())
	if err != nil {
		return err
	}
	key := "new"
	if formValue(c, "row") != "new" {
		key = entryKey(formValue(c, "service"), domain.Mode(formValue(c, "mode")))
	}
	in, e := readEntry(c, l, f, key, byID)
	if key == "new" && f.ok() {
		if _, exists := v.Entry(e.Service, e.Mode); exists {
			f.add("new-service", l.T("catalogue.entry.error.exists"))
		}
	}
	if v.Status != domain.StatusDraft {
		f.add("", l.T(tariffWords.notDraft))
	}
	expected := formVersion(c, l, f, t.Version)
	ran, err := s.runForm(c, l, f, expected, map[string]string{"unit_cost": key + "-unit_cost", "fee": key + "-fee", "rule": key + "-rule"},
		func(ctx context.Context, cmd domain.Command) (domain.Result, error) {
			return s.commands.SetTariffEntry(ctx, cmd, t.ID, v.Number, e)
		})
	if err != nil {
		return err
	}
	if ran {
		if isHTMX(c) && key != "new" {
			return s.entrySaved(c, in)
		}
		return s.redirectWith(c, tariffKind(t).versionPath(v.Number)+"#row-"+entryKey(e.Service, e.Mode), "catalogue.notice.entry_saved")
	}
	return s.entryFailed(c, t, v, in)
}

// postTariffEntryRemove handles POST
// /tariffs/:id/versions/:version/entries/remove.
func (s *Server) postTariffEntryRemove(c *fiber.Ctx) error {
	l, f := s.pageLang(c), newErrors()
	t, v, err := s.loadTariffVersion(c)
	if err != nil {
		return err
	}
	service, mode := formValue(c, "service"), domain.Mode(formValue(c, "mode"))
	if _, ok := v.Entry(service, mode); !ok {
		f.add("", l.T("catalogue.entry.error.gone"))
	}
	expected := formVersion(c, l, f, t.Version)
	ran, err := s.runForm(c, l, f, expected, nil,
		func(ctx context.Context, cmd domain.Command) (domain.Result, error) {
			return s.commands.RemoveTariffEntry(ctx, cmd, t.ID, v.Number, service, mode)
		})
	if err != nil {
		return err
	}
	if ran {
		return s.redirectWith(c, tariffKind(t).versionPath(v.Number), "catalogue.notice.entry_removed")
	}
	return s.versionFailed(c, t, v, f, nil)
}

// versionFailed renders the editor again with the messages of its
// settings, publish or withdraw form; keep puts that form's input back.
func (s *Server) versionFailed(c *fiber.Ctx, t projections.TariffView, v domain.TariffVersion, f *formErrors, keep func(*tariffVersionPage)) error {
	p, err := s.newTariffVersionPage(c, t, v)
	if err != nil {
		return err
	}
	if keep != nil {
		keep(p)
	}
	p.E, p.Problems = f, problems(s.pageLang(c), f, p.rowNames())
	return s.render(c, fiber.StatusUnprocessableEntity, "tariffs_version", p)
}

// postTariffSettings handles POST /tariffs/:id/versions/:version/settings.
func (s *Server) postTariffSettings(c *fiber.Ctx) error {
	l, f := s.pageLang(c), newErrors()
	t, v, err := s.loadTariffVersion(c)
	if err != nil {
		return err
	}
	in := settingsForm{WeeksPerMonth: formValue(c, "weeks_per_month"), DaysPerMonth: formValue(c, "days_per_month"),
		Note: formValue(c, "note")}
	weeks := ratioInput(l, f, "weeks_per_month", in.WeeksPerMonth, 4, 5)
	days := ratioInput(l, f, "days_per_month", in.DaysPerMonth, 28, 31)
	textInput(l, f, "note", in.Note, maxNoteInput, false, true)
	if v.Status != domain.StatusDraft {
		f.add("", l.T(tariffWords.notDraft))
	}
	expected := formVersion(c, l, f, t.Version)
	ran, err := s.runForm(c, l, f, expected, map[string]string{"weeks_per_month": "weeks_per_month", "days_per_month": "days_per_month", "note": "note"},
		func(ctx context.Context, cmd domain.Command) (domain.Result, error) {
			return s.commands.SetTariffSettings(ctx, cmd, t.ID, v.Number, weeks, days, &in.Note)
		})
	if err != nil {
		return err
	}
	if ran {
		return s.redirectWith(c, tariffKind(t).versionPath(v.Number), "catalogue.notice.settings_saved")
	}
	return s.versionFailed(c, t, v, f, func(p *tariffVersionPage) { p.Settings = in })
}

// postTariffWithdraw handles POST /tariffs/:id/versions/:version/withdraw.
func (s *Server) postTariffWithdraw(c *fiber.Ctx) error {
	t, v, err := s.loadTariffVersion(c)
	if err != nil {
		return err
	}
	return s.postWithdraw(c, tariffKind(t), v.VersionInfo,
		func(ctx context.Context, cmd domain.Command) (domain.Result, error) {
			return s.commands.WithdrawTariffDraft(ctx, cmd, t.ID, v.Number)
		},
		func(f *formErrors) error { return s.versionFailed(c, t, v, f, nil) })
}

// entryCell is an input of an entry's row, tied to the row's form by the
// form attribute (a form cannot wrap a table row).
type entryCell struct {
	ID, Name, Form, Label, Value, Error string
	// Kind is text, select, textarea or checkbox.
	Kind    string
	Checked bool
	Options []option
}

// RowCells are the inputs of an entry's row.
func (p *tariffVersionPage) RowCells(r entryRow) []entryCell {
	l := p.L
	what := r.Name + ", " + r.ModeLabel
	cell := func(kind, name, labelKey, value string) entryCell {
		id := r.Key + "-" + name
		return entryCell{ID: id, Name: name, Form: "entry-form-" + r.Key, Kind: kind, Value: value, Error: r.E.Of(id),
			Label: l.T(labelKey) + ": " + what}
	}
	ceiling := cell("checkbox", "counts_toward_ceiling", "catalogue.entry.ceiling", "yes")
	ceiling.Checked = r.Ceiling
	rule := cell("select", "rule", "catalogue.entry.rule", r.Rule)
	rule.Options = p.Rules
	return []entryCell{
		cell("text", "unit_cost", "catalogue.entry.unit_cost", r.UnitCost),
		rule,
		cell("text", "fee", "catalogue.entry.fee", r.Fee),
		cell("text", "provider_price", "catalogue.entry.provider_price", r.ProviderPrice),
		cell("textarea", "tiers", "catalogue.entry.tiers", r.Tiers),
		ceiling,
	}
}

// NewFields are the fields of the new entry's form (the ceiling's
// checkbox aside).
func (p *tariffVersionPage) NewFields() []formField {
	l, r := p.L, p.New
	services := append([]option{{"", l.T("catalogue.entry.choose_service")}}, p.Services...)
	return []formField{
		fieldOf(l, r.E, "select", "new-service", "service", "catalogue.entry.service", r.Service).with(services),
		fieldOf(l, r.E, "select", "new-mode", "mode", "catalogue.entry.mode", r.Mode).with(p.Modes).short(),
		fieldOf(l, r.E, "text", "new-unit_cost", "unit_cost", "catalogue.entry.unit_cost", r.UnitCost).short(),
		fieldOf(l, r.E, "select", "new-rule", "rule", "catalogue.entry.rule", r.Rule).with(p.Rules),
		fieldOf(l, r.E, "text", "new-fee", "fee", "catalogue.entry.fee", r.Fee).short(),
		fieldOf(l, r.E, "text", "new-provider_price", "provider_price", "catalogue.entry.provider_price", r.ProviderPrice).short(),
		fieldOf(l, r.E, "textarea", "new-tiers", "tiers", "catalogue.entry.tiers", r.Tiers),
	}
}

// SettingsFields are the fields of the month conversions and note.
func (p *tariffVersionPage) SettingsFields() []formField {
	l := p.L
	return []formField{
		fieldOf(l, p.E, "text", "weeks_per_month", "weeks_per_month", "catalogue.settings.weeks", p.Settings.WeeksPerMonth).short(),
		fieldOf(l, p.E, "text", "days_per_month", "days_per_month", "catalogue.settings.days", p.Settings.DaysPerMonth).short(),
		fieldOf(l, p.E, "textarea", "note", "note", "catalogue.settings.note", p.Settings.Note),
	}
}

// publishFields are the valid-from (fixed for a correction) and reason
// of a publish form, in words.
func publishFields(l *Lang, f *formErrors, in publishForm, correction bool, words versionWords) []formField {
	from := fieldOf(l, f, "date", "publish-valid_from", "valid_from", "catalogue.publish.valid_from", in.ValidFrom).short()
	from.Hint = l.T(words.validFromHint)
	if correction {
		from.Readonly, from.Hint = true, l.T("catalogue.publish.valid_from_correction")
	}
	return []formField{from, fieldOf(l, f, "textarea", "publish-reason", "reason", "catalogue.publish.reason", in.Reason)}
}

// rowNames names the rows of the entries by key ("Meal service, own
// production"), for the error summary.
func (p *tariffVersionPage) rowNames() map[string]string {
	out := make(map[string]string, len(p.Rows))
	for _, r := range p.Rows {
		out[r.Key] = r.Name + ", " + r.ModeLabel
	}
	return out
}

// Facts are the version's month conversions.
func (p *tariffVersionPage) Facts() []versionFact {
	return []versionFact{{p.L.T("catalogue.settings.weeks"), p.V.WeeksPerMonth.String()},
		{p.L.T("catalogue.settings.days"), p.V.DaysPerMonth.String()}}
}
