package domain

import (
	"crypto/rand"
	"crypto/sha1"
	"fmt"
	"regexp"
)

var slugRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// ValidSlug returns an EInvalid error for field unless id is a catalogue slug:
// lower-case letters, digits and dashes, 1-63 characters, starting with a
// letter or digit ("meal-service").
func ValidSlug(field, id string) error {
	if !slugRE.MatchString(id) {
		return Invalidf(field, "%q is not a valid id: use lower-case letters, digits and dashes (for example \"meal-service\")", id)
	}
	return nil
}

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

// ValidUUID returns an EInvalid error for field unless id is a lower-case
// UUID in text form.
func ValidUUID(field, id string) error {
	if !uuidRE.MatchString(id) {
		return Invalidf(field, "%q is not a valid id (a UUID such as 0b7c1a2e-...)", id)
	}
	return nil
}

// NewID returns a random (version 4) UUID in text form.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err)
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

// idNamespace is the namespace of the name-based ids carecost derives.
var idNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// DeriveID returns a name-based (version 5) UUID for name: the same name
// always gives the same id. Event ids derive from the command id and the
// event's index, so a retried command appends nothing twice.
func DeriveID(name string) string {
	h := sha1.New()
	h.Write(idNamespace[:])
	h.Write([]byte(name))
	var b [16]byte
	copy(b[:], h.Sum(nil))
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
