package admin

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// Query parameters shared by several routes.
var (
	limitParam  = param{name: "limit", typ: "integer", desc: "at most this many items (1-500, default 50)"}
	offsetParam = param{name: "offset", typ: "integer", desc: "skip this many items (default 0)"}
)

func dateParam(name, desc string) param {
	return param{name: name, typ: "string", format: "date", desc: desc}
}

// needed marks p as required.
func needed(p param) param {
	p.required = true
	return p
}

func enumParam[T ~string](name, desc string, values []T) param {
	p := param{name: name, typ: "string", desc: desc}
	for _, v := range values {
		p.enum = append(p.enum, string(v))
	}
	return p
}

// routes is the route table of carecost: every route it serves, with what
// the OpenAPI document says about it. /metrics is left out when it is served
// on an address of its own.
func (s *Server) routes() []route {
	all := s.allRoutes()
	if s.metricsElsewhere {
		all = slices.DeleteFunc(all, func(r route) bool { return r.path == metricsPath })
	}
	return all
}

// metricsPath is where the Prometheus metrics are served.
const metricsPath = "/metrics"

// allRoutes lists every route carecost can serve.
func (s *Server) allRoutes() []route {
	const get, post, put, patch, del = fiber.MethodGet, fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch, fiber.MethodDelete
	const v1 = "/api/v1"
	est := v1 + "/estimates/:id"
	tv := v1 + "/tariffs/:id/versions/:version"
	iv := v1 + "/income-catalogues/:id/versions/:version"
	return append([]route{
		{method: get, path: "/", handler: s.handleHome, rule: anyone, page: true, query: []param{langParam},
			tag: "console", summary: "Front page: what carecost is, or the sections the user's roles open", produces: fiber.MIMETextHTMLCharsetUTF8},
		{method: get, path: "/static/:name", handler: s.handleStatic, rule: anyone,
			tag: "console", summary: "The console's style sheets and scripts", produces: "text/css"},
		{method: get, path: "/healthz", handler: s.handleHealthz, rule: anyone,
			tag: "operations", summary: "Liveness: always ok while the process runs", resp: healthBody{}},
		{method: get, path: "/readyz", handler: s.handleReadyz, rule: anyone,
			tag: "operations", summary: "Readiness: store reachable, projections caught up and none stopped (503 otherwise, with the reason)", resp: readyBody{}},
		{method: get, path: metricsPath, handler: s.handleMetrics, rule: operate,
			tag: "operations", summary: "Prometheus metrics", produces: fiber.MIMETextPlain},
		{method: get, path: "/api/openapi.json", handler: s.handleOpenAPI, rule: anyone,
			tag: "operations", summary: "This API description (OpenAPI 3.0)", resp: map[string]any{}},
		{method: get, path: v1 + "/status", handler: s.handleStatus, rule: operate,
			tag: "operations", summary: "Where each projection stands: checkpoint, head, state (running, stopped) and, when stopped, the event it cannot apply", resp: statusBody{}},
		{method: post, path: v1 + "/projections/:name/skip", handler: s.handleProjectionSkip, rule: operate,
			tag: "operations", summary: "Let a stopped projection go past the event it cannot apply (recorded in the log with the reason and the actor)", body: skipBody{}, resp: projections.Status{}, write: true},
		{method: post, path: v1 + "/projections/:name/rebuild", handler: s.handleProjectionRebuild, rule: operate,
			tag: "operations", summary: "Rebuild a projection beside its live read model, which answers until the rebuilt one has caught up and replaces it (202 with the progress; 409 while one runs)",
			body: emptyBody{}, optional: true, resp: projections.Status{}, status: fiber.StatusAccepted,
			refusals: []int{fiber.StatusConflict, fiber.StatusServiceUnavailable}},

		{method: get, path: v1 + "/services", handler: s.handleServiceIndex, rule: readCatalogue,
			tag: "catalogue", summary: "List the services, retired ones included", resp: []projections.ServiceView{}},
		{method: get, path: v1 + "/services/:id", handler: s.handleServiceGet, rule: readCatalogue,
			tag: "catalogue", summary: "Get a service", resp: projections.ServiceView{}},
		{method: put, path: v1 + "/services/:id", handler: s.handleServicePut, rule: keepCatalogue,
			tag: "catalogue", summary: "Define a service or change its definition", body: domain.Service{}, resp: projections.ServiceView{}, write: true},
		{method: post, path: v1 + "/services/:id/retire", handler: s.handleServiceRetire, rule: keepCatalogue,
			tag: "catalogue", summary: "Retire a service", body: emptyBody{}, optional: true, resp: projections.ServiceView{}, write: true},

		{method: get, path: v1 + "/tariffs", handler: s.handleTariffIndex, rule: readCatalogue,
			tag: "tariffs", summary: "List the tariffs with their versions", resp: []projections.TariffView{}},
		{method: post, path: v1 + "/tariffs", handler: s.handleTariffCreate, rule: keepCatalogue,
			tag: "tariffs", summary: "Create a tariff", body: tariffCreateBody{}, resp: projections.TariffView{}, status: fiber.StatusCreated, write: true},
		{method: get, path: v1 + "/tariffs/:id", handler: s.handleTariffGet, rule: readCatalogue,
			tag: "tariffs", summary: "Get a tariff with every version", resp: projections.TariffView{}, versioned: true},
		{method: get, path: v1 + "/tariffs/:id/history", handler: s.handleTariffHistory, rule: readCatalogue,
			tag: "tariffs", summary: "Publications of a tariff with their entry changes", resp: []projections.TariffChange{}},
		{method: get, path: v1 + "/tariffs/:id/prices", handler: s.handleTariffPrices, rule: readCatalogue,
			tag: "tariffs", summary: "Price of a service on a valid date, as known now or then", resp: projections.PricePoint{}, query: []param{
				{name: "service", typ: "string", desc: "service id", required: true},
				needed(enumParam("mode", "production mode", domain.Modes)),
				needed(dateParam("valid_at", "the date the price is valid on")),
				{name: "known_at", typ: "string", desc: "as known at a log position (42; positions count from 1) or a time (RFC 3339); default now"}}},
		{method: post, path: v1 + "/tariffs/:id/versions", handler: s.handleTariffDraftCreate, rule: keepCatalogue,
			tag: "tariffs", summary: "Create a draft version (copied, empty or a correction)", body: draftBody{}, optional: true, resp: tariffDraftCreated{}, status: fiber.StatusCreated, write: true, versioned: true},
		{method: get, path: tv, handler: s.handleTariffVersionGet, rule: readCatalogue,
			tag: "tariffs", summary: "Get a tariff version with its entries", resp: domain.TariffVersion{}, versioned: true},
		{method: patch, path: tv, handler: s.handleTariffSettings, rule: keepCatalogue,
			tag: "tariffs", summary: "Change a draft's month conversions or note", body: settingsBody{}, resp: domain.TariffVersion{}, write: true, versioned: true},
		{method: put, path: tv + "/entries/:service/:mode", handler: s.handleTariffEntryPut, rule: keepCatalogue,
			tag: "tariffs", summary: "Set the entry of a service in a production mode in a draft", body: entryBody{}, resp: domain.TariffVersion{}, write: true, versioned: true},
		{method: del, path: tv + "/entries/:service/:mode", handler: s.handleTariffEntryDelete, rule: keepCatalogue,
			tag: "tariffs", summary: "Remove an entry from a draft", body: expectedBody{}, optional: true, resp: domain.TariffVersion{}, write: true, versioned: true},
		{method: post, path: tv + "/publish", handler: s.handleTariffPublish, rule: keepCatalogue,
			tag: "tariffs", summary: "Publish a draft from a valid-from date", body: publishBody{}, optional: true, resp: domain.TariffVersion{}, write: true, versioned: true},
		{method: post, path: tv + "/withdraw", handler: s.handleTariffWithdraw, rule: keepCatalogue,
			tag: "tariffs", summary: "Withdraw a draft", body: expectedBody{}, optional: true, resp: domain.TariffVersion{}, write: true, versioned: true},

		{method: get, path: v1 + "/income-catalogues", handler: s.handleIncomeIndex, rule: readCatalogue,
			tag: "income", summary: "List the income-limit catalogues", resp: []projections.IncomeCatalogueView{}},
		{method: post, path: v1 + "/income-catalogues", handler: s.handleIncomeCreate, rule: keepCatalogue,
			tag: "income", summary: "Create an income-limit catalogue", body: incomeCreateBody{}, resp: projections.IncomeCatalogueView{}, status: fiber.StatusCreated, write: true},
		{method: get, path: v1 + "/income-catalogues/:id", handler: s.handleIncomeGet, rule: readCatalogue,
			tag: "income", summary: "Get an income-limit catalogue with every version", resp: projections.IncomeCatalogueView{}, versioned: true},
		{method: post, path: v1 + "/income-catalogues/:id/versions", handler: s.handleIncomeDraftCreate, rule: keepCatalogue,
			tag: "income", summary: "Create a draft version", body: incomeDraftBody{}, optional: true, resp: incomeDraftCreated{}, status: fiber.StatusCreated, write: true, versioned: true},
		{method: get, path: iv, handler: s.handleIncomeVersionGet, rule: readCatalogue,
			tag: "income", summary: "Get an income-limit catalogue version", resp: domain.IncomeVersion{}, versioned: true},
		{method: put, path: iv, handler: s.handleIncomeDraftPut, rule: keepCatalogue,
			tag: "income", summary: "Replace a draft's table", body: incomeTableBody{}, resp: domain.IncomeVersion{}, write: true, versioned: true},
		{method: post, path: iv + "/publish", handler: s.handleIncomePublish, rule: keepCatalogue,
			tag: "income", summary: "Publish a draft from a valid-from date", body: publishBody{}, optional: true, resp: domain.IncomeVersion{}, write: true, versioned: true},
		{method: post, path: iv + "/withdraw", handler: s.handleIncomeWithdraw, rule: keepCatalogue,
			tag: "income", summary: "Withdraw a draft", body: expectedBody{}, optional: true, resp: domain.IncomeVersion{}, write: true, versioned: true},

		{method: get, path: v1 + "/estimates", handler: s.handleEstimateIndex, rule: readEstimates,
			tag: "estimates", summary: "List estimates", resp: []projections.EstimateSummary{}, query: []param{
				enumParam("status", "estimate status", estimateStatuses), enumParam("segment", "service-need segment", domain.Segments),
				{name: "maple", typ: "integer", desc: "MAPLe level 1-5"}, {name: "client_ref", typ: "string", desc: "client reference"},
				{name: "tariff", typ: "string", desc: "tariff id"}, dateParam("opened_from", "opened on or after"), dateParam("opened_to", "opened on or before"),
				limitParam, offsetParam}},
		{method: post, path: v1 + "/estimates", handler: s.handleEstimateOpen, rule: buildEstimates,
			tag: "estimates", summary: "Open and price an estimate", body: openBody{}, resp: projections.EstimateDetail{}, status: fiber.StatusCreated, write: true},
		{method: get, path: est, handler: s.handleEstimateGet, rule: readEstimates,
			tag: "estimates", summary: "Get an estimate with its lines and totals", resp: projections.EstimateDetail{}, versioned: true},
		{method: get, path: est + "/events", handler: s.handleEstimateEvents, rule: readEstimates,
			tag: "estimates", summary: "The estimate's history from the event store", resp: []eventView{}},
		{method: post, path: est + "/lines", handler: s.handleLineAdd, rule: buildEstimates,
			tag: "estimates", summary: "Add a service line", body: lineBody{}, resp: projections.EstimateDetail{}, status: fiber.StatusCreated, write: true, versioned: true},
		{method: put, path: est + "/lines/:line", handler: s.handleLineChange, rule: buildEstimates,
			tag: "estimates", summary: "Replace a service line", body: lineBody{}, resp: projections.EstimateDetail{}, write: true, versioned: true},
		{method: del, path: est + "/lines/:line", handler: s.handleLineRemove, rule: buildEstimates,
			tag: "estimates", summary: "Remove a service line", body: expectedBody{}, optional: true, resp: projections.EstimateDetail{}, write: true, versioned: true},
		{method: put, path: est + "/household", handler: s.handleHouseholdPut, rule: buildEstimates,
			tag: "estimates", summary: "Change the client reference and household", body: householdBody{}, resp: projections.EstimateDetail{}, write: true, versioned: true},
		{method: put, path: est + "/assessment", handler: s.handleAssessmentPut, rule: buildEstimates,
			tag: "estimates", summary: "Change the MAPLe level and segment", body: assessmentBody{}, resp: projections.EstimateDetail{}, write: true, versioned: true},
		{method: put, path: est + "/basis", handler: s.handleBasisPut, rule: buildEstimates,
			tag: "estimates", summary: "Change the tariff, income-limit catalogue or pricing date", body: basisBody{}, resp: projections.EstimateDetail{}, write: true, versioned: true},
		{method: post, path: est + "/reprice", handler: s.handleReprice, rule: buildEstimates,
			tag: "estimates", summary: "Price against the catalogue as it is now", body: expectedBody{}, optional: true, resp: projections.EstimateDetail{}, write: true, versioned: true},
		{method: post, path: est + "/present", handler: s.handlePresent, rule: buildEstimates,
			tag: "estimates", summary: "Record that the estimate was shown to the client", body: expectedBody{}, optional: true, resp: projections.EstimateDetail{}, write: true, versioned: true},
		{method: post, path: est + "/decide", handler: s.handleDecide, rule: buildEstimates,
			tag: "estimates", summary: "Record the decision", body: decideBody{}, resp: projections.EstimateDetail{}, write: true, versioned: true},
		{method: post, path: est + "/cancel", handler: s.handleCancel, rule: buildEstimates,
			tag: "estimates", summary: "Cancel an undecided estimate", body: cancelBody{}, optional: true, resp: projections.EstimateDetail{}, write: true, versioned: true},
		{method: post, path: est + "/revise", handler: s.handleRevise, rule: buildEstimates,
			tag: "estimates", summary: "Open a revision of a decided estimate", body: reviseBody{}, optional: true, resp: projections.EstimateDetail{}, status: fiber.StatusCreated, write: true, versioned: true},

		{method: get, path: v1 + "/decisions", handler: s.handleDecisionIndex, rule: audit,
			tag: "audit", summary: "The audit trail of decisions", resp: []projections.DecisionRecord{}, query: []param{
				{name: "tariff", typ: "string", desc: "tariff id"}, {name: "tariff_version", typ: "integer", desc: "only decisions priced with this version of the tariff (with tariff)"},
				{name: "service", typ: "string", desc: "only decisions with a line of this service (id)"},
				{name: "decided_by", typ: "string", desc: "only decisions recorded by this user (the case manager who decided)"},
				enumParam("segment", "only decisions of clients in this service-need segment", domain.Segments),
				dateParam("decided_from", "decided on or after"), dateParam("decided_to", "decided on or before"),
				{name: "touched", typ: "boolean", desc: "true: only decisions a later version touched; false: only those none touched"},
				{name: "in_force", typ: "boolean", desc: "true: only decisions in force; false: only those a decided revision replaced"},
				{name: "version_warning", typ: "boolean", desc: "true: only decisions whose effective-from date has other versions in effect than their pricing date; false: the others"},
				{name: "totals_changed", typ: "boolean", desc: "true: only decisions whose totals differ from those presented to the client; false: the others"},
				limitParam, offsetParam}},
		{method: get, path: v1 + "/decisions/:estimate_id", handler: s.handleDecisionGet, rule: audit,
			tag: "audit", summary: "One decision with every price it used", resp: projections.DecisionRecord{}},
		{method: get, path: tv + "/impact", handler: s.handleTariffImpact, rule: impact,
			tag: "audit", summary: "What a tariff version changes in the decisions in force, in euros (a draft: as if published now, with the sample cases)",
			resp: domain.Impact{}, query: impactParams},
		{method: get, path: iv + "/impact", handler: s.handleIncomeImpact, rule: impact,
			tag: "audit", summary: "What an income-limit catalogue version changes in the decisions in force, in euros", resp: domain.Impact{}, query: impactParams},
		{method: get, path: est + "/whatif", handler: s.handleWhatIf, rule: readEstimates,
			tag: "audit", summary: "Re-price an estimate under another tariff version, income-limit version or pricing date, storing nothing",
			resp: domain.WhatIfResult{}, query: []param{
				{name: "tariff_version", typ: "integer", desc: "the tariff version to price with (default: the one in effect on the pricing date, as known now)"},
				{name: "income_version", typ: "integer", desc: "the income-limit catalogue version to price with (default: the one in effect on the pricing date)"},
				dateParam("pricing_date", "the pricing date (default: the estimate's)")}},
		{method: get, path: v1 + "/tariffs/:id/samples", handler: s.handleSampleIndex, rule: impact,
			tag: "tariffs", summary: "The sample cases a tariff's drafts are tried on", resp: samplesView{}},
		{method: put, path: v1 + "/tariffs/:id/samples/:sample", handler: s.handleSamplePut, rule: keepCatalogue,
			tag: "tariffs", summary: "Keep a case as a sample of the tariff (or replace the sample of that id)", body: sampleBody{}, resp: samplesView{}, write: true},
		{method: del, path: v1 + "/tariffs/:id/samples/:sample", handler: s.handleSampleDelete, rule: keepCatalogue,
			tag: "tariffs", summary: "Remove a sample case", body: expectedBody{}, optional: true, resp: samplesView{}, write: true},

		{method: post, path: v1 + "/quote", handler: s.handleQuote, rule: price,
			tag: "estimates", summary: "Price a case without storing it", body: domain.CaseInput{}, resp: domain.Quote{}},
	}, slices.Concat(s.signInRoutes(), s.userRoutes(), s.consoleRoutes())...)
}
