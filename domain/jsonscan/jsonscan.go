// Package jsonscan is a small scanner over JSON written by encoding/json: it
// walks the fields of an object and hands out each value's bytes without
// decoding them, so a reader can take the few fields it needs from a large
// document, stop early, or carry the rest on as it is. It checks the
// structure it walks, not the values it skips. Its Reader reads a document
// of a known shape field by field, in one pass, and goes bad at anything
// outside the narrow subset of JSON carecost writes (reader.go).
package jsonscan

import (
	"bytes"
	"errors"
	"strconv"
	"unsafe"
)

// ErrMalformed is returned by EachField when b is not a JSON object it can
// walk.
var ErrMalformed = errors.New("jsonscan: malformed JSON")

// EachField calls fn with the key and raw value of each field of the object
// in b, in order, until fn returns false. Both share b's memory: a key is
// a string over b's bytes, so b must not change while a key is kept.
func EachField(b []byte, fn func(key string, value []byte) bool) error {
	return walk(b, true, fn)
}

// EachFieldRest is EachField, but hands fn the rest of b from the value's
// start instead of the value alone: the value is skipped only when fn
// returns true (to go on to the next field). A reader that wants the head
// of a large value (the first fields of an object) and nothing after it
// reads it without the scanner ever passing over the rest.
func EachFieldRest(b []byte, fn func(key string, rest []byte) bool) error {
	return walk(b, false, fn)
}

// Value returns the JSON value at the start of rest (as EachFieldRest hands
// it out).
func Value(rest []byte) ([]byte, error) {
	end, err := skipValue(rest, 0)
	if err != nil {
		return nil, err
	}
	return rest[:end], nil
}

// EachElement calls fn with the raw value of each element of the array in
// b, in order, until fn returns false.
func EachElement(b []byte, fn func(value []byte) bool) error {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '[' {
		return ErrMalformed
	}
	i = skipSpace(b, i+1)
	for i < len(b) && b[i] != ']' {
		end, err := skipValue(b, i)
		if err != nil {
			return err
		}
		if !fn(b[i:end]) {
			return nil
		}
		i = skipSpace(b, end)
		if i < len(b) && b[i] == ',' {
			i = skipSpace(b, i+1)
		}
	}
	if i >= len(b) {
		return ErrMalformed
	}
	return nil
}

func walk(b []byte, skipFirst bool, fn func(key string, value []byte) bool) error {
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
		var vEnd int
		if skipFirst {
			if vEnd, err = skipValue(b, vStart); err != nil {
				return err
			}
			if !fn(key, b[vStart:vEnd]) {
				return nil
			}
		} else {
			if vStart >= len(b) {
				return ErrMalformed
			}
			if !fn(key, b[vStart:]) {
				return nil
			}
			if vEnd, err = skipValue(b, vStart); err != nil {
				return err
			}
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

// skipString returns the index after the string starting at b[i]. It
// jumps from quote to quote (bytes.IndexByte), and a quote is the string's
// end unless an odd number of backslashes comes before it.
func skipString(b []byte, i int) (int, error) {
	if i >= len(b) || b[i] != '"' {
		return 0, ErrMalformed
	}
	// Most strings are short (keys, amounts, dates): a plain loop finds
	// their end sooner than a call to IndexByte; a longer one is left to
	// skipLongString.
	for j, end := i+1, min(len(b), i+24); j < end; j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1, nil
		}
	}
	return skipLongString(b, i, i+1)
}

// skipLongString finishes skipString from b[j] on, jumping from quote to
// quote.
func skipLongString(b []byte, i, j int) (int, error) {
	for {
		k := bytes.IndexByte(b[j:], '"')
		if k < 0 {
			return 0, ErrMalformed
		}
		end := j + k
		n := 0
		for p := end - 1; p > i && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return end + 1, nil
		}
		j = end + 1
	}
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
	for j < len(b) && b[j] != ',' && b[j] != '}' && b[j] != ']' && b[j] != ' ' && b[j] != '\n' && b[j] != '\t' && b[j] != '\r' {
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
// carecost's) take the fast path, a string sharing q's memory (no copy: the
// key of a field is read, and compared, far more often than kept).
func unquoteKey(q []byte) (string, error) {
	inner := q[1 : len(q)-1]
	if bytes.IndexByte(inner, '\\') < 0 {
		return unsafe.String(unsafe.SliceData(inner), len(inner)), nil
	}
	s, err := strconv.Unquote(string(q))
	if err != nil {
		return "", ErrMalformed
	}
	return s, nil
}
