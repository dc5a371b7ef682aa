package projections_test

import (
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"carecost/domain"
)

const (
	pwHash     = "$argon2id$v=19$m=19456,t=2,p=1$UFdTQUxUUFdTQUxU$UFdIQVNIUFdIQVNIUFdIQVNI"
	secretHash = "5ec7e7f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d"
)

// The users read model lists users and tokens as their events leave them,
// by name and by user, and holds no hash.
func TestUserDirectory(t *testing.T) {
	f := newFixture(t)
	path := filepath.Join(t.TempDir(), "read.db")
	f.open(t, path)
	adm := domain.Command{Actor: domain.Actor{ID: "cli:root", Role: "admin"}}
	cm := []domain.Role{domain.RoleCaseManager}
	_, err := f.cmds.AddUser(ctx, adm, domain.UserInput{Name: "maija", DisplayName: "Maija M", Team: "north", Roles: cm, PasswordHash: pwHash})
	must(t, err)
	_, err = f.cmds.AddUser(ctx, adm, domain.UserInput{Name: "aino", DisplayName: "Aino A", Roles: []domain.Role{domain.RoleOperations}})
	must(t, err)
	_, err = f.cmds.SetUserRoles(ctx, adm, "maija", []domain.Role{domain.RoleController, domain.RoleCaseManager})
	must(t, err)
	_, err = f.cmds.SetUserTeam(ctx, adm, "maija", "south")
	must(t, err)
	_, err = f.cmds.DisableUser(ctx, adm, "aino")
	must(t, err)
	_, err = f.cmds.SetUserPassword(ctx, adm, "aino", pwHash)
	must(t, err)
	expires := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	for _, id := range []string{"tok1", "tok2"} {
		_, err = f.cmds.CreateToken(ctx, adm, domain.TokenInput{ID: id, User: "maija", Roles: cm, Label: "export " + id, ExpiresAt: expires, SecretHash: secretHash})
		must(t, err)
	}
	_, err = f.cmds.RevokeToken(ctx, domain.Command{Actor: domain.Actor{ID: "cli:ops", Role: "admin"}}, "tok1")
	must(t, err)
	f.catchUp(t)

	users, err := f.set.Users(ctx)
	must(t, err)
	if len(users) != 2 || users[0].Name != "aino" || !users[0].Disabled || !users[0].LocalPassword || users[0].Team != "" ||
		users[1].Name != "maija" || users[1].Team != "south" || !slices.Equal(users[1].Roles, []domain.Role{domain.RoleCaseManager, domain.RoleController}) ||
		users[1].Disabled || !users[1].LocalPassword || users[1].CreatedAt.IsZero() || !users[1].ChangedAt.After(users[1].CreatedAt) {
		t.Errorf("users: %+v", users)
	}
	tokens, err := f.set.Tokens(ctx, "maija")
	must(t, err)
	if len(tokens) != 2 || tokens[0].ID != "tok2" || tokens[0].Revoked || tokens[0].CreatedBy != "cli:root" || !tokens[0].ExpiresAt.Equal(expires) ||
		tokens[1].ID != "tok1" || !tokens[1].Revoked || tokens[1].RevokedBy != "cli:ops" || tokens[1].RevokedAt == nil || tokens[1].Label != "export tok1" {
		t.Errorf("tokens: %+v", tokens)
	}
	if none, err := f.set.Tokens(ctx, "aino"); err != nil || len(none) != 0 {
		t.Errorf("aino's tokens: %+v, %v", none, err)
	}
	if all, err := f.set.Tokens(ctx, ""); err != nil || len(all) != 2 {
		t.Errorf("every token: %+v, %v", all, err)
	}
	if l := leaks(t, readModel(t, path), pwHash, secretHash, "UFdIQVNI"); len(l) > 0 {
		t.Errorf("hashes in the read model: %v", l)
	}
	// A rebuild gives the same rows.
	must(t, f.runner.Rebuild(ctx, "users"))
	again, err := f.set.Users(ctx)
	must(t, err)
	if !reflect.DeepEqual(again, users) {
		t.Errorf("rebuilt users differ:\n%+v\n%+v", again, users)
	}
}
