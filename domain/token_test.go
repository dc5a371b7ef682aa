package domain_test

import (
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

var tokenNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// tokenCommands returns commands at tokenNow with the user anna (a case
// manager and controller).
func tokenCommands(t *testing.T) (*domain.Commands, *memStore) {
	c, store := userCommands(t)
	c.Clock = func() time.Time { return tokenNow }
	_, err := c.AddUser(ctx, admin, anna())
	must(t, err)
	return c, store
}

func tokenInput() domain.TokenInput {
	return domain.TokenInput{ID: "k3v9q2x7m4p8r5t6", User: "anna.virtanen", Roles: []domain.Role{domain.RoleController},
		Label: "audit export", ExpiresAt: tokenNow.AddDate(0, 3, 0), SecretHash: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}
}

func TestCreateToken(t *testing.T) {
	c, store := tokenCommands(t)
	_, err := c.CreateToken(ctx, admin, tokenInput())
	must(t, err)
	tk, err := c.Token(ctx, "k3v9q2x7m4p8r5t6")
	must(t, err)
	at, by := tk.Created()
	if tk.User() != "anna.virtanen" || !slices.Equal(tk.Roles(), []domain.Role{domain.RoleController}) || tk.Label() != "audit export" ||
		!tk.ExpiresAt().Equal(tokenNow.AddDate(0, 3, 0)) || tk.SecretHash() != tokenInput().SecretHash || at.IsZero() || by != "cli:root" {
		t.Errorf("token %+v, created %v by %q", tk, at, by)
	}
	for i, c2 := range []struct {
		change      func(*domain.TokenInput)
		code, field string
	}{
		{func(in *domain.TokenInput) { in.ID = tokenInput().ID }, domain.EConflict, "id"},
		{func(in *domain.TokenInput) { in.ID = "Bad_Id" }, domain.EInvalid, "id"},
		{func(in *domain.TokenInput) { in.User = "nobody" }, domain.EInvalid, "user"},
		{func(in *domain.TokenInput) { in.Roles = nil }, domain.EInvalid, "roles"},
		{func(in *domain.TokenInput) { in.Roles = []domain.Role{domain.RoleAdmin} }, domain.EInvalid, "roles"},
		{func(in *domain.TokenInput) { in.ExpiresAt = time.Time{} }, domain.EInvalid, "expires_at"},
		{func(in *domain.TokenInput) { in.ExpiresAt = tokenNow }, domain.EInvalid, "expires_at"},
		{func(in *domain.TokenInput) { in.ExpiresAt = tokenNow.AddDate(1, 0, 1) }, domain.EInvalid, "expires_at"},
		{func(in *domain.TokenInput) { in.SecretHash = "" }, domain.EInvalid, "secret_hash"},
		{func(in *domain.TokenInput) { in.Label = "a\nb" }, domain.EInvalid, "label"},
	} {
		in := tokenInput()
		in.ID = fmt.Sprintf("refused-%d", i)
		c2.change(&in)
		_, err := c.CreateToken(ctx, admin, in)
		wantErr(t, err, c2.code, c2.field)
		if in.ID != tokenInput().ID && store.count(domain.TokenStream(in.ID)) != 0 {
			t.Errorf("a refused token (%s) was written", c2.field)
		}
	}
	// A year ahead is allowed; a disabled user gets no token.
	in := tokenInput()
	in.ID, in.ExpiresAt = "year", tokenNow.AddDate(1, 0, 0)
	_, err = c.CreateToken(ctx, admin, in)
	must(t, err)
	_, err = c.DisableUser(ctx, admin, "anna.virtanen")
	must(t, err)
	in.ID = "later"
	_, err = c.CreateToken(ctx, admin, in)
	wantErr(t, err, domain.EConflict, "user")
}

func TestRevokeToken(t *testing.T) {
	c, store := tokenCommands(t)
	_, err := c.CreateToken(ctx, admin, tokenInput())
	must(t, err)
	id := tokenInput().ID
	tk, err := c.Token(ctx, id) // cached before the revocation
	must(t, err)
	if !tk.Active(tokenNow) || tk.Active(tokenInput().ExpiresAt) {
		t.Error("active: a new token works until it expires")
	}
	ops := domain.Command{Actor: domain.Actor{ID: "cli:ops", Role: "admin"}}
	_, err = c.RevokeToken(ctx, ops, id)
	must(t, err)
	_, err = c.RevokeToken(ctx, ops, id)
	must(t, err)
	if store.count(domain.TokenStream(id)) != 2 {
		t.Errorf("revoking twice wrote %d events", store.count(domain.TokenStream(id)))
	}
	tk, err = c.Token(ctx, id)
	must(t, err)
	revoked, at, by := tk.Revoked()
	if !revoked || at.IsZero() || by != "cli:ops" || tk.Active(tokenNow) {
		t.Errorf("revoked %v at %v by %q", revoked, at, by)
	}
	_, err = c.RevokeToken(ctx, ops, "nope")
	wantErr(t, err, domain.ENotFound, "")
	if _, err := c.Token(ctx, "No Such"); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("token lookup: %v", err)
	}
}

// A token grants the roles its user still holds, nothing once the user is
// disabled.
func TestTokenRolesFor(t *testing.T) {
	c, _ := tokenCommands(t)
	in := tokenInput()
	in.Roles = []domain.Role{domain.RoleCaseManager, domain.RoleController}
	_, err := c.CreateToken(ctx, admin, in)
	must(t, err)
	tk, err := c.Token(ctx, in.ID)
	must(t, err)
	_, err = c.SetUserRoles(ctx, admin, "anna.virtanen", []domain.Role{domain.RoleCaseManager, domain.RoleAdmin})
	must(t, err)
	u, err := c.User(ctx, "anna.virtanen")
	must(t, err)
	if got := tk.RolesFor(u); !slices.Equal(got, []domain.Role{domain.RoleCaseManager}) {
		t.Errorf("roles for the user: %v", got)
	}
	must(t, u.Disable())
	if got := tk.RolesFor(u); len(got) != 0 {
		t.Errorf("roles for a disabled user: %v", got)
	}
}

// Hashes print as [redacted], whatever prints them; their JSON keeps them.
func TestHashIsRedacted(t *testing.T) {
	ev := &domain.UserAdded{Name: "a", PasswordHash: "$argon2id$SECRETHASH"}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("x", "hash", ev.PasswordHash, "event", ev)
	printed := fmt.Sprintf("%v %+v %#v %s %q", ev, ev, ev, ev.PasswordHash, ev.PasswordHash) + logged.String()
	if strings.Contains(printed, "SECRETHASH") {
		t.Errorf("a hash was printed: %s", printed)
	}
	data, err := domain.EncodePayload(ev)
	must(t, err)
	if !strings.Contains(string(data), "SECRETHASH") {
		t.Errorf("the stored event lost the hash: %s", data)
	}
}
