package admin

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"carecost/domain"
)

// The console's words live in message catalogues, one folder per language
// under messages/ (messages/fi/*.json, messages/en/*.json), each file a flat
// object of key -> text. A language is a folder: adding Swedish is adding
// messages/sv with the same keys, nothing else. A test fails when a key
// is missing in any language or a template names a key no catalogue has.
//
// Keys starting with "format." say how the language writes numbers, money
// and dates (see Lang.Money and Lang.Date); "lang.name" is the language's
// own name, shown in the switch.
//
//go:embed messages
var messageFiles embed.FS

// Lang is one language of the console: its words and its formats.
type Lang struct {
	// Code is the language's code (fi, en), also the lang attribute.
	Code string
	msgs map[string]string
}

// Catalogue is every language of the console.
type Catalogue struct {
	langs map[string]*Lang
	codes []string // sorted, the default first
}

// loadCatalogue reads every language folder of fsys's messages folder.
// Two files of one language defining a key, or a language lacking a key
// another has, fail the load.
func loadCatalogue(fsys fs.FS) (*Catalogue, error) {
	dirs, err := fs.ReadDir(fsys, "messages")
	if err != nil {
		return nil, fmt.Errorf("admin: the message catalogues: %w", err)
	}
	cat := &Catalogue{langs: map[string]*Lang{}}
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		l := &Lang{Code: d.Name(), msgs: map[string]string{}}
		files, err := fs.Glob(fsys, path.Join("messages", d.Name(), "*.json"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				return nil, err
			}
			var m map[string]string
			if err := json.Unmarshal(b, &m); err != nil {
				return nil, fmt.Errorf("admin: the message catalogue %s: %w", f, err)
			}
			for k, v := range m {
				if _, dup := l.msgs[k]; dup {
					return nil, fmt.Errorf("admin: the message %q of %s is defined twice (%s)", k, l.Code, f)
				}
				l.msgs[k] = v
			}
		}
		cat.langs[l.Code] = l
		cat.codes = append(cat.codes, l.Code)
	}
	if cat.langs[defaultLang] == nil {
		return nil, fmt.Errorf("admin: the message catalogue of the default language %s is missing", defaultLang)
	}
	slices.SortFunc(cat.codes, func(a, b string) int {
		switch {
		case a == defaultLang:
			return -1
		case b == defaultLang:
			return 1
		}
		return strings.Compare(a, b)
	})
	if missing := cat.Missing(); len(missing) > 0 {
		return nil, fmt.Errorf("admin: messages missing: %s", strings.Join(missing, "; "))
	}
	return cat, nil
}

// Missing lists, per language, the keys another language has and it lacks.
func (c *Catalogue) Missing() []string {
	all := map[string]bool{}
	for _, l := range c.langs {
		for k := range l.msgs {
			all[k] = true
		}
	}
	var out []string
	for _, code := range c.codes {
		for k := range all {
			if _, ok := c.langs[code].msgs[k]; !ok {
				out = append(out, code+": "+k)
			}
		}
	}
	slices.Sort(out)
	return out
}

// Lang returns the language of code, or the default language.
func (c *Catalogue) Lang(code string) *Lang {
	if l := c.langs[code]; l != nil {
		return l
	}
	return c.langs[defaultLang]
}

// Has reports whether code is a language of the console.
func (c *Catalogue) Has(code string) bool { return c.langs[code] != nil }

// Codes returns the language codes, the default first.
func (c *Catalogue) Codes() []string { return c.codes }

// Keys returns every key of the default language, sorted.
func (c *Catalogue) Keys() []string {
	var out []string
	for k := range c.langs[defaultLang].msgs {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// T returns the text of key, with {name} placeholders filled from args
// given as name, value pairs (values formatted with %v). A key the
// catalogue lacks shows as [key], which the tests look for.
func (l *Lang) T(key string, args ...any) string {
	s, ok := l.msgs[key]
	if !ok {
		return "[" + key + "]"
	}
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		pairs = append(pairs, "{"+fmt.Sprint(args[i])+"}", fmt.Sprint(args[i+1]))
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// Has reports whether the language has key.
func (l *Lang) Has(key string) bool {
	_, ok := l.msgs[key]
	return ok
}

// Name returns the language's name in itself ("suomi", "English").
func (l *Lang) Name() string { return l.T("lang.name") }

// Number writes a whole number with the language's group separator.
func (l *Lang) Number(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := group(strconv.FormatInt(n, 10), l.T("format.group"))
	if neg {
		return l.T("format.minus") + s
	}
	return s
}

// group puts sep between every three digits of digits, from the right.
func group(digits, sep string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	first := len(digits) % 3
	if first > 0 {
		b.WriteString(digits[:first])
	}
	for i := first; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

// Decimal writes cents as a number with two decimals in the language's
// way (1 234,56 in Finnish), without the currency.
func (l *Lang) Decimal(cents domain.Money) string {
	n := int64(cents)
	neg := n < 0
	if neg {
		n = -n
	}
	s := group(strconv.FormatInt(n/100, 10), l.T("format.group")) + l.T("format.decimal") + fmt.Sprintf("%02d", n%100)
	if neg {
		return l.T("format.minus") + s
	}
	return s
}

// Money writes cents as euros in the language's way: "1 234,56 €" in
// Finnish, "€1,234.56" in English.
func (l *Lang) Money(cents domain.Money) string {
	return strings.Replace(l.T("format.money"), "{amount}", l.Decimal(cents), 1)
}

// Percent writes basis points as a percentage with up to two decimals
// ("11,5 %" in Finnish).
func (l *Lang) Percent(bp int64) string {
	s := l.Number(bp / 100)
	if frac := bp % 100; frac != 0 {
		if frac < 0 {
			frac = -frac
		}
		s += l.T("format.decimal") + strings.TrimRight(fmt.Sprintf("%02d", frac), "0")
	}
	return strings.Replace(l.T("format.percent"), "{amount}", s, 1)
}

// Date writes a date in the language's way: "1.7.2026" in Finnish,
// "1 Jul 2026" in English. The zero date is "".
func (l *Lang) Date(d domain.Date) string {
	if d.IsZero() {
		return ""
	}
	t := d.Time()
	return strings.NewReplacer("{d}", strconv.Itoa(t.Day()), "{m}", strconv.Itoa(int(t.Month())),
		"{mon}", l.T("format.month."+strconv.Itoa(int(t.Month()))), "{yyyy}", strconv.Itoa(t.Year())).Replace(l.T("format.date"))
}

// Time writes a moment as a date and time in Europe/Helsinki.
func (l *Lang) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(domain.Helsinki)
	return l.Date(domain.DateOf(t)) + " " + t.Format(l.T("format.clock"))
}

// ReadNumber reads a number typed by a person in l's way and returns it in the
// form the domain parses ("1234.56": a point for the decimals, no
// grouping); ok is false for anything else, an ambiguous number included.
// Spaces (also no-break and narrow no-break spaces) may group the digits
// in any language. In a language whose decimal mark is a comma (Finnish),
// a point is taken as the decimal mark too when there is no comma:
// "1 234,56" and "1234.56" are both 1234.56, "1.234,56" is refused. In a
// language that groups with a comma (English), a comma must group three
// digits: "1,234.56" and "1,000" read, "2,50" is refused.
func (l *Lang) ReadNumber(s string) (string, bool) {
	s = strings.NewReplacer("\u00a0", " ", "\u202f", " ", "\t", " ").Replace(strings.TrimSpace(s))
	sign := ""
	if rest, ok := strings.CutPrefix(s, "−"); ok {
		sign, s = "-", strings.TrimSpace(rest)
	} else if rest, ok := strings.CutPrefix(s, "-"); ok {
		sign, s = "-", strings.TrimSpace(rest)
	}
	dec, grp := l.T("format.decimal"), strings.TrimSpace(l.T("format.group"))
	if strings.Contains(s, " ") {
		// Spaces group the whole part in threes, in any language.
		mark := dec
		if dec == "," && !strings.Contains(s, ",") {
			mark = "."
		}
		whole, frac, hasFrac := strings.Cut(s, mark)
		if !groupedDigits.MatchString(whole) || strings.Contains(frac, " ") {
			return "", false
		}
		s = strings.ReplaceAll(whole, " ", "")
		if hasFrac {
			s += mark + frac
		}
	}
	if grp != "" && grp != dec && strings.Contains(s, grp) {
		whole, frac, _ := strings.Cut(s, dec)
		if !groupedDigits.MatchString(whole) {
			return "", false
		}
		s = strings.ReplaceAll(whole, grp, "")
		if frac != "" || strings.Contains(s, dec) {
			s += dec + frac
		}
	}
	switch {
	case dec == ".":
	case strings.Contains(s, dec) && strings.Contains(s, "."):
		return "", false
	default:
		s = strings.Replace(s, dec, ".", 1)
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	if whole == "" || strings.Trim(whole, "0123456789") != "" || strings.Trim(frac, "0123456789") != "" || (hasFrac && frac == "") {
		return "", false
	}
	return sign + s, true
}

// groupedDigits is a whole number grouped in threes by a one-character
// separator other than a digit: 1,234 or 12,345,678.
var groupedDigits = regexp.MustCompile(`^[0-9]{1,3}([^0-9][0-9]{3})+$`)

// ParseMoney reads an amount of euros typed by a person in l's way ("1 234,56",
// "1 234,56 €" in Finnish; "1,234.56", "€1,234.56" in English); ok is false
// for anything else.
func (l *Lang) ParseMoney(s string) (domain.Money, bool) {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSuffix(s, "€"), "€"))
	n, ok := l.ReadNumber(s)
	if !ok {
		return 0, false
	}
	m, err := domain.ParseMoney(n)
	return m, err == nil
}
