package admin

import (
	"context"
	"slices"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The case manager's pages: the estimates list, a new estimate, the
// builder (lines added one row each, the totals updating in place), the
// lifecycle (present, decide, revise, cancel) and the print page for the
// client. Every form posts to a console route that runs the same domain
// command as the JSON API; htmx requests get the builder's live part back
// instead of a redirect.

// estimateViews are the templates of this area of the console.
var estimateViews = []string{"estimates_list", "estimates_new", "estimates_fields", "estimates_builder",
	"estimates_live", "estimates_row", "estimates_choices", "estimates_print"}

// Query parameters of the estimate pages.
var (
	estimateListParams = []param{
		{name: "client_ref", typ: "string", desc: "the client reference, exactly"},
		enumParam("status", "estimate status", estimateStatuses),
		{name: "case_manager", typ: "string", desc: "the user name of the case manager who opened the estimate"},
		dateParam("opened_from", "opened on or after"), dateParam("opened_to", "opened on or before"),
		{name: "page", typ: "integer", desc: "the page of the list (from 1)"},
	}
	lineChoiceParams = []param{
		{name: "row", typ: "string", desc: "the row: new, or the id of a line"},
		{name: "service", typ: "string", desc: "the service chosen"},
		{name: "mode", typ: "string", desc: "the production mode chosen"},
		{name: "quantity", typ: "string", desc: "the quantity typed"},
		{name: "frequency", typ: "string", desc: "the frequency chosen"},
		{name: "provider_price", typ: "string", desc: "the provider's price typed"},
	}
)

// estimatePages are this area's pages of the console.
func (s *Server) estimatePages() []route {
	const est = "/estimates/:id"
	pages := []route{
		pageGet("/estimates", s.pageEstimateList, readEstimates, "The estimates: search by client, status, case manager and date", estimateListParams...),
		pageGet("/estimates/new", s.pageEstimateNew, buildEstimates, "Open an estimate: the client's details and the price lists"),
		pagePost("/estimates", s.postEstimateOpen, buildEstimates, "Open an estimate", newEstimateFormFields{}),
		pageGet(est, s.pageEstimate, readEstimates, "An estimate: the builder while it may change, else the estimate as decided"),
		pageGet(est+"/print", s.pageEstimatePrint, readEstimates, "The estimate for the client, in Finnish, to print"),
		pageGet(est+"/choices", s.pageLineChoices, buildEstimates, "A line's choices its service allows: modes, unit, periods (a partial update)", lineChoiceParams...),
		pagePost(est+"/lines", s.postLineAdd, buildEstimates, "Add a line", lineFormFields{}),
		pagePost(est+"/lines/:line", s.postLineChange, buildEstimates, "Change a line", lineFormFields{}),
		pagePost(est+"/lines/:line/remove", s.postLineRemove, buildEstimates, "Remove a line", expectedFormField{}),
		pagePost(est+"/household", s.postHousehold, buildEstimates, "Change the client reference and household", householdFormFields{}),
		pagePost(est+"/assessment", s.postAssessment, buildEstimates, "Change the MAPLe level and segment", assessmentFormFields{}),
		pagePost(est+"/basis", s.postBasis, buildEstimates, "Change the price lists and the pricing date", basisFormFields{}),
		pagePost(est+"/reprice", s.postReprice, buildEstimates, "Price against the catalogue as it is now", expectedFormField{}),
		pagePost(est+"/present", s.postPresent, buildEstimates, "Record that the estimate was shown to the client", expectedFormField{}),
		pagePost(est+"/decide", s.postDecide, buildEstimates, "Record the decision", decideFormFields{}),
		pagePost(est+"/revise", s.postRevise, buildEstimates, "Open a revision of a decided estimate", reviseFormFields{}),
		pagePost(est+"/cancel", s.postCancel, buildEstimates, "Cancel an undecided estimate", cancelFormFields{}),
	}
	for i := range pages {
		pages[i].tag = "estimates" // a case manager's are their team's (the access matrix)
	}
	return pages
}

// expectedFormField is a form that carries only the version it was
// rendered from.
type expectedFormField struct {
	ExpectedVersion int64 `json:"expected_version"`
}

// choice is an entry of a select, perhaps the one selected.
type choice struct {
	Value, Label string
	Selected     bool
}

// optionGroup is an optgroup of a select.
type optionGroup struct {
	Label   string
	Options []choice
}

// estimateFor reads the estimate of the :id path parameter for the
// request's actor: another team's is not found, as in the API.
func (s *Server) estimateFor(c *fiber.Ctx) (projections.EstimateDetail, error) {
	id := pathParam(c, "id")
	notFound := &domain.Error{Code: domain.ENotFound, Message: "there is no estimate " + id}
	if domain.ValidUUID("id", id) != nil {
		return projections.EstimateDetail{}, notFound
	}
	d, err := s.reads.Estimate(c.UserContext(), id)
	if err != nil {
		return d, err
	}
	if !actorOf(c).Sees(d.Team) {
		return projections.EstimateDetail{}, notFound
	}
	return d, nil
}

// catalogueNow is what the estimate pages read of the catalogue: the
// services by id, the tariffs and the income-limit catalogues.
type catalogueNow struct {
	services map[string]domain.Service
	retired  map[string]bool
	order    []string // service ids as the catalogue lists them
	tariffs  []projections.TariffView
	incomes  []projections.IncomeCatalogueView
}

// readCatalogueNow reads the catalogue from the read models.
func (s *Server) readCatalogueNow(ctx context.Context) (*catalogueNow, error) {
	svcs, err := s.reads.Services(ctx)
	if err != nil {
		return nil, err
	}
	cat := &catalogueNow{services: map[string]domain.Service{}, retired: map[string]bool{}}
	for _, v := range svcs {
		cat.services[v.ID] = v.Service
		cat.retired[v.ID] = v.Retired
		cat.order = append(cat.order, v.ID)
	}
	if cat.tariffs, err = s.reads.Tariffs(ctx); err != nil {
		return nil, err
	}
	if cat.incomes, err = s.reads.IncomeCatalogues(ctx); err != nil {
		return nil, err
	}
	return cat, nil
}

// tariff returns the tariff of id.
func (cat *catalogueNow) tariff(id string) *projections.TariffView {
	i := slices.IndexFunc(cat.tariffs, func(t projections.TariffView) bool { return t.ID == id })
	if i < 0 {
		return nil
	}
	return &cat.tariffs[i]
}

// income returns the income-limit catalogue of id.
func (cat *catalogueNow) income(id string) *projections.IncomeCatalogueView {
	i := slices.IndexFunc(cat.incomes, func(t projections.IncomeCatalogueView) bool { return t.ID == id })
	if i < 0 {
		return nil
	}
	return &cat.incomes[i]
}

// tariffInEffect returns the published version of t in effect on d: the
// latest valid-from on or before d, of those the one published last (a
// correction); nil when none is.
func tariffInEffect(t *projections.TariffView, d domain.Date) *domain.TariffVersion {
	if t == nil {
		return nil
	}
	var best *domain.TariffVersion
	for i := range t.Versions {
		v := &t.Versions[i]
		if v.Status != domain.StatusPublished || v.ValidFrom.After(d) {
			continue
		}
		if best == nil || best.ValidFrom.Before(v.ValidFrom) || (best.ValidFrom == v.ValidFrom && laterPosition(v.Position, best.Position)) {
			best = v
		}
	}
	return best
}

// laterPosition reports whether a was recorded after b.
func laterPosition(a, b domain.Position) bool {
	return a.Commit > b.Commit || (a.Commit == b.Commit && a.Prepare > b.Prepare)
}

// published reports whether a catalogue has a published version.
func published(vs []domain.VersionInfo) bool {
	return slices.ContainsFunc(vs, func(v domain.VersionInfo) bool { return v.Status == domain.StatusPublished })
}

// tariffInfos and incomeInfos return the version infos of a catalogue.
func tariffInfos(t projections.TariffView) []domain.VersionInfo {
	out := make([]domain.VersionInfo, len(t.Versions))
	for i, v := range t.Versions {
		out[i] = v.VersionInfo
	}
	return out
}

// newestPublished returns the id of the catalogue whose newest published
// version is valid from the latest date ("" when none is published).
func newestPublished(ids []string, infos [][]domain.VersionInfo) string {
	best, bestFrom := "", domain.Date{}
	for i, id := range ids {
		for _, v := range infos[i] {
			if v.Status == domain.StatusPublished && (best == "" || v.ValidFrom.After(bestFrom)) {
				best, bestFrom = id, v.ValidFrom
			}
		}
	}
	return best
}

// modesFor returns the modes a line of svc may take under the tariff
// version tv (nil: every mode the service allows).
func modesFor(svc domain.Service, tv *domain.TariffVersion) []domain.Mode {
	if tv == nil {
		return svc.Modes
	}
	var out []domain.Mode
	for _, m := range svc.Modes {
		if _, ok := tv.Entry(svc.ID, m); ok {
			out = append(out, m)
		}
	}
	return out
}

// frequenciesFor returns the frequencies a line of a service counted in
// unit may take (a monthly service is not entered per day), without
// one-off when the fee is charged per month by income.
func frequenciesFor(unit domain.Unit, incomeBased bool) []domain.Frequency {
	var out []domain.Frequency
	for _, f := range domain.Frequencies {
		switch {
		case unit == "month" && (f == domain.PerDay || f == domain.PerWeek):
		case unit == "week" && f == domain.PerDay:
		case incomeBased && f == domain.OneOff:
		default:
			out = append(out, f)
		}
	}
	return out
}

// defaultFrequency is the frequency a new line of svc starts with: what a
// case manager most often enters for such a service.
func defaultFrequency(svc domain.Service) domain.Frequency {
	switch {
	case svc.Category == domain.CatHousing:
		return domain.PerDay
	case svc.Unit == "meal" || svc.Unit == "visit" || svc.Unit == "week" || svc.Unit == "delivery":
		return domain.PerWeek
	}
	return domain.PerMonth
}

// incomeRule reports whether the entry of svc in mode m is charged by
// income, per month.
func incomeRule(tv *domain.TariffVersion, svc string, m domain.Mode) bool {
	if tv == nil {
		return false
	}
	e, ok := tv.Entry(svc, m)
	return ok && (e.Rule == domain.RuleHomeCareIncome || e.Rule == domain.RuleHousingNet)
}

// statusBadge is the badge class of an estimate status.
func statusBadge(status string) string {
	switch status {
	case string(domain.EstDecided):
		return "ok"
	case string(domain.EstCancelled), string(domain.EstSuperseded):
		return ""
	}
	return "warn"
}
