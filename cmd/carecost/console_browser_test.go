package main

import (
	"slices"
	"strings"
	"testing"

	"carecost/domain"
)

// The console's shared pages in a real browser, in Finnish and English:
// the public front page, the sign-in page (and a failed sign-in), each
// role's front page with the navigation its role allows, an error page,
// signing out. Every page gets a screenshot, axe-core (no serious or
// critical WCAG 2.1 A/AA violation) and no Content-Security-Policy
// violation; the harness itself is checked on the way (language switch
// remembered, printing to A4 PDF, fetching with the session).
func TestBrowserConsoleSharedPages(t *testing.T) {
	rig := startConsole(t)

	t.Run("public", func(t *testing.T) {
		b := rig.session(t)
		// The pages forbid inline scripts; axe-core gets in through the
		// DevTools protocol all the same.
		csp := b.fetchHeader("/", "Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe-inline") {
			t.Fatalf("the console's Content-Security-Policy: %q", csp)
		}
		for _, lang := range []string{"fi", "en"} {
			if st := b.open("/?lang=" + lang); st != 200 {
				t.Fatalf("the front page (%s) answered %d", lang, st)
			}
			if b.exists("nav") || b.exists("#sign-out-top") {
				t.Errorf("the public front page (%s) shows a navigation or a sign-out", lang)
			}
			b.waitFor("#sign-in-link")
			b.check("home-public")

			if st := b.open("/?bogus=1"); st != 400 {
				t.Errorf("a front page address with an unknown parameter answered %d", st)
			}
			if b.pageLang() != lang || b.text("main h1") == "" || b.text(".error-text") == "" {
				t.Errorf("the error page (%s): %q", lang, b.text("main"))
			}
			b.check("error-bad-address")

			b.open("/")
			b.click("#sign-in-link")
			if loc := b.location(); loc != "/login" {
				t.Fatalf("the sign-in link went to %s", loc)
			}
			b.check("login")
			b.typeInto("#name", "nobody")
			b.typeInto("#password", "not the password")
			b.click("#sign-in")
			b.waitFor(".error-summary")
			if !b.exists("#name[aria-invalid=true], #password[aria-invalid=true]") && !b.exists(".error-summary a") {
				t.Errorf("a failed sign-in (%s) marks no field", lang)
			}
			b.check("login-failed")
			if got := b.counts(); got != (actions{Clicks: 2, Typed: 2}) {
				t.Errorf("counted %v, want 2 clicks and 2 fields typed", got)
			}
			b.resetCounts()
		}
		// The switch in the header, and the choice remembered.
		b.open("/?lang=fi")
		b.lang("en")
		if b.text("h1") != "carecost" || !strings.Contains(b.text("main"), "Sign in") {
			t.Errorf("the front page in English: %q", b.text("main"))
		}
		b.open("/login")
		if b.pageLang() != "en" {
			t.Errorf("the language chosen is not remembered: the sign-in page is in %s", b.pageLang())
		}
		b.lang("fi")

		// The checks can fail: axe-core finds an image without a text,
		// the recorder an inline script the policy blocked, the keyboard
		// walk a button without a focus ring (and takes a group of radio
		// buttons as one stop).
		b.open("/")
		b.eval(`(() => { const i = document.createElement("img"); i.src = "/static/none.png"; document.querySelector("main").append(i);
			const s = document.createElement("script"); s.textContent = "1"; document.body.append(s);
			const n = document.createElement("button"); n.textContent = "no ring"; n.style.outline = "none"; document.querySelector("main").append(n);
			document.querySelector("main").insertAdjacentHTML("beforeend",
				'<label><input type="radio" name="r" value="1" checked> 1</label><label><input type="radio" name="r" value="2"> 2</label>');
			return true; })()`, nil)
		if p := b.keyboardProblems(); len(p) != 1 || !strings.Contains(p[0], `button "no ring" shows no focus`) {
			t.Errorf("the keyboard walk found %q", p)
		}
		var ids []string
		for _, v := range b.axeViolations() {
			ids = append(ids, v.ID+" "+v.Impact)
		}
		if !slices.Contains(ids, "image-alt critical") {
			t.Errorf("axe-core missed an image without a text: %q", ids)
		}
		if v := b.cspViolations(); len(v) != 1 || !strings.HasPrefix(v[0], "script-src") {
			t.Errorf("the policy violations recorded: %q", v)
		}

		// A click that updates part of the page (htmx, as the builder
		// does) returns once the update is in.
		b.open("/login")
		b.eval(`new Promise(done => {
			const m = document.createElement("meta"); m.name = "htmx-config"; m.content = '{"includeIndicatorStyles":false}'; document.head.append(m);
			const s = document.createElement("script"); s.src = "/static/htmx.min.js"; s.onload = () => done(true); document.head.append(s);
		}).then(() => { document.querySelector("main").insertAdjacentHTML("beforeend",
			'<button id="partial" hx-get="/" hx-select="main h1" hx-target="#partial-out">x</button><p id="partial-out"></p>');
			htmx.process(document.querySelector("main")); return true; })`, nil)
		b.click("#partial")
		if got := b.text("#partial-out"); got != "carecost" {
			t.Errorf("after the partial update the page shows %q", got)
		}
		if got := b.waitChange("#partial-out", ""); got != "carecost" || b.status() != 200 {
			t.Errorf("the partial update: %q on a page of status %d", got, b.status())
		}
		b.resetCounts()

		// Printing: A4, a real PDF.
		b.open("/")
		pdf := b.printPDF("fi-home-public")
		if pdfPages(pdf) != 1 || !pdfA4(pdf) {
			t.Errorf("the front page printed to %d pages, A4 %v", pdfPages(pdf), pdfA4(pdf))
		}
	})

	matrix := rig.srv.http.AccessMatrix()
	pages := rig.srv.http.Pages()
	if !mayOpen(matrix, "/", domain.RoleOperations) || !mayOpen(matrix, "/api/v1/users", domain.RoleAdmin) ||
		mayOpen(matrix, "/api/v1/users", domain.RoleCaseManager) || !slices.Contains(pages, "GET /") {
		t.Fatalf("the access matrix is not read right:\n%s", matrix)
	}
	for _, role := range domain.Roles {
		t.Run(string(role), func(t *testing.T) {
			s := rig.session(t)
			u := s.signInAs(role)
			if loc := s.location(); loc != "/" {
				t.Fatalf("after signing in %s is at %s", u.Name, loc)
			}
			slug := strings.ReplaceAll(string(role), "_", "-")
			for _, lang := range []string{"fi", "en"} {
				s.lang(lang)
				if !strings.Contains(s.text("header .user"), u.Display) {
					t.Errorf("the header (%s) does not name %s: %q", lang, u.Display, s.text("header .user"))
				}
				checkNav(t, s, matrix, pages, role)
				s.check("home-" + slug)

				// A page the role may not open, when the console has one.
				if path := forbiddenPage(matrix, pages, role); path != "" {
					if st := s.open(path); st != 403 {
						t.Errorf("%s opening %s: %d, want 403", role, path, st)
					}
					if msg := s.text(".error-text"); msg == "" || s.pageLang() != lang || !s.exists("#sign-out-top") {
						t.Errorf("the forbidden page (%s) of %s: %q", lang, path, s.text("main"))
					}
					if role == domain.RoleOperations {
						s.check("error-forbidden")
					} else {
						s.axe(lang + "-error-forbidden-" + slug)
					}
					s.open("/")
				}
			}
			// The session's own fetch (the CSV exports use it).
			if got := s.fetch("/api/v1/session"); got.Status != 200 || !strings.Contains(string(got.Body), `"user":"`+u.Name+`"`) {
				t.Errorf("the session seen by fetch: %d %s", got.Status, got.Body)
			}
			s.signOut()
			if loc := s.location(); !strings.HasPrefix(loc, "/login") || !s.exists("#sign-in") {
				t.Fatalf("after signing out %s is at %s", u.Name, loc)
			}
			if role == domain.RoleCaseManager {
				s.check("signed-out") // in English, remembered from before
			}
		})
	}
}

// navSectionPaths are the console's sections in the navigation's order.
var navSectionPaths = []string{"/", "/estimates", "/decisions", "/services", "/tariffs", "/income-catalogues", "/users", "/operations"}

// neverShown are sections a role never sees, whatever the route table
// says: operations sees no client data; an admin no estimate; the users
// are the admin's.
var neverShown = map[domain.Role][]string{
	domain.RoleCaseManager: {"/users", "/operations"},
	domain.RoleAdmin:       {"/estimates", "/decisions", "/operations"},
	domain.RoleController:  {"/users", "/operations"},
	domain.RoleOperations:  {"/estimates", "/decisions", "/services", "/tariffs", "/income-catalogues", "/users"},
}

// checkNav checks the page's navigation: exactly the sections whose page
// the console serves and the role may open (the access matrix), in order,
// none of neverShown; the front page's cards link the same sections.
func checkNav(t *testing.T, s *browserSession, matrix string, pages []string, role domain.Role) {
	t.Helper()
	var want []string
	for _, p := range navSectionPaths {
		if slices.Contains(pages, "GET "+p) && mayOpen(matrix, p, role) {
			want = append(want, p)
		}
	}
	got := s.attrs("header nav a", "href")
	if !slices.Equal(got, want) {
		t.Errorf("the navigation of %s links %q, want %q", role, got, want)
	}
	for _, p := range neverShown[role] {
		if slices.Contains(got, p) {
			t.Errorf("the navigation of %s shows %s", role, p)
		}
	}
	if cur := s.attrs(`header nav a[aria-current="page"]`, "href"); !slices.Equal(cur, []string{"/"}) {
		t.Errorf("the navigation on the front page marks %q current", cur)
	}
	if cards := s.attrs("main .cards a", "href"); !slices.Equal(cards, want[1:]) {
		t.Errorf("the front page of %s offers %q, want %q", role, cards, want[1:])
	}
}

// mayOpen reads the access matrix: whether role may GET path.
func mayOpen(matrix, path string, role domain.Role) bool {
	for line := range strings.SplitSeq(matrix, "\n") {
		if !strings.HasPrefix(line, "| `GET "+path+"` |") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "| "), "|")
		i := slices.Index(domain.Roles, role)
		if i < 0 || i+1 >= len(cells) {
			return false
		}
		c := strings.TrimSpace(cells[i+1])
		return c == "yes" || c == "anyone" || c == "own team"
	}
	return false
}

// forbiddenPage returns a console page without path parameters that role
// may not open ("" when there is none).
func forbiddenPage(matrix string, pages []string, role domain.Role) string {
	for _, p := range navSectionPaths {
		if slices.Contains(pages, "GET "+p) && !mayOpen(matrix, p, role) {
			return p
		}
	}
	return ""
}

// fetchHeader returns a header of the answer to GET path, fetched by the
// page.
func (b *browserSession) fetchHeader(path, name string) string {
	b.t.Helper()
	b.open("/login")
	var v string
	b.eval(`fetch(`+jsString(path)+`).then(r => r.headers.get(`+jsString(name)+`) || "")`, &v)
	return v
}
