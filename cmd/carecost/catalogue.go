package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"

	"carecost/domain"
)

func init() {
	commands["catalogue"] = command{"import or export the catalogue as JSON (docs/catalogue-format.md)", runCatalogue}
}

func runCatalogue(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || (args[0] != "import" && args[0] != "export") {
		fmt.Fprintln(e.stderr, "Usage: carecost catalogue import --file FILE | carecost catalogue export [--file FILE]")
		return errUsage
	}
	var cfg config
	fs := flag.NewFlagSet("catalogue "+args[0], flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	cfg.storeFlags(fs, e.getenv)
	file := fs.String("file", "", "catalogue `file` (JSON); - or empty on export: standard output/input")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if args[0] == "import" {
		return catalogueImport(ctx, e, cfg, *file)
	}
	return catalogueExport(ctx, e, cfg, *file)
}

// catalogueImport writes a catalogue file to the store (carecost must be
// stopped, or use the API): new services, tariffs and income-limit
// catalogues with their whole history; existing tariffs and catalogues are
// reported and left alone.
func catalogueImport(ctx context.Context, e *env, cfg config, file string) error {
	if file == "" {
		return domain.Invalidf("--file", "name the catalogue file to import (- for standard input)")
	}
	data, err := readInput(e.stdin, file)
	if err != nil {
		return err
	}
	f, err := domain.ParseCatalogueFile(data)
	if err != nil {
		return inFile(file, err)
	}
	set, err := domain.BuildCatalogue(f)
	if err != nil {
		return inFile(file, err)
	}
	a, err := openApp(ctx, cfg, newLogger(cfg.logFormat, e.stderr), true)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.cmds.ImportCatalogue(ctx, domain.Command{Actor: domain.Actor{ID: "catalogue-import", Role: "admin"}}, set)
	if err != nil {
		return err
	}
	if err := a.runner.CatchUp(ctx); err != nil {
		return err
	}
	return writeJSON(e.stdout, rep)
}

// catalogueExport writes the catalogue as it stands in the store.
func catalogueExport(ctx context.Context, e *env, cfg config, file string) error {
	a, err := openApp(ctx, cfg, newLogger(cfg.logFormat, e.stderr), true)
	if err != nil && domain.ErrorCode(err) != domain.EConflict {
		return err
	}
	if err == nil {
		defer a.Close()
		if err := a.runner.CatchUp(ctx); err != nil {
			return err
		}
	} else if a, err = openApp(ctx, cfg, newLogger(cfg.logFormat, e.stderr), false); err != nil {
		return err
	} else {
		defer a.Close() // a serving carecost keeps the read models current
	}
	set, err := loadCatalogueSet(ctx, a)
	if err != nil {
		return err
	}
	out := e.stdout
	if file != "" && file != "-" {
		fh, err := os.Create(file)
		if err != nil {
			return domain.Invalidf("--file", "cannot write %s: %v", file, err)
		}
		defer fh.Close()
		out = fh
	}
	return writeJSON(out, set.File())
}

// loadCatalogueSet loads every catalogue aggregate from the store; the read
// models say which tariffs and income-limit catalogues exist.
func loadCatalogueSet(ctx context.Context, a *app) (*domain.CatalogueSet, error) {
	set := &domain.CatalogueSet{Tariffs: map[string]*domain.Tariff{}, Incomes: map[string]*domain.IncomeCatalogue{}}
	var err error
	if set.Catalogue, err = a.cmds.Catalogue(ctx); err != nil {
		return nil, err
	}
	tariffs, err := a.set.Tariffs(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tariffs {
		if set.Tariffs[t.ID], err = a.cmds.Tariff(ctx, t.ID, domain.Position{}); err != nil {
			return nil, err
		}
	}
	incomes, err := a.set.IncomeCatalogues(ctx)
	if err != nil {
		return nil, err
	}
	for _, ic := range incomes {
		if set.Incomes[ic.ID], err = a.cmds.IncomeCatalogue(ctx, ic.ID, domain.Position{}); err != nil {
			return nil, err
		}
	}
	return set, nil
}

func readInput(stdin io.Reader, file string) ([]byte, error) {
	var data []byte
	var err error
	if file == "-" {
		data, err = io.ReadAll(stdin)
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		return nil, domain.Invalidf("--file", "cannot read %s: %v", file, err)
	}
	return data, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
