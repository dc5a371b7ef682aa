package auth

import (
	"strconv"
	"strings"
	"time"

	"carecost/domain"
)

// MaxTokenLifetime is the longest an API token may live.
const MaxTokenLifetime = 366 * 24 * time.Hour

// ParseLifetime reads how long a token lives: a number of days (90d),
// weeks (12w) or hours (36h), at most a year; errors name field.
func ParseLifetime(field, s string) (time.Duration, error) {
	if s == "" {
		return 0, domain.Invalidf(field, "is required: a token always expires, at most a year ahead (for example 90d)")
	}
	units := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour, 'h': time.Hour}
	unit, ok := units[s[len(s)-1]]
	n, err := strconv.Atoi(strings.TrimSpace(s[:len(s)-1]))
	if !ok || err != nil || n <= 0 {
		return 0, domain.Invalidf(field, "%q is not a lifetime such as 90d, 12w or 36h", s)
	}
	if n > 10000 || time.Duration(n)*unit > MaxTokenLifetime {
		return 0, domain.Invalidf(field, "%s is more than a year; a token lives at most one year", s)
	}
	return time.Duration(n) * unit, nil
}
