package main

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"carecost/projections"
)

func tokenList(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := groupFlags("token", "list", tokenUsage, e, &cfg)
	user := fs.String("user", "", "only the tokens of `user`")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	return withUsers(ctx, e, cfg, func(a *app) error {
		tokens, err := a.set.Tokens(ctx, *user)
		if err != nil {
			return err
		}
		return printTokens(e.stdout, tokens, time.Now())
	})
}

// printTokens writes a table of tokens as they stand at now; never a hash.
func printTokens(w io.Writer, tokens []projections.TokenView, now time.Time) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tUSER\tROLES\tLABEL\tEXPIRES\tSTATE\tCREATED BY")
	for _, t := range tokens {
		state := "active"
		switch {
		case t.Revoked:
			state = "revoked " + t.RevokedAt.Format(time.DateTime+" UTC") + " by " + t.RevokedBy
		case !now.Before(t.ExpiresAt):
			state = "expired"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t.ID, t.User, joinRoles(t.Roles), orDash(t.Label), t.ExpiresAt.Format(time.DateTime+" UTC"), state, t.CreatedBy)
	}
	if len(tokens) == 0 {
		fmt.Fprintln(tw, "(no tokens)")
	}
	return tw.Flush()
}
