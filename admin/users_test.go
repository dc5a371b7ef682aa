package admin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"carecost/admin"
	"carecost/projections"
)

// storeDirectory lists users and tokens from the store, for these tests.
type storeDirectory struct{ e *env }

func (d *storeDirectory) Users(ctx context.Context) ([]projections.UserView, error) {
	var out []projections.UserView
	for _, name := range d.e.store.streamIDs("user-") {
		u, err := d.e.reads.cmds.User(ctx, name)
		if err != nil {
			return nil, err
		}
		out = append(out, projections.UserView{Name: u.Name(), DisplayName: u.DisplayName(), Team: u.Team(), Roles: u.Roles(), Disabled: u.Disabled()})
	}
	return out, nil
}

func (d *storeDirectory) Tokens(context.Context, string) ([]projections.TokenView, error) {
	return nil, nil
}

// An admin keeps users and their tokens over the API: a user added with a
// password the policy takes, a token made for them shown once (a retry
// answers without it), working with its roles, stopped by revoking it or
// disabling the user; no answer ever holds a hash.
func TestUsersAndTokensOverTheAPI(t *testing.T) {
	dir := &storeDirectory{}
	e := newEnv(t, func(c *admin.Config) {
		c.Auth = admin.FirstOf(testAuth{}, admin.BearerTokens{Commands: c.Commands})
		c.Directory = dir
	})
	dir.e = e
	e.do("POST", "/api/v1/users", `{"name": "aino", "display_name": "Aino", "team": "north", "roles": ["case_manager"], "password": "short"}`).
		wantError(t, http.StatusBadRequest, "invalid", "password")
	r := e.do("POST", "/api/v1/users", `{"name": "aino", "display_name": "Aino", "team": "north", "roles": ["case_manager"], "password": "a long enough passphrase"}`).
		wantStatus(t, http.StatusCreated)
	if strings.Contains(string(r.body), "argon2") || r.header.Get("Location") != "/api/v1/users/aino" {
		t.Errorf("created user: %s, Location %q", r.body, r.header.Get("Location"))
	}
	key := []string{"Idempotency-Key", "token-for-aino"}
	var tok struct {
		ID, Token string
		Roles     []string
	}
	e.do("POST", "/api/v1/tokens", `{"user": "aino", "roles": ["case_manager"], "expires": "30d"}`, key...).wantStatus(t, http.StatusCreated).decode(t, &tok)
	if !strings.HasPrefix(tok.Token, "cct_"+tok.ID+"_") {
		t.Fatalf("token %+v", tok)
	}
	var again map[string]any
	e.do("POST", "/api/v1/tokens", `{"user": "aino", "roles": ["case_manager"], "expires": "30d"}`, key...).wantStatus(t, http.StatusCreated).decode(t, &again)
	if again["id"] != tok.ID || again["token"] != nil {
		t.Errorf("retried creation: %v", again)
	}
	bearer := []string{"Authorization", "Bearer " + tok.Token}
	e.do("GET", "/api/v1/estimates", "", bearer...).wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/users", "", bearer...).wantStatus(t, http.StatusForbidden)

	e.do("POST", "/api/v1/users/aino/disable", "").wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/estimates", "", bearer...).wantStatus(t, http.StatusUnauthorized)
	e.do("POST", "/api/v1/users/aino/enable", "").wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/estimates", "", bearer...).wantStatus(t, http.StatusOK)
	e.do("PUT", "/api/v1/users/aino/roles", `{"roles": ["controller"]}`).wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/estimates", "", bearer...).wantStatus(t, http.StatusUnauthorized)
	e.do("PUT", "/api/v1/users/aino/roles", `{"roles": ["case_manager"]}`).wantStatus(t, http.StatusOK)
	e.do("POST", "/api/v1/tokens/"+tok.ID+"/revoke", "").wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/estimates", "", bearer...).wantStatus(t, http.StatusUnauthorized)

	var users []map[string]any
	b := e.do("GET", "/api/v1/users", "").wantStatus(t, http.StatusOK)
	if err := json.Unmarshal(b.body, &users); err != nil || len(users) != 1 || strings.Contains(string(b.body), "argon2") {
		t.Errorf("users: %s", b.body)
	}
}
