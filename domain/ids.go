package domain

import (
	"crypto/rand"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"
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

// NewID returns a new time-ordered (version 7) UUID in text form: 48 bits of
// Unix milliseconds, then random bits. Ids made close in time sort close
// together, so the log's indexes take new streams and events near their
// end instead of at random places.
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[6:]); err != nil {
		panic(err)
	}
	ms := uint64(time.Now().UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

// idNamespace is the namespace of the name-based ids carecost derives.
var idNamespace = [16]byte{0x6b, 0xa7, 0xb8, 0x10, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}

// DeriveID returns a name-based (version 5) UUID for name: the same name
// always gives the same id.
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

// EventID returns the id of the i-th event a command appends to a stream:
// the same command always gives the same ids, so a retried command appends
// nothing twice. When the command id is time-ordered (version 7, as NewID
// makes), the event id keeps its time prefix, so events sort by time in the
// log's index; the rest is a hash of the command, the stream and i.
func EventID(commandID, stream string, i int) string {
	h := sha1.New()
	h.Write(idNamespace[:])
	fmt.Fprintf(h, "%s/%s/%d", commandID, stream, i)
	var b [16]byte
	copy(b[:], h.Sum(nil))
	version := byte(0x50) // name-based
	if prefix, ok := timePrefix(commandID); ok {
		copy(b[:6], prefix)
		version = 0x80 // custom: time prefix, hashed rest
	}
	b[6] = b[6]&0x0f | version
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

// timePrefix returns the 6-byte time prefix of a version 7 UUID.
func timePrefix(id string) ([]byte, bool) {
	if !uuidRE.MatchString(id) || id[14] != '7' {
		return nil, false
	}
	p, err := hex.DecodeString(strings.ReplaceAll(id[:13], "-", ""))
	return p, err == nil
}

func formatUUID(b [16]byte) string {
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
