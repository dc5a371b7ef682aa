package admin

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// Reading the catalogue forms: each reader checks one field, puts the
// message of a bad value on the form in the person's language and returns
// what it read. Every field is read before the first command.

// Lengths the domain allows for names and notes, in characters.
const (
	maxNameInput = 200
	maxNoteInput = 2000
)

// textInput checks a name or note: required, at most max characters, no
// control characters (line breaks allowed when multiline).
func textInput(l *Lang, f *formErrors, field, v string, max int, required, multiline bool) string {
	err := domain.CheckText(field, v, max, required, multiline)
	switch msg := formatCharMessage(l, fieldLabel(l, field, nil), v); {
	case msg != "":
		f.add(field, msg)
	case err == nil:
	case required && strings.TrimSpace(v) == "":
		f.add(field, l.T("error.required"))
	case len([]rune(v)) > max:
		f.add(field, l.T("catalogue.error.too_long", "max", l.Number(int64(max))))
	default:
		f.add(field, l.T("catalogue.error.text"))
	}
	return v
}

// slugInput checks a new id: lower-case letters, digits and dashes.
func slugInput(l *Lang, f *formErrors, field, v string) string {
	switch {
	case v == "":
		f.add(field, l.T("error.required"))
	case domain.ValidSlug(field, v) != nil:
		f.add(field, l.T("catalogue.error.slug"))
	}
	return v
}

// moneyInput reads an amount of euros ("1 234,56" or "1234.56"); blank is
// ok (present false) unless required. Negative amounts and amounts above
// max are refused.
func moneyInput(l *Lang, f *formErrors, field, v string, required bool, max domain.Money) (m domain.Money, present bool) {
	if v == "" {
		if required {
			f.add(field, l.T("error.required"))
		}
		return 0, false
	}
	m, ok := l.ParseMoney(v)
	switch {
	case !ok:
		f.add(field, l.T("error.money"))
	case m < 0:
		f.add(field, l.T("catalogue.error.negative"))
	case m > max:
		f.add(field, l.T("catalogue.error.too_large", "max", l.Money(max)))
	default:
		return m, true
	}
	return 0, false
}

// percentInput reads a percentage ("8,75", "8.75 %"); blank is ok unless
// required. It is between 0 and 100 with at most two decimals.
func percentInput(l *Lang, f *formErrors, field, v string, required bool) (p domain.Percent, present bool) {
	if v == "" {
		if required {
			f.add(field, l.T("error.required"))
		}
		return 0, false
	}
	s, ok := l.ReadNumber(strings.TrimSuffix(strings.TrimSpace(v), "%"))
	p, err := domain.ParsePercent(s)
	if !ok || err != nil || p < 0 || p > 10000 {
		f.add(field, l.T("catalogue.error.percent"))
		return 0, false
	}
	return p, true
}

// percentText writes a percentage for an input, in l's way ("8,75").
func percentText(l *Lang, p domain.Percent) string {
	s := p.String()
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	return strings.Replace(s, ".", l.T("format.decimal"), 1)
}

// moneyText writes an amount for an input, in l's way without grouping
// ("1234,56"), so it reads back as typed.
func moneyText(l *Lang, m domain.Money) string {
	return strings.Replace(m.String(), ".", l.T("format.decimal"), 1)
}

// moneyPtrText writes an optional amount for an input ("" for none).
func moneyPtrText(l *Lang, m *domain.Money) string {
	if m == nil {
		return ""
	}
	return moneyText(l, *m)
}

// ratioInput reads a month conversion: a fraction ("52/12") or a decimal
// ("4,345"); blank is ok (zero).
func ratioInput(l *Lang, f *formErrors, field, v string, lo, hi int64) domain.Ratio {
	if v == "" {
		return domain.Ratio{}
	}
	n := strings.ReplaceAll(v, " ", "")
	if !strings.Contains(n, "/") {
		var ok bool
		if n, ok = l.ReadNumber(v); !ok {
			n = "?"
		}
	}
	r, err := domain.ParseRatio(n)
	if err != nil || r.IsZero() {
		f.add(field, l.T("catalogue.error.ratio"))
		return domain.Ratio{}
	}
	if r.Rat().Cmp(domain.Ratio{Num: lo, Den: 1}.Rat()) < 0 || r.Rat().Cmp(domain.Ratio{Num: hi, Den: 1}.Rat()) > 0 {
		f.add(field, l.T("catalogue.error.ratio_range", "lo", lo, "hi", hi))
		return domain.Ratio{}
	}
	return r
}

// dateInput reads a date within dates (readDate); blank is ok (zero)
// unless required.
func dateInput(l *Lang, f *formErrors, field, v string, required bool, dates dateRange) domain.Date {
	d, msg := readDate(l, v, dates, required)
	if msg != "" {
		f.add(field, msg)
	}
	return d
}

// intInput reads a whole number between lo and hi; blank is ok (0,
// present false) unless required.
func intInput(l *Lang, f *formErrors, field, v string, required bool, lo, hi int) (int, bool) {
	if v == "" {
		if required {
			f.add(field, l.T("error.required"))
		}
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f.add(field, l.T("error.number"))
		return 0, false
	}
	if n < lo || n > hi {
		f.add(field, l.T("catalogue.error.range", "lo", lo, "hi", hi))
		return 0, false
	}
	return n, true
}

// formVersion returns the version a catalogue form was rendered from (its
// expected_version) and marks the form stale when that is older than
// current, the version its page now reads: a conflict (409), checked
// before any other message of the form as a whole.
func formVersion(c *fiber.Ctx, l *Lang, f *formErrors, current int64) *int64 {
	e, ok := expectedField(c)
	if ok && *e < current {
		f.stale(l.T("catalogue.error.conflict"))
	}
	return e
}

// commandFailed puts the error of a command on the form: a stale form or
// a change the state no longer allows is a conflict, anything the domain
// finds invalid is a message on the field (fields maps the domain's field
// names, the last part of a path, to the form's). ok is false for errors
// a form cannot show: the caller returns them.
func commandFailed(l *Lang, f *formErrors, err error, fields map[string]string) bool {
	var de *domain.Error
	code := domain.ErrorCode(err)
	switch code {
	case domain.EConflict:
		if domain.ErrorField(err) == "expected_version" {
			f.stale(l.T("catalogue.error.conflict"))
		} else {
			f.add("", l.T("catalogue.error.conflict"))
		}
		return true
	case domain.ENotFound:
		f.add("", l.T("error.not_found"))
		return true
	case domain.EInvalid:
	default:
		return false
	}
	field := ""
	if errors.As(err, &de) {
		field = de.Field
	}
	if _, ok := fields[field]; !ok {
		field = indexRE.ReplaceAllString(field, "")
		if i := strings.LastIndex(field, "."); i >= 0 {
			field = field[i+1:]
		}
	}
	if to, ok := fields[field]; ok {
		f.add(to, l.T("error.invalid"))
	} else {
		f.add("", l.T("error.invalid"))
	}
	return true
}

// indexRE matches the index of a domain field path ("modes[1]").
var indexRE = regexp.MustCompile(`\[\d+\]`)

// newErrors returns an empty set of form messages.
func newErrors() *formErrors { return &formErrors{msgs: map[string]string{}} }

// fieldLabelKeys name the fields of the catalogue's forms by id.
var fieldLabelKeys = map[string]string{
	"id": "catalogue.service.id", "name": "catalogue.tariff.name", "name_fi": "catalogue.service.name_fi",
	"name_sv": "catalogue.service.name_sv", "name_en": "catalogue.service.name_en", "category": "catalogue.service.category",
	"unit": "catalogue.service.unit", "mode-own": "catalogue.service.modes", "min_maple": "catalogue.service.min_maple",
	"max_gross_income": "catalogue.service.max_gross_income", "eligibility_note": "catalogue.service.eligibility_note",
	"weeks_per_month": "catalogue.settings.weeks", "days_per_month": "catalogue.settings.days", "note": "catalogue.settings.note",
	"draft-source": "catalogue.draft.source", "draft-note": "catalogue.draft.note",
	"publish-valid_from": "catalogue.publish.valid_from", "publish-reason": "catalogue.publish.reason",
	"extra_person": "catalogue.income.extra_person", "kayttovara": "catalogue.income.kayttovara",
	"kayttovara_institutional": "catalogue.income.kayttovara_institutional", "annual_ceiling": "catalogue.income.annual_ceiling",
	"housing_rate": "catalogue.income.housing_rate", "housing_spouse_rate": "catalogue.income.housing_spouse_rate",
}

// entryFieldKeys name the fields of an entry's row by their suffix.
var entryFieldKeys = map[string]string{
	"service": "catalogue.entry.service", "mode": "catalogue.entry.mode", "unit_cost": "catalogue.entry.unit_cost",
	"rule": "catalogue.entry.rule", "fee": "catalogue.entry.fee", "provider_price": "catalogue.entry.provider_price",
	"tiers": "catalogue.entry.tiers", "counts_toward_ceiling": "catalogue.entry.ceiling",
}

var (
	limitFieldRE = regexp.MustCompile(`^limit-(\d+)$`)
	pctFieldRE   = regexp.MustCompile(`^pct-[a-z0-9]+-(\d+)$`)
)

// fieldLabel names the field id of a catalogue form in l ("" when it has
// no name); rows names the rows of a draft's entries by key.
func fieldLabel(l *Lang, id string, rows map[string]string) string {
	if k, ok := fieldLabelKeys[id]; ok {
		return l.T(k)
	}
	if m := limitFieldRE.FindStringSubmatch(id); m != nil {
		n, _ := strconv.Atoi(m[1])
		return l.T("catalogue.income.limit_label", "n", n+1)
	}
	if m := pctFieldRE.FindStringSubmatch(id); m != nil {
		n, _ := strconv.Atoi(m[1])
		return l.T("catalogue.income.pct_label_short", "n", n+1)
	}
	if strings.HasPrefix(id, "hours-") {
		return l.T("catalogue.income.hours_label")
	}
	for suffix, k := range entryFieldKeys {
		if key, ok := strings.CutSuffix(id, "-"+suffix); ok {
			if key == "new" {
				return l.T(k)
			}
			if what := rows[key]; what != "" {
				return l.T(k) + " (" + what + ")"
			}
		}
	}
	return ""
}

// problems returns the error summary of f, each message after the name of
// its field, so the summary says where without following the link.
func problems(l *Lang, f *formErrors, rows map[string]string) []fieldError {
	out := f.summary()
	for i, p := range out {
		if label := fieldLabel(l, p.Field, rows); label != "" && !strings.HasPrefix(p.Message, label+":") {
			out[i].Message = label + ": " + p.Message
		}
	}
	return out
}

// runForm runs the command of a catalogue form once its fields are
// checked: when f holds no message, do runs with the form's expected
// version and the projections catch up. ran reports it did; when it did
// not, f holds why (the domain's refusal on the field fields names) or
// err is an error a form cannot show.
func (s *Server) runForm(c *fiber.Ctx, l *Lang, f *formErrors, expected *int64, fields map[string]string,
	do func(ctx context.Context, cmd domain.Command) (domain.Result, error)) (ran bool, err error) {
	if !f.ok() {
		return false, nil
	}
	cmd, err := s.command(c, expected)
	if err == nil {
		var r domain.Result
		if r, err = do(c.UserContext(), cmd); err == nil {
			return true, s.settle(c, r)
		}
	}
	if !commandFailed(l, f, err, fields) {
		return false, err
	}
	return false, nil
}
