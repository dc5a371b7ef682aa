package admin

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"carecost/domain"
)

func testCatalogue(t *testing.T) *Catalogue {
	t.Helper()
	cat, err := loadCatalogue(messageFiles)
	if err != nil {
		t.Fatal(err)
	}
	return cat
}

// Every language has every key: one missing fails the load, naming it.
func TestCatalogueComplete(t *testing.T) {
	cat := testCatalogue(t)
	if m := cat.Missing(); len(m) > 0 {
		t.Fatalf("missing: %v", m)
	}
	if got := cat.Codes(); len(got) < 2 || got[0] != "fi" {
		t.Fatalf("languages = %v, want fi first", got)
	}
	_, err := loadCatalogue(fstest.MapFS{
		"messages/fi/a.json": {Data: []byte(`{"x.one": "yksi", "x.two": "kaksi"}`)},
		"messages/en/a.json": {Data: []byte(`{"x.one": "one"}`)},
	})
	if err == nil || !strings.Contains(err.Error(), "en: x.two") {
		t.Fatalf("a missing key: err = %v", err)
	}
	_, err = loadCatalogue(fstest.MapFS{
		"messages/fi/a.json": {Data: []byte(`{"x.one": "yksi"}`)},
		"messages/fi/b.json": {Data: []byte(`{"x.one": "yksi"}`)},
	})
	if err == nil || !strings.Contains(err.Error(), "defined twice") {
		t.Fatalf("a key twice: err = %v", err)
	}
}

// Adding a language is adding its folder: Swedish made of the Finnish
// files (a stand-in for the translation) loads and is offered.
func TestAddingALanguageIsData(t *testing.T) {
	m := fstest.MapFS{}
	err := fs.WalkDir(messageFiles, "messages/fi", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(messageFiles, p)
		m[p] = &fstest.MapFile{Data: b}
		m[strings.Replace(p, "/fi/", "/sv/", 1)] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	cat, err := loadCatalogue(m)
	if err != nil {
		t.Fatal(err)
	}
	if !cat.Has("sv") || cat.Lang("sv").Code != "sv" {
		t.Fatalf("sv not offered: %v", cat.Codes())
	}
}

var templateKey = regexp.MustCompile(`\.T "([^"]+)"`)

// Every key a template names is in the catalogue.
func TestTemplateKeysExist(t *testing.T) {
	cat := testCatalogue(t)
	l := cat.Lang("fi")
	files, _ := fs.Glob(consoleFS, "views/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(consoleFS, f)
		for _, m := range templateKey.FindAllStringSubmatch(string(b), -1) {
			if !l.Has(m[1]) {
				t.Errorf("%s names the key %q, which no catalogue has", f, m[1])
			}
		}
	}
}

var (
	actionRE = regexp.MustCompile(`(?s)\{\{.*?\}\}`)
	scriptRE = regexp.MustCompile(`(?is)<(script|style|svg)\b.*?</(script|style|svg)>`)
	tagRE    = regexp.MustCompile(`(?s)<[^>]*>`)
	wordRE   = regexp.MustCompile(`\p{L}{2,}`)
)

// No template writes words of its own: every text comes from the
// catalogue (or from data). Only the product's name is allowed.
func TestNoTextInTemplates(t *testing.T) {
	files, _ := fs.Glob(consoleFS, "views/*.html")
	for _, f := range files {
		b, _ := fs.ReadFile(consoleFS, f)
		s := actionRE.ReplaceAllString(string(b), " ")
		s = scriptRE.ReplaceAllString(s, " ")
		s = tagRE.ReplaceAllString(s, " ")
		for _, w := range wordRE.FindAllString(s, -1) {
			if w != "carecost" {
				t.Errorf("%s has the hard-coded word %q; put it in the message catalogues", f, w)
			}
		}
	}
}

// Key-like strings in the Go code are keys of the catalogue: a key written
// in a handler and missing from the catalogues fails here, not on a page.
func TestGoKeysExist(t *testing.T) {
	cat := testCatalogue(t)
	l := cat.Lang("fi")
	prefixes := map[string]bool{}
	for _, k := range cat.Keys() {
		prefixes[k[:strings.Index(k+".", ".")]] = true
	}
	lit := regexp.MustCompile(`"([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)"`)
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		code := regexp.MustCompile(`(?m)^\s*//.*$`).ReplaceAllString(string(b), "")
		for _, m := range lit.FindAllStringSubmatch(code, -1) {
			k := m[1]
			if prefixes[k[:strings.Index(k, ".")]] && !l.Has(k) && !strings.HasSuffix(k, ".json") && !strings.HasSuffix(k, ".html") {
				t.Errorf("%s uses the key %q, which no catalogue has", f, k)
			}
		}
	}
}

func TestFormats(t *testing.T) {
	cat := testCatalogue(t)
	fi, en := cat.Lang("fi"), cat.Lang("en")
	nb := "\u00a0"
	for _, c := range []struct{ got, want string }{
		{fi.Money(123456), "1" + nb + "234,56" + nb + "€"},
		{fi.Money(-5), "−0,05" + nb + "€"},
		{fi.Money(100000000), "1" + nb + "000" + nb + "000,00" + nb + "€"},
		{en.Money(123456), "€1,234.56"},
		{fi.Date(domain.NewDate(2026, time.July, 1)), "1.7.2026"},
		{en.Date(domain.NewDate(2026, time.July, 1)), "1 Jul 2026"},
		{fi.Date(domain.Date{}), ""},
		{fi.Percent(1150), "11,5" + nb + "%"},
		{en.Percent(2200), "22%"},
		{fi.Number(-1234567), "−1" + nb + "234" + nb + "567"},
		{fi.T("error.forbidden", "roles", "x"), "Sinulla ei ole oikeutta tähän. Tarvittava rooli: x."},
		{fi.T("no.such.key"), "[no.such.key]"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	// Numbers typed in the person's language.
	for _, c := range []struct {
		l    *Lang
		in   string
		want domain.Money
	}{
		{fi, "1 234,56", 123456}, {fi, "1234.56", 123456}, {fi, "12", 1200}, {fi, "12,5 €", 1250}, {fi, "1\u00a0000", 100000},
		{fi, "−5,00", -500}, {en, "1,234.56", 123456}, {en, "€1,234.56", 123456}, {en, "1,000", 100000}, {en, "1234.56", 123456},
		{en, "2.5", 250}, {en, "1 000", 100000},
	} {
		if got, ok := c.l.ParseMoney(c.in); !ok || got != c.want {
			t.Errorf("%s ParseMoney(%q) = %v, %v; want %v", c.l.Code, c.in, got, ok, c.want)
		}
	}
	for _, c := range []struct {
		l  *Lang
		in string
	}{
		{fi, ""}, {fi, "abc"}, {fi, "1,2,3"}, {fi, "1.234,56"}, {fi, "1,234"}, {fi, "12,"}, {fi, "1 2,5"},
		{en, "2,50"}, {en, "1,2345"}, {en, "1234,56"}, {en, "1,234,5"}, {en, "1.2.3"}, {en, "12."},
	} {
		if got, ok := c.l.ParseMoney(c.in); ok {
			t.Errorf("%s ParseMoney(%q) accepted as %v", c.l.Code, c.in, got)
		}
	}
	if n, ok := en.ReadNumber("1,000"); !ok || n != "1000" {
		t.Errorf("en 1,000 = %q, %v", n, ok)
	}
	if n, ok := fi.ReadNumber("2,5"); !ok || n != "2.5" {
		t.Errorf("fi 2,5 = %q, %v", n, ok)
	}
}
