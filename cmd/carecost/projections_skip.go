package main

import (
	"context"
	"fmt"

	"carecost/domain"
	"carecost/projections"
)

// maxActor bounds the --actor of a skip, in characters.
const maxActor = 200

func projectionsSkip(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := projectionsFlags("skip", e, &cfg)
	position := fs.String("position", "", "log `position` of the event the projection is stopped at (as list shows it)")
	reason := fs.String("reason", "", "why the event may be passed over (required; one line, at most 500 characters)")
	actor := fs.String("actor", envOr(e.getenv, "USER", "operator"), "who skips it, recorded with the skip (default: $USER)")
	name, err := splitName(fs, args)
	if err != nil {
		return err
	}
	req, err := skipRequest(name, *position, *reason, *actor)
	if err != nil {
		return err
	}
	a, err := openProjections(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	cmd := domain.Command{Actor: domain.Actor{ID: *actor, Role: "operations"}}
	if _, err := a.runner.Skip(ctx, cmd, req); err != nil {
		return flagged(err, "position", "reason")
	}
	fmt.Fprintf(e.stdout, "skipped the event at position %s for projection %s, as %s\n", req.Position, name, *actor)
	if err := a.runner.CatchUp(ctx); err != nil {
		return err
	}
	return printStatus(ctx, e.stdout, a.runner)
}

// skipRequest checks the command line of a skip.
func skipRequest(name, position, reason, actor string) (projections.SkipRequest, error) {
	if name == "" {
		return projections.SkipRequest{}, domain.Invalidf("projection", "name the projection to move on (carecost projections list shows them)")
	}
	if position == "" {
		return projections.SkipRequest{}, domain.Invalidf("--position", "is required: the position of the event the projection is stopped at")
	}
	pos, err := domain.ParsePosition(position)
	if err != nil {
		return projections.SkipRequest{}, flagged(err, "position")
	}
	if err := domain.CheckText("--reason", reason, 500, true, false); err != nil {
		return projections.SkipRequest{}, err
	}
	if err := domain.CheckText("--actor", actor, maxActor, true, false); err != nil {
		return projections.SkipRequest{}, err
	}
	return projections.SkipRequest{Projection: name, Position: pos, Reason: reason}, nil
}
