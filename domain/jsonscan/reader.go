package jsonscan

import (
	"encoding/json"
	"unicode/utf8"
	"unsafe"
)

// Reader reads JSON as carecost writes it, a narrow subset: objects of
// known keys, each once, strings without escapes or control characters
// (valid UTF-8), integers and numbers as JSON writes them, true and false.
// Its caller knows the document's shape and reads it field by field
// (Object, String, Int, ...); the Reader goes bad at the first thing
// outside the subset or the shape (an unknown or repeated key, an escape,
// a null, a number where a string goes), and from then on every read
// returns a zero value. A caller that finds it bad reads the same bytes
// again with encoding/json, so that what a Reader reads is always what
// encoding/json would read, only sooner (encoding/json checks the whole
// document in a first pass, then fills a value through reflection, field
// by field).
//
// A Reader is the faster path only: its callers check, side by side with
// encoding/json, that the two agree wherever the Reader reads a document.
type Reader struct {
	b    []byte
	i    int
	bad  bool
	stop bool
}

// NewReader returns a Reader at the start of b.
func NewReader(b []byte) *Reader { return &Reader{b: b} }

// Bad reports whether the reader met something outside the subset.
func (r *Reader) Bad() bool { return r.bad }

// Fail marks the reader bad (a key its caller does not know).
func (r *Reader) Fail() { r.bad = true }

// Stop ends the reading where it is, without the rest of the document:
// the Object and Array being read return at once, at every level. A
// caller that has what it wants reads nothing more after Stop.
func (r *Reader) Stop() { r.stop = true }

// AtValue reports whether a value follows (anything but space), the reader
// not bad.
func (r *Reader) AtValue() bool {
	r.space()
	return !r.bad && r.i < len(r.b)
}

// Stopped reports whether Stop ended the reading, and the reader never
// went bad.
func (r *Reader) Stopped() bool { return r.stop && !r.bad }

// End reports whether the reader read the whole of its bytes (but space)
// and never went bad.
func (r *Reader) End() bool {
	r.space()
	return !r.bad && r.i == len(r.b)
}

// Skip passes over the next value, which must be valid JSON (strings may
// hold escapes here): a value the reader skips ends where any reader of
// JSON says it does.
func (r *Reader) Skip() { r.skip(0) }

// Raw passes over the next value as Skip does and returns its bytes.
func (r *Reader) Raw() []byte {
	r.space()
	start := r.i
	r.skip(0)
	if r.bad {
		return nil
	}
	return r.b[start:r.i]
}

// Null reads null when it comes next and reports whether it did (the
// reader is not bad when it does not).
func (r *Reader) Null() bool {
	r.space()
	if !r.bad && len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "null" {
		r.i += 4
		return true
	}
	return false
}

// maxSkipDepth bounds the nesting Skip follows.
const maxSkipDepth = 64

func (r *Reader) skip(depth int) {
	r.space()
	if r.bad || r.i >= len(r.b) || depth > maxSkipDepth {
		r.bad = true
		return
	}
	switch c := r.b[r.i]; {
	case c == '"':
		r.skipString()
	case c == '{':
		r.i++
		if r.take('}') {
			return
		}
		for !r.bad {
			r.space()
			r.skipString()
			if !r.take(':') {
				r.bad = true
				return
			}
			r.skip(depth + 1)
			if r.take(',') {
				continue
			}
			if !r.take('}') {
				r.bad = true
			}
			return
		}
	case c == '[':
		r.i++
		if r.take(']') {
			return
		}
		for !r.bad {
			r.skip(depth + 1)
			if r.take(',') {
				continue
			}
			if !r.take(']') {
				r.bad = true
			}
			return
		}
	case c == 't' || c == 'f' || c == 'n':
		for _, lit := range [...]string{"true", "false", "null"} {
			if len(r.b)-r.i >= len(lit) && string(r.b[r.i:r.i+len(lit)]) == lit {
				r.i += len(lit)
				return
			}
		}
		r.bad = true
	default:
		r.Number()
	}
}

// skipString passes over a string, its escapes checked.
func (r *Reader) skipString() {
	b := r.b
	if r.bad || r.i >= len(b) || b[r.i] != '"' {
		r.bad = true
		return
	}
	for j := r.i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			r.i = j + 1
			return
		case c < 0x20:
			r.bad = true
			return
		case c == '\\':
			j++
			if j >= len(b) {
				r.bad = true
				return
			}
			switch b[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(b) || !isHex(b[j+1]) || !isHex(b[j+2]) || !isHex(b[j+3]) || !isHex(b[j+4]) {
					r.bad = true
					return
				}
				j += 4
			default:
				r.bad = true
				return
			}
		}
	}
	r.bad = true
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func (r *Reader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// take reads the byte c, after space.
func (r *Reader) take(c byte) bool {
	r.space()
	if !r.bad && r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// Quoted reads a string and returns it with its quotes: no escapes, no
// control characters, valid UTF-8 (encoding/json would change invalid
// UTF-8), so its text is the bytes between the quotes.
func (r *Reader) Quoted() []byte {
	r.space()
	if r.bad || r.i >= len(r.b) || r.b[r.i] != '"' {
		r.bad = true
		return nil
	}
	b := r.b
	ascii := true
	for j := r.i + 1; j < len(b); j++ {
		for j < len(b) && plain[b[j]] {
			j++
		}
		if j == len(b) {
			break
		}
		switch c := b[j]; {
		case c == '"':
			q := b[r.i : j+1]
			if !ascii && !utf8.Valid(q) {
				r.bad = true
				return nil
			}
			r.i = j + 1
			return q
		case c >= 0x80:
			ascii = false
		default: // a backslash or a control character
			r.bad = true
			return nil
		}
	}
	r.bad = true
	return nil
}

// plain marks the bytes a string holds as they are: printable ASCII but the
// quote and the backslash.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// String reads a string (as Quoted) and returns its text.
func (r *Reader) String() string {
	q := r.Quoted()
	if len(q) < 2 {
		return ""
	}
	return string(q[1 : len(q)-1])
}

// key reads a field's key and the colon after it.
func (r *Reader) key() string {
	q := r.Quoted()
	if !r.take(':') {
		r.bad = true
	}
	if r.bad {
		return ""
	}
	// The key is compared, never kept: a string over b's bytes.
	return unsafe.String(&q[1], len(q)-2)
}

// Int reads an integer written without fraction or exponent, of at most
// 15 digits.
func (r *Reader) Int() int {
	r.space()
	b, j := r.b, r.i
	if r.bad || j >= len(b) {
		r.bad = true
		return 0
	}
	neg := b[j] == '-'
	if neg {
		j++
	}
	start := j
	v := 0
	for ; j < len(b) && b[j] >= '0' && b[j] <= '9'; j++ {
		v = v*10 + int(b[j]-'0')
	}
	n := j - start
	if n == 0 || n > 15 || (n > 1 && b[start] == '0') || (j < len(b) && (b[j] == '.' || b[j] == 'e' || b[j] == 'E')) {
		r.bad = true
		return 0
	}
	r.i = j
	if neg {
		return -v
	}
	return v
}

// Number reads a JSON number and returns its text.
func (r *Reader) Number() []byte {
	r.space()
	b, i := r.b, r.i
	j := i
	digits := func() int {
		k := j
		for j < len(b) && b[j] >= '0' && b[j] <= '9' {
			j++
		}
		return j - k
	}
	if j < len(b) && b[j] == '-' {
		j++
	}
	if first := j; digits() == 0 || (j-first > 1 && b[first] == '0') {
		r.bad = true
	}
	if j < len(b) && b[j] == '.' {
		j++
		if digits() == 0 {
			r.bad = true
		}
	}
	if j < len(b) && (b[j] == 'e' || b[j] == 'E') {
		j++
		if j < len(b) && (b[j] == '+' || b[j] == '-') {
			j++
		}
		if digits() == 0 {
			r.bad = true
		}
	}
	if r.bad {
		return nil
	}
	r.i = j
	return b[i:j]
}

// QuotedOrNumber reads a string (as Quoted) or a number (as Number).
func (r *Reader) QuotedOrNumber() []byte {
	r.space()
	if !r.bad && r.i < len(r.b) && r.b[r.i] == '"' {
		return r.Quoted()
	}
	return r.Number()
}

// Bool reads true or false.
func (r *Reader) Bool() bool {
	r.space()
	switch {
	case r.bad:
	case len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "true":
		r.i += 4
		return true
	case len(r.b)-r.i >= 5 && string(r.b[r.i:r.i+5]) == "false":
		r.i += 5
		return false
	}
	r.bad = true
	return false
}

// Object reads an object, calling field with each key; field reads the
// value, or marks the reader bad for a key it does not know. A key seen
// twice makes the reader bad (encoding/json merges such fields).
func (r *Reader) Object(field func(key string)) {
	if !r.take('{') {
		r.bad = true
		return
	}
	if r.take('}') {
		return
	}
	var seenBuf [maxKeys]string
	seen := seenBuf[:0]
	for !r.bad {
		if len(seen) == maxKeys {
			r.bad = true // not an object carecost writes
			return
		}
		k := r.key()
		for _, s := range seen {
			if s == k {
				r.bad = true
			}
		}
		if r.bad {
			return
		}
		seen = append(seen, k)
		field(k)
		if r.stop {
			return
		}
		if r.take(',') {
			continue
		}
		if !r.take('}') {
			r.bad = true
		}
		return
	}
}

// maxKeys bounds the keys of an object a Reader reads (the objects
// carecost writes have fewer than 20), so that finding a repeated key stays
// cheap.
const maxKeys = 32

// Array reads an array, calling elem for each element.
func (r *Reader) Array(elem func()) {
	if !r.take('[') {
		r.bad = true
		return
	}
	if r.take(']') {
		return
	}
	for !r.bad {
		elem()
		if r.stop {
			return
		}
		if r.take(',') {
			continue
		}
		if !r.take(']') {
			r.bad = true
		}
		return
	}
}

// Unmarshal hands the next value, a string, to u (the types with JSON
// methods: amounts, dates); an error of u makes the reader bad, so the
// error is encoding/json's.
func (r *Reader) Unmarshal(u json.Unmarshaler) {
	if q := r.Quoted(); !r.bad && u.UnmarshalJSON(q) != nil {
		r.bad = true
	}
}
