package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"carecost/domain"
)

// errUsage marks an error already explained by the flag package.
var errUsage = errors.New("usage")

// report prints err for a person and returns the exit code.
func report(w io.Writer, cmd string, err error) int {
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	case errors.Is(err, context.Canceled):
		fmt.Fprintf(w, "carecost %s: interrupted\n", cmd)
		return 1
	}
	code := domain.ErrorCode(err)
	if code == domain.EInternal {
		fmt.Fprintf(w, "carecost %s: %v\n", cmd, err)
		return 1
	}
	msg := domain.ErrorMessage(err)
	if code == domain.EUnavailable {
		// A person at the command line wants to know what did not answer.
		msg = "the event store cannot be reached (" + err.Error() + "); check the store's address and that it runs, then try again"
	}
	if f := domain.ErrorField(err); f != "" {
		msg = f + ": " + msg
	}
	var fe *fileError
	if errors.As(err, &fe) {
		msg = fe.file + ": " + msg
	}
	fmt.Fprintf(w, "carecost %s: %s\n", cmd, msg)
	if code == domain.EInvalid || code == domain.ENotFound || code == domain.EConflict {
		return 2
	}
	return 1
}

// parseFlags parses args with fs, turning a flag error into errUsage.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		return errUsage
	}
	if err == nil && fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	return err
}

// fileError says which file an error was found in.
type fileError struct {
	file string
	err  error
}

func (e *fileError) Error() string { return e.file + ": " + e.err.Error() }
func (e *fileError) Unwrap() error { return e.err }

// inFile marks err as found in file (nil stays nil).
func inFile(file string, err error) error {
	if err == nil {
		return nil
	}
	if file == "-" {
		file = "standard input"
	}
	return &fileError{file, err}
}

// usageErr turns a flag parse error into errUsage (help stays help).
func usageErr(err error) error {
	if errors.Is(err, flag.ErrHelp) {
		return err
	}
	return errUsage
}
