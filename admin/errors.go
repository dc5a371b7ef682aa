package admin

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// errorCode is the code of an error response: the domain vocabulary
// (domain.EInvalid ...) and the few codes of HTTP itself below.
type errorCode string

// Codes of errors that only HTTP knows.
const (
	codeMethodNotAllowed   = "method_not_allowed"
	codeTooLarge           = "too_large"
	codeUnsupportedMedia   = "unsupported_media_type"
	codeNotImplemented     = "not_implemented"
	codePreconditionFailed = "precondition_failed"
	codeTooManyRequests    = "too_many_requests"
)

// errorCodes lists every code with its HTTP status: the one mapping of
// carecost's errors to HTTP.
var errorCodes = map[string]int{
	domain.EInvalid:         fiber.StatusBadRequest,
	domain.ERefused:         fiber.StatusUnprocessableEntity,
	domain.ENotFound:        fiber.StatusNotFound,
	domain.EConflict:        fiber.StatusConflict,
	domain.EUnauthenticated: fiber.StatusUnauthorized,
	domain.EForbidden:       fiber.StatusForbidden,
	domain.EUnavailable:     fiber.StatusServiceUnavailable,
	domain.EInternal:        fiber.StatusInternalServerError,
	codeMethodNotAllowed:    fiber.StatusMethodNotAllowed,
	codeTooLarge:            fiber.StatusRequestEntityTooLarge,
	codeUnsupportedMedia:    fiber.StatusUnsupportedMediaType,
	codeNotImplemented:      fiber.StatusNotImplemented,
	codePreconditionFailed:  fiber.StatusPreconditionFailed,
	codeTooManyRequests:     fiber.StatusTooManyRequests,
}

// errorBody is the body of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

// errorDetail says what went wrong: a code, a message a person can act on
// and, for invalid input, the field at fault.
type errorDetail struct {
	Code    errorCode `json:"code"`
	Message string    `json:"message"`
	Field   string    `json:"field,omitempty"`
}

// retryUnavailable is the Retry-After, in seconds, of a 503.
const retryUnavailable = 5

// handleError writes err as a JSON error response, logs internal errors
// with the request id and counts the error by code. It is Fiber's error
// handler, and the observe middleware calls it for every failed request.
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	d := describe(c, err)
	status, ok := errorCodes[string(d.Code)]
	if !ok {
		d, status = errorDetail{Code: domain.EInternal, Message: "internal error"}, fiber.StatusInternalServerError
	}
	if status == fiber.StatusInternalServerError {
		s.log.Error("internal error", "request_id", requestID(c), "route", routeLabel(c), "error", err.Error())
	}
	s.metrics.errors.WithLabelValues(string(d.Code)).Inc()
	if status == fiber.StatusServiceUnavailable {
		// The store or the read models are away for a moment: a client
		// that retries after this many seconds finds them back (with its
		// Idempotency-Key, a command whose answer was lost runs once).
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(retryUnavailable))
	}
	if requestID(c) == "" {
		// Fiber refused the request before any route ran (a body over the
		// limit): observe it here.
		defer s.observeUnrouted(c, s.now())
	}
	if page, _ := c.Locals(localPage).(bool); page {
		return s.pageError(c, err, status, d)
	}
	return c.Status(status).JSON(errorBody{d})
}

// apiError is an error of HTTP itself, with the detail the client sees.
type apiError struct{ detail errorDetail }

func (e *apiError) Error() string { return string(e.detail.Code) + ": " + e.detail.Message }

// describe turns err into the detail a client sees. Internal errors show a
// calm sentence; their detail goes only to the log.
func describe(c *fiber.Ctx, err error) errorDetail {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.detail
	}
	var fe *fiber.Error
	if errors.As(err, &fe) {
		return describeFiber(c, fe)
	}
	code := domain.ErrorCode(err)
	var de *domain.Error
	switch {
	case code == domain.EInternal:
		return errorDetail{Code: domain.EInternal, Message: "internal error"}
	case code == domain.EUnavailable && !errors.As(err, &de):
		return errorDetail{Code: domain.EUnavailable, Message: "the event store cannot be reached just now; try again in a moment (with the same Idempotency-Key a command that did land is not run twice)"}
	}
	return errorDetail{Code: errorCode(code), Message: domain.ErrorMessage(err), Field: domain.ErrorField(err)}
}

// methodName names a request's method in a message: quoted when it is a
// short token of letters, else "this method".
func methodName(m string) string {
	if len(m) == 0 || len(m) > 20 {
		return "this method"
	}
	for _, r := range m {
		if r < 'A' || r > 'Z' {
			return "this method"
		}
	}
	return strconv.Quote(m)
}

// describeFiber maps the errors Fiber raises itself.
func describeFiber(c *fiber.Ctx, fe *fiber.Error) errorDetail {
	switch fe.Code {
	case fiber.StatusNotFound:
		return errorDetail{Code: domain.ENotFound, Message: "there is no such resource; /api/openapi.json lists every route"}
	case fiber.StatusMethodNotAllowed:
		allow := string(c.Response().Header.Peek(fiber.HeaderAllow))
		return errorDetail{Code: codeMethodNotAllowed, Message: "this resource does not take " + methodName(c.Method()) + "; it takes " + allow}
	case fiber.StatusRequestEntityTooLarge:
		return errorDetail{Code: codeTooLarge, Message: fmt.Sprintf("the request body is larger than the limit of %d bytes", c.App().Config().BodyLimit)}
	case fiber.StatusUnsupportedMediaType:
		return errorDetail{Code: codeUnsupportedMedia, Message: fe.Message}
	case fiber.StatusServiceUnavailable:
		return errorDetail{Code: domain.EUnavailable, Message: "the service is not ready; try again in a moment"}
	}
	if fe.Code >= 400 && fe.Code < 500 {
		return errorDetail{Code: domain.EInvalid, Message: strings.ToLower(fe.Message)}
	}
	return errorDetail{Code: domain.EInternal, Message: "internal error"}
}

// errUnsupportedMedia is returned for a body that is not JSON.
func errUnsupportedMedia(contentType string) error {
	return fiber.NewError(fiber.StatusUnsupportedMediaType,
		fmt.Sprintf("the body must be JSON (Content-Type: application/json), not %q", contentType))
}
