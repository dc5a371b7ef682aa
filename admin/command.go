package admin

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// maxHeaderValue bounds the command headers a client sets.
const maxHeaderValue = 200

// command builds the envelope of a command: the authenticated actor, and
// from the request headers the idempotency key as the command id, the
// correlation id and the expected version (If-Match, the expected_version
// query parameter or fromBody, the body's expected_version). Every value is
// copied out of Fiber's buffers.
func (s *Server) command(c *fiber.Ctx, fromBody *int64) (domain.Command, error) {
	cmd := domain.Command{Actor: actorOf(c)}
	var err error
	for _, h := range []struct {
		name string
		dst  *string
	}{
		{headerIdempotency, &cmd.ID}, {headerCorrelation, &cmd.CorrelationID},
	} {
		if *h.dst, err = headerValue(c, h.name, ""); err != nil {
			return cmd, err
		}
	}
	if cmd.CorrelationID == "" {
		// The request's own id ties the command's events to its log lines.
		id, _ := c.Locals(localRequestID).(string)
		cmd.CorrelationID = strings.Clone(id)
	}
	if cmd.ID != "" {
		// A key is the caller's own: the command id is the user's name and
		// the key, so two users who pick the same key never meet, and one
		// cannot learn from the answer whether another used a key.
		cmd.ID = cmd.Actor.ID + "/" + cmd.ID
		cmd.Fingerprint = fingerprint(c)
	}
	cmd.Expected, err = expectedVersion(c, fromBody)
	return cmd, err
}

// fingerprint identifies a request by its method, path and body, so a key
// reused for another request is told from a retry of the same one.
func fingerprint(c *fiber.Ctx) string {
	h := sha256.New()
	h.Write(c.Request().Header.Method())
	h.Write([]byte{0})
	h.Write([]byte(c.Path()))
	h.Write([]byte{0})
	h.Write(c.Body())
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// headerValue returns a copy of header name, or def when it is absent. A
// value is printable text of at most maxHeaderValue bytes: no control
// characters, not only spaces.
func headerValue(c *fiber.Ctx, name, def string) (string, error) {
	raw := c.Get(name)
	v := strings.TrimSpace(raw)
	switch {
	case raw == "":
		return def, nil
	case v == "":
		return "", domain.Invalidf(name, "must not be blank; leave the header out instead")
	case utf8.RuneCountInString(v) > maxHeaderValue:
		return "", domain.Invalidf(name, "at most %d characters", maxHeaderValue)
	case !printable(v):
		return "", domain.Invalidf(name, "must be printable text (UTF-8, no control characters)")
	}
	return strings.Clone(v), nil
}

// printable reports whether s is valid UTF-8 without control or other
// non-printing characters (a plain space is allowed).
func printable(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

// expectedVersion returns the stream version the client expects, from
// If-Match, the query or the body; nil when none says. Sources that
// disagree are an error. A weak entity tag (W/"3") never matches under
// If-Match (RFC 9110, 13.1.1): the precondition fails.
func expectedVersion(c *fiber.Ctx, fromBody *int64) (*int64, error) {
	var found []int64
	if m := strings.TrimSpace(c.Get(fiber.HeaderIfMatch)); m != "" && m != "*" {
		weak, strong := strings.CutPrefix(m, "W/")
		v, ok := parseETag(weak)
		if !ok {
			return nil, domain.Invalidf(fiber.HeaderIfMatch, "%q is not an entity tag of carecost such as \"3\" (quotes included)", m)
		}
		if strong {
			return nil, &apiError{errorDetail{Code: codePreconditionFailed, Field: fiber.HeaderIfMatch,
				Message: fmt.Sprintf("%s is a weak entity tag, which never matches under If-Match; send the strong tag %s of the ETag", m, etag(v))}}
		}
		found = append(found, v)
	}
	if q := c.Query("expected_version"); q != "" {
		v, err := strconv.ParseInt(q, 10, 64)
		if err != nil || v < 0 {
			return nil, domain.Invalidf("expected_version", "%q is not a version (a whole number from 0)", q)
		}
		found = append(found, v)
	}
	if fromBody != nil {
		if *fromBody < 0 {
			return nil, domain.Invalidf("expected_version", "a version is a whole number from 0")
		}
		found = append(found, *fromBody)
	}
	for _, v := range found {
		if v != found[0] {
			return nil, domain.Invalidf("expected_version", "If-Match, the query and the body name different versions")
		}
	}
	if len(found) == 0 {
		return nil, nil
	}
	return &found[0], nil
}

// expectedBody is the body of a command that takes nothing but, when the
// client prefers the body to If-Match or the query, the stream version it
// expects.
type expectedBody struct {
	ExpectedVersion *int64 `json:"expected_version,omitempty"`
}

// emptyBody is the body of a command that takes nothing: no body, or an
// empty JSON object.
type emptyBody struct{}

// bodyExpected decodes the optional body of a command that takes nothing
// but the expected version and returns that version (nil when absent).
func bodyExpected(c *fiber.Ctx) (*int64, error) {
	var b expectedBody
	err := decodeBody(c, &b, true)
	return b.ExpectedVersion, err
}

// parseETag reads an entity tag of carecost: a stream version in quotes.
func parseETag(s string) (int64, bool) {
	if len(s) < 3 || s[0] != '"' || s[len(s)-1] != '"' {
		return 0, false
	}
	v, err := strconv.ParseInt(s[1:len(s)-1], 10, 64)
	return v, err == nil && v >= 0
}

// etag formats a stream version as an entity tag.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

// newID returns the id of a resource a POST creates: the one the client
// gave, else one derived from the idempotency key (so a retried request
// names the same resource), else a new one.
func newID(given string, cmd domain.Command, kind string) string {
	switch {
	case given != "":
		return given
	case cmd.ID != "":
		return domain.DeriveID(kind + "/" + cmd.ID)
	}
	return domain.NewID()
}
