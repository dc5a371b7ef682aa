package admin_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"carecost/admin/auth"
	"carecost/domain"
)

// catalogueEnv is a signInEnv with an admin, aino, signed in in a
// browser.
type catalogueEnv struct {
	*signInEnv
	admin *browser
	token string
}

func newCatalogueEnv(t *testing.T) *catalogueEnv {
	t.Helper()
	se := newSignInEnv(t)
	hash, err := auth.HashPassword(password("aino"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := se.cmds.AddUser(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}},
		domain.UserInput{Name: "aino", DisplayName: "Aino Lahtinen", Roles: []domain.Role{domain.RoleAdmin}, PasswordHash: domain.Hash(hash)}); err != nil {
		t.Fatal(err)
	}
	ce := &catalogueEnv{signInEnv: se, admin: se.browser()}
	ce.admin.signIn("aino", password("aino")).wantStatus(t, http.StatusSeeOther)
	ce.token = ce.admin.csrf()
	return ce
}

// page fetches a page as the admin and checks it is whole: 200, no key
// missing from the catalogues.
func (ce *catalogueEnv) page(path string) string {
	ce.t.Helper()
	r := ce.admin.do("GET", path, "", nil).wantStatus(ce.t, http.StatusOK)
	body := string(r.body)
	noMissingKeys(ce.t, path, body)
	return body
}

// post sends a form as the admin with the session's CSRF token.
func (ce *catalogueEnv) post(path string, form url.Values) response {
	ce.t.Helper()
	f := url.Values{"_csrf": {ce.token}}
	for k, v := range form {
		f[k] = v
	}
	r := ce.admin.do("POST", path, "", f)
	if r.status != http.StatusSeeOther {
		noMissingKeys(ce.t, path, string(r.body))
	}
	return r
}

// postBoth sends an invalid form in Finnish and in English and checks
// each answer is 422 with the field's message in that language, nothing
// written.
func (ce *catalogueEnv) postBoth(path string, form url.Values, field, fi, en string) {
	ce.t.Helper()
	ce.postBothStatus(http.StatusUnprocessableEntity, path, form, field, fi, en)
}

// postStale sends a stale form in Finnish and in English and checks each
// answer is a conflict (409) saying so in that language, nothing written.
func (ce *catalogueEnv) postStale(path string, form url.Values) {
	ce.t.Helper()
	ce.postBothStatus(http.StatusConflict, path, form, "", "Tätä muutettiin sillä välin", "This was changed in the meantime")
}

// postBothStatus is postBoth answering status.
func (ce *catalogueEnv) postBothStatus(status int, path string, form url.Values, field, fi, en string) {
	ce.t.Helper()
	before := ce.store.count()
	for _, c := range []struct{ lang, want string }{{"fi", fi}, {"en", en}} {
		typed := form
		if c.lang == "en" {
			typed = inEnglish(form)
		}
		r := ce.post(path+"?lang="+c.lang, typed).wantStatus(ce.t, status)
		body := string(r.body)
		if !strings.Contains(body, `lang="`+c.lang+`"`) {
			ce.t.Errorf("%s in %s: the page is not in %s", path, c.lang, c.lang)
		}
		msg := fieldError(body, field)
		if field == "" {
			msg = summary(body)
		}
		if !strings.Contains(msg, c.want) {
			ce.t.Errorf("%s in %s: the message of %q is %q, want %q", path, c.lang, field, msg, c.want)
		}
	}
	if after := ce.store.count(); after != before {
		ce.t.Errorf("%s: an invalid form wrote %d events", path, after-before)
	}
	ce.admin.do("GET", "/?lang=fi", "", nil) // back to Finnish, as the forms of the tests are typed
}

// refusedWithoutCSRF checks a form without the CSRF token is refused and
// writes nothing.
func (ce *catalogueEnv) refusedWithoutCSRF(path string, form url.Values) {
	ce.t.Helper()
	before := ce.store.count()
	r := ce.admin.do("POST", path, "", form)
	if r.status != http.StatusForbidden {
		ce.t.Errorf("%s without a CSRF token: %d, want 403", path, r.status)
	}
	if after := ce.store.count(); after != before {
		ce.t.Errorf("%s without a CSRF token wrote %d events", path, after-before)
	}
}

var missingKeyRE = regexp.MustCompile(`\[[a-z]+\.[a-z0-9_.]+\]`)

// noMissingKeys fails when a page shows a key no catalogue has.
func noMissingKeys(t *testing.T, path, body string) {
	t.Helper()
	if m := missingKeyRE.FindString(body); m != "" {
		t.Errorf("%s shows the missing key %s", path, m)
	}
}

// fieldError returns the message beside field (its id) on a page.
func fieldError(body, id string) string {
	m := regexp.MustCompile(`id="` + regexp.QuoteMeta(id) + `-error">([^<]*)<`).FindStringSubmatch(body)
	if m == nil {
		return ""
	}
	return html.UnescapeString(m[1])
}

// summary returns the error summary of a page.
func summary(body string) string {
	i := strings.Index(body, `class="error-summary"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(body[i:], "</div>")
	return html.UnescapeString(body[i : i+j])
}

// inputValue returns the value of the input with id on a page.
func inputValue(body, id string) (string, bool) {
	m := regexp.MustCompile(`<input[^>]*id="` + regexp.QuoteMeta(id) + `"[^>]*value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		return "", false
	}
	return m[1], true
}

// hasID reports whether a page has an element with id.
func hasID(body, id string) bool { return strings.Contains(body, `id="`+id+`"`) }

// expectedOf returns the expected_version a page's forms carry.
func expectedOf(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="expected_version" value="(\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the page has no expected_version")
	}
	return m[1]
}

// location returns where a 303 leads.
func location(t *testing.T, r response) string {
	t.Helper()
	r.wantStatus(t, http.StatusSeeOther)
	return r.header.Get("Location")
}

// decide opens and decides an estimate priced on pricingDate against the
// demo tariff and returns its id.
func (ce *catalogueEnv) decide(pricingDate, number string) string {
	ce.t.Helper()
	ctx := context.Background()
	pd, err := domain.ParseDate(pricingDate)
	if err != nil {
		ce.t.Fatal(err)
	}
	gross, net := domain.Money(180000), domain.Money(150000)
	in := domain.CaseInput{ClientRef: "C-" + number, Maple: 3, Segment: domain.SegContinuous,
		Household: domain.Household{Size: 1, GrossIncome: &gross, NetIncome: &net},
		Basis:     domain.Basis{TariffID: "phhva", IncomeCatalogueID: "statutory", PricingDate: pd},
		Lines:     []domain.Line{{Service: "bathing", Mode: "own", Quantity: 4000, Frequency: "month"}}}
	id := domain.NewID()
	cm := domain.Command{Actor: domain.Actor{ID: "anna", Role: "case_manager", Roles: []string{"case_manager"}, Team: "north"}}
	if _, _, err := ce.cmds.OpenEstimate(ctx, cm, id, in); err != nil {
		ce.t.Fatal(err)
	}
	no := false
	if _, _, err := ce.cmds.Decide(ctx, cm, id, domain.Decision{Number: number, Date: domain.DateOf(time.Now()), EffectiveFrom: pd, Presented: &no,
		NotPresentedReason: "decided at the meeting"}); err != nil {
		ce.t.Fatal(err)
	}
	return id
}

// finnishNumber is a number with decimals as typed in Finnish: 1 234,56.
var finnishNumber = regexp.MustCompile(`([0-9]{1,3}(?:[ \x{00a0}][0-9]{3})+|[0-9]+),([0-9]+)`)

// inEnglish returns form with its Finnish numbers as typed in English
// (1234.56): a person on an English page types the English way.
func inEnglish(form url.Values) url.Values {
	out := url.Values{}
	for k, vs := range form {
		for _, v := range vs {
			v = finnishNumber.ReplaceAllStringFunc(v, func(n string) string {
				m := finnishNumber.FindStringSubmatch(n)
				return strings.NewReplacer(" ", "", "\u00a0", "").Replace(m[1]) + "." + m[2]
			})
			out.Add(k, v)
		}
	}
	return out
}
