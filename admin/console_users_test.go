package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"carecost/domain"
)

// usersEnv is a projected env with an admin, aino, signed in.
func usersEnv(t *testing.T) (*projectedEnv, *browser) {
	t.Helper()
	pe := newProjectedEnv(t)
	pe.addUser("aino", "Aino Ylläpitäjä", "", domain.RoleAdmin)
	return pe, pe.signedIn("aino")
}

// user returns user name as the log holds it now.
func (pe *projectedEnv) user(name string) *domain.User {
	pe.t.Helper()
	u, err := pe.cmds.UserAsOf(context.Background(), name, domain.Position{})
	if err != nil {
		pe.t.Fatal(err)
	}
	return u
}

// formFails posts form to path and wants it refused with message beside
// field in the language of lang (fi or en), the input kept and nothing
// written.
func (pe *projectedEnv) formFails(b *browser, path string, form url.Values, field, lang, message string) string {
	pe.t.Helper()
	before := pe.store.count()
	page := string(pe.post(b, path+"?lang="+lang, form).wantStatus(pe.t, http.StatusUnprocessableEntity).body)
	if !strings.Contains(page, `id="`+field+`-error">`+message) {
		pe.t.Errorf("POST %s %v in %s: no message %q beside %s:\n%s", path, form, lang, message, field, auditElement(page, "main"))
	}
	if !strings.Contains(page, `href="#`+field+`"`) {
		pe.t.Errorf("POST %s %v: the summary does not link to %s", path, form, field)
	}
	if n := pe.store.count(); n != before {
		pe.t.Errorf("POST %s %v: %d events written", path, form, n-before)
	}
	return page
}

// The list shows every user with their roles, team and sign-in, never a
// hash.
func TestUsersList(t *testing.T) {
	pe, aino := usersEnv(t)
	page := string(pe.page(aino, "/users").wantStatus(t, http.StatusOK).body)
	anna := auditText(auditElement(page, "user-row-anna"))
	if anna != "anna Anna Virtanen asiakasohjaaja north Oma salasana Käytössä" {
		t.Errorf("anna's row: %q", anna)
	}
	if !strings.Contains(page, `href="/users/ville" id="user-link-ville"`) {
		t.Errorf("no link to ville")
	}
	if strings.Contains(page, "argon2") || strings.Contains(page, string(pe.user("anna").PasswordHash())) {
		t.Errorf("the list shows a hash")
	}
	en := auditText(auditElement(string(pe.page(aino, "/users?lang=en").body), "user-row-ville"))
	if en != "ville Ville Korhonen controller – Own password Active" {
		t.Errorf("ville's row in English: %q", en)
	}
	ville := pe.signedIn("ville")
	if r := pe.page(ville, "/users"); r.status != http.StatusForbidden {
		t.Errorf("a controller gets the users: %d", r.status)
	}
}

// Adding a user: with an initial password they can sign in with, or for
// single sign-on only; a form that fails says why beside the field in the
// person's language and adds nobody; a form without the CSRF token is
// refused.
func TestUsersAdd(t *testing.T) {
	pe, aino := usersEnv(t)
	form := func(kv ...string) url.Values {
		v := url.Values{"name": {"olli"}, "display_name": {"Olli Operaattori"}, "roles": {"operations"}, "signin": {"password"},
			"password": {"correct horse olli battery"}}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				v.Del(kv[i])
			} else {
				v.Set(kv[i], kv[i+1])
			}
		}
		return v
	}
	for _, c := range []struct {
		form          url.Values
		field, fi, en string
	}{
		{form("name", "Olli Op"), "user-name", "Kirjoita tunnus pienillä kirjaimilla", "Use lower-case letters"},
		{form("name", "anna"), "user-name", "Tämä tunnus on jo käytössä", "This user name is taken"},
		{form("display_name", ""), "user-display-name", "Täytä tämä kenttä", "Fill in this field"},
		{form("roles", ""), "user-roles", "Valitse vähintään yksi rooli", "Choose at least one role"},
		{form("roles", "superuser"), "user-roles", "Valitse jokin vaihtoehdoista", "Choose one of the options"},
		{form("roles", "case_manager"), "user-team", "Asiakasohjaaja tarvitsee tiimin", "A case manager needs a team"},
		{form("team", "North Team"), "user-team", "Kirjoita tiimi pienillä kirjaimilla", "Use lower-case letters, digits and dashes"},
		{form("password", "short"), "user-password", "Salasanassa on oltava vähintään 12 merkkiä", "The password needs at least 12 characters"},
		{form("password", ""), "user-password", "Täytä tämä kenttä", "Fill in this field"},
		{form("signin", "magic"), "user-signin-password", "Valitse jokin vaihtoehdoista", "Choose one of the options"},
	} {
		page := pe.formFails(aino, "/users", c.form, c.field, "fi", c.fi)
		if !strings.Contains(auditElement(page, "user-display-name"), `value="`+c.form.Get("display_name")+`"`) {
			t.Errorf("%v: the input is not kept", c.form)
		}
		pe.formFails(aino, "/users", c.form, c.field, "en", c.en)
	}

	before := pe.store.count()
	r := aino.do("POST", "/users", "", form())
	if r.status != http.StatusForbidden || pe.store.count() != before {
		t.Errorf("without the CSRF token: %d, %d events", r.status, pe.store.count()-before)
	}

	r = pe.post(aino, "/users?lang=fi", form()).wantStatus(t, http.StatusSeeOther)
	if loc := r.header.Get("Location"); loc != "/users/olli" {
		t.Errorf("Location %q", loc)
	}
	u := pe.user("olli")
	if u.DisplayName() != "Olli Operaattori" || !slices.Equal(u.Roles(), []domain.Role{domain.RoleOperations}) || u.PasswordHash() == "" {
		t.Errorf("olli: %q %v", u.DisplayName(), u.Roles())
	}
	page := string(pe.page(aino, "/users/olli").wantStatus(t, http.StatusOK).body)
	if !strings.Contains(page, "Käyttäjä lisätty.") || strings.Contains(page, string(u.PasswordHash())) {
		t.Errorf("the user's page after adding:\n%s", auditElement(page, "main"))
	}
	pe.browser().signIn("olli", "correct horse olli battery").wantStatus(t, http.StatusSeeOther)

	pe.post(aino, "/users", form("name", "sanna", "display_name", "Sanna SSO", "roles", "case_manager", "team", "north", "signin", "oidc")).
		wantStatus(t, http.StatusSeeOther)
	if s := pe.user("sanna"); s.PasswordHash() != "" || s.Team() != "north" {
		t.Errorf("sanna: hash %q, team %q", s.PasswordHash(), s.Team())
	}
	if row := auditText(auditElement(string(pe.page(aino, "/users").body), "user-row-sanna")); !strings.Contains(row, "Vain kertakirjautuminen") {
		t.Errorf("sanna's row: %q", row)
	}
}

// A user's page grants and revokes roles, sets the team and the password,
// disables and enables; each form refuses bad input beside its field in
// the person's language, a stale form with a conflict, a form without the
// CSRF token, and an admin's taking their own admin role or disabling
// themselves.
func TestUsersChange(t *testing.T) {
	pe, aino := usersEnv(t)
	version := func(name string) string { return strconv.FormatInt(pe.user(name).StreamVersion(), 10) }
	page := string(pe.page(aino, "/users/ville").wantStatus(t, http.StatusOK).body)
	for _, id := range []string{"user-roles-form", "user-team-form", "user-password-form", "user-disable-form", "user-role-controller"} {
		if !strings.Contains(page, `id="`+id+`"`) {
			t.Errorf("the page lacks %s", id)
		}
	}
	if !strings.Contains(page, `id="user-role-controller" name="roles" value="controller" checked>`) || !strings.Contains(page, `id="user-role-admin" name="roles" value="admin">`) {
		t.Errorf("the roles' boxes: %s", auditElement(page, "user-roles"))
	}

	// Grant and revoke.
	pe.post(aino, "/users/ville/roles", url.Values{"roles": {"controller", "operations"}, "expected_version": {version("ville")}}).
		wantStatus(t, http.StatusSeeOther)
	if got := pe.user("ville").Roles(); !slices.Equal(got, []domain.Role{domain.RoleController, domain.RoleOperations}) {
		t.Errorf("ville's roles: %v", got)
	}
	pe.post(aino, "/users/ville/roles", url.Values{"roles": {"operations"}, "expected_version": {version("ville")}}).
		wantStatus(t, http.StatusSeeOther)
	if got := pe.user("ville").Roles(); !slices.Equal(got, []domain.Role{domain.RoleOperations}) {
		t.Errorf("ville's roles after revoking: %v", got)
	}
	if p := string(pe.page(aino, "/users/ville").body); !strings.Contains(p, "Roolit tallennettu.") ||
		auditText(auditElement(p, "user-facts-roles")) != "tekninen ylläpito" {
		t.Errorf("after the change: %s", auditElement(p, "user-facts-roles"))
	}

	// The team, the password, disable and enable.
	pe.post(aino, "/users/ville/team", url.Values{"team": {"south"}, "expected_version": {version("ville")}}).wantStatus(t, http.StatusSeeOther)
	if got := pe.user("ville").Team(); got != "south" {
		t.Errorf("ville's team %q", got)
	}
	pe.post(aino, "/users/ville/password", url.Values{"password": {"a brand new password"}, "expected_version": {version("ville")}}).
		wantStatus(t, http.StatusSeeOther)
	pe.browser().signIn("ville", "a brand new password").wantStatus(t, http.StatusSeeOther)
	pe.post(aino, "/users/ville/disable", url.Values{"expected_version": {version("ville")}}).wantStatus(t, http.StatusSeeOther)
	if !pe.user("ville").Disabled() {
		t.Errorf("ville is not disabled")
	}
	p := string(pe.page(aino, "/users/ville").body)
	if !strings.Contains(p, `id="user-enable-form"`) || strings.Contains(p, `id="user-disable-form"`) {
		t.Errorf("a disabled user's page offers no enable")
	}
	pe.post(aino, "/users/ville/enable", url.Values{"expected_version": {version("ville")}}).wantStatus(t, http.StatusSeeOther)
	if pe.user("ville").Disabled() {
		t.Errorf("ville is still disabled")
	}

	// What each form refuses.
	for _, c := range []struct {
		path          string
		form          url.Values
		field, fi, en string
	}{
		{"/users/ville/roles", url.Values{}, "user-roles", "Valitse vähintään yksi rooli", "Choose at least one role"},
		{"/users/ville/roles", url.Values{"roles": {"root"}}, "user-roles", "Valitse jokin vaihtoehdoista", "Choose one of the options"},
		{"/users/aino/roles", url.Values{"roles": {"controller"}}, "user-roles", "Et voi poistaa omaa pääkäyttäjän rooliasi", "You cannot take your own admin role"},
		{"/users/anna/team", url.Values{"team": {""}}, "user-team", "Asiakasohjaaja tarvitsee tiimin", "A case manager needs a team"},
		{"/users/ville/team", url.Values{"team": {"South!"}}, "user-team", "Kirjoita tiimi pienillä kirjaimilla", "Use lower-case letters, digits and dashes"},
		{"/users/ville/password", url.Values{"password": {"tiny"}}, "user-password", "Salasanassa on oltava vähintään 12 merkkiä", "The password needs at least 12 characters"},
		{"/users/aino/disable", url.Values{}, "user-disable", "Et voi poistaa itseäsi käytöstä", "You cannot disable yourself"},
	} {
		name := strings.Split(c.path, "/")[2]
		for lang, msg := range map[string]string{"fi": c.fi, "en": c.en} {
			f := url.Values{"expected_version": {version(name)}}
			for k, v := range c.form {
				f[k] = v
			}
			pe.formFails(aino, c.path, f, c.field, lang, msg)
		}
	}
	// The team of a user who is no case manager yet must come first.
	pe.addUser("tuomas", "Tuomas", "", domain.RoleController)
	pe.formFails(aino, "/users/tuomas/roles", url.Values{"roles": {"case_manager"}, "expected_version": {version("tuomas")}},
		"user-roles", "fi", "Asiakasohjaaja tarvitsee tiimin. Tallenna käyttäjälle ensin tiimi.")

	// A stale form: a conflict (409), nothing overwritten.
	before := pe.store.count()
	stale := string(pe.post(aino, "/users/ville/team", url.Values{"team": {"west"}, "expected_version": {"0"}}).
		wantStatus(t, http.StatusConflict).body)
	if !strings.Contains(auditElement(stale, "error-summary-title"), "Tarkista lomake") || !strings.Contains(stale, "Joku muu muutti tätä samaan aikaan") ||
		pe.store.count() != before || pe.user("ville").Team() != "south" {
		t.Errorf("a stale form: %s", auditElement(stale, "main"))
	}

	// Without the CSRF token, nothing happens.
	for _, path := range []string{"/users/ville/roles", "/users/ville/team", "/users/ville/password", "/users/ville/disable", "/users/ville/enable"} {
		r := aino.do("POST", path, "", url.Values{"roles": {"admin"}, "team": {"x"}, "password": {"another long password"}, "expected_version": {version("ville")}})
		if r.status != http.StatusForbidden || pe.store.count() != before {
			t.Errorf("%s without the CSRF token: %d", path, r.status)
		}
	}
	if r := pe.page(aino, "/users/nobody"); r.status != http.StatusNotFound {
		t.Errorf("an unknown user: %d", r.status)
	}
}
