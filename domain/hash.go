package domain

import "log/slog"

// Hash is the hash of a secret: a user's password or an API token's secret,
// made and checked by the auth package. The domain keeps it in events and
// aggregates and never interprets it. It prints as [redacted] (with fmt, in
// a struct printed with %v, and in slog), so a hash logged by mistake shows
// nothing; only its JSON, in the stored events, holds it.
type Hash string

// maxHash bounds a hash, in bytes: room for any password hash format.
const maxHash = 512

// String implements fmt.Stringer: it hides the hash.
func (h Hash) String() string {
	if h == "" {
		return ""
	}
	return "[redacted]"
}

// GoString implements fmt.GoStringer: it hides the hash.
func (h Hash) GoString() string { return `domain.Hash("` + h.String() + `")` }

// LogValue implements slog.LogValuer: it hides the hash.
func (h Hash) LogValue() slog.Value { return slog.StringValue(h.String()) }

// checkHash returns an EInvalid error for field unless h is a plausible
// hash: not empty when required, printable ASCII, at most maxHash bytes.
func checkHash(field string, h Hash, required bool) error {
	if h == "" {
		if required {
			return Invalidf(field, "is required")
		}
		return nil
	}
	if len(h) > maxHash {
		return Invalidf(field, "at most %d bytes", maxHash)
	}
	for i := 0; i < len(h); i++ {
		if h[i] <= ' ' || h[i] > '~' {
			return Invalidf(field, "is not a hash carecost makes")
		}
	}
	return nil
}
