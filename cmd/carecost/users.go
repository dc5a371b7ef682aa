package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os/user"
	"strings"

	"carecost/domain"
)

func init() {
	commands["user"] = command{"add, change, disable and list users (carecost stopped)", runUser}
}

const userUsage = `Usage:
  carecost user add NAME --display TEXT --role R[,R] [--team T] [password flags]
  carecost user passwd NAME [password flags]
  carecost user roles NAME --role R[,R]
  carecost user team NAME --team T
  carecost user disable NAME
  carecost user enable NAME
  carecost user list

NAME is the login name: 1-64 lower-case letters, digits, dots, underscores
and dashes. Roles: case_manager, admin, controller, operations; a case manager
belongs to a team (a slug such as north-1).

Password flags: --password-file F reads the password from the first line of F
(- for standard input); --generate-password makes one and prints it once;
--no-password leaves the user without a local password (OpenID Connect only).
Without them the password is read twice: from the terminal, unechoed, or
from two lines of standard input. A password has 12 to 256 characters.

Each command needs carecost stopped (it takes the data folder's lock). The
changes are recorded as events with the operating-system user as the actor
(cli:NAME, role admin). Run carecost user COMMAND --help for the flags.
`

// userCommands are the subcommands of carecost user.
var userCommands = map[string]func(context.Context, *env, []string) error{
	"add": userAdd, "passwd": userPasswd, "roles": userRoles, "team": userTeam,
	"disable": userDisable, "enable": userEnable, "list": userList,
}

func runUser(ctx context.Context, e *env, args []string) error {
	return runGroup(ctx, e, "user", userUsage, userCommands, args)
}

// runGroup runs the subcommand of a command group named by args[0].
func runGroup(ctx context.Context, e *env, group, usage string, subs map[string]func(context.Context, *env, []string) error, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		io.WriteString(e.stdout, usage)
		return flag.ErrHelp
	}
	sub, ok := subs[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "carecost %s: unknown subcommand %q\n\n%s", group, args[0], usage)
		return errUsage
	}
	return sub(ctx, e, args[1:])
}

// groupFlags returns the flags of a subcommand of a group, with the store's.
func groupFlags(group, name, usage string, e *env, cfg *config) *flag.FlagSet {
	fs := flag.NewFlagSet(group+" "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.storeFlags(fs, e.getenv)
	fs.Usage = func() {
		io.WriteString(fs.Output(), usage+"\nFlags of "+group+" "+name+":\n")
		fs.PrintDefaults()
	}
	return fs
}

// userName takes the user's name from the command line and checks it.
func userName(fs *flag.FlagSet, args []string) (string, error) {
	name, err := splitName(fs, args)
	if err != nil {
		return "", err
	}
	if name == "" {
		return "", domain.Invalidf("NAME", "name the user (its login name)")
	}
	return name, domain.ValidUserName("NAME", name)
}

// parseRoles reads a comma-separated list of roles given with --role.
func parseRoles(s string) ([]domain.Role, error) {
	var roles []domain.Role
	for r := range strings.SplitSeq(s, ",") {
		if r = strings.TrimSpace(r); r != "" {
			roles = append(roles, domain.Role(r))
		}
	}
	roles, err := domain.CheckRoles("--role", roles)
	if err != nil {
		return nil, &domain.Error{Code: domain.EInvalid, Field: "--role", Message: domain.ErrorMessage(err)}
	}
	return roles, nil
}

// cliActor is the actor of what carecost user and token record: the
// operating-system user running them, as an admin.
func cliActor(e *env) domain.Actor {
	name := ""
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	if name == "" {
		name = envOr(e.getenv, "USER", "unknown")
	}
	return domain.Actor{ID: "cli:" + name, Role: string(domain.RoleAdmin)}
}

// userFlag renames the field of a domain error about a user after the
// flag or argument that gave it.
func userFlag(err error) error {
	names := map[string]string{"name": "NAME", "display_name": "--display", "roles": "--role", "team": "--team",
		"user": "--user", "label": "--label", "expires_at": "--expires"}
	f := domain.ErrorField(err)
	base, _, _ := strings.Cut(f, "[")
	if flag, ok := names[base]; ok && flag != f {
		return &domain.Error{Code: domain.ErrorCode(err), Field: flag, Message: domain.ErrorMessage(err)}
	}
	return err
}
