package projections

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"carecost/domain"
)

// maxErrorText bounds the error text of a failure, in characters.
const maxErrorText = 300

// safeText returns what may be said of err where people read it (the log,
// the status, the failures table): its words without anything taken from an
// event's payload. JSON decode errors and the domain's value errors can
// quote a value (a client reference, an income), so they are described by
// where they failed instead; text in double quotes in any other error is
// blanked out; only the first line is kept, at most 300 characters.
func safeText(err error) string {
	msg := err.Error()
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var val *domain.Error
	switch {
	case errors.As(err, &syn):
		msg = replaceTail(msg, syn.Error(), fmt.Sprintf("malformed JSON at byte %d", syn.Offset))
	case errors.As(err, &typ):
		desc := "a JSON value of the wrong type" + atField(typ.Field)
		if typ.Type != nil {
			desc += " (want " + typ.Type.String() + ")"
		}
		msg = replaceTail(msg, typ.Error(), desc)
	case errors.As(err, &val):
		desc := val.Code
		if val.Code == domain.EInvalid {
			desc = "an invalid value"
		}
		msg = replaceTail(msg, val.Error(), desc+atField(val.Field))
	}
	return clip(blankQuoted(firstLine(msg)), maxErrorText)
}

// replaceTail replaces inner at the end of msg (where %w wrapping puts it)
// by desc; when inner is not there, desc alone is said.
func replaceTail(msg, inner, desc string) string {
	if prefix, ok := strings.CutSuffix(msg, inner); ok {
		return prefix + desc
	}
	return desc
}

func atField(field string) string {
	if field == "" {
		return ""
	}
	return " at " + field
}

// blankQuoted replaces the text between double quotes by an ellipsis.
func blankQuoted(s string) string {
	var b strings.Builder
	in, escaped := false, false
	for _, c := range s {
		switch {
		case in && escaped:
			escaped = false
		case in && c == '\\':
			escaped = true
		case c == '"':
			b.WriteRune(c)
			if !in {
				b.WriteString("…")
			}
			in = !in
		case !in:
			b.WriteRune(c)
		}
	}
	if in {
		b.WriteByte('"')
	}
	return b.String()
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// clip cuts s to at most n characters.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}
