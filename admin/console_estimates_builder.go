package admin

import (
	"cmp"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// estimatePage is an estimate: the builder while the person may change it
// (lines, client details, lifecycle), else the estimate read-only.
type estimatePage struct {
	consoleBase
	E           projections.EstimateDetail
	StatusLabel string
	StatusBadge string
	// Edit: the lines and details may change now; MayRevise: a decided
	// estimate may be revised by this person.
	Edit, MayRevise bool
	Facts           []fact
	Lines           []lineRow
	New             lineRow
	Totals          totalsView
	Explain         []explainBlock
	FeeBasis        []string
	Chart           *chartView
	Client          clientView
	ClientOpen      bool
	Decide          decideView
	Revise          fieldView
	Cancel          fieldView
	CancelOpen      bool
	// DecideOpen opens the decision of an estimate not presented (a
	// failed form).
	DecideOpen bool
	// Announce is read out after a partial update (the new totals).
	Announce string
	// Related are the estimate's revision chain.
	Related []relatedLink
}

// fact is a row of the estimate's summary.
type fact struct {
	Label, Value, Href, Badge string
	ID                        string
}

// relatedLink links an estimate of the revision chain.
type relatedLink struct{ Label, Href string }

// totalsView are the estimate's totals, formatted.
type totalsView struct {
	Client, County, Gross                   string
	HasOneOff                               bool
	OneOffClient, OneOffCounty, OneOffGross string
	YearClient, YearCounty, YearGross       string
	// HasCopay: there is a voucher line, whose co-payments to the
	// providers are shown apart from the client fees (OneOffCopay only
	// when some is once).
	HasCopay                      bool
	Copay, OneOffCopay, YearCopay string
}

// explainBlock explains the fee of a rule in sentences.
type explainBlock struct {
	ID, Title string
	Lines     []string
}

// decideView is the decision's form.
type decideView struct {
	Number, Date, EffectiveFrom, Reason fieldView
	// NeedReason: the estimate was not presented, so the decision says why.
	NeedReason bool
}

// lineInput is a line as typed.
type lineInput struct{ Service, Mode, Quantity, Frequency, ProviderPrice string }

// lineFormFields names the fields of a line's form.
type lineFormFields struct {
	Service         string `json:"service"`
	Mode            string `json:"mode"`
	Quantity        string `json:"quantity"`
	Frequency       string `json:"frequency"`
	ProviderPrice   string `json:"provider_price"`
	ExpectedVersion int64  `json:"expected_version"`
}

// lineRow is a row of the lines table: the add row, a line to change, or a
// line read-only.
type lineRow struct {
	L          *Lang
	EstimateID string
	// ID is the line's id ("" for the add row); Prefix begins the ids of
	// its controls ("line" for the add row, "line-l1" for line l1).
	ID, Prefix string
	// RowParam names the row to the choices route: new, or the line's id.
	RowParam string
	Number   int
	// OOB marks the parts of a partial update that htmx swaps in by id.
	OOB       bool
	Edit      bool
	Focus     bool
	Service   fieldView
	Mode      fieldView
	Quantity  fieldView
	Frequency fieldView
	Provider  fieldView
	Unit      string
	// Read-only: the line as words.
	ServiceName, ModeName, Amount string
	// Figures of a priced line.
	Priced                      bool
	ClientFee, CountyNet, Gross string
	// Copay is a voucher line's co-payment to the provider ("" on other
	// lines): no client fee, shown apart.
	Copay   string
	FeeNote string
	OneOff  bool
	Hints   []string
	Error   string
	// FixHref links the client's detail a row-level message asks for.
	FixHref string
}

// buildContext is what a page of an estimate is built from.
type buildContext struct {
	l   *Lang
	d   projections.EstimateDetail
	q   *domain.Quote
	cat *catalogueNow
	tv  *domain.TariffVersion // the tariff version in effect now on the pricing date
}

// problem puts the error of a command on a builder form (estimateProblem).
func (bc *buildContext) problem(errs *formErrors, err error, fieldOf func(string) string) bool {
	return estimateProblem(bc.l, errs, err, fieldOf)
}

// localCatalogueNow holds the catalogue a request read (catalogueNow).
const localCatalogueNow = "carecost.catalogue_now"

// buildContextFor reads the catalogue and the quote of d.
func (s *Server) buildContextFor(c *fiber.Ctx, l *Lang, d projections.EstimateDetail) (*buildContext, error) {
	// Read once a request: a form's answer builds the context twice.
	cat, _ := c.Locals(localCatalogueNow).(*catalogueNow)
	if cat == nil {
		var err error
		if cat, err = s.readCatalogueNow(c.UserContext()); err != nil {
			return nil, err
		}
		c.Locals(localCatalogueNow, cat)
	}
	bc := &buildContext{l: l, d: d, cat: cat, tv: tariffInEffect(cat.tariff(d.TariffID), d.PricingDate)}
	if len(d.Quote) > 0 && string(d.Quote) != "null" {
		var q domain.Quote
		if err := json.Unmarshal(d.Quote, &q); err != nil {
			return nil, err
		}
		bc.q = &q
	}
	return bc, nil
}

// mayChange reports whether the request's person may change estimate d
// now, and whether they may revise it.
func (s *Server) mayChange(c *fiber.Ctx, d projections.EstimateDetail) (edit, revise bool) {
	id, _ := identityOf(c)
	builds := s.may(id, fiber.MethodPost, "/estimates/:id/lines") && actorOf(c).Changes(d.Team)
	undecided := d.Status == string(domain.EstDraft) || d.Status == string(domain.EstPresented)
	return builds && undecided, builds && d.Status == string(domain.EstDecided)
}

// estimatePageFor builds the page of estimate d for the request.
func (s *Server) estimatePageFor(c *fiber.Ctx, bc *buildContext) *estimatePage {
	l, d := bc.l, bc.d
	p := &estimatePage{consoleBase: consoleBase{Title: l.T("estimates.builder.title", "client", d.ClientRef),
		Intro: "estimates.builder.intro", Section: "nav.estimates", Wide: true, Styles: []string{"estimates"}}, E: d}
	p.Edit, p.MayRevise = s.mayChange(c, d)
	p.Live = p.Edit
	if !p.Edit {
		p.Intro = "estimates.view.intro"
	}
	p.StatusLabel, p.StatusBadge = l.T("estimates.status."+d.Status), statusBadge(d.Status)
	p.Facts = bc.facts()
	p.Related = relatedLinks(l, d)
	hints := map[string][]string{}
	if bc.q != nil {
		for _, h := range bc.q.Hints {
			hints[h.LineID] = append(hints[h.LineID], hintText(l, h))
		}
		for i, lr := range bc.q.Lines {
			in := lineInput{Service: lr.Service, Mode: string(lr.Mode), Quantity: quantityInput(l, lr.Quantity),
				Frequency: string(lr.Frequency), ProviderPrice: ""}
			if lr.ProviderPrice != nil {
				in.ProviderPrice = moneyText(l, *lr.ProviderPrice)
			}
			row := bc.row(lr.LineID, i+1, in, p.Edit, &formErrors{})
			bc.figures(&row, lr)
			row.Hints = hints[lr.LineID]
			p.Lines = append(p.Lines, row)
		}
		p.Totals = totalsOf(l, bc.q)
		p.Explain = explainFees(l, bc.q)
		p.FeeBasis = feeBasis(l, bc.q, bc.cat)
		p.Chart = chartOf(l, bc.q, bc.cat)
	}
	if p.Edit {
		p.New = bc.row("", len(p.Lines)+1, lineInput{}, true, &formErrors{})
		f := clientFormOf(l, d.ClientRef, d.Maple, d.Segment, d.Household,
			domain.Basis{TariffID: d.TariffID, IncomeCatalogueID: d.IncomeCatalogueID, PricingDate: d.PricingDate})
		p.Client = f.view(l, &formErrors{}, bc.cat)
		p.Decide = decideViewOf(l, decideInput{Date: s.today().String(), EffectiveFrom: s.today().String()}, d.Status, &formErrors{})
		p.Cancel = cancelField(l, "", &formErrors{})
	}
	if p.MayRevise {
		p.Revise = reviseField(l, s.today().String(), &formErrors{})
	}
	return p
}

// facts are the estimate's summary: who, the assessment, the household,
// the price lists and the decision.
func (bc *buildContext) facts() []fact {
	l, d := bc.l, bc.d
	out := []fact{
		{Label: l.T("estimates.field.client_ref"), Value: d.ClientRef, ID: "fact-client"},
		{Label: l.T("estimates.fact.status"), Value: l.T("estimates.status." + d.Status), Badge: statusBadge(d.Status), ID: "estimate-status"},
	}
	if d.Maple > 0 {
		out = append(out, fact{Label: l.T("estimates.field.maple"), Value: l.T("estimates.maple." + strconv.Itoa(d.Maple))})
	}
	if d.Segment != "" {
		out = append(out, fact{Label: l.T("estimates.field.segment"), Value: l.T("segment." + d.Segment)})
	}
	out = append(out, fact{Label: l.T("estimates.fact.household"), Value: householdText(l, d.Household)})
	tariff := d.TariffID
	if t := bc.cat.tariff(d.TariffID); t != nil {
		tariff = t.Name
	}
	if bc.q != nil {
		tariff = l.T("estimates.fact.tariff_version", "name", bc.q.Tariff.Name, "version", bc.q.Tariff.Version, "from", l.Date(bc.q.Tariff.ValidFrom))
	}
	out = append(out, fact{Label: l.T("estimates.field.tariff"), Value: tariff, ID: "fact-tariff"})
	income := l.T("estimates.income.none")
	if bc.q != nil && bc.q.IncomeCatalogue != nil {
		ic := bc.q.IncomeCatalogue
		income = l.T("estimates.fact.tariff_version", "name", ic.Name, "version", ic.Version, "from", l.Date(ic.ValidFrom))
	} else if ic := bc.cat.income(d.IncomeCatalogueID); ic != nil {
		income = ic.Name
	}
	out = append(out, fact{Label: l.T("estimates.field.income_catalogue"), Value: income})
	out = append(out, fact{Label: l.T("estimates.field.pricing_date"), Value: l.Date(d.PricingDate)})
	if !d.OpenedAt.IsZero() {
		out = append(out, fact{Label: l.T("estimates.fact.opened"), Value: l.Time(d.OpenedAt)})
	}
	if d.DecisionNumber != "" {
		out = append(out, fact{Label: l.T("estimates.fact.decision"), ID: "fact-decision",
			Value: l.T("estimates.fact.decision_text", "number", d.DecisionNumber, "date", l.Date(d.DecisionDate), "from", l.Date(d.EffectiveFrom))})
	}
	if d.CancelReason != "" {
		out = append(out, fact{Label: l.T("estimates.fact.cancel_reason"), Value: d.CancelReason})
	}
	return out
}

// householdText says the household in words.
func householdText(l *Lang, h domain.Household) string {
	parts := []string{l.T("estimates.fact.size", "n", h.Size)}
	if h.Size == 1 {
		parts[0] = l.T("estimates.fact.size_one")
	}
	if h.GrossIncome != nil {
		parts = append(parts, l.T("estimates.fact.gross", "amount", l.Money(*h.GrossIncome)))
	}
	if h.NetIncome != nil {
		parts = append(parts, l.T("estimates.fact.net", "amount", l.Money(*h.NetIncome)))
	}
	if len(h.Deductions) > 0 {
		var sum domain.Money
		for _, d := range h.Deductions {
			sum += d.Amount
		}
		parts = append(parts, l.T("estimates.fact.deductions", "amount", l.Money(sum)))
	}
	if h.Spouse != nil {
		parts = append(parts, l.T("estimates.fact.spouse"))
	}
	return strings.Join(parts, "; ")
}

// relatedLinks are the revision chain of d.
func relatedLinks(l *Lang, d projections.EstimateDetail) []relatedLink {
	var out []relatedLink
	if d.RevisionOf != "" {
		out = append(out, relatedLink{Label: l.T("estimates.related.revision_of"), Href: "/estimates/" + d.RevisionOf})
	}
	if d.SupersededBy != "" {
		out = append(out, relatedLink{Label: l.T("estimates.related.superseded_by"), Href: "/estimates/" + d.SupersededBy})
	}
	for i, r := range d.Revisions {
		if r != d.SupersededBy {
			out = append(out, relatedLink{Label: l.T("estimates.related.revision", "n", i+1), Href: "/estimates/" + r})
		}
	}
	return out
}

// quantityInput writes a quantity as a form's value, in the language's
// decimal mark.
func quantityInput(l *Lang, q domain.Quantity) string {
	return strings.Replace(q.String(), ".", l.T("format.decimal"), 1)
}

// row builds a row of the lines table from what was typed (or what the
// line holds): the choices the service allows under the tariff version in
// effect, the unit, the messages of errs.
func (bc *buildContext) row(lineID string, number int, in lineInput, edit bool, errs *formErrors) lineRow {
	l := bc.l
	prefix := "line"
	if lineID != "" {
		prefix = "line-" + lineID
	}
	r := lineRow{L: l, EstimateID: bc.d.ID, ID: lineID, Prefix: prefix, RowParam: cmp.Or(lineID, "new"), Number: number, Edit: edit, Error: errs.Of(prefix)}
	context := l.T("estimates.line.new")
	if lineID != "" {
		context = l.T("estimates.line.number", "n", number)
	}
	svc, known := bc.cat.services[in.Service]
	// The services: those the tariff prices, by category, by name.
	groups := map[domain.Category][]choice{}
	for _, id := range bc.cat.order {
		s := bc.cat.services[id]
		if id != in.Service && (bc.cat.retired[id] || len(modesFor(s, bc.tv)) == 0) {
			continue
		}
		groups[s.Category] = append(groups[s.Category], choice{Value: id, Label: serviceName(l, s.Names), Selected: id == in.Service})
	}
	r.Service = fieldView{ID: prefix + "-service", Name: "service", Label: l.T("estimates.line.service", "line", context)}
	if lineID == "" {
		r.Service.BlankLabel = l.T("estimates.line.choose_service")
	}
	for _, cat := range domain.Categories {
		opts := groups[cat]
		if len(opts) == 0 {
			continue
		}
		slices.SortFunc(opts, func(a, b choice) int { return cmp.Compare(strings.ToLower(a.Label), strings.ToLower(b.Label)) })
		r.Service.Groups = append(r.Service.Groups, optionGroup{Label: l.T("estimates.category." + string(cat)), Options: opts})
	}
	// The modes the service allows (every mode before one is chosen).
	modes := domain.Modes
	if known {
		modes = modesFor(svc, bc.tv)
	}
	mode := domain.Mode(in.Mode)
	if !slices.Contains(modes, mode) && len(modes) > 0 && (errs.Of(prefix+"-mode") == "" || !slices.Contains(domain.Modes, mode)) {
		mode = modes[0]
	}
	r.Mode = fieldView{ID: prefix + "-mode", Name: "mode", Label: l.T("estimates.line.mode", "line", context)}
	for _, m := range modes {
		r.Mode.Options = append(r.Mode.Options, choice{Value: string(m), Label: l.T("estimates.mode." + string(m)), Selected: m == mode})
	}
	if !slices.Contains(modes, mode) && mode != "" {
		r.Mode.Options = append(r.Mode.Options, choice{Value: string(mode), Label: l.T("estimates.mode." + string(mode)), Selected: true})
	}
	r.Quantity = fieldView{ID: prefix + "-quantity", Name: "quantity", Label: l.T("estimates.line.quantity", "line", context),
		Value: in.Quantity, Type: "text", InputMode: "decimal", Class: "qty"}
	freqs := domain.Frequencies
	freq := domain.Frequency(in.Frequency)
	if known {
		r.Unit = l.T("estimates.unit." + string(svc.Unit))
		freqs = frequenciesFor(svc.Unit, incomeRule(bc.tv, svc.ID, mode))
		if !slices.Contains(freqs, freq) && errs.Of(prefix+"-frequency") == "" {
			freq = defaultFrequency(svc)
		}
	}
	if freq == "" {
		freq = domain.PerWeek
	}
	r.Frequency = fieldView{ID: prefix + "-frequency", Name: "frequency", Label: l.T("estimates.line.frequency", "line", context)}
	for _, f := range freqs {
		r.Frequency.Options = append(r.Frequency.Options, choice{Value: string(f), Label: l.T("estimates.frequency." + string(f)), Selected: f == freq})
	}
	if !slices.Contains(freqs, freq) {
		r.Frequency.Options = append(r.Frequency.Options, choice{Value: string(freq), Label: l.T("estimates.frequency." + string(freq)), Selected: true})
	}
	r.Provider = fieldView{ID: prefix + "-provider-price", Name: "provider_price", Label: l.T("estimates.line.provider_price"),
		Hint: l.T("estimates.hint.provider_price"), Value: in.ProviderPrice, Type: "text", InputMode: "decimal", Class: "price"}
	focused := false
	for _, f := range []*fieldView{&r.Service, &r.Mode, &r.Quantity, &r.Frequency, &r.Provider} {
		f.Error = errs.Of(f.ID)
		// The first field in error takes the focus, so the person lands on it.
		f.Autofocus, focused = edit && f.Error != "" && !focused, focused || f.Error != ""
	}
	r.Focus = edit && !focused && r.Error != ""
	if known {
		r.ServiceName = serviceName(l, svc.Names)
	} else {
		r.ServiceName = in.Service
	}
	r.ModeName = l.T("estimates.mode." + in.Mode)
	if q, ok := parseQuantity(l, in.Quantity); ok && known {
		r.Amount = amountText(l, q, svc.Unit, domain.Frequency(in.Frequency))
	}
	return r
}

// amountText says a line's quantity in words: "20 tuntia kuukaudessa".
func amountText(l *Lang, q domain.Quantity, unit domain.Unit, f domain.Frequency) string {
	units := l.T("estimates.unit." + string(unit))
	if q == 1000 {
		units = l.T("estimates.per." + string(unit)) // one unit: "1 tunti"
	}
	if string(unit) == string(f) {
		// A service counted per month, a month at a time: "1 kuukausi".
		return l.T("estimates.amount_per_unit", "quantity", quantityInput(l, q), "unit", units)
	}
	return l.T("estimates.amount", "quantity", quantityInput(l, q), "unit", units, "frequency", l.T("estimates.frequency."+string(f)))
}

// figures fills the priced figures of a line.
func (bc *buildContext) figures(r *lineRow, lr domain.LineResult) {
	l := bc.l
	r.Priced, r.OneOff = true, lr.Frequency == domain.OneOff
	r.ClientFee, r.CountyNet, r.Gross = l.Money(lr.ClientFee), l.Money(lr.CountyNet), l.Money(lr.CountyGross)
	if lr.Rule == domain.RuleVoucher {
		r.Copay = l.Money(lr.VoucherCopay)
	}
	r.FeeNote = feeNote(l, lr)
}

// feeNote says briefly how a line's fee is set.
func feeNote(l *Lang, lr domain.LineResult) string {
	per := l.T("estimates.per." + string(lr.Unit))
	var note string
	switch lr.Rule {
	case domain.RuleFree:
		note = l.T("estimates.note.free")
	case domain.RuleFlat:
		note = l.T("estimates.note.flat", "fee", l.Money(deref(lr.FeePerUnit)), "per", per)
	case domain.RuleIncomeTiered:
		note = l.T("estimates.note.tiered", "fee", l.Money(deref(lr.FeePerUnit)), "per", per)
	case domain.RuleHomeCareIncome:
		note = l.T("estimates.note.home_care")
	case domain.RuleHousingNet:
		note = l.T("estimates.note.housing")
	case domain.RuleVoucher:
		note = l.T("estimates.note.voucher", "fee", l.Money(deref(lr.VoucherCopayPerUnit)), "per", per, "copay", l.Money(lr.VoucherCopay))
	}
	if lr.Capped {
		note += " " + l.T("estimates.note.capped")
	}
	return note
}

func deref(m *domain.Money) domain.Money {
	if m == nil {
		return 0
	}
	return *m
}

// hintText is an eligibility hint in the person's language.
func hintText(l *Lang, h domain.Hint) string {
	switch h.Code {
	case domain.HintMinMaple:
		return l.T("estimates.hint.min_maple", "threshold", h.Threshold, "value", h.Value)
	case domain.HintMaxGrossIncome:
		return l.T("estimates.hint.max_gross_income", "threshold", moneyOfText(l, h.Threshold), "value", moneyOfText(l, h.Value))
	}
	return l.T("estimates.hint.other")
}

// moneyText formats a decimal amount of a hint.
func moneyOfText(l *Lang, v string) string {
	m, err := domain.ParseMoney(v)
	if err != nil {
		return v
	}
	return l.Money(m)
}

// totalsOf formats the quote's totals.
func totalsOf(l *Lang, q *domain.Quote) totalsView {
	t := totalsView{Client: l.Money(q.Monthly.ClientFee), County: l.Money(q.Monthly.CountyNet), Gross: l.Money(q.Monthly.CountyGross),
		YearClient: l.Money(q.Yearly.ClientFee), YearCounty: l.Money(q.Yearly.CountyNet), YearGross: l.Money(q.Yearly.CountyGross)}
	if slices.ContainsFunc(q.Lines, func(lr domain.LineResult) bool { return lr.Frequency == domain.OneOff }) {
		t.HasOneOff = true
		t.OneOffClient, t.OneOffCounty, t.OneOffGross = l.Money(q.OneOff.ClientFee), l.Money(q.OneOff.CountyNet), l.Money(q.OneOff.CountyGross)
	}
	if slices.ContainsFunc(q.Lines, func(lr domain.LineResult) bool { return lr.Rule == domain.RuleVoucher }) {
		t.HasCopay, t.Copay, t.YearCopay = true, l.Money(q.Monthly.VoucherCopay), l.Money(q.Yearly.VoucherCopay)
		if q.OneOff.VoucherCopay != 0 {
			t.OneOffCopay = l.Money(q.OneOff.VoucherCopay)
		}
	}
	return t
}

// decideInput is the decision's form as typed.
type decideInput struct{ Number, Date, EffectiveFrom, Reason string }

// decideFormFields names the fields of the decision's form.
type decideFormFields struct {
	DecisionNumber     string `json:"decision_number"`
	DecisionDate       string `json:"decision_date"`
	EffectiveFrom      string `json:"effective_from"`
	NotPresentedReason string `json:"not_presented_reason"`
	ExpectedVersion    int64  `json:"expected_version"`
}

// decideViewOf builds the decision's form.
func decideViewOf(l *Lang, in decideInput, status string, errs *formErrors) decideView {
	v := decideView{NeedReason: status != string(domain.EstPresented)}
	v.Number = fieldView{ID: "decision-number", Name: "decision_number", Label: l.T("estimates.field.decision_number"),
		Hint: l.T("estimates.hint.decision_number"), Value: in.Number, Type: "text", Class: "short", Autocomplete: "off", Required: true}
	v.Date = fieldView{ID: "decision-date", Name: "decision_date", Label: l.T("estimates.field.decision_date"), Value: in.Date, Type: "date", Class: "short", Required: true}
	v.EffectiveFrom = fieldView{ID: "effective-from", Name: "effective_from", Label: l.T("estimates.field.effective_from"),
		Hint: l.T("estimates.hint.effective_from"), Value: in.EffectiveFrom, Type: "date", Class: "short", Required: true}
	v.Reason = fieldView{ID: "not-presented-reason", Name: "not_presented_reason", Label: l.T("estimates.field.not_presented_reason"),
		Hint: l.T("estimates.hint.not_presented_reason"), Value: in.Reason}
	for _, f := range []*fieldView{&v.Number, &v.Date, &v.EffectiveFrom, &v.Reason} {
		f.Error = errs.Of(f.ID)
	}
	return v
}

// reviseFormFields names the fields of the revision's form.
type reviseFormFields struct {
	PricingDate     string `json:"pricing_date"`
	ExpectedVersion int64  `json:"expected_version"`
}

// reviseField is the revision's pricing date.
func reviseField(l *Lang, v string, errs *formErrors) fieldView {
	return fieldView{ID: "revise-pricing-date", Name: "pricing_date", Label: l.T("estimates.field.revise_pricing_date"),
		Hint: l.T("estimates.hint.revise_pricing_date"), Value: v, Type: "date", Class: "short", Error: errs.Of("revise-pricing-date")}
}

// cancelFormFields names the fields of the cancellation's form.
type cancelFormFields struct {
	Reason          string `json:"reason"`
	ExpectedVersion int64  `json:"expected_version"`
}

// cancelField is the cancellation's reason.
func cancelField(l *Lang, v string, errs *formErrors) fieldView {
	return fieldView{ID: "cancel-reason", Name: "reason", Label: l.T("estimates.field.cancel_reason"),
		Hint: l.T("estimates.hint.cancel_reason"), Value: v, Error: errs.Of("cancel-reason")}
}
