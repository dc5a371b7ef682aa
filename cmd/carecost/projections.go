package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"carecost/domain"
	"carecost/projections"
)

func init() {
	commands["projections"] = command{"list the projections (checkpoint, head, state); skip the event a stopped one cannot apply", runProjections}
}

const projectionsUsage = `Usage:
  carecost projections list [flags]
  carecost projections skip NAME --position N --reason TEXT [--actor NAME] [flags]

list catches the projections up with the log and shows each one's checkpoint,
the head of the log and its state: running, or stopped before the event it
cannot apply (its position, id and type, and the error).

skip lets the stopped projection NAME go past the event it is stopped at
(--position must be that event's position; --reason says why): the skip is
recorded in the log with the reason and the actor, and the projection goes on.

Both need carecost stopped; on a running carecost use GET /api/v1/status and
POST /api/v1/projections/NAME/skip (docs/operations.md).
`

func runProjections(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		io.WriteString(e.stdout, projectionsUsage)
		return flag.ErrHelp
	}
	switch args[0] {
	case "list":
		return projectionsList(ctx, e, args[1:])
	case "skip":
		return projectionsSkip(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "carecost projections: unknown subcommand %q\n\n%s", args[0], projectionsUsage)
	return errUsage
}

// projectionsFlags returns the flags of a projections subcommand.
func projectionsFlags(name string, e *env, cfg *config) *flag.FlagSet {
	fs := flag.NewFlagSet("projections "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.storeFlags(fs, e.getenv)
	fs.Usage = func() {
		io.WriteString(fs.Output(), projectionsUsage+"\nFlags:\n")
		fs.PrintDefaults()
	}
	return fs
}

func projectionsList(ctx context.Context, e *env, args []string) error {
	var cfg config
	fs := projectionsFlags("list", e, &cfg)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	a, err := openProjections(ctx, cfg, e)
	if err != nil {
		return err
	}
	defer a.Close()
	return printStatus(ctx, e.stdout, a.runner)
}

// openProjections opens the app with the data folder's lock and catches
// the projections up with the log.
func openProjections(ctx context.Context, cfg config, e *env) (*app, error) {
	a, err := openApp(ctx, cfg, newLogger(cfg.logFormat, e.stderr), true)
	if domain.ErrorCode(err) == domain.EConflict {
		return nil, domain.Errorf(domain.EConflict, "%s; on a running carecost use GET /api/v1/status or POST /api/v1/projections/NAME/skip", domain.ErrorMessage(err))
	}
	if err != nil {
		return nil, err
	}
	if err := a.runner.CatchUp(ctx); err != nil {
		a.Close()
		return nil, err
	}
	return a, nil
}

// printStatus writes a table of where each projection stands.
func printStatus(ctx context.Context, w io.Writer, r *projections.Runner) error {
	st, err := r.Status(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PROJECTION\tVERSION\tCHECKPOINT\tHEAD\tSTATE")
	for _, s := range st {
		state := s.State
		if f := s.Failure; f != nil {
			state = fmt.Sprintf("stopped before position %s (event %s, %s): %s", f.Position, f.EventID, f.EventType, f.Error)
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\n", s.Name, s.Version, s.Checkpoint, s.Head, state)
	}
	return tw.Flush()
}

// flagged renames the field of a domain error after the flag that gave it
// ("position" becomes "--position").
func flagged(err error, fields ...string) error {
	f := domain.ErrorField(err)
	for _, name := range fields {
		if f == name {
			return &domain.Error{Code: domain.ErrorCode(err), Field: "--" + name, Message: domain.ErrorMessage(err)}
		}
	}
	return err
}

// splitName takes the one name (a projection's, a user's) from args, before,
// between or after the flags; a second one is refused.
func splitName(fs *flag.FlagSet, args []string) (string, error) {
	var names []string
	for {
		if err := fs.Parse(args); err != nil {
			return "", usageErr(err)
		}
		if fs.NArg() == 0 {
			break
		}
		names, args = append(names, fs.Arg(0)), fs.Args()[1:]
	}
	switch len(names) {
	case 0:
		return "", nil
	case 1:
		return names[0], nil
	}
	fmt.Fprintf(fs.Output(), "unexpected argument %q\n", names[1])
	return "", errUsage
}
