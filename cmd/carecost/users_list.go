package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"carecost/domain"
	"carecost/projections"
)

func userList(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := groupFlags("user", "list", userUsage, e, &cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return withUsers(ctx, e, cfg, func(a *app) error {
		users, err := a.set.Users(ctx)
		if err != nil {
			return err
		}
		return printUsers(e.stdout, users)
	})
}

// withUsers opens carecost with the data folder's lock, catches the read
// models up and runs fn, unless the users read model is stopped.
func withUsers(ctx context.Context, e *env, cfg config, fn func(a *app) error) error {
	return withApp(ctx, e, cfg, func(a *app) error {
		if err := a.runner.CatchUp(ctx); err != nil {
			return err
		}
		if f := a.runner.Failure("users"); f != nil {
			return domain.Errorf(domain.EUnavailable, "the users read model is stopped before position %s (%s); carecost projections list says more", f.Position, f.Error)
		}
		return fn(a)
	})
}

// printUsers writes a table of users; never a hash.
func printUsers(w io.Writer, users []projections.UserView) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tDISPLAY NAME\tTEAM\tROLES\tSTATE\tPASSWORD\tCHANGED")
	for _, u := range users {
		state, pw := "enabled", "local"
		if u.Disabled {
			state = "disabled"
		}
		if !u.LocalPassword {
			pw = "none (OpenID Connect)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", u.Name, u.DisplayName, orDash(u.Team), joinRoles(u.Roles), state, pw, u.ChangedAt.Format(time.DateTime+" UTC"))
	}
	if len(users) == 0 {
		fmt.Fprintln(tw, "(no users)")
	}
	return tw.Flush()
}

func joinRoles(roles []domain.Role) string {
	s := make([]string, len(roles))
	for i, r := range roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
