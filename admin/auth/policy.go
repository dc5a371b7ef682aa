package auth

import (
	"strings"
	"unicode/utf8"

	"carecost/domain"
)

// The password policy: length in characters. Long passphrases are welcome;
// nothing else is asked of a password's make-up (no forced mix of
// character classes, as NIST SP 800-63B advises).
const (
	MinPasswordLen = 12
	MaxPasswordLen = 256
)

// CheckPasswordPolicy returns an EInvalid domain error for field
// "password" unless pw is valid UTF-8 text of 12 to 256 characters that is
// not all white space. The message never repeats the password.
func CheckPasswordPolicy(pw string) error {
	if !utf8.ValidString(pw) {
		return domain.Invalidf("password", "is not valid UTF-8 text")
	}
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLen:
		return domain.Invalidf("password", "is too short: at least %d characters, got %d", MinPasswordLen, n)
	case n > MaxPasswordLen:
		return domain.Invalidf("password", "is too long: at most %d characters, got %d", MaxPasswordLen, n)
	case strings.TrimSpace(pw) == "":
		return domain.Invalidf("password", "is only white space")
	}
	return nil
}
