// Command carecost estimates, decides and audits the monthly cost of
// elderly-care services: client fees and county costs against versioned
// tariffs. Run `carecost --help` for its commands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command is one subcommand of carecost.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command sees of the world: its output streams, its input and
// the environment variables.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

var commands = map[string]command{}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}, os.Args[1:])
	stop()
	os.Exit(code)
}

// run runs the command named by args[0] and returns the exit code: 0 on
// success, 2 for bad input or usage, 1 for any other failure.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "carecost: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return 2
	}
	if err := c.run(ctx, e, args[1:]); err != nil {
		return report(e.stderr, args[0], err)
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "carecost: cost estimates for elderly-care services, against versioned tariffs")
	fmt.Fprintln(w, "\nUsage: carecost <command> [flags]\n\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun `carecost <command> --help` for the flags of a command.")
}
