package admin

import (
	"cmp"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// estimatesPerPage is how many estimates a page of the list shows, and
// maxListPage the last page it goes to.
const (
	estimatesPerPage = 25
	maxListPage      = 100000
)

// estimateListPage is the estimates list with its search.
type estimateListPage struct {
	consoleBase
	ClientRef, Status, CaseManager, From, To fieldView
	Rows                                     []estimateListRow
	// Filtered: the list is a search (an empty one says so).
	Filtered bool
	// MayOpen: the person may open estimates (the new estimate button).
	MayOpen            bool
	PrevHref, NextHref string
	PageNumber         int
}

// estimateListRow is an estimate in the list.
type estimateListRow struct {
	ID, Href, ClientRef, Status, Badge  string
	Maple, Segment, CaseManager, Opened string
	Lines                               int
	Client, County                      string
}

// pageEstimateList handles GET /estimates: the estimates the person sees
// (a case manager their team's), searched by client, status, case
// manager and opening date, newest change first.
func (s *Server) pageEstimateList(c *fiber.Ctx) error {
	l := s.pageLang(c)
	id, _ := identityOf(c)
	p := &estimateListPage{consoleBase: consoleBase{Title: "estimates.list.title", Intro: "estimates.list.intro", Section: "nav.estimates",
		Wide: true, Styles: []string{"estimates"}}, MayOpen: s.may(id, fiber.MethodPost, "/estimates")}
	q := func(name string) string { return strings.TrimSpace(strings.Clone(c.Query(name))) }
	errs := &formErrors{}
	f := projections.EstimateFilter{ClientRef: q("client_ref"), Status: q("status"), OpenedBy: q("case_manager"), Limit: estimatesPerPage + 1}
	f.Team, f.Scoped = actorOf(c).Scope()
	if msg := formatCharMessage(l, l.T("estimates.field.client_ref"), f.ClientRef); msg != "" {
		errs.add("filter-client-ref", msg)
	} else if len(f.ClientRef) > 64 {
		errs.add("filter-client-ref", l.T("estimates.error.client_ref"))
	}
	if f.Status != "" && !slices.Contains(estimateStatuses, domain.EstimateStatus(f.Status)) {
		errs.add("filter-status", l.T("error.choice"))
	}
	if len(f.OpenedBy) > 100 {
		errs.add("filter-case-manager", l.T("error.choice"))
	}
	var msg string
	if f.OpenedFrom, msg = readDate(l, q("opened_from"), s.planDates(), false); msg != "" {
		errs.add("filter-opened-from", msg)
	}
	if f.OpenedTo, msg = readDate(l, q("opened_to"), s.planDates(), false); msg != "" {
		errs.add("filter-opened-to", msg)
	} else if !f.OpenedTo.IsZero() && f.OpenedTo.Before(f.OpenedFrom) {
		errs.add("filter-opened-to", l.T("estimates.error.opened_to"))
	}
	p.PageNumber = 1
	if v := q("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxListPage {
			errs.add("", l.T("error.number_range", "lo", l.Number(1), "hi", l.Number(maxListPage)))
		} else {
			p.PageNumber = n
		}
	}
	f.Offset = (p.PageNumber - 1) * estimatesPerPage
	p.Filtered = f.ClientRef != "" || f.Status != "" || f.OpenedBy != "" || !f.OpenedFrom.IsZero() || !f.OpenedTo.IsZero()
	p.filterFields(l, c, q, s.caseManagers(c, f), errs)
	if !errs.ok() {
		p.Problems = errs.summary()
		return s.render(c, fiber.StatusUnprocessableEntity, "estimates_list", p)
	}
	found, err := s.reads.Estimates(c.UserContext(), f)
	if err != nil {
		return err
	}
	if len(found) > estimatesPerPage {
		found = found[:estimatesPerPage]
		p.NextHref = pageHref(c, p.PageNumber+1)
	}
	if p.PageNumber > 1 {
		p.PrevHref = pageHref(c, p.PageNumber-1)
	}
	for _, e := range found {
		row := estimateListRow{ID: e.ID, Href: "/estimates/" + e.ID, ClientRef: e.ClientRef, Status: l.T("estimates.status." + e.Status),
			Badge: statusBadge(e.Status), Lines: e.LineCount, Client: l.Money(e.Monthly.ClientFee), County: l.Money(e.Monthly.CountyNet),
			CaseManager: cmp.Or(e.OpenedByName, e.OpenedBy)}
		if e.Maple > 0 {
			row.Maple = strconv.Itoa(e.Maple)
		}
		if e.Segment != "" {
			row.Segment = l.T("segment." + e.Segment)
		}
		if !e.OpenedAt.IsZero() {
			row.Opened = l.Date(domain.DateOf(e.OpenedAt))
		}
		p.Rows = append(p.Rows, row)
	}
	return s.render(c, fiber.StatusOK, "estimates_list", p)
}

// pageHref is the list's address with page n, the search kept.
func pageHref(c *fiber.Ctx, n int) string {
	v := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, val []byte) {
		if string(k) != "page" && len(val) > 0 {
			v.Add(string(k), string(val))
		}
	})
	if n > 1 {
		v.Set("page", strconv.Itoa(n))
	}
	if len(v) == 0 {
		return "/estimates"
	}
	return "/estimates?" + v.Encode()
}

// caseManagers are the case managers the person may search by (their
// team's for a case manager), by name; nil when the users are not
// available (the search then takes a user name).
func (s *Server) caseManagers(c *fiber.Ctx, f projections.EstimateFilter) []projections.UserView {
	users, err := s.directory.Users(c.UserContext())
	if err != nil {
		return nil
	}
	out := []projections.UserView{}
	for _, u := range users {
		if slices.Contains(u.Roles, domain.RoleCaseManager) && (!f.Scoped || u.Team == f.Team) {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b projections.UserView) int {
		return cmp.Compare(strings.ToLower(cmp.Or(a.DisplayName, a.Name)), strings.ToLower(cmp.Or(b.DisplayName, b.Name)))
	})
	return out
}

// filterFields builds the search's fields, keeping what was typed.
func (p *estimateListPage) filterFields(l *Lang, c *fiber.Ctx, q func(string) string, managers []projections.UserView, errs *formErrors) {
	p.ClientRef = fieldView{ID: "filter-client-ref", Name: "client_ref", Label: l.T("estimates.field.client_ref"), Hint: l.T("estimates.hint.filter_client_ref"),
		Value: q("client_ref"), Type: "search", Autocomplete: "off"}
	status := []choice{{Value: "", Label: l.T("estimates.filter.any_status")}}
	for _, st := range estimateStatuses {
		status = append(status, choice{Value: string(st), Label: l.T("estimates.status." + string(st)), Selected: q("status") == string(st)})
	}
	p.Status = fieldView{ID: "filter-status", Name: "status", Label: l.T("estimates.fact.status"), Options: status}
	p.CaseManager = fieldView{ID: "filter-case-manager", Name: "case_manager", Label: l.T("estimates.filter.case_manager"), Value: q("case_manager")}
	if managers != nil {
		opts := []choice{{Value: "", Label: l.T("estimates.filter.any_case_manager")}}
		for _, u := range managers {
			opts = append(opts, choice{Value: u.Name, Label: cmp.Or(u.DisplayName, u.Name), Selected: u.Name == q("case_manager")})
		}
		if v := q("case_manager"); v != "" && !slices.ContainsFunc(managers, func(u projections.UserView) bool { return u.Name == v }) {
			opts = append(opts, choice{Value: v, Label: v, Selected: true})
		}
		p.CaseManager.Options = opts
	} else {
		p.CaseManager.Type, p.CaseManager.Hint = "text", l.T("estimates.hint.filter_case_manager")
	}
	p.From = fieldView{ID: "filter-opened-from", Name: "opened_from", Label: l.T("estimates.filter.opened_from"), Value: q("opened_from"), Type: "date"}
	p.To = fieldView{ID: "filter-opened-to", Name: "opened_to", Label: l.T("estimates.filter.opened_to"), Value: q("opened_to"), Type: "date"}
	for _, f := range []*fieldView{&p.ClientRef, &p.Status, &p.CaseManager, &p.From, &p.To} {
		f.Error = errs.Of(f.ID)
	}
}
