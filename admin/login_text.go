package admin

import (
	"reflect"
	"strings"
	"unicode"
)

// loginText is every word of the sign-in pages in one language, from the
// message catalogue (messages/*/login.json).
type loginText struct {
	Lang                       string
	Title, Intro               string
	Name, Password, Submit     string
	Or, ProviderButton         string // ProviderButton: "Sign in with %s"
	ProblemTitle               string
	SignedInAs, Roles, SignOut string
	Continue                   string
	// Messages beside the fields and in the summary.
	// Limited holds %s for the wait ("15 min", "30 s").
	MissingName, MissingPassword, Wrong, Expired, Limited string
	ProviderFailed, ProviderNoRole, LocalAccount          string
	SignedOut                                             string
}

// loginTexts returns the sign-in pages' words in l, from its catalogue
// (login.<field in snake case>).
func loginTexts(l *Lang) *loginText {
	t := &loginText{Lang: l.Code}
	v := reflect.ValueOf(t).Elem()
	for i := range v.NumField() {
		name := v.Type().Field(i).Name
		if name == "Lang" {
			continue
		}
		v.Field(i).SetString(l.T("login." + snake(name)))
	}
	return t
}

// snake turns a Go field name into a catalogue key's part: ProblemTitle
// -> problem_title.
func snake(name string) string {
	var b strings.Builder
	for i, r := range name {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// defaultLang is the language of a person who chose none.
const defaultLang = "fi"

// langCookie remembers the language a person chose.
const langCookie = "carecost_lang"

// flash codes: a sign-in failure shown once on the next page, with the
// field it concerns ("" for the form as a whole).
var flashes = map[string]struct {
	field string
	text  func(*loginText) string
}{
	"missing_name":     {"name", func(t *loginText) string { return t.MissingName }},
	"missing_password": {"password", func(t *loginText) string { return t.MissingPassword }},
	"wrong":            {"password", func(t *loginText) string { return t.Wrong }},
	"expired":          {"", func(t *loginText) string { return t.Expired }},
	"limited":          {"", func(t *loginText) string { return t.Limited }}, // %s: the wait
	"provider_failed":  {"", func(t *loginText) string { return t.ProviderFailed }},
	"provider_no_role": {"", func(t *loginText) string { return t.ProviderNoRole }},
	"local_account":    {"", func(t *loginText) string { return t.LocalAccount }},
}
