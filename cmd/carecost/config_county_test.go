package main

import (
	"flag"
	"io"
	"testing"

	"carecost/domain"
)

// The county's name comes from --county or CARECOST_COUNTY; a name that is
// not one line of text is refused, naming the flag.
func TestCountyFlag(t *testing.T) {
	env := map[string]string{"CARECOST_COUNTY": "Päijät-Hämeen hyvinvointialue"}
	parse := func(args ...string) config {
		var c config
		fs := flag.NewFlagSet("serve", flag.ContinueOnError)
		fs.SetOutput(io.Discard)
		c.serveFlags(fs, func(k string) string { return env[k] })
		if err := fs.Parse(args); err != nil {
			t.Fatal(err)
		}
		return c
	}
	if c := parse(); c.county != "Päijät-Hämeen hyvinvointialue" || c.check() != nil {
		t.Errorf("from the environment: %q, %v", c.county, c.check())
	}
	if c := parse("--county", "Kanta-Hämeen hyvinvointialue"); c.county != "Kanta-Hämeen hyvinvointialue" {
		t.Errorf("the flag does not win: %q", c.county)
	}
	if c := parse("--county", "K", "--demo"); c.countyName() != "K" {
		t.Errorf("--county with --demo: %q", c.countyName())
	}
	env = nil
	if c := parse("--demo"); c.countyName() != demoCounty {
		t.Errorf("--demo without --county: %q", c.countyName())
	}
	if c := parse(); c.countyName() != "" {
		t.Errorf("neither: %q", c.countyName())
	}
	if err := parse("--county", "two\nlines").check(); domain.ErrorField(err) != "--county" {
		t.Errorf("a county of two lines: %v", err)
	}
}
