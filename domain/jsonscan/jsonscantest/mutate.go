// Package jsonscantest helps test readers of JSON against a reference: it
// makes many slightly broken copies of a document.
package jsonscantest

import (
	"iter"
	"math/rand/v2"
)

// breaking are the bytes a change puts in: JSON's own punctuation, digits,
// the starts of literals, an escape, each kind of space, a NUL and half of
// a two-byte UTF-8 character.
const breaking = "{}[]\":,0123456789.-eE tn\\\t\r\n\x00\xc3a"

// Mutations yields n copies of b, each with one byte changed to one of
// breaking, removed, or repeated elsewhere, chosen by r.
func Mutations(r *rand.Rand, b []byte, n int) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		if len(b) == 0 {
			return
		}
		for range n {
			m := append([]byte(nil), b...)
			i := r.IntN(len(m))
			switch r.IntN(3) {
			case 0:
				m[i] = breaking[r.IntN(len(breaking))]
			case 1:
				m = append(m[:i], m[i+1:]...)
			default:
				m = append(m[:i], append([]byte{m[r.IntN(len(m))]}, m[i:]...)...)
			}
			if !yield(m) {
				return
			}
		}
	}
}
