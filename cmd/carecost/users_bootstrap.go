package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"carecost/admin/auth"
	"carecost/domain"
)

// bootstrapEnv names the variable that asks for a first admin.
const bootstrapEnv = "CARECOST_BOOTSTRAP_ADMIN"

// bootstrapActor is the actor of the first admin's creation.
var bootstrapActor = domain.Actor{ID: "carecost:bootstrap", Role: "system"}

// bootstrapAdmin creates a first admin on a store without users, from
// spec, "NAME:PASSWORD-FILE" (CARECOST_BOOTSTRAP_ADMIN): user NAME with the
// role admin and the password on the first line of the file, which must
// meet the password policy. With users in the store, or no spec, it does
// nothing and reads no file. It returns the name of the user it created
// ("" when none).
func bootstrapAdmin(ctx context.Context, a *app, spec string) (string, error) {
	if spec == "" {
		return "", nil
	}
	name, file, ok := strings.Cut(spec, ":")
	if !ok || file == "" || file == "-" {
		return "", domain.Invalidf(bootstrapEnv, "%q is not NAME:PASSWORD-FILE (for example admin:/run/secrets/carecost-admin)", spec)
	}
	if err := domain.ValidUserName(bootstrapEnv, name); err != nil {
		return "", err
	}
	if has, err := hasUsers(ctx, a); err != nil || has {
		return "", err
	}
	hash, err := bootstrapHash(a, file)
	if err != nil {
		return "", err
	}
	return addFirstAdmin(ctx, a, domain.UserInput{Name: name, DisplayName: name, Roles: []domain.Role{domain.RoleAdmin}, PasswordHash: hash})
}

// addFirstAdmin adds the first admin. Several instances started at once on
// one store (EventStoreDB) may each find no users: the one whose user is
// there already (made by another in the meantime) goes on without it.
func addFirstAdmin(ctx context.Context, a *app, in domain.UserInput) (string, error) {
	_, err := a.cmds.AddUser(ctx, domain.Command{Actor: bootstrapActor}, in)
	switch {
	case domain.ErrorCode(err) == domain.EConflict:
		a.log.Info("first admin created by another carecost on the same store", "user", in.Name, "from", bootstrapEnv)
		return "", a.runner.CatchUp(ctx)
	case err != nil:
		return "", fmt.Errorf("create the first admin: %w", err)
	}
	a.log.Info("first admin created", "user", in.Name, "from", bootstrapEnv)
	return in.Name, a.runner.CatchUp(ctx)
}

// hasUsers reports whether the store holds a user, from the users read
// model caught up with the log; a stopped one cannot tell, which is an
// error.
func hasUsers(ctx context.Context, a *app) (bool, error) {
	if err := a.runner.CatchUp(ctx); err != nil {
		return false, err
	}
	if f := a.runner.Failure("users"); f != nil {
		return false, domain.Errorf(domain.EUnavailable, "%s: the users read model is stopped (%s), so carecost cannot tell whether users exist", bootstrapEnv, f.Error)
	}
	users, err := a.set.Users(ctx)
	return len(users) > 0, err
}

// bootstrapHash reads and hashes the first admin's password.
func bootstrapHash(a *app, file string) (domain.Hash, error) {
	if fi, err := os.Stat(file); err == nil && fi.Mode().Perm()&0o077 != 0 {
		a.log.Warn("the first admin's password file can be read by others; remove it once carecost has started", "file", file)
	}
	pw, err := readPasswordFile(nil, file)
	if err == nil {
		var h string
		if h, err = auth.HashPassword(pw); err == nil {
			return domain.Hash(h), nil
		}
	}
	return "", domain.Invalidf(bootstrapEnv, "the password file %s: %s", file, domain.ErrorMessage(err))
}

// demoUser is a demo user with its password and an API token, to print
// once.
type demoUser struct {
	Name, Team, Password, Token string
	Role                        domain.Role
}

// demoUsers are the demo users: one per role.
var demoUsers = []demoUser{
	{Name: "demo-case-manager", Role: domain.RoleCaseManager, Team: "demo-team"},
	{Name: "demo-admin", Role: domain.RoleAdmin},
	{Name: "demo-controller", Role: domain.RoleController},
	{Name: "demo-operations", Role: domain.RoleOperations},
}

// addDemoUsers creates the demo users the store lacks, one per role, each
// with a generated password, and returns those it created with their
// passwords (serve --demo prints them once). Existing ones keep theirs.
func addDemoUsers(ctx context.Context, a *app) ([]demoUser, error) {
	var out []demoUser
	for _, d := range demoUsers {
		if _, err := a.cmds.User(ctx, d.Name); domain.ErrorCode(err) != domain.ENotFound {
			if err != nil {
				return nil, err
			}
			continue
		}
		d.Password = auth.GeneratePassword()
		h, err := auth.HashPassword(d.Password)
		if err != nil {
			return nil, err
		}
		in := domain.UserInput{Name: d.Name, DisplayName: "Demo " + strings.ReplaceAll(string(d.Role), "_", " "), Team: d.Team,
			Roles: []domain.Role{d.Role}, PasswordHash: domain.Hash(h)}
		if _, err := a.cmds.AddUser(ctx, domain.Command{Actor: demoActor}, in); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", d.Name, err)
		}
		if d.Token, err = issueToken(ctx, a.cmds, domain.Command{Actor: demoActor}, d.Name, in.Roles, demoTokenLife, "demo"); err != nil {
			return nil, fmt.Errorf("demo user %s: %w", d.Name, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// demoActor is the actor of what the demo data records.
var demoActor = domain.Actor{ID: "carecost:demo", Role: "system"}

// printDemoUsers writes the demo users and their passwords.
func printDemoUsers(w io.Writer, users []demoUser) {
	if len(users) == 0 {
		return
	}
	fmt.Fprintln(w, "Demo users, with a password to sign in and an API token (Authorization: Bearer ...) valid for 30 days;")
	fmt.Fprintln(w, "both are shown only once:")
	for _, u := range users {
		fmt.Fprintf(w, "  %-18s %-13s password %s\n  %-18s %-13s token    %s\n", u.Name, u.Role, u.Password, "", "", u.Token)
	}
}

// demoTokenLife is how long the demo users' API tokens work.
const demoTokenLife = 30 * 24 * time.Hour
