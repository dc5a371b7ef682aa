package admin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
	"carecost/projections"
)

// The console: server-rendered pages for case managers, admins,
// controllers and operations (docs/console.md). Its pages are routes of the
// one route table, each with its access rule; their handlers call the same
// domain commands and projection queries as the JSON API.

// consoleBase is what every page's template gets: the language, the title,
// who is signed in, the navigation their roles allow and the session's CSRF
// token. Page structs embed it.
type consoleBase struct {
	// L is the page's language: L.T "key" in templates.
	L *Lang
	// Langs are the other languages, for the switch.
	Langs []langLink
	// Here is the page's path and query, where the switch comes back to.
	Here string
	// Title and Intro are the page's heading and what it is for.
	Title, Intro string
	// CSRF is the session's token: the _csrf field of every form.
	CSRF string
	// User is who is signed in (nil: nobody).
	User *signedInView
	// Nav is the navigation: only what the user's roles allow.
	Nav []navLink
	// Section is the nav key of the page's section (marked current).
	Section string
	// Notice says once that something went well (after a redirect).
	Notice string
	// Problems is the error summary of a failed form, each entry linking
	// to its field.
	Problems []fieldError
	// Live loads the partial-update script (htmx).
	Live bool
	// Wide lets the page use the whole width (tables, the builder).
	Wide bool
	// Body is the page's own content inside the layout.
	Body template.HTML
	// Styles are the area's own style sheets (/static/<name>.css) beside
	// carecost.css.
	Styles []string
}

// langLink switches the page to another language.
type langLink struct{ Code, Name, Href string }

// navLink is an entry of the navigation.
type navLink struct {
	Key, Href string
	Current   bool
}

// base lets the renderer reach the consoleBase of any page struct.
func (b *consoleBase) base() *consoleBase { return b }

// pager is a page struct: one embedding consoleBase.
type pager interface{ base() *consoleBase }

// navSections are the console's sections in the navigation's order; an
// entry shows when the user may GET its path (the route table's rule).
var navSections = []struct{ key, path string }{
	{"nav.home", "/"},
	{"nav.estimates", "/estimates"},
	{"nav.decisions", "/decisions"},
	{"nav.services", "/services"},
	{"nav.tariffs", "/tariffs"},
	{"nav.income", "/income-catalogues"},
	{"nav.users", "/users"},
	{"nav.operations", "/operations"},
}

// may reports whether id may use the route of method and path (a path
// without parameters); false when the table has no such route.
func (s *Server) may(id Identity, method, path string) bool {
	for _, r := range s.table {
		if r.method == method && r.path == path {
			if r.rule.public {
				return true
			}
			for _, role := range r.rule.roles {
				if id.has(role) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// nav returns the navigation of id, section marked current.
func (s *Server) nav(id Identity, section string) []navLink {
	var out []navLink
	for _, n := range navSections {
		if s.may(id, fiber.MethodGet, n.path) {
			out = append(out, navLink{Key: n.key, Href: n.path, Current: n.key == section})
		}
	}
	return out
}

// pageLang returns the language of the request's page.
func (s *Server) pageLang(c *fiber.Ctx) *Lang { return s.catalogue.Lang(s.lang(c)) }

// fill fills p's consoleBase for the request: language, user, navigation,
// CSRF token and the notice a redirect left.
func (s *Server) fill(c *fiber.Ctx, p pager) error {
	b := p.base()
	b.L = s.pageLang(c)
	b.Here = here(c)
	for _, code := range s.catalogue.Codes() {
		if code != b.L.Code {
			b.Langs = append(b.Langs, langLink{Code: code, Name: s.catalogue.Lang(code).Name(), Href: withLang(c, code)})
		}
	}
	if b.Title != "" && b.L.Has(b.Title) {
		b.Title = b.L.T(b.Title)
	}
	if b.Intro != "" && b.L.Has(b.Intro) {
		b.Intro = b.L.T(b.Intro)
	}
	id, _ := identityOf(c)
	if id.User != "" {
		name := id.DisplayName
		if name == "" {
			name = id.User
		}
		b.User = &signedInView{User: id.User, DisplayName: name}
		b.Nav = s.nav(id, b.Section)
	}
	if info, ok := c.Locals(localSession).(sessionInfo); ok {
		if b.CSRF == "" {
			b.CSRF = info.CSRF
		}
		if b.Notice == "" {
			notice, err := s.takeNotice(c)
			if err != nil {
				return err
			}
			if notice != "" && b.L.Has(notice) {
				b.Notice = b.L.T(notice)
			}
		}
	}
	return nil
}

// withLang returns the request's path and query with lang set to code.
func withLang(c *fiber.Ctx, code string) string {
	q := url.Values{}
	c.Context().QueryArgs().VisitAll(func(k, v []byte) { q.Add(string(k), string(v)) })
	q.Set("lang", code)
	return c.Path() + "?" + q.Encode()
}

// render renders view in the layout with status. A failed form (422)
// whose problems say it was stale answers 409, whichever form it was.
func (s *Server) render(c *fiber.Ctx, status int, view string, p pager) error {
	if err := s.fill(c, p); err != nil {
		return err
	}
	if status == fiber.StatusUnprocessableEntity && slices.ContainsFunc(p.base().Problems, func(e fieldError) bool { return e.stale }) {
		status = fiber.StatusConflict
	}
	return s.compose(c, status, view, p, true)
}

// renderPartial renders view alone (an htmx swap), filled like a page.
func (s *Server) renderPartial(c *fiber.Ctx, view string, p pager) error {
	if err := s.fill(c, p); err != nil {
		return err
	}
	return s.compose(c, fiber.StatusOK, view, p, false)
}

// compose executes view with p and, in the layout (p a pager), the layout
// with the view's output as p's Body. The templates are parsed once at start and
// only executed here, which is safe from many requests at once (the
// template engine's own layouts set a function on the shared layout at
// every render, which is not).
func (s *Server) compose(c *fiber.Ctx, status int, view string, p any, inLayout bool) error {
	t := s.views.Lookup(view)
	if t == nil {
		return fmt.Errorf("admin: no template %s", view)
	}
	var body bytes.Buffer
	if err := t.Execute(&body, p); err != nil {
		return fmt.Errorf("admin: render %s: %w", view, err)
	}
	if pg, ok := p.(pager); ok && inLayout {
		pg.base().Body = template.HTML(body.String()) // what the view made, escaped as it was made
		body.Reset()
		if err := s.views.Lookup(layoutView).Execute(&body, p); err != nil {
			return fmt.Errorf("admin: render the layout of %s: %w", view, err)
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	return c.Status(status).Send(body.Bytes())
}

// keyNotice holds the catalogue key of a notice to show once, after a
// redirect, and keyNoticeFor the path of the page it is for.
const (
	keyNotice    = "notice"
	keyNoticeFor = "notice_for"
)

// redirectWith answers 303 to path, leaving notice (a catalogue key) for
// the page at path: post/redirect/get.
func (s *Server) redirectWith(c *fiber.Ctx, path, notice string) error {
	if notice != "" {
		sess, err := s.signin.sessions.get(c)
		if err != nil {
			return err
		}
		sess.Set(keyNotice, notice)
		sess.Set(keyNoticeFor, pathOf(path))
		if err := sess.Save(); err != nil {
			return err
		}
	}
	return c.Redirect(path, fiber.StatusSeeOther)
}

// takeNotice returns the notice a redirect left for the request's page and
// forgets it. The notice is for the next page only, and only when that is
// the page the redirect led to: a redirect never followed leaves no
// notice on another page, nor on its own page later.
func (s *Server) takeNotice(c *fiber.Ctx) (string, error) {
	sess, err := s.signin.sessions.get(c)
	if err != nil {
		return "", err
	}
	notice, _ := sess.Get(keyNotice).(string)
	if notice == "" {
		return "", nil
	}
	target, _ := sess.Get(keyNoticeFor).(string)
	sess.Delete(keyNotice)
	sess.Delete(keyNoticeFor)
	if err := sess.Save(); err != nil {
		return "", err
	}
	if target != pathOf(c.OriginalURL()) {
		return "", nil
	}
	return notice, nil
}

// pathOf returns the path of a local address, without its query and
// fragment.
func pathOf(u string) string {
	u, _, _ = strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	return u
}

// isHTMX reports whether the request is a partial update of htmx.
func isHTMX(c *fiber.Ctx) bool { return c.Get("HX-Request") == "true" }

// formErrors are the messages of a failed form by field name, in the
// order found.
type formErrors struct {
	order []string
	msgs  map[string]string
	// wasStale: the message of the form as a whole says it was stale.
	wasStale bool
}

// add records msg for field, keeping the first message of a field.
func (f *formErrors) add(field, msg string) {
	if f.msgs == nil {
		f.msgs = map[string]string{}
	}
	if _, ok := f.msgs[field]; ok {
		return
	}
	f.order = append(f.order, field)
	f.msgs[field] = msg
}

// stale records that the form was rendered from a version changed since
// (msg, on the form as a whole, before any other message of the form as
// a whole): the page answers 409, never an overwrite.
func (f *formErrors) stale(msg string) {
	f.add("", msg)
	f.msgs[""] = msg
	f.wasStale = true
}

// ok reports whether no field failed.
func (f *formErrors) ok() bool { return len(f.order) == 0 }

// Of returns the message of field ("" when it passed).
func (f *formErrors) Of(field string) string { return f.msgs[field] }

// summary returns the error summary, in the order found.
func (f *formErrors) summary() []fieldError {
	out := make([]fieldError, len(f.order))
	for i, k := range f.order {
		out[i] = fieldError{Field: k, Message: f.msgs[k], stale: f.wasStale && k == ""}
	}
	return out
}

// domainError puts a domain error of a command on the form: on its field
// when the form has one of that name (fields maps the domain's field paths
// to the form's), else on the form as a whole. The message is the
// catalogue's for the code, or for the code and field
// ("error.invalid.quantity") when there is one. ok is false for errors a
// form cannot show (internal, unavailable): the caller returns them.
func (f *formErrors) domainError(l *Lang, err error, fields map[string]string) bool {
	code := domain.ErrorCode(err)
	switch code {
	case domain.EInvalid, domain.ERefused, domain.EConflict, domain.ENotFound:
	default:
		return false
	}
	field := domain.ErrorField(err)
	if i := strings.LastIndex(field, "."); i >= 0 && fields[field] == "" {
		field = field[i+1:] // lines[0].quantity -> quantity
	}
	msg := l.T("error." + code)
	if l.Has("error." + code + "." + field) {
		msg = l.T("error." + code + "." + field)
	}
	switch to, ok := fields[field]; {
	case code == domain.EConflict && field == "expected_version":
		f.stale(msg)
	case ok:
		f.add(to, msg)
	default:
		f.add("", msg)
	}
	return true
}

// errorPage is a page that says what went wrong.
type errorPage struct {
	consoleBase
	Message string
	// Back is the page a refused form was on ("" for none).
	Back string
}

// consolePage marks a request as one of the console's pages: its errors
// are pages too, in the person's language.
const localPage = "carecost.page"

// markPage runs first on every console page route.
func markPage(c *fiber.Ctx) error {
	c.Locals(localPage, true)
	return c.Next()
}

// pageError answers a failed console request: a person who is not signed
// in goes to the sign-in page; anything else gets a page in their language
// with the status of the error.
func (s *Server) pageError(c *fiber.Ctx, err error, status int, d errorDetail) error {
	if d.Code == domain.EUnauthenticated && (c.Method() == fiber.MethodGet || c.Method() == fiber.MethodHead) {
		c.Response().Header.Del(fiber.HeaderWWWAuthenticate)
		return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	// The heading says what kind of error it is; the message what to do.
	title := "error.title"
	if l := s.pageLang(c); l.Has("error.title." + string(d.Code)) {
		title = "error.title." + string(d.Code)
	}
	var query *queryError
	var form *formError
	var fe *fiber.Error
	tooMany := errors.As(err, &fe) && fe.Code == fiber.StatusTooManyRequests
	switch {
	case d.Code == domain.EForbidden && d.Field == headerCSRF:
		title = "error.title.csrf"
	case errors.As(err, &query):
		title = "error.title.query"
	case errors.As(err, &form):
		title, status = "error.title.form", form.status
	case tooMany:
		title = "error.title.too_many"
	}
	p := &errorPage{consoleBase: consoleBase{Title: title}}
	if err := s.fill(c, p); err != nil {
		return c.Status(status).SendString(d.Message)
	}
	l := p.L
	switch {
	case d.Code == domain.EForbidden && d.Field == headerCSRF:
		p.Message = l.T("error.csrf")
	case d.Code == domain.EForbidden:
		p.Message = l.T("error.forbidden", "roles", s.neededRoles(c, l))
	case d.Code == domain.EInternal:
		p.Message = l.T("error.internal", "id", requestID(c))
	case query != nil && query.twice:
		p.Message = l.T("error.query_twice", "name", shortName(query.name))
	case query != nil:
		p.Message = l.T("error.query_unknown", "name", shortName(query.name))
	case form != nil:
		p.Message = l.T(form.key)
	case tooMany:
		p.Message = l.T("error.too_many")
	case d.Code == domain.EInvalid && d.Field != "":
		p.Message = l.T("error.invalid_field", "name", shortName(d.Field))
	case l.Has("error." + string(d.Code)):
		p.Message = l.T("error." + string(d.Code))
	default:
		p.Message = l.T("error.invalid")
	}
	if c.Method() == fiber.MethodPost && c.Get(fiber.HeaderReferer) != "" {
		p.Back = p.Here // the page the form was on
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return s.compose(c, status, "error", p, true)
}

// shortName is a name from a request shown on a page: at most 40
// characters, the rest marked by an ellipsis.
func shortName(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// neededRoles names, in l, the roles the request's route needs.
func (s *Server) neededRoles(c *fiber.Ctx, l *Lang) string {
	path := c.Route().Path
	for _, r := range s.table {
		if r.path == path && r.method == c.Method() {
			names := make([]string, len(r.rule.roles))
			for i, role := range r.rule.roles {
				names[i] = l.T("role." + role)
			}
			return strings.Join(names, " / ")
		}
	}
	return ""
}

// localPath returns p when it is a path of carecost itself ("/estimates?x=1"),
// else "": a redirect never leaves carecost (no "//host", no scheme, no
// backslash, no control characters).
func localPath(p string) string {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsAny(p, "\\\r\n\t") || len(p) > 2000 {
		return ""
	}
	u, err := url.Parse(p)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return ""
	}
	return strings.Clone(p)
}

// langParam switches a page's language (remembered in a cookie).
var langParam = param{name: "lang", typ: "string", desc: "the language of the page (fi, en), remembered"}

// Pages lists the console's pages as "METHOD /path" (Fiber templates), in
// the route table's order: routes for people, not in the OpenAPI document.
func (s *Server) Pages() []string {
	var out []string
	for _, r := range s.table {
		if r.page {
			out = append(out, r.method+" "+r.path)
		}
	}
	return out
}

// settle waits, bounded, until the projections have applied a command's
// events, so the page a form redirects to shows the change. A projection
// stopped before an event it cannot apply is an error (a page saying so);
// a wait that times out is not: the next page shows what there is.
func (s *Server) settle(c *fiber.Ctx, r domain.Result) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), s.waitTimeout)
	defer cancel()
	if err := s.waiter.WaitFor(ctx, r.Position); errors.Is(err, projections.ErrStopped) {
		return err
	}
	return nil
}

// expectedField reads a form's hidden expected_version (the version the
// form was rendered from): a stale form is a conflict, never a silent
// overwrite. Absent or malformed, it is nil and ok is false (pagePost
// refuses such a form before its handler runs).
func expectedField(c *fiber.Ctx) (v *int64, ok bool) {
	n, err := strconv.ParseInt(formValue(c, "expected_version"), 10, 64)
	if err != nil || n < 0 {
		return nil, false
	}
	return &n, true
}

// here returns where the language switch comes back to: the page's path
// and query without lang (for a form's answer, the page it came from).
func here(c *fiber.Ctx) string {
	raw := c.OriginalURL()
	if c.Method() != fiber.MethodGet {
		raw = c.Get(fiber.HeaderReferer)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Del("lang")
	u.RawQuery = q.Encode()
	return localPath(u.RequestURI())
}
