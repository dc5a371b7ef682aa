package domain

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// fieldIndex returns "name[i]", the field path of a list element.
func fieldIndex(name string, i int) string { return name + "[" + strconv.Itoa(i) + "]" }

func itoa(i int) string { return strconv.Itoa(i) }

// CheckText checks a piece of text a person entered: valid UTF-8, no control
// characters (a line break is allowed where multiline is set), no invisible
// formatting characters (FormatCharacter), at most max characters, and,
// when required, not empty or only spaces.
func CheckText(field, s string, max int, required, multiline bool) error {
	if required && strings.TrimSpace(s) == "" {
		return Invalidf(field, "is required (not empty, not only spaces)")
	}
	if !utf8.ValidString(s) {
		return Invalidf(field, "is not valid UTF-8 text")
	}
	if n := utf8.RuneCountInString(s); n > max {
		return Invalidf(field, "at most %d characters, got %d", max, n)
	}
	for _, r := range s {
		if unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t')) {
			return Invalidf(field, "holds a control character (%U)", r)
		}
	}
	if r, found := FormatCharacter(s); found {
		return Invalidf(field, "%s holds an invisible formatting character (%U), such as one that turns the direction of text, which can make it look other than it is in lists and exports; remove it", field, r)
	}
	return nil
}

// FormatCharacter returns the first invisible formatting character of s
// (Unicode category Cf: the marks and overrides of text direction, zero-width
// joiners and spaces, the byte order mark, the soft hyphen), if s has one. A
// name or a note holding one can read other than it is: U+202E shows
// "A\u202EB.pdf" as "Afdp.B", in the console's lists and in the CSV exports.
func FormatCharacter(s string) (rune, bool) {
	for _, r := range s {
		if unicode.Is(unicode.Cf, r) {
			return r, true
		}
	}
	return 0, false
}

// Lengths of names and notes, in characters.
const (
	maxName = 200
	maxNote = 2000
)
