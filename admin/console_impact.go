package admin

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// The impact pages: what a version of a tariff or of an income-limit
// catalogue changes in the decisions in force, in euros (as the log stands
// now or as it stood at a moment). For a draft the same page is its
// preview ("try this draft"): the answer it would give once published,
// and, for a tariff, its sample cases priced under the version in effect
// and under the draft, with the forms that keep the sample cases.

// impactViews are the templates of this area.
var impactViews = []string{"impact_version"}

// impactPages are this area's pages.
func (s *Server) impactPages() []route {
	const tv = "/tariffs/:id/versions/:version"
	const iv = "/income-catalogues/:id/versions/:version"
	q := []param{dateParam("valid_from", "for a draft that is not a correction: the valid-from it would be published with"),
		{name: "known_at", typ: "string", desc: "as known at a moment (a date and time in Helsinki, 2026-03-01T12:00); default now"}}
	return []route{
		pageGet(tv+"/impact", s.pageTariffImpact, impact, "What a tariff version changes in the decisions in force, in euros (a draft's preview with the sample cases)", q...),
		pageGet(iv+"/impact", s.pageIncomeImpact, impact, "What an income-limit catalogue version changes in the decisions in force, in euros", q...),
		pagePost("/tariffs/:id/samples", s.postSampleAdd, keepCatalogue, "Keep a sample case of a tariff", sampleForm{}),
		pagePost("/tariffs/:id/samples/:sample/remove", s.postSampleRemove, keepCatalogue, "Remove a sample case of a tariff", sampleRemoveForm{}),
	}
}

// sampleLines is how many lines the sample case form has.
const sampleLines = 3

// sampleForm is the form of a new sample case.
type sampleForm struct {
	Name            string `json:"name"`
	Maple           string `json:"maple"`
	HouseholdSize   string `json:"household_size"`
	GrossIncome     string `json:"gross_income"`
	NetIncome       string `json:"net_income"`
	IncomeCatalogue string `json:"income_catalogue"`
	Line1Service    string `json:"line1_service"`
	Line1Quantity   string `json:"line1_quantity"`
	Line1Frequency  string `json:"line1_frequency"`
	Line1Provider   string `json:"line1_provider_price"`
	Line2Service    string `json:"line2_service"`
	Line2Quantity   string `json:"line2_quantity"`
	Line2Frequency  string `json:"line2_frequency"`
	Line2Provider   string `json:"line2_provider_price"`
	Line3Service    string `json:"line3_service"`
	Line3Quantity   string `json:"line3_quantity"`
	Line3Frequency  string `json:"line3_frequency"`
	Line3Provider   string `json:"line3_provider_price"`
	Back            string `json:"back"`
	ExpectedVersion string `json:"expected_version"`
}

// sampleRemoveForm removes a sample case.
type sampleRemoveForm struct {
	Back            string `json:"back"`
	ExpectedVersion string `json:"expected_version"`
}

// impactRow is a decision the version changes, in words.
type impactRow struct {
	ID, Number, Href, DecisionDate, PricingDate string
	Uses                                        []string
	Fee, Net                                    changeText
	// Problem says why the version cannot price the decision.
	Problem string
}

// changeText is a figure before and after and the change, written.
type changeText struct{ Before, After, Change string }

// sampleRow is a sample case: its figures under the version it replaces
// and under this one, or why it could not be priced.
type sampleRow struct {
	ID, Name, Problem string
	Fee, Net          changeText
}

// impactPage is the impact of a version (a draft's preview).
type impactPage struct {
	consoleBase
	// Path is the impact page's own path; VersionPath the version's page.
	Path, VersionPath, TariffID string
	// Back is the page's address with its question, where the sample
	// forms return.
	Back                 string
	Number               int
	Status               domain.VersionStatus
	Draft, IsTariff      bool
	Corrects, Replaces   int
	ValidFrom            string
	KnownAt, ValidFromIn formField
	AskValidFrom         bool
	// Answered: the question could be answered (no field at fault).
	Answered bool
	R        domain.Impact
	Rows     []impactRow
	// Monthly and Yearly are the totals' changes, signed.
	MonthlyFee, MonthlyNet, YearlyFee, YearlyNet string
	// Samples are the tariff's sample cases (a tariff's draft).
	ShowSamples                    bool
	Samples                        []sampleRow
	SamplesFee, SamplesNet         string
	SamplesYearFee, SamplesYearNet string
	// CanKeep: the user may keep the sample cases.
	CanKeep       bool
	SampleFields  []formField
	LineFields    []sampleLineFields
	SampleVersion int64
	E             *formErrors
}

// sampleLineFields are the fields of line N of the sample case form.
type sampleLineFields struct {
	N      int
	Fields []formField
}

// signedMoney writes a change with its sign ("+10,84 €", "-10,84 €").
func signedMoney(l *Lang, m domain.Money) string {
	if m > 0 {
		return l.T("impact.plus") + l.Money(m)
	}
	return l.Money(m)
}

func changeOfTotals(l *Lang, c domain.Change, fee bool) changeText {
	pick := func(t domain.Totals) domain.Money {
		if fee {
			return t.ClientFee
		}
		return t.CountyNet
	}
	return changeText{Before: l.Money(pick(c.Before)), After: l.Money(pick(c.After)), Change: signedMoney(l, pick(c.Change))}
}

// pageTariffImpact handles GET /tariffs/:id/versions/:version/impact.
func (s *Server) pageTariffImpact(c *fiber.Ctx) error {
	return s.pageImpact(c, domain.KindTariff)
}

// pageIncomeImpact handles GET /income-catalogues/:id/versions/:version/impact.
func (s *Server) pageIncomeImpact(c *fiber.Ctx) error {
	return s.pageImpact(c, domain.KindIncome)
}

// pageImpact answers the request's question of a version of kind.
func (s *Server) pageImpact(c *fiber.Ctx, kind domain.VersionKind) error {
	n, err := versionParam(c)
	if err != nil {
		return err
	}
	return s.renderImpact(c, fiber.StatusOK, impactAsk{kind: kind, id: pathParam(c, "id"), n: n,
		knownAt: strings.Clone(c.Query("known_at")), validFrom: strings.Clone(c.Query("valid_from")), back: localPath(c.OriginalURL())},
		sampleForm{}, newErrors())
}

// impactAsk is an impact question as the page's query asks it.
type impactAsk struct {
	kind               domain.VersionKind
	id                 string
	n                  int
	knownAt, validFrom string
	// back is the page's own address, where the sample forms return.
	back string
}

// renderImpact answers the impact question of the request's version, with
// the sample form's input in and its messages in sf.
func (s *Server) renderImpact(c *fiber.Ctx, status int, a impactAsk, in sampleForm, sf *formErrors) error {
	ctx, l := c.UserContext(), s.pageLang(c)
	kind, id, n := a.kind, a.id, a.n
	var k versioned
	if kind == domain.KindTariff {
		t, err := s.reads.Tariff(ctx, id)
		if err != nil {
			return err
		}
		k = tariffKind(t)
	} else {
		ic, err := s.reads.IncomeCatalogue(ctx, id)
		if err != nil {
			return err
		}
		k = incomeKind(ic)
	}
	i := slices.IndexFunc(k.versions, func(v domain.VersionInfo) bool { return v.Number == n })
	if i < 0 {
		return &domain.Error{Code: domain.ENotFound, Field: "version", Message: "there is no version " + strconv.Itoa(n)}
	}
	v := k.versions[i]
	p := &impactPage{consoleBase: catalogueBase("impact.title", "impact.intro", k.words.nav), Path: k.versionPath(n) + "/impact",
		VersionPath: k.versionPath(n), TariffID: k.id, Number: n, Status: v.Status, Draft: v.Status == domain.StatusDraft,
		IsTariff: kind == domain.KindTariff, Corrects: v.Corrects, E: sf}
	p.Wide = true
	if p.Draft {
		p.Title, p.Intro = "impact.draft.title", "impact.draft.intro"
	}
	for _, it := range timeline(k.versions, k.path(), s.today()) {
		if it.Number == n {
			p.Replaces = it.Replaces
		}
	}
	if v.Status == domain.StatusPublished {
		p.ValidFrom = l.Date(v.ValidFrom)
	}
	// The question's own fields.
	qf := newErrors()
	knownIn, validIn := a.knownAt, a.validFrom
	p.Back = a.back
	q := domain.ImpactQuery{Kind: kind, ID: k.id, Version: n}
	if knownIn != "" {
		t, msg := s.readKnownAt(l, knownIn)
		if msg != "" {
			qf.add("impact-known_at", msg)
		}
		q.KnownAt.Time = t
	}
	p.AskValidFrom = p.Draft && v.Corrects == 0
	if p.AskValidFrom {
		if validIn == "" {
			validIn = s.today().String()
		}
		q.ValidFrom = dateInput(l, qf, "impact-valid_from", validIn, true, s.planDates())
	}
	p.KnownAt = fieldOf(l, qf, "datetime-local", "impact-known_at", "known_at", "impact.known_at", knownIn)
	p.ValidFromIn = fieldOf(l, qf, "date", "impact-valid_from", "valid_from", "impact.valid_from", validIn)
	if qf.ok() {
		r, err := s.versionImpact(c, q)
		switch {
		case err == nil:
			p.Answered, p.R = true, r
		case !qf.domainError(l, err, map[string]string{"valid_from": "impact-valid_from", "known_at": "impact-known_at"}):
			return err
		}
		p.KnownAt.Error, p.ValidFromIn.Error = qf.Of("impact-known_at"), qf.Of("impact-valid_from")
	}
	if !qf.ok() && status == fiber.StatusOK {
		status = fiber.StatusUnprocessableEntity
	}
	if p.Answered {
		if err := s.fillImpact(c, l, p); err != nil {
			return err
		}
	}
	if p.IsTariff && p.Draft && p.Answered {
		if err := s.fillSamples(c, l, p, in); err != nil {
			return err
		}
	}
	p.Problems = slices.Concat(problems(l, qf, nil), problems(l, sf, nil))
	return s.render(c, status, "impact_version", p)
}

// readKnownAt reads the moment of a date-time input (Helsinki time); msg
// says why it cannot be used.
func (s *Server) readKnownAt(l *Lang, v string) (time.Time, string) {
	var t time.Time
	var err error
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02T15:04:05"} {
		if t, err = time.ParseInLocation(layout, v, domain.Helsinki); err == nil {
			break
		}
	}
	switch {
	case err != nil:
		return time.Time{}, l.T("impact.error.known_at")
	case t.After(s.now()):
		return time.Time{}, l.T("impact.error.known_at_future")
	case t.Year() < earliestDate.Time().Year():
		return time.Time{}, l.T("impact.error.known_at")
	}
	return t, ""
}

// fillImpact writes the answer's totals and decisions in l.
func (s *Server) fillImpact(c *fiber.Ctx, l *Lang, p *impactPage) error {
	r := p.R
	p.MonthlyFee, p.MonthlyNet = signedMoney(l, r.Monthly.ClientFee), signedMoney(l, r.Monthly.CountyNet)
	p.YearlyFee, p.YearlyNet = signedMoney(l, r.Yearly.ClientFee), signedMoney(l, r.Yearly.CountyNet)
	svcs, err := s.reads.Services(c.UserContext())
	if err != nil {
		return err
	}
	names := serviceNames(l, svcs)
	id, _ := identityOf(c)
	readDecisions := s.may(id, fiber.MethodGet, "/decisions/:estimate_id")
	for i, d := range r.Decisions {
		row := impactRow{ID: d.EstimateID, Number: d.DecisionNumber, DecisionDate: l.Date(d.DecisionDate), PricingDate: l.Date(d.PricingDate)}
		switch {
		case d.Compare != nil:
			row.Fee, row.Net = changeOfTotals(l, d.Compare.Monthly, true), changeOfTotals(l, d.Compare.Monthly, false)
		case d.Problem != nil:
			row.Problem = l.T("impact.decision.problem", "message", d.Problem.Message)
		}
		switch {
		case r.Anonymised:
			// Who may not read decisions sees them unnamed.
			row.ID, row.Number, row.DecisionDate = "n"+strconv.Itoa(i+1), l.T("impact.decision.unnamed", "n", i+1), "–"
		case readDecisions:
			row.Href = "/decisions/" + url.PathEscape(d.EstimateID)
		}
		for _, u := range d.Uses {
			row.Uses = append(row.Uses, usesText(l, names, u))
		}
		p.Rows = append(p.Rows, row)
	}
	return nil
}

// usesText writes what a decision used that the version changes:
// "Meal service, own production: fee".
func usesText(l *Lang, names map[string]string, u domain.EntryChange) string {
	what := make([]string, len(u.Changed))
	for i, ch := range u.Changed {
		key := "impact.what." + ch
		if l.Has(key) {
			what[i] = l.T(key)
		} else {
			what[i] = ch
		}
	}
	words := strings.Join(what, ", ")
	if u.Service == "" {
		return words
	}
	name := names[u.Service]
	if name == "" {
		name = u.Service
	}
	if u.Mode != "" {
		name += ", " + l.T("catalogue.mode."+string(u.Mode))
	}
	return name + ": " + words
}

// fillSamples puts the tariff's sample cases on a draft's page: their
// figures under the version in effect and under the draft, and, for those
// who keep the catalogue, the forms that keep them.
func (s *Server) fillSamples(c *fiber.Ctx, l *Lang, p *impactPage, in sampleForm) error {
	ctx := c.UserContext()
	set, err := s.commands.Samples(ctx, p.TariffID)
	if err != nil {
		return err
	}
	p.ShowSamples, p.SampleVersion, p.CanKeep = true, sampleFormVersion(set), s.mayKeep(c)
	names := map[string]string{}
	for _, sm := range set.Samples() {
		names[sm.ID] = sm.Name
	}
	for _, si := range p.R.Samples {
		row := sampleRow{ID: si.ID, Name: si.Name}
		switch {
		case si.Compare != nil:
			row.Fee, row.Net = changeOfTotals(l, si.Compare.Monthly, true), changeOfTotals(l, si.Compare.Monthly, false)
		case si.Problem != nil:
			row.Problem = l.T("impact.samples.problem")
		}
		p.Samples = append(p.Samples, row)
		delete(names, si.ID)
	}
	// Samples the answer did not price (no version in effect to compare
	// with) are still listed, to be removed.
	for _, sm := range set.Samples() {
		if _, left := names[sm.ID]; left {
			p.Samples = append(p.Samples, sampleRow{ID: sm.ID, Name: sm.Name, Problem: l.T("impact.samples.no_replaced")})
		}
	}
	p.SamplesFee, p.SamplesNet = signedMoney(l, p.R.SamplesMonthly.ClientFee), signedMoney(l, p.R.SamplesMonthly.CountyNet)
	p.SamplesYearFee, p.SamplesYearNet = signedMoney(l, p.R.SamplesYearly.ClientFee), signedMoney(l, p.R.SamplesYearly.CountyNet)
	if !p.CanKeep {
		return nil
	}
	return s.sampleFields(c, l, p, in)
}

// sampleFields builds the form of a new sample case.
func (s *Server) sampleFields(c *fiber.Ctx, l *Lang, p *impactPage, in sampleForm) error {
	ctx, f := c.UserContext(), p.E
	t, err := s.reads.Tariff(ctx, p.TariffID)
	if err != nil {
		return err
	}
	svcs, err := s.reads.Services(ctx)
	if err != nil {
		return err
	}
	names := serviceNames(l, svcs)
	lineOpts := []option{{Value: "", Label: l.T("impact.sample.line_none")}}
	for _, v := range t.Versions {
		if v.Number != p.Number {
			continue
		}
		for _, e := range v.Entries {
			name := names[e.Service]
			if name == "" {
				name = e.Service
			}
			lineOpts = append(lineOpts, option{Value: e.Service + "/" + string(e.Mode), Label: name + ", " + l.T("catalogue.mode."+string(e.Mode))})
		}
	}
	cats, err := s.reads.IncomeCatalogues(ctx)
	if err != nil {
		return err
	}
	catOpts := []option{{Value: "", Label: l.T("impact.sample.income_none")}}
	for _, ic := range cats {
		catOpts = append(catOpts, option{Value: ic.ID, Label: ic.Name})
	}
	mapleOpts := []option{{Value: "", Label: l.T("impact.sample.maple_none")}}
	for i := 1; i <= 5; i++ {
		mapleOpts = append(mapleOpts, option{Value: strconv.Itoa(i), Label: strconv.Itoa(i)})
	}
	freqOpts := make([]option, len(domain.Frequencies))
	for i, fr := range domain.Frequencies {
		freqOpts[i] = option{Value: string(fr), Label: l.T("estimates.frequency." + string(fr))}
	}
	size := in.HouseholdSize
	if size == "" {
		size = "1"
	}
	p.SampleFields = []formField{
		fieldOf(l, f, "text", "sample-name", "name", "impact.sample.name", in.Name),
		fieldOf(l, f, "select", "sample-maple", "maple", "impact.sample.maple", in.Maple).with(mapleOpts).short(),
		fieldOf(l, f, "text", "sample-household_size", "household_size", "impact.sample.household_size", size).short(),
		fieldOf(l, f, "text", "sample-gross_income", "gross_income", "impact.sample.gross_income", in.GrossIncome).short(),
		fieldOf(l, f, "text", "sample-net_income", "net_income", "impact.sample.net_income", in.NetIncome).short(),
		fieldOf(l, f, "select", "sample-income_catalogue", "income_catalogue", "impact.sample.income_catalogue", in.IncomeCatalogue).with(catOpts),
	}
	lines := in.lines()
	p.LineFields = make([]sampleLineFields, sampleLines)
	for i, ln := range lines {
		n := strconv.Itoa(i + 1)
		freq := ln[2]
		if freq == "" {
			freq = string(domain.PerMonth)
		}
		p.LineFields[i] = sampleLineFields{N: i + 1, Fields: []formField{
			fieldOf(l, f, "select", "sample-line"+n+"-service", "line"+n+"_service", "impact.sample.line_service", ln[0]).with(lineOpts),
			fieldOf(l, f, "text", "sample-line"+n+"-quantity", "line"+n+"_quantity", "impact.sample.line_quantity", ln[1]).short(),
			fieldOf(l, f, "select", "sample-line"+n+"-frequency", "line"+n+"_frequency", "impact.sample.line_frequency", freq).with(freqOpts).short(),
			fieldOf(l, f, "text", "sample-line"+n+"-provider_price", "line"+n+"_provider_price", "impact.sample.line_provider_price", ln[3]).short(),
		}}
	}
	return nil
}

// lines returns the form's lines: service/mode, quantity, frequency and
// provider price.
func (in sampleForm) lines() [sampleLines][4]string {
	return [sampleLines][4]string{
		{in.Line1Service, in.Line1Quantity, in.Line1Frequency, in.Line1Provider},
		{in.Line2Service, in.Line2Quantity, in.Line2Frequency, in.Line2Provider},
		{in.Line3Service, in.Line3Quantity, in.Line3Frequency, in.Line3Provider},
	}
}

// readSampleForm reads the sample case form of the request.
func readSampleForm(c *fiber.Ctx) sampleForm {
	v := func(name string) string { return formValue(c, name) }
	return sampleForm{Name: v("name"), Maple: v("maple"), HouseholdSize: v("household_size"), GrossIncome: v("gross_income"),
		NetIncome: v("net_income"), IncomeCatalogue: v("income_catalogue"),
		Line1Service: v("line1_service"), Line1Quantity: v("line1_quantity"), Line1Frequency: v("line1_frequency"), Line1Provider: v("line1_provider_price"),
		Line2Service: v("line2_service"), Line2Quantity: v("line2_quantity"), Line2Frequency: v("line2_frequency"), Line2Provider: v("line2_provider_price"),
		Line3Service: v("line3_service"), Line3Quantity: v("line3_quantity"), Line3Frequency: v("line3_frequency"), Line3Provider: v("line3_provider_price"),
		Back: v("back"), ExpectedVersion: v("expected_version")}
}

// sampleBack is the draft's impact page a sample form came from: its
// back field when that is one of the tariff's impact pages, else the
// tariff's page.
func sampleBack(tariffID, back string) string {
	prefix := "/tariffs/" + url.PathEscape(tariffID) + "/versions/"
	if p := localPath(back); strings.HasPrefix(p, prefix) && strings.HasSuffix(pathOf(p), "/impact") {
		return p
	}
	return "/tariffs/" + url.PathEscape(tariffID)
}

// postSampleAdd handles POST /tariffs/:id/samples: a new sample case of
// the tariff, checked field by field before it is kept; a failed form
// shows the draft's page again with the messages.
func (s *Server) postSampleAdd(c *fiber.Ctx) error {
	ctx, l := c.UserContext(), s.pageLang(c)
	id := pathParam(c, "id")
	if _, err := s.reads.Tariff(ctx, id); err != nil {
		return err
	}
	in := readSampleForm(c)
	back := sampleBack(id, in.Back)
	f := newErrors()
	set, err := s.commands.Samples(ctx, id)
	if err != nil {
		return err
	}
	expected := sampleExpected(formVersion(c, l, f, sampleFormVersion(set)))
	sm := domain.Sample{Name: in.Name}
	if in.Name == "" {
		f.add("sample-name", l.T("error.required"))
	}
	if m, ok := intInput(l, f, "sample-maple", in.Maple, false, 1, 5); ok {
		sm.Case.Maple = m
	}
	size, _ := intInput(l, f, "sample-household_size", in.HouseholdSize, true, 1, domain.MaxHouseholdSize)
	sm.Case.Household.Size = size
	if m, ok := moneyInput(l, f, "sample-gross_income", in.GrossIncome, false, 0); ok {
		sm.Case.Household.GrossIncome = &m
	}
	if m, ok := moneyInput(l, f, "sample-net_income", in.NetIncome, false, 0); ok {
		sm.Case.Household.NetIncome = &m
	}
	sm.Case.IncomeCatalogueID = in.IncomeCatalogue
	for i, ln := range in.lines() {
		n := strconv.Itoa(i + 1)
		if ln[0] == "" {
			if ln[1] != "" {
				f.add("sample-line"+n+"-service", l.T("error.required"))
			}
			continue
		}
		service, mode, ok := strings.Cut(ln[0], "/")
		if !ok {
			f.add("sample-line"+n+"-service", l.T("impact.sample.error.service"))
			continue
		}
		line := domain.Line{ID: "l" + n, Service: service, Mode: domain.Mode(mode), Frequency: domain.Frequency(ln[2])}
		if ln[1] == "" {
			f.add("sample-line"+n+"-quantity", l.T("error.required"))
		} else if q, ok := parseQuantity(l, ln[1]); !ok || q <= 0 {
			f.add("sample-line"+n+"-quantity", quantityMessage(l))
		} else {
			line.Quantity = q
		}
		if !slices.Contains(domain.Frequencies, line.Frequency) {
			f.add("sample-line"+n+"-frequency", l.T("impact.sample.error.frequency"))
		}
		if m, ok := moneyInput(l, f, "sample-line"+n+"-provider_price", ln[3], false, 0); ok {
			line.ProviderPrice = &m
		}
		sm.Case.Lines = append(sm.Case.Lines, line)
	}
	if len(sm.Case.Lines) == 0 && f.Of("sample-line1-service") == "" {
		f.add("sample-line1-service", l.T("impact.sample.error.no_lines"))
	}
	sm.ID = nextSampleID(set.Samples())
	if f.ok() {
		cmd, err := s.command(c, expected)
		if err != nil {
			return err
		}
		r, err := s.commands.SaveSample(ctx, cmd, id, sm, s.today())
		if err == nil {
			if err := s.settle(c, r); err != nil {
				return err
			}
			return s.redirectWith(c, back, "impact.sample.saved")
		}
		fields := map[string]string{"name": "sample-name", "maple": "sample-maple", "size": "sample-household_size",
			"gross_income": "sample-gross_income", "net_income": "sample-net_income", "income_catalogue": "sample-income_catalogue"}
		if i := lineIndex(domain.ErrorField(err)); i > 0 {
			n := strconv.Itoa(i)
			for _, k := range []string{"service", "mode", "quantity", "frequency", "provider_price"} {
				to := k
				if k == "mode" {
					to = "service"
				}
				fields[k] = "sample-line" + n + "-" + to
			}
		}
		if !f.domainError(l, err, fields) {
			return err
		}
	}
	return s.sampleFormAgain(c, id, back, in, f)
}

// sampleFormAgain shows the draft's page back (its path and question)
// again with the failed sample form.
func (s *Server) sampleFormAgain(c *fiber.Ctx, tariffID, back string, in sampleForm, f *formErrors) error {
	u, err := url.Parse(back)
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	n := 0
	if err == nil && len(parts) == 5 && parts[4] == "impact" {
		n, _ = strconv.Atoi(parts[3])
	}
	if n < 1 {
		return &formError{status: fiber.StatusUnprocessableEntity, key: "impact.sample.error.form",
			err: domain.Invalidf("back", "the form was not sent from a draft's page")}
	}
	q := u.Query()
	return s.renderImpact(c, fiber.StatusUnprocessableEntity, impactAsk{kind: domain.KindTariff, id: tariffID, n: n,
		knownAt: q.Get("known_at"), validFrom: q.Get("valid_from"), back: back}, in, f)
}

// lineIndex returns the line (from 1) a domain field names
// ("case.lines[1].quantity" is 2), 0 for none.
func lineIndex(field string) int {
	_, rest, ok := strings.Cut(field, "lines[")
	if !ok {
		return 0
	}
	n, _, _ := strings.Cut(rest, "]")
	i, err := strconv.Atoi(n)
	if err != nil {
		return 0
	}
	return i + 1
}

// nextSampleID is the first "sample-N" not taken.
func nextSampleID(have []domain.Sample) string {
	for n := len(have) + 1; ; n++ {
		id := "sample-" + strconv.Itoa(n)
		if !slices.ContainsFunc(have, func(x domain.Sample) bool { return x.ID == id }) {
			return id
		}
	}
}

// sampleFormVersion is the version of a tariff's sample cases as their
// forms carry it: the stream's version plus one, so a tariff without
// sample cases yet (a stream at -1) is 0, as a form's expected_version is
// a whole number from 0.
func sampleFormVersion(set *domain.SampleSet) int64 { return set.StreamVersion() + 1 }

// sampleExpected turns the version a sample form carries back into the
// stream's version the command expects (none for a stream not written
// yet: the form already checked it was rendered from an empty set).
func sampleExpected(v *int64) *int64 {
	if v == nil || *v == 0 {
		return nil
	}
	e := *v - 1
	return &e
}

// postSampleRemove handles POST /tariffs/:id/samples/:sample/remove.
func (s *Server) postSampleRemove(c *fiber.Ctx) error {
	ctx, l := c.UserContext(), s.pageLang(c)
	id := pathParam(c, "id")
	set, err := s.commands.Samples(ctx, id)
	if err != nil {
		return err
	}
	back := sampleBack(id, formValue(c, "back"))
	f := newErrors()
	expected := sampleExpected(formVersion(c, l, f, sampleFormVersion(set)))
	if !f.ok() {
		return s.sampleFormAgain(c, id, back, sampleForm{}, f)
	}
	cmd, err := s.command(c, expected)
	if err != nil {
		return err
	}
	r, err := s.commands.RemoveSample(ctx, cmd, id, pathParam(c, "sample"))
	if err != nil {
		return err
	}
	if err := s.settle(c, r); err != nil {
		return err
	}
	return s.redirectWith(c, back, "impact.sample.removed")
}
