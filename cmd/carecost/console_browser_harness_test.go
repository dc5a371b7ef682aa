package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"carecost/admin/auth"
	"carecost/domain"
)

// The console in a real browser: a carecost with the demo data and a user
// with a password for each role, one chromium for the whole test, and
// browser sessions (each with cookies of its own) that sign in through the
// form, drive the pages, count what a person would do (clicks, fields
// typed, choices made), take screenshots, check accessibility with
// axe-core and print to PDF.
//
// A flow reads as what the person does:
//
//	rig := startConsole(t)
//	cm := rig.session(t)
//	cm.signInAs(domain.RoleCaseManager)
//	cm.open("/estimates")
//	cm.resetCounts()
//	cm.click("#new-estimate")            // waits for the page, or the htmx update
//	cm.typeInto("#client-ref", "ASI-1")   // one typed field
//	cm.selectOption("#service", "meal-service")
//	before := cm.text("#totals")
//	cm.click("#add-line")
//	cm.waitChange("#totals", before)
//	cm.check("estimate-builder")          // fi-estimate-builder.png, axe, Tab walk, CSP
//	cm.lang("en")
//	cm.check("estimate-builder")          // en-estimate-builder.png
//	t.Logf("from the list to the decision: %v", cm.counts())
//
// (the ids above are examples). A link that opens a new tab is followed
// with open(attrs(sel, "href")[0]); a download (CSV) is read with fetch.

// consoleRig is a running carecost and one browser.
type consoleRig struct {
	t    *testing.T
	srv  *server
	base string
	// users are the people the sessions sign in as, by role.
	users map[domain.Role]consoleUser
	// browser is the context of the browser's first tab: sessions open
	// their own tabs, each in a browser context of its own.
	browser context.Context
	// shots is the folder of screenshots and PDFs; kept: it is named by
	// $CARECOST_SCREENSHOTS, and the screenshots are made small (compactPNG).
	shots string
	kept  bool
	mu    sync.Mutex
	files []string
}

// consoleUser is a user who signs in with a password.
type consoleUser struct {
	Name, Display, Password, Team string
	Role                          domain.Role
}

// consoleUsers are the people of the browser test, one per role; the case
// manager works in team north.
var consoleUsers = []consoleUser{
	{Name: "maija", Display: "Maija Meikäläinen", Team: "north", Role: domain.RoleCaseManager},
	{Name: "pekka", Display: "Pekka Pääkäyttäjä", Role: domain.RoleAdmin},
	{Name: "kaisa", Display: "Kaisa Tarkastaja", Role: domain.RoleController},
	{Name: "olli", Display: "Olli Ylläpitäjä", Role: domain.RoleOperations},
}

// axeSource is axe-core, injected into each page checked.
var axeSource = sync.OnceValues(func() (string, error) {
	b, err := os.ReadFile("testdata/axe.min.js")
	return string(b), err
})

// startConsole starts carecost with the demo data on a free port of
// 127.0.0.1 (session cookies over plain HTTP), makes the users of
// consoleUsers with a password each, and starts chromium. A missing
// chromium fails the test. Screenshots and PDFs go to $CARECOST_SCREENSHOTS
// when set, else to a temporary folder; the test logs the folder and the
// files at its end.
func startConsole(t *testing.T) *consoleRig {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("the browser test needs %s (make deps installs it): %v", chromiumPath, err)
	}
	if _, err := exec.LookPath(chromiumPath); err != nil {
		t.Fatalf("%s is not runnable: %v", chromiumPath, err)
	}
	addr := freeAddr(t)
	r := &consoleRig{t: t, base: "http://" + addr, users: map[domain.Role]consoleUser{}}
	r.srv = startTestServerWith(t, config{data: filepath.Join(t.TempDir(), "data"), addr: addr, logFormat: "json", demo: true,
		waitTimeout: 5 * time.Second, signIn: signInConfig{insecureCookies: true}})

	// One password for all: hashing is slow on purpose.
	password := auth.GeneratePassword()
	hash, err := auth.HashPassword(password)
	must(t, err)
	ctx := context.Background()
	var last domain.Result
	for _, u := range consoleUsers {
		in := domain.UserInput{Name: u.Name, DisplayName: u.Display, Team: u.Team, Roles: []domain.Role{u.Role}, PasswordHash: domain.Hash(hash)}
		if last, err = r.srv.cmds.AddUser(ctx, domain.Command{Actor: domain.Actor{ID: "test"}}, in); err != nil {
			t.Fatalf("user %s: %v", u.Name, err)
		}
		u.Password = password
		r.users[u.Role] = u
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	must(t, r.srv.runner.WaitFor(wctx, last.Position))

	r.shots = os.Getenv("CARECOST_SCREENSHOTS")
	r.kept = r.shots != ""
	if r.shots == "" {
		r.shots = t.TempDir()
	} else {
		abs, err := filepath.Abs(r.shots)
		must(t, err)
		r.shots = abs
		must(t, os.MkdirAll(r.shots, 0o755))
	}

	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromiumPath), chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true), chromedp.Flag("lang", "fi-FI"), chromedp.WindowSize(1280, 900))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
		r.report()
	})
	// The first Run starts the browser, which lives as long as the context
	// it gets: no timeout here.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	r.browser = bctx
	return r
}

// user returns the user of role.
func (r *consoleRig) user(role domain.Role) consoleUser {
	u, ok := r.users[role]
	if !ok {
		r.t.Fatalf("no browser user holds the role %s", role)
	}
	return u
}

// report logs where the screenshots and PDFs are (printed on stdout too
// when $CARECOST_SCREENSHOTS names the folder, so a run without -v shows
// it).
func (r *consoleRig) report() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.files) == 0 {
		return
	}
	msg := fmt.Sprintf("%d screenshots and PDFs of the console in %s:\n  %s", len(r.files), r.shots, strings.Join(r.files, "\n  "))
	r.t.Log(msg)
	if os.Getenv("CARECOST_SCREENSHOTS") != "" {
		fmt.Println(msg)
	}
}

// write puts a file into the screenshots folder and returns its path.
func (r *consoleRig) write(t *testing.T, name string, data []byte) string {
	t.Helper()
	path := filepath.Join(r.shots, name)
	must(t, os.WriteFile(path, data, 0o644))
	r.mu.Lock()
	if !slices.Contains(r.files, name) {
		r.files = append(r.files, name)
	}
	r.mu.Unlock()
	return path
}

// actions is what a person did in a browser session: each click, each field
// typed (one, however long the text) and each choice of a select count
// one.
type actions struct{ Clicks, Typed, Chosen int }

// Total is every action counted.
func (u actions) Total() int { return u.Clicks + u.Typed + u.Chosen }

func (u actions) String() string {
	return fmt.Sprintf("%d actions: %d clicks, %d fields typed, %d choices", u.Total(), u.Clicks, u.Typed, u.Chosen)
}

// browserSession is a person at the browser: a tab in a browser context of
// its own (cookies apart from other sessions').
type browserSession struct {
	t   *testing.T
	rig *consoleRig
	ctx context.Context
	// n counts what the person did through click, typeInto and
	// selectOption.
	n actions
}

// actionTimeout bounds each step of a session.
const actionTimeout = 15 * time.Second

// session opens a browser session. Each page it loads records the
// Content-Security-Policy violations it meets, which check fails on.
func (r *consoleRig) session(t *testing.T) *browserSession {
	t.Helper()
	ctx, cancel := chromedp.NewContext(r.browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	b := &browserSession{t: t, rig: r, ctx: ctx}
	// The first Run opens the tab, which lives as long as the context it
	// gets: the session's, without a timeout.
	err := chromedp.Do(ctx, chromedp.Func(func(ctx context.Context, tgt *chromedp.Target) error {
		_, err := cdp.Call(ctx, tgt, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspRecorder})
		return err
	}))
	if err != nil {
		t.Fatalf("open a browser tab: %v", err)
	}
	return b
}

// cspRecorder keeps the page's Content-Security-Policy violations in
// window.__ccCSP.
const cspRecorder = `window.__ccCSP = [];
document.addEventListener("securitypolicyviolation", e => window.__ccCSP.push(
	e.violatedDirective + " blocked " + (e.blockedURI || "inline") + " at " + (e.sourceFile || "") + ":" + e.lineNumber));`

// run runs steps within the step timeout, failing the test on an error.
func (b *browserSession) run(steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("in the browser at %s: %v", b.whereNow(), err)
	}
}

// eval evaluates a JavaScript expression (awaiting a promise) and decodes
// its value into v (nil: ignored).
func (b *browserSession) eval(expr string, v any) {
	b.t.Helper()
	if err := b.tryEval(expr, v); err != nil {
		b.t.Fatalf("in the browser at %s: %v", b.whereNow(), err)
	}
}

func (b *browserSession) tryEval(expr string, v any) error {
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil || v == nil {
		return err
	}
	return json.Unmarshal(raw, v)
}

// whereNow is the page's address, for messages ("?" when unknown).
func (b *browserSession) whereNow() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "?"
	}
	return strings.TrimPrefix(loc, b.rig.base)
}

// open goes to path (of carecost) as if typed in the address bar (not
// counted) and returns the HTTP status of the page.
func (b *browserSession) open(path string) int {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.rig.base+path))
	if err != nil {
		b.t.Fatalf("open %s: %v", path, err)
	}
	return int(resp.Status)
}

// location returns the path and query of the page.
func (b *browserSession) location() string {
	b.t.Helper()
	var loc string
	b.eval(`location.pathname + location.search`, &loc)
	return loc
}

// status returns the HTTP status of the page shown (after a redirect: of
// the last answer).
func (b *browserSession) status() int {
	b.t.Helper()
	var s int
	b.eval(`performance.getEntriesByType("navigation")[0].responseStatus`, &s)
	return s
}

// click clicks the element sel (CSS) and waits until the page has settled:
// the new page loaded when the click navigated (a link, a form), or the
// partial update done (htmx). It counts one click.
func (b *browserSession) click(sel string) {
	b.t.Helper()
	b.n.Clicks++
	b.press(sel)
}

// press is click without counting.
func (b *browserSession) press(sel string) {
	b.t.Helper()
	b.mark()
	b.run(chromedp.WaitVisible(chromedp.CSS(sel)), chromedp.Click(chromedp.CSS(sel)))
	b.settle("clicking " + sel)
}

// typeInto types text into the field sel (CSS), replacing what it held,
// and leaves the field (which fires its change event). It counts one typed
// field, however long the text. A date field takes YYYY-MM-DD.
func (b *browserSession) typeInto(sel, text string) {
	b.t.Helper()
	b.n.Typed++
	b.fill(sel, text)
}

// fill is typeInto without counting.
func (b *browserSession) fill(sel, text string) {
	b.t.Helper()
	b.run(chromedp.WaitVisible(chromedp.CSS(sel)))
	var kind string
	b.eval(`(() => { const e = document.querySelector(`+jsString(sel)+`); return e.tagName === "INPUT" ? e.type : e.tagName.toLowerCase(); })()`, &kind)
	b.mark()
	switch kind {
	case "date", "time", "month", "week", "datetime-local", "color", "range":
		// Typing into these depends on the browser's locale: set the value
		// as the picker would.
		b.eval(`(() => { const e = document.querySelector(`+jsString(sel)+`); e.focus(); e.value = `+jsString(text)+`;
			e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); e.blur(); return true; })()`, nil)
	default:
		// Emptied first, then typed key by key: the field sees the keys
		// and, when it is left, a change.
		b.eval(`(() => { const e = document.querySelector(`+jsString(sel)+`); e.focus(); e.value = ""; return true; })()`, nil)
		b.run(chromedp.SendKeys(chromedp.CSS(sel), text))
		b.eval(`(() => { const e = document.querySelector(`+jsString(sel)+`); e.blur(); return true; })()`, nil)
	}
	var got string
	b.eval(`document.querySelector(`+jsString(sel)+`) ? document.querySelector(`+jsString(sel)+`).value : null`, &got)
	b.settle("typing into " + sel)
	if got != text && kind != "password" {
		b.t.Fatalf("typing %q into %s left %q", text, sel, got)
	}
}

// selectOption chooses the option of value in the select sel (CSS), as a
// person picking it (input and change events). It counts one choice.
func (b *browserSession) selectOption(sel, value string) {
	b.t.Helper()
	b.n.Chosen++
	b.run(chromedp.WaitVisible(chromedp.CSS(sel)))
	b.mark()
	var ok bool
	b.eval(`(() => { const e = document.querySelector(`+jsString(sel)+`);
		if (![...e.options].some(o => o.value === `+jsString(value)+`)) return false;
		e.focus(); e.value = `+jsString(value)+`;
		e.dispatchEvent(new Event("input", {bubbles: true})); e.dispatchEvent(new Event("change", {bubbles: true})); return true; })()`, &ok)
	if !ok {
		var opts []string
		b.eval(`[...document.querySelector(`+jsString(sel)+`).options].map(o => o.value)`, &opts)
		b.t.Fatalf("the select %s has no option %q (it has %q)", sel, value, opts)
	}
	b.settle("choosing " + value + " in " + sel)
}

// counts returns what the person did so far (click, typeInto,
// selectOption); resetCounts starts counting again.
func (b *browserSession) counts() actions { return b.n }

func (b *browserSession) resetCounts() { b.n = actions{} }

// mark marks the page shown, so settle can tell a new page from it.
func (b *browserSession) mark() {
	b.t.Helper()
	b.eval(`(() => { window.__ccMark = {leaving: false};
		addEventListener("beforeunload", () => { if (window.__ccMark) window.__ccMark.leaving = true; });
		return true; })()`, nil)
}

// pageState is what settle looks at.
type pageState struct {
	Marked, Leaving, Busy bool
	Ready                 string
}

// settle waits until the page is quiet after an action: a new page loaded
// when the action navigated, else no partial update (htmx) in flight for
// a moment.
func (b *browserSession) settle(what string) {
	b.t.Helper()
	const grace = 150 * time.Millisecond
	start, deadline := time.Now(), time.Now().Add(actionTimeout)
	for time.Now().Before(deadline) {
		var s pageState
		err := b.tryEval(`({marked: !!window.__ccMark, leaving: !!(window.__ccMark && window.__ccMark.leaving), ready: document.readyState,
			busy: !!document.querySelector(".htmx-request, .htmx-swapping, .htmx-settling")})`, &s)
		switch {
		case err != nil: // between two pages
		case !s.Marked && s.Ready == "complete":
			return // a new page
		case s.Marked && !s.Leaving && !s.Busy && time.Since(start) >= grace:
			return // the same page, updated or not
		}
		time.Sleep(20 * time.Millisecond)
	}
	b.t.Fatalf("after %s the page at %s did not settle in %s", what, b.whereNow(), actionTimeout)
}

// waitFor waits until the element sel (CSS) is visible.
func (b *browserSession) waitFor(sel string) {
	b.t.Helper()
	b.run(chromedp.WaitVisible(chromedp.CSS(sel)))
}

// waitUntil waits until the JavaScript expression cond is true on the
// page, failing with what after the step timeout.
func (b *browserSession) waitUntil(what, cond string) {
	b.t.Helper()
	deadline := time.Now().Add(actionTimeout)
	for time.Now().Before(deadline) {
		var ok bool
		if err := b.tryEval(`!!(`+cond+`)`, &ok); err == nil && ok {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	b.t.Fatalf("at %s, waited %s in vain for %s", b.whereNow(), actionTimeout, what)
}

// waitText waits until the text of the element sel (CSS) holds want, and
// returns the text.
func (b *browserSession) waitText(sel, want string) string {
	b.t.Helper()
	b.waitUntil(fmt.Sprintf("%s to say %q", sel, want), `(document.querySelector(`+jsString(sel)+`) || {innerText: ""}).innerText.includes(`+jsString(want)+`)`)
	return b.text(sel)
}

// waitChange waits until the text of the element sel (CSS) is no longer
// old (a total after a line is added), and returns the new text.
func (b *browserSession) waitChange(sel, old string) string {
	b.t.Helper()
	b.waitUntil(fmt.Sprintf("%s to change from %q", sel, old), `(e => e && e.innerText.trim() !== `+jsString(old)+`)(document.querySelector(`+jsString(sel)+`))`)
	return b.text(sel)
}

// exists reports whether the page has an element sel (CSS), at once.
func (b *browserSession) exists(sel string) bool {
	b.t.Helper()
	var ok bool
	b.eval(`!!document.querySelector(`+jsString(sel)+`)`, &ok)
	return ok
}

// text returns the visible text of the first element sel (CSS), trimmed;
// it fails when there is none.
func (b *browserSession) text(sel string) string {
	b.t.Helper()
	var s *string
	b.eval(`(() => { const e = document.querySelector(`+jsString(sel)+`); return e ? e.innerText.trim() : null; })()`, &s)
	if s == nil {
		b.t.Fatalf("the page at %s has no %s", b.whereNow(), sel)
	}
	return *s
}

// texts returns the visible texts of every element sel (CSS), trimmed.
func (b *browserSession) texts(sel string) []string {
	b.t.Helper()
	var out []string
	b.eval(`[...document.querySelectorAll(`+jsString(sel)+`)].map(e => e.innerText.trim())`, &out)
	return out
}

// attrs returns attribute name of every element sel (CSS) ("" for one
// without it).
func (b *browserSession) attrs(sel, name string) []string {
	b.t.Helper()
	var out []string
	b.eval(`[...document.querySelectorAll(`+jsString(sel)+`)].map(e => e.getAttribute(`+jsString(name)+`) || "")`, &out)
	return out
}

// signIn signs in as user with password through the sign-in form (not
// counted) and lands on the front page; it fails when carecost refuses.
func (b *browserSession) signIn(user, password string) {
	b.t.Helper()
	b.open("/login")
	if b.exists("#sign-out") {
		b.press("#sign-out")
	}
	b.fill("#name", user)
	b.fill("#password", password)
	b.press("#sign-in")
	if !b.exists("#sign-out-top") {
		b.t.Fatalf("signing in as %s: still at %s: %q", user, b.whereNow(), b.text("main"))
	}
}

// signInAs signs in as the browser test's user of role.
func (b *browserSession) signInAs(role domain.Role) consoleUser {
	b.t.Helper()
	u := b.rig.user(role)
	b.signIn(u.Name, u.Password)
	return u
}

// signOut signs out with the button of the header (not counted).
func (b *browserSession) signOut() {
	b.t.Helper()
	b.press("#sign-out-top")
}

// lang switches the page to the language code with the header's switch
// (not counted); carecost remembers the choice. It fails when the page
// offers no such switch or the page does not change language.
func (b *browserSession) lang(code string) {
	b.t.Helper()
	var cur string
	b.eval(`document.documentElement.lang`, &cur)
	if cur == code {
		return
	}
	sel := `header .lang[lang="` + code + `"]` // a link, or when signed in a button (remembered with the user)
	if !b.exists(sel) {
		b.t.Fatalf("the page at %s offers no switch to %s (it is in %s)", b.whereNow(), code, cur)
	}
	b.press(sel)
	b.eval(`document.documentElement.lang`, &cur)
	if cur != code {
		b.t.Fatalf("after switching to %s the page at %s is in %q", code, b.whereNow(), cur)
	}
}

// pageLang returns the language of the page shown (html lang).
func (b *browserSession) pageLang() string {
	b.t.Helper()
	var l string
	b.eval(`document.documentElement.lang`, &l)
	return l
}

// shot writes a full-page PNG screenshot of the page as name (".png"
// added when missing), for example "fi-login", and returns its path.
func (b *browserSession) shot(name string) string {
	b.t.Helper()
	if !strings.HasSuffix(name, ".png") {
		name += ".png"
	}
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Fatalf("screenshot %s: %v", name, err)
	}
	if !bytes.HasPrefix(png, []byte("\x89PNG")) {
		b.t.Fatalf("screenshot %s is not a PNG", name)
	}
	if b.rig.kept {
		png = compactPNG(b.t, png)
	}
	return b.rig.write(b.t, name, png)
}

// compactPNG re-encodes a screenshot kept for the documentation with the
// 256 colors it uses most (a page has a few colors and their anti-aliased
// edges), each other color drawn with the nearest of them: about a third
// of the size, the same to the eye.
func compactPNG(t *testing.T, b []byte) []byte {
	t.Helper()
	src, err := png.Decode(bytes.NewReader(b))
	must(t, err)
	bounds := src.Bounds()
	img := image.NewRGBA(bounds)
	draw.Draw(img, bounds, src, bounds.Min, draw.Src)
	count := map[color.RGBA]int{}
	for i := 0; i < len(img.Pix); i += 4 {
		count[color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3]}]++
	}
	colors := slices.Collect(maps.Keys(count))
	slices.SortFunc(colors, func(a, b color.RGBA) int {
		if c := count[b] - count[a]; c != 0 {
			return c
		}
		return cmp.Compare(uint32(a.R)<<24|uint32(a.G)<<16|uint32(a.B)<<8|uint32(a.A), uint32(b.R)<<24|uint32(b.G)<<16|uint32(b.B)<<8|uint32(b.A))
	})
	palette := make(color.Palette, min(256, len(colors)))
	for i := range palette {
		palette[i] = colors[i]
	}
	out := image.NewPaletted(bounds, palette)
	index := make(map[color.RGBA]uint8, len(colors))
	for i, j := 0, 0; i < len(img.Pix); i, j = i+4, j+1 {
		c := color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3]}
		k, ok := index[c]
		if !ok {
			k = uint8(palette.Index(c))
			index[c] = k
		}
		out.Pix[j] = k
	}
	var buf bytes.Buffer
	must(t, (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, out))
	return buf.Bytes()
}

// axeViolation is what axe-core reports of a rule a page breaks.
type axeViolation struct {
	ID, Impact, Help string
	Nodes            []struct {
		Target         []any  `json:"target"`
		FailureSummary string `json:"failureSummary"`
	}
}

// axe runs axe-core on the page (injected through the DevTools protocol,
// which the page's Content-Security-Policy does not stop) with the WCAG
// 2.1 A and AA rules, and fails on every serious or critical violation,
// naming the rule, its impact and the first elements. Lesser ones are
// logged.
func (b *browserSession) axe(pageName string) {
	b.t.Helper()
	for _, v := range b.axeViolations() {
		var where []string
		for _, n := range v.Nodes {
			where = append(where, fmt.Sprint(n.Target...))
		}
		msg := fmt.Sprintf("%s (%s): axe rule %s, %s: %s", pageName, b.whereNow(), v.ID, v.Impact, v.Help)
		if len(v.Nodes) > 0 {
			msg += fmt.Sprintf("\n    at %s\n    %s", strings.Join(where, ", "), strings.ReplaceAll(v.Nodes[0].FailureSummary, "\n", "\n    "))
		}
		if v.Impact == "serious" || v.Impact == "critical" {
			b.t.Error(msg)
		} else {
			b.t.Log(msg)
		}
	}
}

// axeViolations runs axe-core on the page with the WCAG 2.1 A and AA
// rules and returns what it finds; it fails when axe-core did not run.
func (b *browserSession) axeViolations() []axeViolation {
	b.t.Helper()
	src, err := axeSource()
	must(b.t, err)
	var loaded bool
	b.eval(`typeof axe === "object" && typeof axe.run === "function"`, &loaded)
	if !loaded {
		b.eval(`(() => { `+src+`
; return typeof axe === "object" && typeof axe.run === "function"; })()`, &loaded)
		if !loaded {
			b.t.Fatalf("axe-core did not load into the page at %s", b.whereNow())
		}
	}
	var res struct {
		Passes     int
		Violations []axeViolation
	}
	b.eval(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
		.then(r => ({passes: r.passes.length, violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
			nodes: v.nodes.slice(0, 5).map(n => ({target: n.target, failureSummary: n.failureSummary}))}))}))`, &res)
	if res.Passes == 0 {
		b.t.Fatalf("axe-core checked no rule on the page at %s", b.whereNow())
	}
	return res.Violations
}

// keyboard walks the page with the Tab key from the top: the skip link
// comes first, every visible link, button and field is reached, and each
// shows where the focus is (an outline or a shadow). It fails naming the
// elements that are not.
func (b *browserSession) keyboard(pageName string) {
	b.t.Helper()
	for _, p := range b.keyboardProblems() {
		b.t.Errorf("%s (%s): %s", pageName, b.whereNow(), p)
	}
}

// keyboardProblems walks the page with the Tab key as keyboard does and
// returns what is wrong.
func (b *browserSession) keyboardProblems() []string {
	b.t.Helper()
	var problems []string
	// The links, buttons and fields a person can see (not those of a
	// closed <details> but its summary, which keep their boxes in
	// chromium); radio buttons of one name are one stop of the Tab key.
	var want []struct{ Desc, Group string }
	b.eval(`(() => {
		const all = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]')]
			.filter(e => !e.disabled && e.tabIndex >= 0 && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== "hidden"
				&& e.checkVisibility({contentVisibilityAuto: true}));
		all.forEach((e, i) => e.dataset.ccFocus = String(i));
		document.body.tabIndex = -1; document.body.focus(); document.body.removeAttribute("tabindex");
		return all.map(e => ({desc: e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + " " + JSON.stringify((e.innerText || e.value || e.name || "").trim().slice(0, 30)),
			group: e.type === "radio" && e.name ? "radio " + e.name : ""}));
	})()`, &want)
	type focused struct {
		Index         *int
		Visible, Skip bool
		What          string
	}
	reached := make([]bool, len(want))
	var first *int
	skip := false
	for range len(want) + 10 {
		b.run(chromedp.KeyEvent(kb.Tab))
		var f focused
		b.eval(`(() => { const e = document.activeElement; if (!e || e === document.body) return {index: null, what: ""};
			const st = getComputedStyle(e);
			const ring = (st.outlineStyle !== "none" && parseFloat(st.outlineWidth) > 0) || st.boxShadow !== "none";
			return {index: e.dataset.ccFocus === undefined ? null : Number(e.dataset.ccFocus), visible: ring, skip: e.matches('a[href="#main"]'),
				what: e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className ? "." + e.className : "")}; })()`, &f)
		if f.What == "" {
			break // out of the page
		}
		if f.Index == nil {
			continue // focusable otherwise, such as a scrolling table
		}
		if first == nil {
			first, skip = f.Index, f.Skip
		} else if *f.Index == *first {
			break // round again
		}
		reached[*f.Index] = true
		if g := want[*f.Index].Group; g != "" {
			for i, w := range want {
				reached[i] = reached[i] || w.Group == g
			}
		}
		if !f.Visible {
			problems = append(problems, fmt.Sprintf("%s shows no focus", want[*f.Index].Desc))
		}
	}
	if len(want) > 0 && !skip {
		problems = append(problems, "the first Tab does not reach the link that skips to the content (#main)")
	}
	for i, ok := range reached {
		if !ok {
			problems = append(problems, "Tab never reaches "+want[i].Desc)
		}
	}
	return problems
}

// cspViolations returns the Content-Security-Policy violations the page
// met since it loaded.
func (b *browserSession) cspViolations() []string {
	b.t.Helper()
	var out []string
	b.eval(`window.__ccCSP || []`, &out)
	return out
}

// check is what every main page gets: a screenshot named
// "<language>-<page>.png" (the page's html lang), axe-core, the keyboard
// walk, and no Content-Security-Policy violation.
func (b *browserSession) check(pageName string) {
	b.t.Helper()
	name := b.pageLang() + "-" + pageName
	b.shot(name)
	b.axe(name)
	b.keyboard(name)
	if v := b.cspViolations(); len(v) > 0 {
		b.t.Errorf("%s (%s) broke the Content-Security-Policy: %q", name, b.whereNow(), v)
	}
}

// printPDF prints the page to PDF as the browser's print does (A4, with
// backgrounds; @media print applies), writes it as name (".pdf" added when
// missing) beside the screenshots and returns it. It fails unless the file
// is a PDF of some substance.
func (b *browserSession) printPDF(name string) []byte {
	b.t.Helper()
	if !strings.HasSuffix(name, ".pdf") {
		name += ".pdf"
	}
	ctx, cancel := context.WithTimeout(b.ctx, actionTimeout)
	defer cancel()
	pdf, err := chromedp.Run(ctx, chromedp.PrintToPDF(chromedp.PDFPaper(chromedp.PaperA4), chromedp.PDFPrintBackground()))
	if err != nil {
		b.t.Fatalf("print %s to PDF: %v", b.whereNow(), err)
	}
	if !bytes.HasPrefix(pdf, []byte("%PDF-")) || len(pdf) < 4000 {
		b.t.Fatalf("printing %s gave %d bytes starting %q: not a PDF of a page", b.whereNow(), len(pdf), pdf[:min(len(pdf), 8)])
	}
	b.rig.write(b.t, name, pdf)
	return pdf
}

// pdfPages counts the pages of a PDF.
func pdfPages(pdf []byte) int { return len(pdfPage.FindAll(pdf, -1)) }

var pdfPage = regexp.MustCompile(`/Type\s*/Page\b`)

// pdfA4 reports whether the first page of a PDF is A4 (595 x 842 points).
func pdfA4(pdf []byte) bool {
	m := regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+(59[45](?:\.\d+)?)\s+(84[12](?:\.\d+)?)\s*\]`).FindSubmatch(pdf)
	return m != nil
}

// fetched is an answer fetch got in the page.
type fetched struct {
	Status      int
	Type        string
	Disposition string
	Body        []byte
}

// fetch GETs path with the session's cookies, from the page, and returns
// the answer's bytes as sent (a CSV's byte order mark kept).
func (b *browserSession) fetch(path string) fetched {
	b.t.Helper()
	var raw struct {
		Status            int
		Type, Disposition string
		B64               string
	}
	b.eval(`fetch(`+jsString(path)+`, {credentials: "same-origin"}).then(async r => {
		const bytes = new Uint8Array(await r.arrayBuffer());
		let s = "";
		for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 8192));
		return {status: r.status, type: r.headers.get("content-type") || "", disposition: r.headers.get("content-disposition") || "", b64: btoa(s)};
	})`, &raw)
	body, err := base64.StdEncoding.DecodeString(raw.B64)
	must(b.t, err)
	return fetched{Status: raw.Status, Type: raw.Type, Disposition: raw.Disposition, Body: body}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
