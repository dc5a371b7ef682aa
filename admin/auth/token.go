package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/base64"
	"encoding/hex"
	"regexp"
	"strings"
)

// TokenPrefix begins every API token carecost gives out, so that a token
// pasted where it does not belong is easy to find (secret scanners).
const TokenPrefix = "cct_"

// Sizes of a token's parts, in random bytes.
const (
	tokenIDBytes     = 10 // 16 characters of base32: unique, not secret
	tokenSecretBytes = 32 // 43 characters of base64url: the secret
)

// lowerBase32 writes ids in lower-case letters and the digits 2-7.
var lowerBase32 = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// NewToken makes an API token: a random id (a slug the token's stream is
// named after), a random secret (32 bytes, base64url), and the token as
// shown once to its holder, cct_<id>_<secret>. Store only HashSecret of the
// secret.
func NewToken() (id, secret, display string) {
	b := make([]byte, tokenIDBytes+tokenSecretBytes)
	rand.Read(b) // never fails (crypto/rand)
	id = lowerBase32.EncodeToString(b[:tokenIDBytes])
	secret = base64.RawURLEncoding.EncodeToString(b[tokenIDBytes:])
	return id, secret, TokenPrefix + id + "_" + secret
}

var tokenIDRE = regexp.MustCompile(`^[a-z0-9]{1,63}$`)

// ParseToken splits a token as NewToken shows it into its id and secret;
// ok is false when s is not such a token.
func ParseToken(s string) (id, secret string, ok bool) {
	rest, ok := strings.CutPrefix(s, TokenPrefix)
	if !ok {
		return "", "", false
	}
	id, secret, ok = strings.Cut(rest, "_")
	if !ok || !tokenIDRE.MatchString(id) {
		return "", "", false
	}
	if b, err := base64.RawURLEncoding.DecodeString(secret); err != nil || len(b) != tokenSecretBytes {
		return "", "", false
	}
	return id, secret, true
}

// HashSecret returns the hash of a token's secret: SHA-256, in hex. The
// secret has full entropy (32 random bytes), so a fast hash cannot be
// reversed by guessing, and checking a token costs microseconds.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// CheckSecret reports whether secret is the secret of hash, comparing in
// constant time.
func CheckSecret(hash, secret string) bool {
	return subtle.ConstantTimeCompare([]byte(HashSecret(secret)), []byte(hash)) == 1
}

// GeneratePassword returns a new random password: 120 bits as 24
// lower-case letters and digits in groups of four joined by dashes (29
// characters), easy to read out and within the password policy.
func GeneratePassword() string {
	b := make([]byte, 15)
	rand.Read(b) // never fails (crypto/rand)
	s := lowerBase32.EncodeToString(b)
	groups := make([]string, 0, len(s)/4)
	for i := 0; i < len(s); i += 4 {
		groups = append(groups, s[i:i+4])
	}
	return strings.Join(groups, "-")
}
