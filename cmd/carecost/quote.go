package main

import (
	"context"
	"encoding/json"
	"flag"
	"io"
	"os"
	"time"

	"carecost/domain"
	"carecost/domain/demo"
)

func init() {
	commands["quote"] = command{"compute a cost estimate from a case file, storing nothing", runQuote}
}

func runQuote(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("quote", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	input := fs.String("input", "", "case `file` in JSON (docs/case-format.md); - reads standard input")
	catalogue := fs.String("catalogue", "", "catalogue `file` in JSON (docs/catalogue-format.md); default: the demo catalogue")
	format := fs.String("format", "json", "output format: json or table")
	fs.Usage = func() {
		io.WriteString(fs.Output(), "Usage: carecost quote --input case.json [--catalogue catalogue.json] [--format json|table]\n\n"+
			"Prices a case against the tariff and income-limit catalogue versions in effect on its pricing date.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *input == "" {
		return domain.Invalidf("--input", "a case file is required (see docs/case-format.md)")
	}
	if *format != "json" && *format != "table" {
		return domain.Invalidf("--format", "use json or table, not %q", *format)
	}
	set, err := loadCatalogue(*catalogue)
	if err != nil {
		return err
	}
	in, err := readCase(e.stdin, *input)
	if err != nil {
		return err
	}
	q, err := set.Quote(in, domain.DateOf(time.Now()))
	if err != nil {
		return inFile(*input, err)
	}
	if *format == "table" {
		return writeQuoteTable(e.stdout, q)
	}
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(q)
}

// loadCatalogue reads a catalogue file, or returns the demo catalogue.
func loadCatalogue(path string) (*domain.CatalogueSet, error) {
	data := demo.CatalogueJSON()
	if path != "" {
		var err error
		if data, err = os.ReadFile(path); err != nil {
			return nil, domain.Invalidf("--catalogue", "cannot read the catalogue: %v", err)
		}
	}
	f, err := domain.ParseCatalogueFile(data)
	if err == nil {
		var set *domain.CatalogueSet
		if set, err = domain.BuildCatalogue(f); err == nil {
			return set, nil
		}
	}
	return nil, inFile(orDemo(path), err)
}

func orDemo(path string) string {
	if path == "" {
		return "the demo catalogue"
	}
	return path
}

func readCase(stdin io.Reader, path string) (domain.CaseInput, error) {
	var in domain.CaseInput
	var data []byte
	var err error
	if path == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(path)
	}
	if err != nil {
		return in, domain.Invalidf("--input", "cannot read the case: %v", err)
	}
	return in, inFile(path, domain.DecodeJSON(data, &in))
}
