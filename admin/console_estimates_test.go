package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"carecost/admin"
	"carecost/domain"
)

// The estimates list: an empty list says what to do first (to a case
// manager: open one; to a controller: that none are made); the new
// estimate button is there for those who may open one; the search reaches
// the same projection query as the API, scoped to a case manager's team;
// a search with a wrong date says so beside the field in fi and en.
func TestEstimateListEmptySearchAndRights(t *testing.T) {
	e := newSignInEnv(t)
	anna, ville := signedIn(t, e, "anna"), signedIn(t, e, "ville")

	page := anna.get("/estimates").wantStatus(t, http.StatusOK).body
	contains(t, "the empty list", page, `id="estimate-new"`, `href="/estimates/new"`, "Arvioita ei ole vielä. Aloita valitsemalla Uusi arvio")
	page = anna.get("/estimates?lang=en").wantStatus(t, http.StatusOK).body
	contains(t, "the empty list in English", page, "There are no estimates yet. Start with New estimate")
	anna.get("/estimates?lang=fi").wantStatus(t, http.StatusOK) // back to Finnish, remembered
	page = ville.get("/estimates").wantStatus(t, http.StatusOK).body
	contains(t, "the controller's empty list", page, "Arvioita ei ole vielä tehty")
	lacks(t, "the controller's list", page, `id="estimate-new"`)

	id := anna.openEstimate(newEstimateForm())
	page = anna.get("/estimates").wantStatus(t, http.StatusOK).body
	contains(t, "the list", page, `href="/estimates/`+id+`"`, "K-100", "luonnos", "jatkuva palvelutarve")

	anna.get("/estimates?client_ref=K-100&status=draft&case_manager=anna&opened_from=2026-01-01&opened_to=2026-12-31&page=2").wantStatus(t, http.StatusOK)
	e.reads.mu.Lock()
	f := e.reads.estimateFilter
	e.reads.mu.Unlock()
	if f.ClientRef != "K-100" || f.Status != "draft" || f.OpenedBy != "anna" || f.OpenedFrom.String() != "2026-01-01" ||
		f.OpenedTo.String() != "2026-12-31" || !f.Scoped || f.Team != "north" || f.Offset != 25 || f.Limit != 26 {
		t.Errorf("filter %+v", f)
	}
	page = anna.get("/estimates?client_ref=nobody").wantStatus(t, http.StatusOK).body
	contains(t, "a search finding nothing", page, `id="filter-clear"`)

	r := anna.get("/estimates?opened_from=huomenna").wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "a wrong date", r.body, `id="filter-opened-from-error"`, "Kirjoita päivämäärä muodossa 31.12.2026.", `value="huomenna"`)
	r = anna.get("/estimates?opened_from=tomorrow&lang=en").wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "a wrong date in English", r.body, "Enter a date such as 31 Dec 2026.")
	anna.get("/estimates?lang=fi").wantStatus(t, http.StatusOK)
	r = anna.get("/estimates?opened_from=2026-05-01&opened_to=2026-04-01").wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "dates the wrong way round", r.body, "Loppupäivä on ennen alkupäivää.")
}

// The new estimate's form has the defaults filled in (one person, the
// tariff and income limits in force, today's date) and gives the main
// controls stable ids.
func TestNewEstimateFormDefaults(t *testing.T) {
	e := newSignInEnv(t)
	page := signedIn(t, e, "anna").get("/estimates/new").wantStatus(t, http.StatusOK).body
	today := domain.DateOf(time.Now()).String()
	contains(t, "the new estimate's form", page, `id="estimate-new-form"`, `id="estimate-open"`, `id="client-ref"`, `autofocus`,
		`id="maple"`, `id="segment"`, `id="household-size" name="size" type="number" value="1"`, `id="gross-income"`, `id="net-income"`,
		`<option value="phhva" selected>`, `<option value="statutory" selected>`, `id="pricing-date" name="pricing_date" type="date" value="`+today+`"`,
		`id="deduction-kind-0"`, `id="spouse"`, `id="spouse-net-income"`, `name="form_key"`)
	signedIn(t, e, "ville").get("/estimates/new").wantStatus(t, http.StatusForbidden)
}

// Opening an estimate: valid input redirects (303) to its builder and the
// estimate holds what was typed; invalid input is the form again (422)
// with each message beside its field in the person's language, the input
// kept and nothing written; the same form sent twice opens one estimate;
// without the CSRF token nothing is opened.
func TestOpenEstimateForm(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	form := newEstimateForm()
	form.Set("deduction_kind_0", "housing")
	form.Set("deduction_amount_0", "600")
	form.Set("form_key", domain.NewID())
	id := anna.openEstimate(form)
	est, err := e.cmds.Estimate(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	maple, seg := est.Assessment()
	h := est.Personal().Household
	if est.Personal().ClientRef != "K-100" || maple != 3 || seg != "continuous" || h.Size != 1 || h.Gross() != 180000 || h.Net() != 150000 ||
		len(h.Deductions) != 1 || h.Deductions[0].Amount != 60000 || est.Basis().TariffID != "phhva" || est.Basis().PricingDate.String() != "2025-03-01" || est.Team() != "north" {
		t.Errorf("opened %+v %d %s %+v", est.Personal(), maple, seg, est.Basis())
	}
	if page := anna.get("/estimates/"+id).wantStatus(t, http.StatusOK).body; !strings.Contains(string(page), "Arvio avattu. Lisää palvelut rivi kerrallaan.") {
		t.Error("the builder does not say the estimate was opened")
	}
	// The same form again (a double click) opens no second estimate.
	if again := anna.openEstimate(form); again != id {
		t.Errorf("the form sent twice opened %s and %s", id, again)
	}
	if n := len(e.store.estimateIDs()); n != 1 {
		t.Errorf("%d estimates", n)
	}

	before := e.store.count()
	bad := url.Values{"client_ref": {""}, "maple": {"7"}, "segment": {"x"}, "size": {"0"}, "gross_income": {"paljon"},
		"deduction_kind_0": {""}, "deduction_amount_0": {"50"}, "spouse": {"1"}, "tariff": {"nope"}, "pricing_date": {"eilen"}}
	for _, c := range []struct {
		lang string
		want []string
	}{
		{"en", []string{"Enter the client reference", "Choose a MAPLe level from 1 to 5.", "Choose the client&#39;s service need.",
			"Enter the household size, 1 to 20 people.", "Enter an amount of euros", "Choose the kind of deduction.", "Choose a tariff with a published version.",
			"Enter a date such as 31 Dec 2026."}},
		{"fi", []string{"Kirjoita asiakkaan tunniste", "Valitse MAPLe-taso 1–5.", "Valitse asiakkaan palvelutarve.", "Kirjoita talouden koko, 1–20 henkeä.",
			"Kirjoita euromäärä, esimerkiksi 1 234,56.", "Valitse vähennyksen laji.", "Valitse hinnasto, jolla on julkaistu versio.",
			"Kirjoita päivämäärä muodossa 31.12.2026."}},
	} {
		r := anna.post("/estimates?lang="+c.lang, bad).wantStatus(t, http.StatusUnprocessableEntity)
		contains(t, "the failed form in "+c.lang, r.body, c.want...)
		contains(t, "the failed form in "+c.lang, r.body, `id="client-ref-error"`, `id="maple-error"`, `id="gross-income-error"`,
			`aria-invalid="true"`, `href="#client-ref"`, `value="paljon"`, `value="eilen"`, `role="alert"`)
	}
	// A spouse in a household of one.
	oneWithSpouse := newEstimateForm()
	oneWithSpouse.Set("spouse", "1")
	r := anna.post("/estimates", oneWithSpouse).wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "a spouse in a household of one", r.body, "Puolison kanssa taloudessa on vähintään 2 henkeä.")
	// A pricing date no tariff version covers: the domain's refusal on its field.
	early := newEstimateForm()
	early.Set("pricing_date", "2020-01-01")
	early.Set("form_key", domain.NewID())
	r = anna.post("/estimates", early).wantStatus(t, http.StatusUnprocessableEntity)
	contains(t, "a date without prices", r.body, `id="pricing-date-error"`, "ei ole voimassa olevaa versiota")
	if after := e.store.count(); after != before {
		t.Errorf("failed forms wrote %d events", after-before)
	}

	// Without the CSRF token the form is refused, as a page.
	r = anna.do("POST", "/estimates", "", newEstimateForm()).wantStatus(t, http.StatusForbidden)
	contains(t, "the refusal", r.body, "Lomakkeen voimassaoloaika päättyi")
	if after := e.store.count(); after != before {
		t.Error("a form without its CSRF token wrote events")
	}
}

// With the users at hand, the search offers the case managers by name: a
// case manager those of their own team, a controller every one.
func TestEstimateListCaseManagerChoice(t *testing.T) {
	dir := &storeDirectory{}
	e := newSignInEnv(t, func(c *admin.Config) { c.Directory = dir })
	dir.e = e.env
	if _, err := e.cmds.AddUser(context.Background(), domain.Command{Actor: domain.Actor{ID: "admin", Role: "admin"}},
		domain.UserInput{Name: "pekka", DisplayName: "Pekka Laine", Team: "south", Roles: []domain.Role{domain.RoleCaseManager}}); err != nil {
		t.Fatal(err)
	}
	page := signedIn(t, e, "anna").get("/estimates?case_manager=anna").wantStatus(t, http.StatusOK).body
	contains(t, "the case manager's choice", page, `<select id="filter-case-manager" name="case_manager">`, `<option value="anna" selected>Anna Virtanen</option>`)
	lacks(t, "the case manager's choice", page, "Pekka Laine", "Ville Korhonen")
	page = signedIn(t, e, "ville").get("/estimates").wantStatus(t, http.StatusOK).body
	contains(t, "the controller's choice", page, `<option value="anna">Anna Virtanen</option>`, `<option value="pekka">Pekka Laine</option>`)
	lacks(t, "the controller's choice", page, `<option value="ville">`)
}

// Numbers are read the way the page's language writes them: on an English
// page a comma groups thousands (1,234.56), on a Finnish one it is the
// decimal mark (1 234,56); a number that could be read either way on an
// English page (2,50) is refused beside its field, never guessed.
func TestNumbersInThePagesLanguage(t *testing.T) {
	e := newSignInEnv(t)
	anna := signedIn(t, e, "anna")
	anna.get("/?lang=en").wantStatus(t, http.StatusOK)
	form := newEstimateForm()
	form.Set("gross_income", "1,234.56")
	form.Set("net_income", "1,000")
	id := anna.openEstimate(form)
	est, err := e.cmds.Estimate(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if h := est.Personal().Household; h.Gross() != 123456 || h.Net() != 100000 {
		t.Errorf("in English 1,234.56 and 1,000 read as %d and %d cents", h.Gross(), h.Net())
	}
	before := e.store.count()
	form.Set("client_ref", "K-101")
	form.Set("gross_income", "2,50")
	r := anna.post("/estimates", form).wantStatus(t, http.StatusUnprocessableEntity)
	if !strings.Contains(string(r.body), "Enter an amount of euros") {
		t.Errorf("2,50 on an English page:\n%s", text(r.body))
	}
	if e.store.count() != before {
		t.Error("a refused form wrote events")
	}
	anna.get("/?lang=fi").wantStatus(t, http.StatusOK)
	form.Set("client_ref", "K-102")
	form.Set("gross_income", "1 234,56")
	form.Set("net_income", "1000.5")
	est, err = e.cmds.Estimate(context.Background(), anna.openEstimate(form))
	if err != nil {
		t.Fatal(err)
	}
	if h := est.Personal().Household; h.Gross() != 123456 || h.Net() != 100050 {
		t.Errorf("in Finnish 1 234,56 and 1000.5 read as %d and %d cents", h.Gross(), h.Net())
	}
}
