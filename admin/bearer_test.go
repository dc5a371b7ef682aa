package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"carecost/admin"
	"carecost/admin/auth"
	"carecost/domain"
	"carecost/domain/memstore"
)

// issue creates user with roles (in team) and a token for them carrying
// roles, expiring at expires, and returns the token as shown once.
func issue(t *testing.T, cmds *domain.Commands, user, team string, roles []domain.Role, expires time.Time) (string, string) {
	t.Helper()
	ctx := context.Background()
	if _, err := cmds.User(ctx, user); err != nil {
		_, err := cmds.AddUser(ctx, domain.Command{}, domain.UserInput{Name: user, DisplayName: "User " + user, Team: team, Roles: roles})
		if err != nil {
			t.Fatal(err)
		}
	}
	id, secret, display := auth.NewToken()
	_, err := cmds.CreateToken(ctx, domain.Command{}, domain.TokenInput{ID: id, User: user, Roles: roles, ExpiresAt: expires,
		SecretHash: domain.Hash(auth.HashSecret(secret))})
	if err != nil {
		t.Fatal(err)
	}
	return id, display
}

// An API token authenticates its user with the token's roles, and the
// events of their commands name the token; a token that
// is unknown, malformed, wrongly signed, revoked, expired, or whose user is
// disabled is a 401 whose WWW-Authenticate says the token is invalid, and
// so is any other scheme.
func TestBearerTokens(t *testing.T) {
	var e *env
	now := time.Now()
	e = newEnv(t, func(c *admin.Config) {
		c.Auth = admin.BearerTokens{Commands: c.Commands, Now: func() time.Time { return now }}
	})
	cmds := e.reads.cmds
	cm := []domain.Role{domain.RoleCaseManager}
	goodID, good := issue(t, cmds, "anna", "north", cm, now.Add(time.Hour))
	bearer := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }
	var est estimate
	e.do("POST", "/api/v1/estimates", demoCase, bearer(good)...).wantStatus(t, http.StatusCreated).decode(t, &est)
	var events []struct {
		Metadata domain.Meta `json:"metadata"`
	}
	e.do("GET", "/api/v1/estimates/"+est.ID+"/events", "", bearer(good)...).wantStatus(t, http.StatusOK).decode(t, &events)
	if m := events[0].Metadata; m.ActorID != "anna" || m.ActorName != "User anna" || m.ActorTeam != "north" || m.ActorRole != "case_manager" || m.ActorVia != "token:"+goodID {
		t.Errorf("recorded %+v", m)
	}
	e.do("GET", "/api/v1/decisions", "", bearer(good)...).wantStatus(t, http.StatusForbidden)

	revokedID, revoked := issue(t, cmds, "anna", "north", cm, now.Add(time.Hour))
	if _, err := cmds.RevokeToken(context.Background(), domain.Command{}, revokedID); err != nil {
		t.Fatal(err)
	}
	_, expired := issue(t, cmds, "anna", "north", cm, now.Add(time.Minute))
	_, ofDisabled := issue(t, cmds, "olli", "north", cm, now.Add(time.Hour))
	if _, err := cmds.DisableUser(context.Background(), domain.Command{}, "olli"); err != nil {
		t.Fatal(err)
	}
	now = now.Add(2 * time.Minute)
	tampered := good[:len(good)-2] + "AA"
	if tampered == good { // one token in 4 096 ends so
		tampered = good[:len(good)-2] + "BB"
	}
	for name, h := range map[string][]string{
		"revoked": bearer(revoked), "expired": bearer(expired), "disabled user": bearer(ofDisabled), "tampered secret": bearer(tampered),
		"unknown": bearer("cct_aaaaaaaaaaaaaaaa_" + good[len(good)-43:]), "malformed": bearer("hello"),
		"basic": {"Authorization", "Basic YW5uYTpzZWNyZXQ="},
	} {
		r := e.do("GET", "/api/v1/estimates", "", h...)
		if r.status != http.StatusUnauthorized || r.header.Get("WWW-Authenticate") != `Bearer realm="carecost", error="invalid_token"` {
			t.Errorf("%s: %d %s, WWW-Authenticate %q", name, r.status, r.body, r.header.Get("WWW-Authenticate"))
		}
	}
	e.do("GET", "/api/v1/estimates/"+est.ID, "", bearer(good)...).wantStatus(t, http.StatusOK)
	// The scheme's name is matched without regard to case.
	e.do("GET", "/api/v1/estimates/"+est.ID, "", "Authorization", "bearer "+good).wantStatus(t, http.StatusOK)
	e.do("GET", "/api/v1/estimates/"+est.ID, "", "Authorization", "BEARER  "+good+" ").wantStatus(t, http.StatusOK)
	// Who may not use a route learns nothing of its parameters.
	e.do("GET", "/api/v1/estimates?foo=1", "", anonymous...).wantError(t, http.StatusUnauthorized, "unauthenticated", "")
	e.do("GET", "/api/v1/decisions?foo=1", "", bearer(good)...).wantError(t, http.StatusForbidden, "forbidden", "")
	e.do("GET", "/api/v1/estimates?foo=1", "", bearer(good)...).wantError(t, http.StatusBadRequest, "invalid", "foo")
}

// usersAway is a store whose users' streams cannot be read.
type usersAway struct{ *store }

func (s usersAway) ReadStream(ctx context.Context, stream string, opts domain.ReadStreamOptions) ([]domain.RecordedEvent, error) {
	if strings.HasPrefix(stream, "user-") {
		return nil, fmt.Errorf("read: %w", domain.ErrUnavailable)
	}
	return s.store.ReadStream(ctx, stream, opts)
}

// A valid token whose user cannot be read because the store is away is a
// 503 (try again), not a 401 (the token refused).
func TestBearerTokenWhileTheStoreIsAway(t *testing.T) {
	st := &store{memstore.New()}
	cmds := domain.NewCommands(st)
	_, good := issue(t, cmds, "anna", "north", []domain.Role{domain.RoleCaseManager}, time.Now().Add(time.Hour))
	e := newEnv(t, func(c *admin.Config) {
		c.Auth = admin.BearerTokens{Commands: domain.NewCommands(usersAway{st})}
	})
	r := e.do("GET", "/api/v1/estimates", "", "Authorization", "Bearer "+good)
	r.wantError(t, http.StatusServiceUnavailable, "unavailable", "")
}
