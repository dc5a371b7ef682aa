package main

import (
	"context"
	"flag"
	"fmt"

	"carecost/domain"
)

func userPasswd(ctx context.Context, e *env, args []string) error {
	var cfg config
	var pw passwordSource
	fs := groupFlags("user", "passwd", userUsage, e, &cfg)
	pw.flags(fs)
	name, err := userName(fs, args)
	if err != nil {
		return err
	}
	if err := pw.check(); err != nil {
		return err
	}
	return withApp(ctx, e, cfg, func(a *app) error {
		if _, err := a.cmds.User(ctx, name); err != nil {
			return userFlag(err)
		}
		hash, generated, err := pw.hash(e, name)
		if err != nil {
			return err
		}
		if _, err := a.cmds.SetUserPassword(ctx, domain.Command{Actor: cliActor(e)}, name, hash); err != nil {
			return userFlag(err)
		}
		if hash == "" {
			fmt.Fprintf(e.stdout, "user %s has no local password now: it signs in only through OpenID Connect\n", name)
		} else {
			fmt.Fprintf(e.stdout, "set the password of user %s\n", name)
		}
		printGenerated(e, name, generated)
		return nil
	})
}

func userRoles(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := groupFlags("user", "roles", userUsage, e, &cfg)
	roles := fs.String("role", "", "the user's `roles` from now on, comma-separated (required)")
	name, err := userName(fs, args)
	if err != nil {
		return err
	}
	rs, err := parseRoles(*roles)
	if err != nil {
		return err
	}
	return userChange(ctx, e, cfg, name, "set the roles of user %s", func(a *app, cmd domain.Command) (domain.Result, error) {
		return a.cmds.SetUserRoles(ctx, cmd, name, rs)
	})
}

func userTeam(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := groupFlags("user", "team", userUsage, e, &cfg)
	team := fs.String("team", "", "the user's team from now on, a `slug` (required; \"\" for none, unless a case manager)")
	name, err := userName(fs, args)
	if err != nil {
		return err
	}
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == "team" })
	if !given {
		return domain.Invalidf("--team", "give the team (--team \"\" for none)")
	}
	return userChange(ctx, e, cfg, name, "set the team of user %s", func(a *app, cmd domain.Command) (domain.Result, error) {
		return a.cmds.SetUserTeam(ctx, cmd, name, *team)
	})
}

func userDisable(ctx context.Context, e *env, args []string) error {
	return userSwitch(ctx, e, "disable", "disabled user %s: it can no longer sign in or use its tokens", args, (*domain.Commands).DisableUser)
}

func userEnable(ctx context.Context, e *env, args []string) error {
	return userSwitch(ctx, e, "enable", "enabled user %s", args, (*domain.Commands).EnableUser)
}

// userSwitch runs disable or enable, a method of domain.Commands.
func userSwitch(ctx context.Context, e *env, sub, done string, args []string,
	method func(*domain.Commands, context.Context, domain.Command, string) (domain.Result, error)) error {
	var cfg config
	fs := groupFlags("user", sub, userUsage, e, &cfg)
	name, err := userName(fs, args)
	if err != nil {
		return err
	}
	return userChange(ctx, e, cfg, name, done, func(a *app, cmd domain.Command) (domain.Result, error) {
		return method(a.cmds, ctx, cmd, name)
	})
}

// userChange runs one change of user name and says what was done.
func userChange(ctx context.Context, e *env, cfg config, name, done string, change func(*app, domain.Command) (domain.Result, error)) error {
	return withApp(ctx, e, cfg, func(a *app) error {
		if _, err := change(a, domain.Command{Actor: cliActor(e)}); err != nil {
			return userFlag(err)
		}
		fmt.Fprintf(e.stdout, done+"\n", name)
		return nil
	})
}
