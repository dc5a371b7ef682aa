package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"carecost/admin/auth"
	"carecost/domain"
)

// benchConsole starts serve over the demo data and times the console's
// two busiest pages from c.pageClients signed-in browsers each, for
// c.workflows: the builder's add-line round trip (a line added through
// the live form, answered with the new lines and totals) and a decision's
// page with its prices and full history.
func benchConsole(ctx context.Context, w io.Writer, c benchConfig) error {
	cfg := config{data: filepath.Join(c.dir, "console"), logFormat: "json", addr: "127.0.0.1:0", waitTimeout: 2 * time.Second, demo: true}
	cfg.signIn.insecureCookies = true
	// The server's log goes to a file beside the store: a failed request
	// names its request id, which the log explains.
	if err := os.MkdirAll(c.dir, 0o700); err != nil {
		return err
	}
	logFile, err := os.Create(filepath.Join(c.dir, "console.log"))
	if err != nil {
		return err
	}
	defer logFile.Close()
	s, err := startServer(ctx, cfg, &env{stdout: logFile, stderr: logFile, getenv: func(string) string { return "" }})
	if err != nil {
		return err
	}
	defer s.stop()
	base := "http://" + s.addr
	const pw = "bench console password 1"
	for _, u := range []domain.UserInput{
		{Name: "bench-cm", DisplayName: "Bench", Team: "bench", Roles: []domain.Role{domain.RoleCaseManager}},
		{Name: "bench-controller", DisplayName: "Bench", Roles: []domain.Role{domain.RoleController}},
	} {
		hash, err := auth.HashPassword(pw)
		if err != nil {
			return err
		}
		u.PasswordHash = domain.Hash(hash)
		if _, err := s.cmds.AddUser(ctx, domain.Command{}, u); err != nil {
			return err
		}
	}
	controller, err := signInBrowser(base, "bench-controller", pw)
	if err != nil {
		return err
	}
	var decisions []struct {
		EstimateID string `json:"estimate_id"`
	}
	if err := controller.getJSON("/api/v1/decisions?limit=500", &decisions); err != nil {
		return err
	}
	if len(decisions) == 0 {
		return fmt.Errorf("the demo data holds no decision")
	}
	var mu sync.Mutex
	var lines, pages latencies
	var firstErr error
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	deadline := time.Now().Add(c.workflows)
	var wg sync.WaitGroup
	for i := range c.pageClients {
		wg.Go(func() {
			cm, err := signInBrowser(base, "bench-cm", pw)
			if err != nil {
				fail(err)
				return
			}
			var mine latencies
			for first := true; first || time.Now().Before(deadline); first = false {
				if err := cm.buildEstimate(&mine); err != nil {
					fail(err)
					return
				}
			}
			mu.Lock()
			lines = append(lines, mine...)
			mu.Unlock()
		})
		wg.Go(func() {
			b, err := signInBrowser(base, "bench-controller", pw)
			if err != nil {
				fail(err)
				return
			}
			var mine latencies
			for n := i; n == i || time.Now().Before(deadline); n += c.pageClients {
				t := time.Now()
				if _, err := b.get("/decisions/" + decisions[n%len(decisions)].EstimateID); err != nil {
					fail(err)
					return
				}
				mine = append(mine, time.Since(t))
			}
			mu.Lock()
			pages = append(pages, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	fmt.Fprintf(w, "console pages (demo data; %d case managers adding lines and %d controllers reading decisions at once, %s):\n",
		c.pageClients, c.pageClients, c.workflows)
	fmt.Fprintf(w, "  builder add-line round trip: %d, %s\n", len(lines), lines)
	fmt.Fprintf(w, "  decision page with history:  %d, %s\n\n", len(pages), pages)
	return nil
}

// pageBrowser is a signed-in session of the console: its cookies and its
// CSRF token.
type pageBrowser struct {
	base   string
	client *http.Client
	csrf   string
}

var (
	csrfField     = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	expectedInput = regexp.MustCompile(`name="expected_version" value="(\d+)"`)
)

// signInBrowser signs user in through the sign-in form.
func signInBrowser(base, user, pw string) (*pageBrowser, error) {
	jar, _ := cookiejar.New(nil)
	b := &pageBrowser{base: base, client: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	page, err := b.get("/login")
	if err != nil {
		return nil, err
	}
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		return nil, fmt.Errorf("the sign-in page has no form token")
	}
	if _, err := b.post("/login", url.Values{"name": {user}, "password": {pw}, "_csrf": {m[1]}}, false); err != nil {
		return nil, err
	}
	var sess struct {
		CSRF string `json:"csrf_token"`
	}
	if err := b.getJSON("/api/v1/session", &sess); err != nil {
		return nil, err
	}
	b.csrf = sess.CSRF
	return b, nil
}

// do sends req with the session and returns the body of a 2xx or 303.
func (b *pageBrowser) do(req *http.Request) (string, error) {
	resp, err := b.client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	if resp.StatusCode >= 300 && resp.StatusCode != http.StatusSeeOther {
		return "", fmt.Errorf("%s %s: %s: %.300s", req.Method, req.URL.Path, resp.Status, pageText(string(body)))
	}
	return string(body), nil
}

func (b *pageBrowser) get(path string) (string, error) {
	req, err := http.NewRequest(http.MethodGet, b.base+path, nil)
	if err != nil {
		return "", err
	}
	return b.do(req)
}

func (b *pageBrowser) getJSON(path string, v any) error {
	body, err := b.get(path)
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(body), v)
}

// post sends a form; live marks it as the builder's partial update.
func (b *pageBrowser) post(path string, form url.Values, live bool) (string, error) {
	req, err := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if live {
		req.Header.Set("HX-Request", "true")
		req.Header.Set("X-Csrf-Token", b.csrf)
	}
	return b.do(req)
}

// buildEstimate opens an estimate through the console's form, as a
// person does, and adds the five bench lines through the builder's live
// form, timing each round trip.
func (b *pageBrowser) buildEstimate(lat *latencies) error {
	c := benchCase()
	form := url.Values{"client_ref": {c.ClientRef}, "maple": {fmt.Sprint(c.Maple)}, "segment": {string(c.Segment)}, "size": {"1"},
		"gross_income": {c.Household.GrossIncome.String()}, "net_income": {c.Household.NetIncome.String()},
		"tariff": {c.Basis.TariffID}, "income_catalogue": {c.Basis.IncomeCatalogueID}, "pricing_date": {c.Basis.PricingDate.String()},
		"form_key": {domain.NewID()}, "_csrf": {b.csrf}}
	req, err := http.NewRequest(http.MethodPost, b.base+"/estimates", strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	path := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(path, "/estimates/") {
		return fmt.Errorf("POST /estimates: %s, to %q", resp.Status, path)
	}
	page, err := b.get(path)
	if err != nil {
		return err
	}
	for _, l := range benchLines() {
		m := expectedInput.FindStringSubmatch(page)
		if m == nil {
			return fmt.Errorf("the builder has no version to send:\n%.500s", pageText(page))
		}
		form := url.Values{"service": {l.Service}, "mode": {string(l.Mode)}, "quantity": {l.Quantity.String()},
			"frequency": {string(l.Frequency)}, "expected_version": {m[1]}, "_csrf": {b.csrf}}
		t := time.Now()
		if page, err = b.post(path+"/lines", form, true); err != nil {
			return err
		}
		*lat = append(*lat, time.Since(t))
		if !strings.Contains(page, "total-client") {
			return fmt.Errorf("the builder's answer to a line has no totals:\n%.500s", pageText(page))
		}
	}
	return nil
}

// pageText is the main text of a page, for an error message.
func pageText(page string) string {
	if i := strings.Index(page, "<main"); i >= 0 {
		page = page[i:]
	}
	return strings.Join(strings.Fields(tagRE.ReplaceAllString(page, " ")), " ")
}

var tagRE = regexp.MustCompile(`<[^>]*>`)
