package main

import (
	"carecost/admin/auth"
	"context"
	"fmt"
	"time"

	"carecost/domain"
)

func init() {
	commands["token"] = command{"create, revoke and list API tokens (carecost stopped)", runToken}
}

const tokenUsage = `Usage:
  carecost token create --user U --role R[,R] --expires 90d [--label TEXT]
  carecost token revoke ID
  carecost token list [--user U]

An API token acts for its user with some of the user's roles, until it
expires (at most a year ahead) or is revoked; it stops working while its
user is disabled. create prints the token, cct_<id>_<secret>, once: carecost
keeps only a hash of its secret. --expires takes days (90d), weeks (12w) or
hours (36h).

Each command needs carecost stopped (it takes the data folder's lock); what
they change is recorded with the operating-system user as the actor. Run
carecost token COMMAND --help for the flags.
`

func runToken(ctx context.Context, e *env, args []string) error {
	return runGroup(ctx, e, "token", tokenUsage, map[string]func(context.Context, *env, []string) error{
		"create": tokenCreate, "revoke": tokenRevoke, "list": tokenList,
	}, args)
}

func tokenCreate(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := groupFlags("token", "create", tokenUsage, e, &cfg)
	userName := fs.String("user", "", "the `user` the token acts for (required)")
	roles := fs.String("role", "", "the `roles` the token carries, comma-separated: some of the user's (required)")
	expires := fs.String("expires", "", "how long the token works: `days`, weeks or hours (90d, 12w, 36h; at most a year) (required)")
	label := fs.String("label", "", "what the token is for (one line)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *userName == "" {
		return domain.Invalidf("--user", "name the user the token acts for")
	}
	rs, err := parseRoles(*roles)
	if err != nil {
		return err
	}
	life, err := parseLifetime(*expires)
	if err != nil {
		return err
	}
	in, display := newTokenInput(*userName, rs, life, *label)
	id := in.ID
	return withApp(ctx, e, cfg, func(a *app) error {
		if _, err := a.cmds.CreateToken(ctx, domain.Command{Actor: cliActor(e)}, in); err != nil {
			return userFlag(err)
		}
		fmt.Fprintln(e.stdout, display)
		fmt.Fprintf(e.stderr, "Created token %s for user %s (%s), expiring %s.\n", id, in.User, describeUser(rs, ""), in.ExpiresAt.UTC().Format(time.DateTime+" UTC"))
		fmt.Fprintf(e.stderr, "The token is shown only once: carecost keeps only a hash of it. Revoke it with: carecost token revoke %s\n", id)
		return nil
	})
}

// parseLifetime reads --expires (auth.ParseLifetime).
func parseLifetime(s string) (time.Duration, error) { return auth.ParseLifetime("--expires", s) }

func tokenRevoke(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := groupFlags("token", "revoke", tokenUsage, e, &cfg)
	id, err := splitName(fs, args)
	if err != nil {
		return err
	}
	if id == "" {
		return domain.Invalidf("ID", "name the token to revoke (carecost token list shows them)")
	}
	return withApp(ctx, e, cfg, func(a *app) error {
		if _, err := a.cmds.RevokeToken(ctx, domain.Command{Actor: cliActor(e)}, id); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "revoked token %s: it no longer works\n", id)
		return nil
	})
}
