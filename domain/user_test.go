package domain_test

import (
	"slices"
	"testing"

	"carecost/domain"
	"carecost/domain/memstore"
)

// userCommands returns commands over an empty in-memory store.
func userCommands(t *testing.T) (*domain.Commands, *memStore) {
	t.Helper()
	s := &memStore{memstore.New()}
	return domain.NewCommands(s), s
}

var admin = domain.Command{Actor: domain.Actor{ID: "cli:root", Role: "admin"}}

func anna() domain.UserInput {
	return domain.UserInput{Name: "anna.virtanen", DisplayName: "Anna Virtanen", Team: "north-1",
		Roles: []domain.Role{domain.RoleController, domain.RoleCaseManager, domain.RoleController}, PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"}
}

func TestAddUser(t *testing.T) {
	c, store := userCommands(t)
	_, err := c.AddUser(ctx, admin, anna())
	must(t, err)
	u, err := c.User(ctx, "anna.virtanen")
	must(t, err)
	created, changed := u.Times()
	if u.DisplayName() != "Anna Virtanen" || u.Team() != "north-1" || u.Disabled() || created.IsZero() || !changed.Equal(created) ||
		!slices.Equal(u.Roles(), []domain.Role{domain.RoleCaseManager, domain.RoleController}) || u.PasswordHash() != anna().PasswordHash {
		t.Errorf("user %+v: roles %v, times %v %v", u, u.Roles(), created, changed)
	}
	if _, err := c.User(ctx, "nobody"); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("a missing user: %v", err)
	}
	if _, err := c.User(ctx, "Not A Name"); domain.ErrorCode(err) != domain.ENotFound {
		t.Errorf("a name that cannot be: %v", err)
	}
	for _, c2 := range []struct {
		change      func(*domain.UserInput)
		code, field string
	}{
		{func(in *domain.UserInput) {}, domain.EConflict, "name"},
		{func(in *domain.UserInput) { in.Name = "Anna" }, domain.EInvalid, "name"},
		{func(in *domain.UserInput) { in.Name = "-anna" }, domain.EInvalid, "name"},
		{func(in *domain.UserInput) { in.Name, in.DisplayName = "b", " " }, domain.EInvalid, "display_name"},
		{func(in *domain.UserInput) { in.Name, in.Roles = "b", nil }, domain.EInvalid, "roles"},
		{func(in *domain.UserInput) { in.Name, in.Roles = "b", []domain.Role{"root"} }, domain.EInvalid, "roles[0]"},
		{func(in *domain.UserInput) { in.Name, in.Team = "b", "" }, domain.EInvalid, "team"},
		{func(in *domain.UserInput) { in.Name, in.Team = "b", "North 1" }, domain.EInvalid, "team"},
		{func(in *domain.UserInput) { in.Name, in.PasswordHash = "b", "two words" }, domain.EInvalid, "password_hash"},
		{func(in *domain.UserInput) { in.Name = "carecost" }, domain.EInvalid, "name"},
		{func(in *domain.UserInput) { in.Name = "system" }, domain.EInvalid, "name"},
	} {
		in := anna()
		c2.change(&in)
		_, err := c.AddUser(ctx, admin, in)
		wantErr(t, err, c2.code, c2.field)
	}
	if store.count("user-b") != 0 || store.count(domain.UserStream("carecost")) != 0 || store.count(domain.UserStream("anna.virtanen")) != 1 {
		t.Error("a refused command wrote")
	}
	// A user who is not a case manager needs no team, nor a password.
	_, err = c.AddUser(ctx, admin, domain.UserInput{Name: "ops_1", DisplayName: "Ops", Roles: []domain.Role{domain.RoleOperations}})
	must(t, err)
}

func TestUserCommands(t *testing.T) {
	c, store := userCommands(t)
	_, err := c.AddUser(ctx, admin, anna())
	must(t, err)
	name, stream := "anna.virtanen", domain.UserStream("anna.virtanen")
	_, err = c.SetUserPassword(ctx, admin, name, "$argon2id$new")
	must(t, err)
	_, err = c.SetUserRoles(ctx, admin, name, []domain.Role{domain.RoleAdmin, domain.RoleCaseManager})
	must(t, err)
	_, err = c.SetUserTeam(ctx, admin, name, "south-2")
	must(t, err)
	_, err = c.DisableUser(ctx, admin, name)
	must(t, err)
	u, err := c.User(ctx, name)
	must(t, err)
	if u.PasswordHash() != "$argon2id$new" || !u.HasRole(domain.RoleAdmin) || u.HasRole(domain.RoleController) || u.Team() != "south-2" || !u.Disabled() {
		t.Errorf("user: %q %v %q %v", u.PasswordHash(), u.Roles(), u.Team(), u.Disabled())
	}
	// The same value again records nothing.
	n := store.count(stream)
	for _, err := range []error{
		second(c.SetUserPassword(ctx, admin, name, "$argon2id$new")),
		second(c.SetUserRoles(ctx, admin, name, []domain.Role{domain.RoleCaseManager, domain.RoleAdmin, domain.RoleAdmin})),
		second(c.SetUserTeam(ctx, admin, name, "south-2")),
		second(c.DisableUser(ctx, admin, name)),
	} {
		must(t, err)
	}
	if store.count(stream) != n {
		t.Errorf("unchanged values wrote %d events", store.count(stream)-n)
	}
	_, err = c.EnableUser(ctx, admin, name)
	must(t, err)
	if u, _ := c.User(ctx, name); u.Disabled() {
		t.Error("still disabled")
	}
	// The console language: remembered, the same again records nothing,
	// a code that is not one refused.
	n = store.count(stream)
	must(t, second(c.SetUserLanguage(ctx, admin, name, "en")))
	must(t, second(c.SetUserLanguage(ctx, admin, name, "en")))
	if u, _ := c.User(ctx, name); u.Language() != "en" || store.count(stream) != n+1 {
		t.Errorf("language %q, %d events", u.Language(), store.count(stream)-n)
	}
	for _, bad := range []string{"", "e", "EN", "en-GB", "suomiruotsi"} {
		_, err = c.SetUserLanguage(ctx, admin, name, bad)
		wantErr(t, err, domain.EInvalid, "language")
	}
	// A case manager keeps a team; a user without one cannot become one.
	_, err = c.SetUserTeam(ctx, admin, name, "")
	wantErr(t, err, domain.EInvalid, "team")
	_, err = c.AddUser(ctx, admin, domain.UserInput{Name: "c", DisplayName: "C", Roles: []domain.Role{domain.RoleController}})
	must(t, err)
	_, err = c.SetUserRoles(ctx, admin, "c", []domain.Role{domain.RoleCaseManager})
	wantErr(t, err, domain.EInvalid, "roles")
	_, err = c.DisableUser(ctx, admin, "nobody")
	wantErr(t, err, domain.ENotFound, "")
}

func second[T any](_ T, err error) error { return err }

// A keyed user command answers as its first run: also once it would be
// refused (the user exists), and once the user changed since.
func TestUserRetryAnswersAsFirstRun(t *testing.T) {
	c, store := userCommands(t)
	add := domain.Command{ID: "add-anna", Fingerprint: "add", Actor: admin.Actor}
	r1, err := c.AddUser(ctx, add, anna())
	must(t, err)
	_, err = c.DisableUser(ctx, admin, "anna.virtanen")
	must(t, err)
	r2, err := c.AddUser(ctx, add, anna())
	if err != nil || !r2.Replayed || r2.Version != r1.Version || r2.Position != r1.Position {
		t.Errorf("retried add: %+v, %v; first %+v", r2, err, r1)
	}
	_, err = c.AddUser(ctx, domain.Command{ID: "add-anna", Fingerprint: "other"}, anna())
	wantErr(t, err, domain.EConflict, "Idempotency-Key")
	enable := domain.Command{ID: "enable-1", Fingerprint: "enable"}
	e1, err := c.EnableUser(ctx, enable, "anna.virtanen")
	must(t, err)
	// A keyed no-op is remembered, so its retry does not write later.
	noop := domain.Command{ID: "enable-2", Fingerprint: "enable"}
	_, err = c.EnableUser(ctx, noop, "anna.virtanen")
	must(t, err)
	_, err = c.DisableUser(ctx, admin, "anna.virtanen")
	must(t, err)
	n := store.count(domain.UserStream("anna.virtanen"))
	e2, err := c.EnableUser(ctx, enable, "anna.virtanen")
	must(t, err)
	if _, err := c.EnableUser(ctx, noop, "anna.virtanen"); err != nil || store.count(domain.UserStream("anna.virtanen")) != n || e2.Position != e1.Position {
		t.Errorf("retries wrote or moved: %v, %d events (want %d), %+v vs %+v", err, store.count(domain.UserStream("anna.virtanen")), n, e2, e1)
	}
	if u, _ := c.User(ctx, "anna.virtanen"); !u.Disabled() {
		t.Error("a retried enable enabled the user again")
	}
}
