package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// ErrHashFormat is returned by CheckPassword for a hash that is not an
// argon2id hash in PHC string format with parameters carecost accepts.
var ErrHashFormat = errors.New("auth: not an argon2id hash in PHC string format")

// params are the argon2id parameters of one hash.
type params struct {
	memory, time uint32
	threads      uint8
	keyLen       uint32
}

// Bounds of the parameters a stored hash may name, so that a damaged or
// planted hash cannot make a check take the machine's memory or time.
const (
	maxMemory  = 1024 * 1024 // KiB: 1 GiB
	maxTime    = 64
	minKeyLen  = 16
	maxKeyLen  = 64
	minSaltLen = 8
	maxSaltLen = 64
)

// b64 is the base64 of PHC strings: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// encode writes a PHC string: $argon2id$v=19$m=M,t=T,p=P$salt$key.
func (p params) encode(salt, key []byte) string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// parse reads a PHC string written by encode (or by another argon2id
// implementation with parameters within the bounds).
func parse(hash string) (p params, salt, key []byte, err error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return p, nil, nil, ErrHashFormat
	}
	var threads uint32
	if n, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &threads); err != nil || n != 3 ||
		fmt.Sprintf("m=%d,t=%d,p=%d", p.memory, p.time, threads) != parts[3] {
		return p, nil, nil, fmt.Errorf("%w: parameters %q", ErrHashFormat, parts[3])
	}
	p.threads = uint8(threads)
	if salt, err = b64.DecodeString(parts[4]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: salt: %w", ErrHashFormat, err)
	}
	if key, err = b64.DecodeString(parts[5]); err != nil {
		return p, nil, nil, fmt.Errorf("%w: hash: %w", ErrHashFormat, err)
	}
	p.keyLen = uint32(len(key))
	if threads < 1 || threads > 255 || p.time < 1 || p.time > maxTime || p.memory < 8*threads || p.memory > maxMemory ||
		len(key) < minKeyLen || len(key) > maxKeyLen || len(salt) < minSaltLen || len(salt) > maxSaltLen {
		return p, nil, nil, fmt.Errorf("%w: parameters out of bounds", ErrHashFormat)
	}
	return p, salt, key, nil
}
