package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The admin's catalogue pages: services, tariffs with their versions (the
// draft editor, the diff of two versions, publishing with a confirmation
// of what a retroactive change touches, the price history chart) and the
// income-limit catalogues. Everyone who may read the catalogue sees them;
// only those who may keep it see the forms.

// catalogueViews are the templates of this area of the console.
var catalogueViews = []string{
	"services_list", "services_form", "services_retire",
	"tariffs_list", "tariffs_show", "tariffs_version", "tariffs_diff", "tariffs_confirm", "tariffs_chart",
	"income_list", "income_show", "income_version", "tariffs_fields", "tariffs_entries",
}

// catalogueStyles are the area's style sheets.
var catalogueStyles = []string{"catalogue"}

// cataloguePages are this area's pages of the console.
func (s *Server) cataloguePages() []route {
	const tv = "/tariffs/:id/versions/:version"
	const iv = "/income-catalogues/:id/versions/:version"
	return []route{
		pageGet("/services", s.pageServices, readCatalogue, "The services of the catalogue"),
		pageGet("/services/new", s.pageServiceNew, keepCatalogue, "The form of a new service"),
		pagePost("/services", s.postServiceCreate, keepCatalogue, "Define a new service", serviceInputFields{}),
		pageGet("/services/:id", s.pageService, readCatalogue, "A service, with its form for those who keep the catalogue"),
		pagePost("/services/:id", s.postServiceSave, keepCatalogue, "Change a service's definition", serviceForm{}),
		pageGet("/services/:id/retire", s.pageServiceRetire, keepCatalogue, "Confirm retiring a service"),
		pagePost("/services/:id/retire", s.postServiceRetire, keepCatalogue, "Retire a service", retireForm{}),

		pageGet("/tariffs", s.pageTariffs, readCatalogue, "The tariffs"),
		pagePost("/tariffs", s.postTariffCreate, keepCatalogue, "Create a tariff", tariffCreateForm{}),
		pageGet("/tariffs/:id", s.pageTariff, readCatalogue, "A tariff's versions as a timeline"),
		pagePost("/tariffs/:id/drafts", s.postTariffDraft, keepCatalogue, "Create a draft version", draftForm{}),
		pageGet("/tariffs/:id/diff", s.pageTariffDiff, readCatalogue, "The differences of two versions of a tariff",
			param{name: "from", typ: "integer", desc: "the older version (0: none)"}, param{name: "to", typ: "integer", desc: "the newer version"}),
		pageGet("/tariffs/:id/chart", s.pageTariffChart, readCatalogue, "The price history of a service in a production mode",
			param{name: "service", typ: "string", desc: "service id"}, enumParam("mode", "production mode", domain.Modes)),
		pageGet(tv, s.pageTariffVersion, readCatalogue, "A tariff version: the draft editor, or a published version read-only"),
		pagePost(tv+"/entries", s.postTariffEntry, keepCatalogue, "Add or change an entry of a draft", entryForm{}),
		pagePost(tv+"/entries/remove", s.postTariffEntryRemove, keepCatalogue, "Remove an entry from a draft", entryKeyForm{}),
		pagePost(tv+"/settings", s.postTariffSettings, keepCatalogue, "Change a draft's month conversions and note", settingsForm{}),
		pagePost(tv+"/publish", s.postTariffPublish, keepCatalogue, "Publish a draft (a retroactive one after a confirmation)", publishForm{}),
		pagePost(tv+"/withdraw", s.postTariffWithdraw, keepCatalogue, "Withdraw a draft", expectedForm{}),

		pageGet("/income-catalogues", s.pageIncomeCatalogues, readCatalogue, "The income-limit catalogues"),
		pagePost("/income-catalogues", s.postIncomeCreate, keepCatalogue, "Create an income-limit catalogue", incomeCreateForm{}),
		pageGet("/income-catalogues/:id", s.pageIncomeCatalogue, readCatalogue, "An income-limit catalogue's versions"),
		pagePost("/income-catalogues/:id/drafts", s.postIncomeDraft, keepCatalogue, "Create a draft version", draftForm{}),
		pageGet(iv, s.pageIncomeVersion, readCatalogue, "An income-limit catalogue version: the draft's table editor, or a published table"),
		pagePost(iv, s.postIncomeTable, keepCatalogue, "Save a draft's table", incomeTableForm{}),
		pagePost(iv+"/publish", s.postIncomePublish, keepCatalogue, "Publish a draft (a retroactive one after a confirmation)", publishForm{}),
		pagePost(iv+"/withdraw", s.postIncomeWithdraw, keepCatalogue, "Withdraw a draft", expectedForm{}),
	}
}

// expectedForm is a form that sends nothing but the version it was
// rendered from.
type expectedForm struct {
	ExpectedVersion string `json:"expected_version"`
}

// option is an option of a select.
type option struct {
	Value, Label string
}

// serviceName returns the service's name in l's language, the Finnish
// name where it has none.
func serviceName(l *Lang, n domain.Names) string {
	switch {
	case l.Code == "sv" && n.SV != "":
		return n.SV
	case l.Code == "en" && n.EN != "":
		return n.EN
	}
	return n.FI
}

// serviceNames returns the names of the catalogue's services by id in l.
func serviceNames(l *Lang, svcs []projections.ServiceView) map[string]string {
	out := make(map[string]string, len(svcs))
	for _, s := range svcs {
		out[s.ID] = serviceName(l, s.Names)
	}
	return out
}

// modeOptions are the production modes, in l.
func modeOptions(l *Lang) []option {
	out := make([]option, len(domain.Modes))
	for i, m := range domain.Modes {
		out[i] = option{Value: string(m), Label: l.T("catalogue.mode." + string(m))}
	}
	return out
}

// today is the date in Helsinki.
func (s *Server) today() domain.Date { return domain.DateOf(s.now()) }

// mayKeep reports whether the request's user may change the catalogue.
func (s *Server) mayKeep(c *fiber.Ctx) bool {
	id, _ := identityOf(c)
	return s.may(id, fiber.MethodPost, "/tariffs")
}

// catalogueBase returns the consoleBase of a catalogue page.
func catalogueBase(title, intro, section string) consoleBase {
	return consoleBase{Title: title, Intro: intro, Section: section, Styles: catalogueStyles}
}

// statusLabel is the key of a version status.
func statusKey(st domain.VersionStatus) string { return "catalogue.status." + string(st) }

// compareText orders names for people: case does not matter.
func compareText(a, b string) int {
	return strings.Compare(strings.ToLower(a), strings.ToLower(b))
}

// formField is an input of a catalogue form with its label, hint, value
// and message: the template catalogue_field draws it.
type formField struct {
	ID, Name, Label, Hint, Value, Error string
	// Kind is the input's type (text, date), textarea or select.
	Kind     string
	Short    bool
	Readonly bool
	Options  []option
}

// fieldOf returns a field of kind named name with the id id, labelled by
// the catalogue's labelKey (and hinted by labelKey+"_hint" when there is
// one), holding value and f's message for id.
func fieldOf(l *Lang, f *formErrors, kind, id, name, labelKey, value string) formField {
	ff := formField{ID: id, Name: name, Kind: kind, Value: value, Error: f.Of(id), Label: l.T(labelKey)}
	if l.Has(labelKey + "_hint") {
		ff.Hint = l.T(labelKey + "_hint")
	}
	return ff
}

// short marks a field as narrow.
func (f formField) short() formField { f.Short = true; return f }

// with gives a select its options.
func (f formField) with(opts []option) formField { f.Options = opts; return f }

// Described returns the ids of the field's hint and message, for
// aria-describedby ("" when it has neither).
func (f formField) Described() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}
