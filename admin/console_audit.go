package admin

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The controller's pages: the decisions of the audit trail with filters, a
// decision with every price and rule parameter it used and its history, and
// both as CSV for Excel. Personal data: for the audit rule only, and no
// value of it is ever logged.

// auditViews are the templates of this area of the console.
var auditViews = []string{"audit_decisions", "audit_decision"}

// auditPageSize is how many decisions a page of the list shows.
const auditPageSize = 50

// auditFilterParams are the query parameters of the decision list and its
// CSV: the filters (the API's names).
var auditFilterParams = []param{
	dateParam("decided_from", "decided on or after (2026-07-01 or 1.7.2026)"),
	dateParam("decided_to", "decided on or before"),
	{name: "tariff", typ: "string", desc: "tariff id"},
	{name: "tariff_version", typ: "string", desc: "version of the tariff"},
	{name: "service", typ: "string", desc: "service id: decisions with a line of it"},
	{name: "decided_by", typ: "string", desc: "user name of who recorded the decision"},
	{name: "segment", typ: "string", desc: "service-need segment"},
	{name: "touched", typ: "string", desc: "true: touched by a later correction; false: not touched"},
	{name: "in_force", typ: "string", desc: "true: in force; false: replaced by a revision"},
	{name: "version_warning", typ: "string", desc: "true: other versions in effect on the effective-from date; false: the same"},
	{name: "totals_changed", typ: "string", desc: "true: totals differ from those presented to the client; false: they do not"},
}

// auditPages are this area's pages of the console.
func (s *Server) auditPages() []route {
	list := append(slices.Clone(auditFilterParams), param{name: "offset", typ: "integer", desc: "skip this many decisions"})
	return []route{
		pageGet("/decisions", s.handleAuditList, audit, "Decisions of the audit trail, filtered", list...),
		auditCSVRoute("/decisions.csv", s.handleAuditListCSV, "The decision list as CSV for Excel", auditFilterParams...),
		pageGet("/decisions/:estimate_id", s.handleAuditDecision, audit, "A decision: every price and rule parameter it used, its revisions and its history; re-priced under another version or date (what-if)", whatIfParams...),
		auditCSVRoute("/decisions/:estimate_id/lines.csv", s.handleAuditLinesCSV, "A decision's lines as CSV for Excel"),
	}
}

// auditCSVRoute is a download of the audit pages: a CSV file for Excel.
func auditCSVRoute(path string, h fiber.Handler, summary string, query ...param) route {
	return route{method: fiber.MethodGet, path: path, handler: h, rule: audit, page: true, tag: "console",
		summary: summary, produces: "text/csv", query: append(query, langParam)}
}

// auditFilterForm is the decision filter as typed: kept as it was given,
// so a failed filter shows the input again.
type auditFilterForm struct {
	DecidedFrom, DecidedTo, Tariff, TariffVersion, Service, DecidedBy, Segment, Touched, InForce string
	VersionWarning, TotalsChanged                                                                string
}

// auditOption is an option of a select.
type auditOption struct {
	Value, Label string
}

// auditListPage is the decision list.
type auditListPage struct {
	consoleBase
	Form     auditFilterForm
	Errors   formErrors
	Rows     []auditRow
	Filtered bool
	// Tariffs, Services, Segments and DecidedBy are the filters' choices.
	Tariffs, Services, Segments, DecidedBy []auditOption
	// Prev and Next are the links to the neighbouring pages ("": none);
	// From and To number the decisions shown.
	Prev, Next string
	From, To   int
	CSV        string
}

// auditRow is a decision of the list.
type auditRow struct {
	ID, Number, DecisionDate, EffectiveFrom, ClientRef, Segment, Tariff string
	ClientFee, VoucherCopay, CountyNet, DecidedBy                       string
	InForce, Touched                                                    bool
	// Warned: a version warning; Changed: the totals differ from those
	// presented to the client.
	Warned, Changed bool
}

// auditChoices are what the filters choose from: the tariffs, the services
// (named in l), the segments and the users who may decide.
func (s *Server) auditChoices(ctx context.Context, l *Lang, p *auditListPage) error {
	tariffs, err := s.reads.Tariffs(ctx)
	if err != nil {
		return err
	}
	for _, t := range tariffs {
		p.Tariffs = append(p.Tariffs, auditOption{t.ID, t.Name})
	}
	services, err := s.reads.Services(ctx)
	if err != nil {
		return err
	}
	for _, sv := range services {
		p.Services = append(p.Services, auditOption{sv.ID, auditServiceName(l, &sv.Service, sv.ID)})
	}
	slices.SortFunc(p.Services, func(a, b auditOption) int { return strings.Compare(a.Label, b.Label) })
	for _, seg := range domain.Segments {
		p.Segments = append(p.Segments, auditOption{string(seg), l.T("segment." + string(seg))})
	}
	// The users who decide: a hint beside the field, so the list is not
	// needed to filter (carecost may run without the users read model).
	if users, err := s.directory.Users(ctx); err == nil {
		for _, u := range users {
			if slices.Contains(u.Roles, domain.RoleCaseManager) {
				p.DecidedBy = append(p.DecidedBy, auditOption{u.Name, u.DisplayName})
			}
		}
	}
	return nil
}

// auditServiceName is a service's name in l's language (Finnish when it
// has none in it); id when the catalogue does not know the service.
func auditServiceName(l *Lang, sv *domain.Service, id string) string {
	if sv == nil {
		return id
	}
	switch {
	case l.Code == "en" && sv.Names.EN != "":
		return sv.Names.EN
	case l.Code == "sv" && sv.Names.SV != "":
		return sv.Names.SV
	}
	return sv.Names.FI
}

// auditReadFilter reads the filters of the request (dates within dates);
// a field that fails gets its message in l, on the field's id.
func auditReadFilter(c *fiber.Ctx, l *Lang, p *auditListPage, dates dateRange) projections.DecisionFilter {
	q := func(name string) string { return strings.Clone(strings.TrimSpace(c.Query(name))) }
	p.Form = auditFilterForm{DecidedFrom: q("decided_from"), DecidedTo: q("decided_to"), Tariff: q("tariff"), TariffVersion: q("tariff_version"),
		Service: q("service"), DecidedBy: q("decided_by"), Segment: q("segment"), Touched: q("touched"), InForce: q("in_force"),
		VersionWarning: q("version_warning"), TotalsChanged: q("totals_changed")}
	fm := p.Form
	var f projections.DecisionFilter
	p.Filtered = fm != auditFilterForm{}
	var msg string
	if f.DecidedFrom, msg = readDate(l, fm.DecidedFrom, dates, false); msg != "" {
		p.Errors.add("filter-decided-from", msg)
	}
	if f.DecidedTo, msg = readDate(l, fm.DecidedTo, dates, false); msg != "" {
		p.Errors.add("filter-decided-to", msg)
	} else if !f.DecidedTo.IsZero() && f.DecidedTo.Before(f.DecidedFrom) {
		p.Errors.add("filter-decided-to", l.T("audit.filter.error.period"))
	}
	choose := func(v, field string, options []auditOption) string {
		if v != "" && !slices.ContainsFunc(options, func(o auditOption) bool { return o.Value == v }) {
			p.Errors.add(field, l.T("error.choice"))
			return ""
		}
		return v
	}
	f.TariffID = choose(fm.Tariff, "filter-tariff", p.Tariffs)
	if fm.TariffVersion != "" {
		n, err := strconv.Atoi(fm.TariffVersion)
		switch {
		case err != nil || n < 1 || n > 1<<30:
			p.Errors.add("filter-tariff-version", l.T("audit.filter.error.version"))
		case fm.Tariff == "":
			p.Errors.add("filter-tariff-version", l.T("audit.filter.error.version_needs_tariff"))
		default:
			f.TariffVersion = n
		}
	}
	f.Service = choose(fm.Service, "filter-service", p.Services)
	f.Segment = choose(fm.Segment, "filter-segment", p.Segments)
	if msg := formatCharMessage(l, l.T("audit.filter.decided_by"), fm.DecidedBy); msg != "" {
		p.Errors.add("filter-decided-by", msg)
	} else if len(fm.DecidedBy) > maxHeaderValue {
		p.Errors.add("filter-decided-by", l.T("audit.filter.error.too_long"))
	} else {
		f.DecidedBy = fm.DecidedBy
	}
	yesNo := []auditOption{{Value: "true"}, {Value: "false"}}
	if v := choose(fm.Touched, "filter-touched", yesNo); v != "" {
		f.Touched = new(v == "true")
	}
	if v := choose(fm.InForce, "filter-in-force", yesNo); v != "" {
		f.InForce = new(v == "true")
	}
	if v := choose(fm.VersionWarning, "filter-version-warning", yesNo); v != "" {
		f.VersionWarning = new(v == "true")
	}
	if v := choose(fm.TotalsChanged, "filter-totals-changed", yesNo); v != "" {
		f.TotalsChanged = new(v == "true")
	}
	return f
}

// query returns the filter as query parameters (the empty ones left out).
func (f auditFilterForm) query() url.Values {
	v := url.Values{}
	for k, x := range map[string]string{"decided_from": f.DecidedFrom, "decided_to": f.DecidedTo, "tariff": f.Tariff,
		"tariff_version": f.TariffVersion, "service": f.Service, "decided_by": f.DecidedBy, "segment": f.Segment,
		"touched": f.Touched, "in_force": f.InForce, "version_warning": f.VersionWarning, "totals_changed": f.TotalsChanged} {
		if x != "" {
			v.Set(k, x)
		}
	}
	return v
}

// handleAuditList handles GET /decisions: the decisions, latest first,
// filtered and paged; a filter that fails shows its message beside the
// field (422) and no list.
func (s *Server) handleAuditList(c *fiber.Ctx) error {
	l := s.pageLang(c)
	p := &auditListPage{consoleBase: consoleBase{Title: "audit.list.title", Intro: "audit.list.intro", Section: "nav.decisions",
		Wide: true, Styles: []string{"audit"}}}
	ctx := c.UserContext()
	if err := s.auditChoices(ctx, l, p); err != nil {
		return err
	}
	f := auditReadFilter(c, l, p, s.planDates())
	offset, err := strconv.Atoi(c.Query("offset", "0"))
	if err != nil || offset < 0 {
		offset = 0
	}
	if !p.Errors.ok() {
		p.Problems = p.Errors.summary()
		return s.render(c, fiber.StatusUnprocessableEntity, "audit_decisions", p)
	}
	f.Limit, f.Offset = auditPageSize+1, offset
	recs, err := s.reads.Decisions(ctx, f)
	if err != nil {
		return err
	}
	more := len(recs) > auditPageSize
	if more {
		recs = recs[:auditPageSize]
	}
	names := s.auditUserNames(ctx)
	for _, r := range recs {
		p.Rows = append(p.Rows, auditRow{ID: r.EstimateID, Number: r.DecisionNumber, DecisionDate: l.Date(r.DecisionDate),
			EffectiveFrom: l.Date(r.EffectiveFrom), ClientRef: r.ClientRef, Segment: auditSegment(l, r.Segment),
			Tariff:    l.T("audit.tariff_version", "tariff", r.TariffID, "version", r.TariffVersion),
			ClientFee: l.Money(r.Monthly.ClientFee), VoucherCopay: l.Money(r.Monthly.VoucherCopay), CountyNet: l.Money(r.Monthly.CountyNet),
			DecidedBy: auditWho(names, r.ActorID),
			InForce:   r.InForce, Touched: len(r.TouchedBy) > 0, Warned: r.VersionWarning != nil, Changed: r.TotalsChanged})
	}
	q := p.Form.query()
	p.CSV = "/decisions.csv"
	if len(q) > 0 {
		p.CSV += "?" + q.Encode()
	}
	page := func(off int) string {
		v := p.Form.query()
		if off > 0 {
			v.Set("offset", strconv.Itoa(off))
		}
		if len(v) == 0 {
			return "/decisions"
		}
		return "/decisions?" + v.Encode()
	}
	if offset > 0 {
		p.Prev = page(max(offset-auditPageSize, 0))
	}
	if more {
		p.Next = page(offset + auditPageSize)
	}
	if len(p.Rows) > 0 {
		p.From, p.To = offset+1, offset+len(p.Rows)
	}
	return s.render(c, fiber.StatusOK, "audit_decisions", p)
}

// auditSegment names a segment in l ("" stays "").
func auditSegment(l *Lang, seg string) string {
	if seg == "" || !l.Has("segment."+seg) {
		return seg
	}
	return l.T("segment." + seg)
}

// auditUserNames maps user names to display names, as far as the users
// read model knows them (none when carecost runs without it).
func (s *Server) auditUserNames(ctx context.Context) map[string]string {
	out := map[string]string{}
	if users, err := s.directory.Users(ctx); err == nil {
		for _, u := range users {
			out[u.Name] = u.DisplayName
		}
	}
	return out
}

// auditWho writes a user as "Display Name (name)", or the name alone.
func auditWho(names map[string]string, id string) string {
	if n := names[id]; n != "" && n != id {
		return n + " (" + id + ")"
	}
	return id
}
