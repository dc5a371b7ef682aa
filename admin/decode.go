package admin

import (
	"bytes"
	"errors"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"carecost/domain"
)

// decodeBody decodes the JSON body into v strictly (domain.DecodeJSON:
// unknown fields, wrong types and money as a number are errors that name
// the field). An empty body leaves v as it is when optional is set.
func decodeBody(c *fiber.Ctx, v any, optional bool) error {
	body := c.Body()
	if len(bytes.TrimSpace(body)) == 0 {
		if optional {
			return nil
		}
		return domain.Invalidf("", "a JSON body is required")
	}
	return domain.DecodeJSON(body, v)
}

// pathParam returns a copy of the path parameter name, safe to keep after
// the handler returns.
func pathParam(c *fiber.Ctx, name string) string {
	return strings.Clone(c.Params(name))
}

// versionParam returns the :version path parameter; a value that is not a
// version number names no version, so it is a not-found error.
func versionParam(c *fiber.Ctx) (int, error) {
	s := c.Params("version")
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, &domain.Error{Code: domain.ENotFound, Field: "version", Message: "there is no version " + strconv.Quote(s)}
	}
	return n, nil
}

// samePathValue checks that a value the body repeats from the path agrees
// with it; an empty body value takes the path's.
func samePathValue(field string, body *string, path string) error {
	if *body != "" && *body != path {
		return domain.Invalidf(field, "the body says %q but the path says %q; leave it out or make them agree", *body, path)
	}
	*body = path
	return nil
}

// unprefix drops prefix from the field of a domain error: the client sent
// the object itself, not a wrapper with that field.
func unprefix(err error, prefix string) error {
	var de *domain.Error
	if !errors.As(err, &de) || !strings.HasPrefix(de.Field, prefix+".") {
		return err
	}
	c := *de
	c.Field = strings.TrimPrefix(de.Field, prefix+".")
	return &c
}

// validNewID checks the id of a tariff or an income-limit catalogue a
// client creates, naming the body's field id (the domain would name the
// kind of record).
func validNewID(id string) error {
	if id == "" {
		return domain.Invalidf("id", "an id is required (lower-case letters, digits and dashes, such as \"phhva-2027\")")
	}
	return domain.ValidSlug("id", id)
}
