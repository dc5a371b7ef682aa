package main

import (
	"context"
	"fmt"

	"carecost/domain"
)

func userAdd(ctx context.Context, e *env, args []string) error {
	var cfg config
	var pw passwordSource
	fs := groupFlags("user", "add", userUsage, e, &cfg)
	display := fs.String("display", "", "the name shown for the user (required)")
	roles := fs.String("role", "", "the user's `roles`, comma-separated: case_manager, admin, controller, operations (required)")
	team := fs.String("team", "", "the user's team, a `slug`; required for a case manager")
	pw.flags(fs)
	name, err := userName(fs, args)
	if err != nil {
		return err
	}
	in := domain.UserInput{Name: name, DisplayName: *display, Team: *team}
	if in.Roles, err = parseRoles(*roles); err != nil {
		return err
	}
	if err := pw.check(); err != nil {
		return err
	}
	// Everything but the password is checked before it is asked for.
	if err := domain.NewUser(name).Add(in); err != nil {
		return userFlag(err)
	}
	return withApp(ctx, e, cfg, func(a *app) error {
		if _, err := a.cmds.User(ctx, name); err == nil {
			return domain.Invalidf("NAME", "user %s already exists", name)
		}
		var generated string
		if in.PasswordHash, generated, err = pw.hash(e, name); err != nil {
			return err
		}
		if _, err := a.cmds.AddUser(ctx, domain.Command{Actor: cliActor(e)}, in); err != nil {
			return userFlag(err)
		}
		fmt.Fprintf(e.stdout, "added user %s (%s)\n", name, describeUser(in.Roles, in.Team))
		printGenerated(e, name, generated)
		return nil
	})
}

// describeUser says a user's roles and team in words.
func describeUser(roles []domain.Role, team string) string {
	out := "roles " + joinRoles(roles)
	if team != "" {
		out += "; team " + team
	}
	return out
}

// printGenerated prints a generated password, once.
func printGenerated(e *env, name, pw string) {
	if pw != "" {
		fmt.Fprintf(e.stdout, "password of %s: %s\nIt is shown only once: carecost keeps only its hash. Hand it over safely.\n", name, pw)
	}
}

// withApp opens carecost over the store with the data folder's lock, runs
// fn, and catches the read models up with what it recorded.
func withApp(ctx context.Context, e *env, cfg config, fn func(a *app) error) error {
	a, err := openApp(ctx, cfg, newLogger(cfg.logFormat, e.stderr), true)
	if err != nil {
		return err
	}
	defer a.Close()
	if err := fn(a); err != nil {
		return err
	}
	return a.runner.CatchUp(ctx)
}
