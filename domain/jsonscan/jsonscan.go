// Package jsonscan is a small scanner over JSON written by encoding/json: it
// walks the fields of an object and hands out each value's bytes without
// decoding them, so a reader can take the few fields it needs from a large
// document, stop early, or carry the rest on as it is. It checks the
// structure it walks, not the values it skips.
package jsonscan

import (
	"errors"
	"strconv"
)

// ErrMalformed is returned by EachField when b is not a JSON object it can
// walk.
var ErrMalformed = errors.New("jsonscan: malformed JSON")

// EachField calls fn with the key and raw value of each field of the object
// in b, in order, until fn returns false.
func EachField(b []byte, fn func(key string, value []byte) bool) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return ErrMalformed
	}
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] != '}' {
		kEnd, err := skipString(b, i)
		if err != nil {
			return err
		}
		key, err := unquoteKey(b[i:kEnd])
		if err != nil {
			return err
		}
		i = skipSpace(b, kEnd)
		if i >= len(b) || b[i] != ':' {
			return ErrMalformed
		}
		vStart := skipSpace(b, i+1)
		vEnd, err := skipValue(b, vStart)
		if err != nil {
			return err
		}
		if !fn(key, b[vStart:vEnd]) {
			return nil
		}
		i = skipSpace(b, vEnd)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	if i >= len(b) {
		return ErrMalformed
	}
	return nil
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\t' || b[i] == '\r') {
		i++
	}
	return i
}

// skipString returns the index after the string starting at b[i].
func skipString(b []byte, i int) (int, error) {
	if i >= len(b) || b[i] != '"' {
		return 0, ErrMalformed
	}
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return 0, ErrMalformed
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) (int, error) {
	if i >= len(b) {
		return 0, ErrMalformed
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		return skipNested(b, i)
	}
	j := i
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' {
		j++
	}
	if j == i {
		return 0, ErrMalformed
	}
	return j, nil
}

// skipNested returns the index after the object or array starting at b[i].
func skipNested(b []byte, i int) (int, error) {
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			end, err := skipString(b, j)
			if err != nil {
				return 0, err
			}
			j = end - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1, nil
			}
		}
	}
	return 0, ErrMalformed
}

// unquoteKey returns the text of a JSON string; keys without escapes (all of
// carecost's) take the fast path.
func unquoteKey(q []byte) (string, error) {
	inner := q[1 : len(q)-1]
	for _, c := range inner {
		if c == '\\' {
			s, err := strconv.Unquote(string(q))
			if err != nil {
				return "", ErrMalformed
			}
			return s, nil
		}
	}
	return string(inner), nil
}
