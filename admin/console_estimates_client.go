package admin

import (
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// The fields of the client's details, by the part of them a form sends
// (json tags naming them; N numbers the deduction rows from 0): the new
// estimate's form sends every part, each of the builder's editors one.
type (
	householdFields struct {
		ClientRef             string `json:"client_ref"`
		Size                  string `json:"size"`
		GrossIncome           string `json:"gross_income"`
		NetIncome             string `json:"net_income"`
		DeductionKind         string `json:"deduction_kind_N"`
		DeductionAmount       string `json:"deduction_amount_N"`
		Spouse                string `json:"spouse"`
		SpouseNetIncome       string `json:"spouse_net_income"`
		SpouseLongTermCare    string `json:"spouse_long_term_care"`
		SpouseDeductionKind   string `json:"spouse_deduction_kind_N"`
		SpouseDeductionAmount string `json:"spouse_deduction_amount_N"`
	}
	assessmentFields struct {
		Maple   string `json:"maple"`
		Segment string `json:"segment"`
	}
	basisFields struct {
		Tariff          string `json:"tariff"`
		IncomeCatalogue string `json:"income_catalogue"`
		PricingDate     string `json:"pricing_date"`
	}
	// newEstimateFormFields: every part, and the key naming the opening.
	newEstimateFormFields struct {
		householdFields
		assessmentFields
		basisFields
		FormKey string `json:"form_key"`
	}
	// The builder's editors: their part and the version of the estimate
	// they were rendered from.
	householdFormFields struct {
		householdFields
		ExpectedVersion int64 `json:"expected_version"`
	}
	assessmentFormFields struct {
		assessmentFields
		ExpectedVersion int64 `json:"expected_version"`
	}
	basisFormFields struct {
		basisFields
		ExpectedVersion int64 `json:"expected_version"`
	}
)

// maxDeductionRows bounds the deduction rows a form reads.
const maxDeductionRows = 20

// deductionInput is a deduction as typed.
type deductionInput struct{ Kind, Amount string }

// clientForm is the client's details as typed (or as the estimate holds
// them, for an editor).
type clientForm struct {
	ClientRef, Maple, Segment, Size, Gross, Net string
	Deductions                                  []deductionInput
	Spouse, SpouseLongTerm                      bool
	SpouseNet                                   string
	SpouseDeductions                            []deductionInput
	Tariff, Income, PricingDate                 string
	// FormKey names the opening, so that a form sent twice (a double
	// click) opens one estimate.
	FormKey string
}

// readClientForm reads the client's details from a posted form.
func readClientForm(c *fiber.Ctx) clientForm {
	f := clientForm{ClientRef: formValue(c, "client_ref"), Maple: formValue(c, "maple"), Segment: formValue(c, "segment"),
		Size: formValue(c, "size"), Gross: formValue(c, "gross_income"), Net: formValue(c, "net_income"),
		Spouse: formValue(c, "spouse") != "", SpouseNet: formValue(c, "spouse_net_income"), SpouseLongTerm: formValue(c, "spouse_long_term_care") != "",
		Tariff: formValue(c, "tariff"), Income: formValue(c, "income_catalogue"), PricingDate: formValue(c, "pricing_date"),
		FormKey: formValue(c, "form_key")}
	f.Deductions = readDeductions(c, "deduction")
	f.SpouseDeductions = readDeductions(c, "spouse_deduction")
	return f
}

func readDeductions(c *fiber.Ctx, prefix string) []deductionInput {
	var out []deductionInput
	for i := range maxDeductionRows {
		n := strconv.Itoa(i)
		d := deductionInput{Kind: formValue(c, prefix+"_kind_"+n), Amount: formValue(c, prefix+"_amount_"+n)}
		if d.Kind != "" || d.Amount != "" {
			out = append(out, d)
		}
	}
	return out
}

// clientFormOf is the form holding what estimate d holds.
func clientFormOf(l *Lang, clientRef string, maple int, segment string, h domain.Household, b domain.Basis) clientForm {
	f := clientForm{ClientRef: clientRef, Segment: segment, Size: strconv.Itoa(h.Size),
		Tariff: b.TariffID, Income: b.IncomeCatalogueID, PricingDate: b.PricingDate.String()}
	if maple > 0 {
		f.Maple = strconv.Itoa(maple)
	}
	money := func(m *domain.Money) string {
		if m == nil {
			return ""
		}
		return moneyText(l, *m)
	}
	f.Gross, f.Net = money(h.GrossIncome), money(h.NetIncome)
	for _, d := range h.Deductions {
		f.Deductions = append(f.Deductions, deductionInput{Kind: d.Kind, Amount: moneyText(l, d.Amount)})
	}
	if sp := h.Spouse; sp != nil {
		f.Spouse, f.SpouseLongTerm, f.SpouseNet = true, sp.InLongTermCare, money(sp.NetIncome)
		for _, d := range sp.Deductions {
			f.SpouseDeductions = append(f.SpouseDeductions, deductionInput{Kind: d.Kind, Amount: moneyText(l, d.Amount)})
		}
	}
	return f
}

// personal checks the client reference and the household, each message
// on its field.
func (f clientForm) personal(l *Lang, errs *formErrors) domain.Personal {
	p := domain.Personal{ClientRef: f.ClientRef}
	switch msg := formatCharMessage(l, l.T("estimates.field.client_ref"), f.ClientRef); {
	case msg != "":
		errs.add("client-ref", msg)
	case f.ClientRef == "":
		errs.add("client-ref", l.T("estimates.error.client_ref"))
	case domain.CheckText("client_ref", f.ClientRef, 64, true, false) != nil:
		errs.add("client-ref", l.T("estimates.error.client_ref"))
	}
	size, err := strconv.Atoi(f.Size)
	if err != nil || size < 1 || size > domain.MaxHouseholdSize {
		errs.add("household-size", l.T("estimates.error.size", "max", domain.MaxHouseholdSize))
	}
	p.Household.Size = size
	p.Household.GrossIncome = moneyField(l, errs, "gross-income", f.Gross)
	p.Household.NetIncome = moneyField(l, errs, "net-income", f.Net)
	p.Household.Deductions = deductionsField(l, errs, "deduction", f.Deductions)
	if !f.Spouse {
		// The spouse's details count only with the box ticked: typed
		// without it, they would be dropped unseen.
		unticked := l.T("estimates.error.spouse_unticked", "box", l.T("estimates.field.spouse"))
		if f.SpouseNet != "" {
			errs.add("spouse-net-income", unticked)
		}
		if f.SpouseLongTerm {
			errs.add("spouse-long-term-care", unticked)
		}
		for i, d := range f.SpouseDeductions {
			field := "spouse-deduction-amount-" + strconv.Itoa(i)
			if d.Amount == "" {
				field = "spouse-deduction-kind-" + strconv.Itoa(i)
			}
			errs.add(field, unticked)
		}
	}
	if f.Spouse {
		if err == nil && size < 2 {
			errs.add("household-size", l.T("estimates.error.spouse_size"))
		}
		sp := &domain.Spouse{InLongTermCare: f.SpouseLongTerm}
		sp.NetIncome = moneyField(l, errs, "spouse-net-income", f.SpouseNet)
		sp.Deductions = deductionsField(l, errs, "spouse-deduction", f.SpouseDeductions)
		p.Household.Spouse = sp
	}
	return p
}

// moneyField reads an optional amount of euros: "" is unknown (nil).
func moneyField(l *Lang, errs *formErrors, id, v string) *domain.Money {
	if v == "" {
		return nil
	}
	m, msg := readMoney(l, v, domain.MaxIncome)
	if msg != "" {
		errs.add(id, msg)
		return nil
	}
	return &m
}

// deductionsField reads deduction rows; a row needs both a kind and an
// amount.
func deductionsField(l *Lang, errs *formErrors, prefix string, rows []deductionInput) []domain.Deduction {
	var out []domain.Deduction
	for i, r := range rows {
		n := strconv.Itoa(i)
		if !slices.Contains(domain.DeductionKinds, r.Kind) {
			errs.add(prefix+"-kind-"+n, l.T("estimates.error.deduction_kind"))
			continue
		}
		m, msg := readMoney(l, r.Amount, domain.MaxIncome)
		if msg != "" {
			errs.add(prefix+"-amount-"+n, msg)
			continue
		}
		out = append(out, domain.Deduction{Kind: r.Kind, Amount: m})
	}
	return out
}

// assessment checks the MAPLe level and the segment.
func (f clientForm) assessment(l *Lang, errs *formErrors) (int, domain.Segment) {
	maple, err := strconv.Atoi(f.Maple)
	if err != nil || maple < 1 || maple > 5 {
		errs.add("maple", l.T("estimates.error.maple"))
	}
	seg := domain.Segment(f.Segment)
	if !slices.Contains(domain.Segments, seg) {
		errs.add("segment", l.T("estimates.error.segment"))
	}
	return maple, seg
}

// basis checks the tariff, the income-limit catalogue and the pricing
// date (within dates) against the catalogue's published ones.
func (f clientForm) basis(l *Lang, errs *formErrors, cat *catalogueNow, dates dateRange) domain.Basis {
	b := domain.Basis{TariffID: f.Tariff, IncomeCatalogueID: f.Income}
	if t := cat.tariff(f.Tariff); t == nil || !published(tariffInfos(*t)) {
		errs.add("tariff", l.T("estimates.error.tariff"))
	}
	if f.Income != "" {
		if ic := cat.income(f.Income); ic == nil || !published(incomeInfos(*ic)) {
			errs.add("income-catalogue", l.T("estimates.error.income_catalogue"))
		}
	}
	d, msg := readDate(l, f.PricingDate, dates, true)
	if msg != "" {
		errs.add("pricing-date", msg)
	}
	b.PricingDate = d
	return b
}

// clientDefaults is a new estimate's form: one person, the tariff and
// income-limit catalogue in force most recently, priced today.
func (s *Server) clientDefaults(cat *catalogueNow) clientForm {
	f := clientForm{Size: "1", PricingDate: s.today().String(), FormKey: domain.NewID()}
	var ids []string
	var infos [][]domain.VersionInfo
	for _, t := range cat.tariffs {
		ids, infos = append(ids, t.ID), append(infos, tariffInfos(t))
	}
	f.Tariff = newestPublished(ids, infos)
	ids, infos = nil, nil
	for _, ic := range cat.incomes {
		ids, infos = append(ids, ic.ID), append(infos, incomeInfos(ic))
	}
	f.Income = newestPublished(ids, infos)
	return f
}

// fieldView is one field of a form as the templates show it: label, hint,
// the value typed, the message beside it, the choices of a select.
type fieldView struct {
	ID, Name, Label, Hint, Value, Error string
	Type, InputMode, Autocomplete       string
	Class                               string
	Options                             []choice
	Groups                              []optionGroup
	// BlankLabel is the first, empty choice of a select ("": none).
	BlankLabel                   string
	Checked, Required, Autofocus bool
}

// Describe returns the ids the field's aria-describedby names.
func (f fieldView) Describe() string {
	var ids []string
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	return strings.Join(ids, " ")
}

// deductionView is a deduction row of a form.
type deductionView struct{ Kind, Amount fieldView }

// clientView is the client's details as form fields.
type clientView struct {
	L                                           *Lang
	ClientRef, Maple, Segment, Size, Gross, Net fieldView
	Deductions                                  []deductionView
	Spouse, SpouseNet, SpouseLongTerm           fieldView
	SpouseDeductions                            []deductionView
	Tariff, Income, PricingDate                 fieldView
	FormKey                                     string
}

// view builds the form's fields in l with the messages of errs.
func (f clientForm) view(l *Lang, errs *formErrors, cat *catalogueNow) clientView {
	v := clientView{L: l, FormKey: f.FormKey}
	v.ClientRef = fieldView{ID: "client-ref", Name: "client_ref", Label: l.T("estimates.field.client_ref"), Hint: l.T("estimates.hint.client_ref"),
		Value: f.ClientRef, Type: "text", Autocomplete: "off", Class: "short", Required: true}
	mapleOpts := []choice{{Value: "", Label: l.T("estimates.choose")}}
	for i := 1; i <= 5; i++ {
		n := strconv.Itoa(i)
		mapleOpts = append(mapleOpts, choice{Value: n, Label: l.T("estimates.maple." + n), Selected: f.Maple == n})
	}
	v.Maple = fieldView{ID: "maple", Name: "maple", Label: l.T("estimates.field.maple"), Hint: l.T("estimates.hint.maple"), Options: mapleOpts, Required: true}
	segOpts := []choice{{Value: "", Label: l.T("estimates.choose")}}
	for _, s := range domain.Segments {
		segOpts = append(segOpts, choice{Value: string(s), Label: l.T("segment." + string(s)), Selected: f.Segment == string(s)})
	}
	v.Segment = fieldView{ID: "segment", Name: "segment", Label: l.T("estimates.field.segment"), Hint: l.T("estimates.hint.segment"), Options: segOpts, Required: true}
	v.Size = fieldView{ID: "household-size", Name: "size", Label: l.T("estimates.field.size"), Hint: l.T("estimates.hint.size"),
		Value: f.Size, Type: "number", InputMode: "numeric", Class: "short", Required: true}
	v.Gross = fieldView{ID: "gross-income", Name: "gross_income", Label: l.T("estimates.field.gross_income"), Hint: l.T("estimates.hint.gross_income"),
		Value: f.Gross, Type: "text", InputMode: "decimal", Class: "short"}
	v.Net = fieldView{ID: "net-income", Name: "net_income", Label: l.T("estimates.field.net_income"), Hint: l.T("estimates.hint.net_income"),
		Value: f.Net, Type: "text", InputMode: "decimal", Class: "short"}
	v.Deductions = deductionViews(l, "deduction", f.Deductions, 2)
	v.Spouse = fieldView{ID: "spouse", Name: "spouse", Label: l.T("estimates.field.spouse"), Hint: l.T("estimates.hint.spouse"), Checked: f.Spouse}
	v.SpouseNet = fieldView{ID: "spouse-net-income", Name: "spouse_net_income", Label: l.T("estimates.field.spouse_net_income"),
		Hint: l.T("estimates.hint.spouse_net_income"), Value: f.SpouseNet, Type: "text", InputMode: "decimal", Class: "short"}
	v.SpouseLongTerm = fieldView{ID: "spouse-long-term-care", Name: "spouse_long_term_care", Label: l.T("estimates.field.spouse_long_term_care"),
		Hint: l.T("estimates.hint.spouse_long_term_care"), Checked: f.SpouseLongTerm}
	v.SpouseDeductions = deductionViews(l, "spouse-deduction", f.SpouseDeductions, 1)
	tariffOpts := []choice{}
	for _, t := range cat.tariffs {
		if published(tariffInfos(t)) || t.ID == f.Tariff {
			tariffOpts = append(tariffOpts, choice{Value: t.ID, Label: t.Name, Selected: t.ID == f.Tariff})
		}
	}
	if f.Tariff == "" || len(tariffOpts) == 0 {
		tariffOpts = append([]choice{{Value: "", Label: l.T("estimates.choose")}}, tariffOpts...)
	}
	v.Tariff = fieldView{ID: "tariff", Name: "tariff", Label: l.T("estimates.field.tariff"), Hint: l.T("estimates.hint.tariff"), Options: tariffOpts, Required: true}
	incomeOpts := []choice{{Value: "", Label: l.T("estimates.income.none"), Selected: f.Income == ""}}
	for _, ic := range cat.incomes {
		if published(incomeInfos(ic)) || ic.ID == f.Income {
			incomeOpts = append(incomeOpts, choice{Value: ic.ID, Label: ic.Name, Selected: ic.ID == f.Income})
		}
	}
	v.Income = fieldView{ID: "income-catalogue", Name: "income_catalogue", Label: l.T("estimates.field.income_catalogue"),
		Hint: l.T("estimates.hint.income_catalogue"), Options: incomeOpts}
	v.PricingDate = fieldView{ID: "pricing-date", Name: "pricing_date", Label: l.T("estimates.field.pricing_date"), Hint: l.T("estimates.hint.pricing_date"),
		Value: f.PricingDate, Type: "date", Class: "short", Required: true}
	for _, p := range []*fieldView{&v.ClientRef, &v.Maple, &v.Segment, &v.Size, &v.Gross, &v.Net, &v.Spouse, &v.SpouseNet, &v.SpouseLongTerm,
		&v.Tariff, &v.Income, &v.PricingDate} {
		p.Error = errs.Of(p.ID)
	}
	for _, ds := range [][]deductionView{v.Deductions, v.SpouseDeductions} {
		for i := range ds {
			ds[i].Kind.Error, ds[i].Amount.Error = errs.Of(ds[i].Kind.ID), errs.Of(ds[i].Amount.ID)
		}
	}
	return v
}

// SpouseOpen reports whether the spouse's part of the form shows open:
// the box is ticked, or one of its fields is typed or has a message.
func (v clientView) SpouseOpen() bool {
	open := v.Spouse.Checked || v.Spouse.Error != "" || v.SpouseNet.Value != "" || v.SpouseNet.Error != "" || v.SpouseLongTerm.Checked
	for _, d := range v.SpouseDeductions {
		open = open || d.Kind.Error != "" || d.Amount.Error != "" || d.Amount.Value != ""
	}
	return open
}

// deductionViews returns the rows of the deductions typed and extra empty
// ones (at least one more).
func deductionViews(l *Lang, prefix string, rows []deductionInput, least int) []deductionView {
	n := max(len(rows)+1, least)
	name := strings.ReplaceAll(prefix, "-", "_")
	out := make([]deductionView, n)
	for i := range n {
		var d deductionInput
		if i < len(rows) {
			d = rows[i]
		}
		num := strconv.Itoa(i)
		kinds := []choice{{Value: "", Label: l.T("estimates.deduction.none")}}
		for _, k := range domain.DeductionKinds {
			kinds = append(kinds, choice{Value: k, Label: l.T("estimates.deduction." + k), Selected: d.Kind == k})
		}
		out[i] = deductionView{
			Kind: fieldView{ID: prefix + "-kind-" + num, Name: name + "_kind_" + num, Label: l.T("estimates.field.deduction_kind", "n", i+1), Options: kinds},
			Amount: fieldView{ID: prefix + "-amount-" + num, Name: name + "_amount_" + num, Label: l.T("estimates.field.deduction_amount", "n", i+1),
				Value: d.Amount, Type: "text", InputMode: "decimal", Class: "short"},
		}
	}
	return out
}

// clientFieldOf maps a field of a domain error on the client's details to
// the form's field.
func clientFieldOf(field string) string {
	field = strings.TrimPrefix(field, "household.")
	switch field {
	case "client_ref":
		return "client-ref"
	case "size":
		return "household-size"
	case "gross_income":
		return "gross-income"
	case "net_income":
		return "net-income"
	case "spouse", "spouse.net_income":
		return "spouse-net-income"
	case "maple", "segment", "tariff":
		return field
	case "income_catalogue":
		return "income-catalogue"
	case "pricing_date":
		return "pricing-date"
	}
	for _, p := range []struct{ from, to string }{{"spouse.deductions[", "spouse-deduction"}, {"deductions[", "deduction"}} {
		if rest, ok := strings.CutPrefix(field, p.from); ok {
			num, sub, _ := strings.Cut(rest, "].")
			return p.to + "-" + strings.ReplaceAll(sub, "_", "-") + "-" + num
		}
	}
	return ""
}
