package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"carecost/admin/auth"
	"carecost/domain"
)

// passwordSource is where a command takes a new password from: a file,
// a generated one, none, or (no flag) the terminal or standard input.
type passwordSource struct {
	file           string
	generate, none bool
}

// flags registers the password flags; --no-password only when allowed.
func (p *passwordSource) flags(fs *flag.FlagSet) {
	fs.StringVar(&p.file, "password-file", "", "read the password from the first line of `file` (- for standard input)")
	fs.BoolVar(&p.generate, "generate-password", false, "generate a password and print it once")
	fs.BoolVar(&p.none, "no-password", false, "no local password: the user signs in only through OpenID Connect")
}

// check refuses more than one source.
func (p *passwordSource) check() error {
	n := 0
	for _, given := range []bool{p.file != "", p.generate, p.none} {
		if given {
			n++
		}
	}
	if n > 1 {
		return domain.Invalidf("--password-file", "give one of --password-file, --generate-password and --no-password")
	}
	return nil
}

// hash takes the password and returns its hash (empty with --no-password)
// and, when it was generated, the password to print once.
func (p *passwordSource) hash(e *env, name string) (domain.Hash, string, error) {
	var pw, field string
	var err error
	switch {
	case p.none:
		return "", "", nil
	case p.generate:
		pw = auth.GeneratePassword()
	case p.file != "":
		field = "--password-file"
		pw, err = readPasswordFile(e.stdin, p.file)
	default:
		field = "password"
		pw, err = promptPassword(e, name)
	}
	if err != nil {
		return "", "", err
	}
	h, err := auth.HashPassword(pw)
	if err != nil {
		return "", "", &domain.Error{Code: domain.ErrorCode(err), Field: field, Message: domain.ErrorMessage(err)}
	}
	if !p.generate {
		pw = ""
	}
	return domain.Hash(h), pw, nil
}

// readPasswordFile reads the first line of file (- for stdin), without its
// line end.
func readPasswordFile(stdin io.Reader, file string) (string, error) {
	r := stdin
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			return "", domain.Invalidf("--password-file", "cannot read %s: %v", file, err)
		}
		defer f.Close()
		r = f
	}
	pw, err := readLine(bufio.NewReader(r))
	if err != nil {
		return "", domain.Invalidf("--password-file", "cannot read a password from %s: %v", file, err)
	}
	return pw, nil
}

// readLine reads one line without its line end; a last line without one
// counts.
func readLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err == io.EOF && line != "" {
		err = nil
	}
	return strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r"), err
}

// promptPassword reads the password twice: from the terminal without echo
// when standard input is one, else from two lines of standard input.
func promptPassword(e *env, name string) (string, error) {
	read := lineReader(e.stdin)
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		read = func() (string, error) {
			b, err := term.ReadPassword(int(f.Fd()))
			fmt.Fprintln(e.stderr)
			return string(b), err
		}
	}
	fmt.Fprintf(e.stderr, "New password for %s: ", name)
	first, err := read()
	if err != nil {
		return "", domain.Invalidf("password", "cannot read it: %v (or give --password-file or --generate-password)", err)
	}
	fmt.Fprint(e.stderr, "Again: ")
	second, err := read()
	if err != nil {
		return "", domain.Invalidf("password", "cannot read it again: %v", err)
	}
	if first != second {
		return "", domain.Invalidf("password", "the two passwords differ")
	}
	return first, nil
}

// lineReader reads lines of r one by one.
func lineReader(r io.Reader) func() (string, error) {
	br := bufio.NewReader(r)
	return func() (string, error) { return readLine(br) }
}
