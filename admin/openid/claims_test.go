package openid_test

import (
	"slices"
	"strings"
	"testing"

	"carecost/admin/openid"
	"carecost/domain"
)

// Login names come from the name claim, lower-cased, "@" as "_"; two
// claims never give one name, and what cannot be used is refused.
func TestLoginName(t *testing.T) {
	ok := map[string]string{
		"Anna.Virtanen@County.fi":              "anna.virtanen_county.fi",
		"a_b@c.fi":                             "a_b_c.fi",
		"b3c1d2a4-0000-4000-8000-000000000000": "b3c1d2a4-0000-4000-8000-000000000000",
		"  jane  ":                             "jane",
	}
	for in, want := range ok {
		if got, err := openid.LoginName(in); got != want || err != nil {
			t.Errorf("LoginName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "a@b_c.fi", "a_b", "a@b@c", "pääkäyttäjä", "a b", ".a@b", strings.Repeat("a", 60) + "@b.fi"} {
		if got, err := openid.LoginName(in); err == nil {
			t.Errorf("LoginName(%q) = %q, want an error", in, got)
		}
	}
}

// A mapping file is checked whole; groups grant the union of their roles
// and one team.
func TestMapping(t *testing.T) {
	m, err := openid.ParseMapping([]byte(`{"roles": {"g1": ["controller", "case_manager", "controller"], "g2": ["admin"]},
		"teams": {"g1": "north", "g3": "south"}}`))
	if err != nil {
		t.Fatal(err)
	}
	roles, team, err := m.Grant([]string{"g2", "g1", "unknown"})
	if err != nil || team != "north" || !slices.Equal(roles, []domain.Role{domain.RoleAdmin, domain.RoleCaseManager, domain.RoleController}) {
		t.Fatalf("roles %v, team %q, err %v", roles, team, err)
	}
	if _, _, err := m.Grant([]string{"g1", "g3"}); err == nil {
		t.Error("two teams: no error")
	}
	for bad, want := range map[string]string{
		`{"roles": {"g": ["boss"]}}`:                       `"boss" is not a role`,
		`{"roles": {}}`:                                    "grants no role",
		`{"roles": {"g": ["admin"]}, "teams": {"g": "A"}}`: "teams.g",
		`{"roles": {"g": ["admin"]}, "team": {}}`:          "unknown field",
		`[]`: "not a mapping",
	} {
		_, err := openid.ParseMapping([]byte(bad))
		if err == nil || !strings.Contains(err.Error(), want) || !strings.HasPrefix(err.Error(), "openid: ") {
			t.Errorf("%s: err = %v, want one naming %q", bad, err, want)
		}
	}
}

// A configuration without what a sign-in needs is refused, naming it.
func TestNewChecksConfig(t *testing.T) {
	_, err := openid.New(openid.Config{Issuer: "https://idp.example", ClientID: "c", ClientSecret: "s"})
	if err == nil || !strings.Contains(err.Error(), "redirect URL") {
		t.Fatalf("err = %v", err)
	}
	_, err = openid.New(openid.Config{Issuer: "https://idp.example", ClientID: "c", ClientSecret: "s", RedirectURL: "https://x/cb"})
	if err == nil || !strings.Contains(err.Error(), "mapping") {
		t.Fatalf("err = %v", err)
	}
}
