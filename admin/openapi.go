package admin

import (
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// pathParamDocs describe the path parameters of the route table.
var pathParamDocs = map[string]string{
	"id":          "the id of the resource: a slug (meal-service) for catalogue items, a UUID for estimates",
	"version":     "a version number (1, 2, ...)",
	"service":     "a service id",
	"mode":        "a production mode: own, purchased or voucher",
	"line":        "a line id (l1, l2, ...)",
	"estimate_id": "the id of the decided estimate (a UUID)",
	"sample":      "the id of a sample case (a slug, such as single-10h)",
}

// nameParamDocs describe the path parameter name, by the path it stands in.
var nameParamDocs = []struct{ prefix, doc string }{
	{"/api/v1/users/", "a user's login name"},
	{"/api/v1/projections/", "the name of a projection: catalogue, history, estimates, decisions or users"},
	{"/static/", "the name of a file of the console"},
}

// pathParamDoc describes path parameter name of the route at path.
func pathParamDoc(path, name string) string {
	if name == "name" {
		for _, d := range nameParamDocs {
			if strings.HasPrefix(path, d.prefix) {
				return d.doc
			}
		}
	}
	return pathParamDocs[name]
}

// headerParams are the request headers of the API, referenced by the
// operations that take them.
var headerParams = object{
	"RequestID":      headerParam(headerRequestID, "an id for the request, echoed back and logged; generated when absent"),
	"IdempotencyKey": headerParam(headerIdempotency, "the command id: a retried request with the same key changes nothing twice"),
	"CorrelationID":  headerParam(headerCorrelation, "ties the command's events to a wider piece of work"),
	"IfMatch":        headerParam(fiber.HeaderIfMatch, `the ETag of the GET ("3"): the change applies only to that version, else 409; a weak tag (W/"3") never matches: 412`),
	"Position":       headerParam(headerPosition, "a position a command answered with: the query waits (bounded) until the read models have applied it (read-your-writes)"),
}

func headerParam(name, desc string) object {
	return object{"name": name, "in": "header", "required": false, "description": desc, "schema": object{"type": "string"}}
}

// openAPIInfo introduces the document.
var openAPIInfo = object{"title": "carecost", "version": "1",
	"description": "Cost estimates of elderly-care services against versioned tariffs: client fees and county costs. " +
		"Money travels as decimal strings. Every error is {\"error\": {\"code\", \"message\", \"field\"}}. " +
		"Every GET route answers HEAD as well, without the body. " +
		"A request schema lists as required what a request must give (unknown fields are refused); an answer schema, what every answer carries. " +
		"Where a type is sent and answered with different rules, the request schema is named ...Input. Every schema has an example."}

// openAPIDocument builds the OpenAPI 3.0 document from the route table.
func (s *Server) openAPIDocument() object {
	sc := newSchemas()
	errRef := sc.of(reflect.TypeFor[errorBody](), answer)
	// The console's pages are for people, not for API clients.
	routes := slices.DeleteFunc(s.routes(), func(r route) bool { return r.page })
	// The answers first: a request schema that is the same as the answer
	// schema of its type shares it (schemas.name).
	answers := make([]object, len(routes))
	for i, r := range routes {
		answers[i] = responses(r, sc)
	}
	paths := object{}
	for i, r := range routes {
		p := openAPIPath(r.path)
		if paths[p] == nil {
			paths[p] = object{}
		}
		paths[p].(object)[strings.ToLower(r.method)] = operation(r, sc, answers[i])
	}
	sc.addExamples()
	return object{
		"openapi": "3.0.3",
		"info":    openAPIInfo,
		"paths":   paths,
		"components": object{
			"schemas":    sc.defs,
			"parameters": headerParams,
			"responses":  object{"Error": object{"description": "an error", "content": jsonContent(errRef)}},
			"securitySchemes": object{
				"bearer":  object{"type": "http", "scheme": "bearer", "description": "an API token (carecost token create; docs/security.md)"},
				"session": object{"type": "apiKey", "in": "cookie", "name": sessionCookie, "description": "the console's session, after signing in"},
			},
		},
	}
}

// openAPIPath turns a Fiber template into an OpenAPI path: :id becomes {id}.
func openAPIPath(path string) string {
	segs := strings.Split(path, "/")
	for i, seg := range segs {
		if strings.HasPrefix(seg, ":") {
			segs[i] = "{" + seg[1:] + "}"
		}
	}
	return strings.Join(segs, "/")
}

// operation describes one route, whose responses are built.
func operation(r route, sc *schemas, responses object) object {
	op := object{
		"summary":     r.summary,
		"operationId": operationID(r),
		"tags":        []string{r.tag},
		"parameters":  parameters(r),
		"responses":   responses,
	}
	if r.rule.public {
		op["security"] = []object{}
	} else {
		op["security"] = []object{{"bearer": []string{}}, {"session": []string{}}}
		op["x-roles"] = r.rule.roles
		op["description"] = "Roles: " + strings.Join(r.rule.roles, ", ") + ". Without credentials 401; without one of the roles 403."
	}
	if r.body != nil {
		body := object{"required": !r.optional, "content": jsonContent(sc.of(reflect.TypeOf(r.body), request))}
		switch r.body.(type) {
		case expectedBody:
			body["description"] = "optional: no body, or a JSON object holding only expected_version (the alternative to If-Match and the query)"
		case emptyBody:
			body["description"] = "optional: the command takes nothing; no body, or an empty JSON object"
		}
		op["requestBody"] = body
	}
	if r.form != nil {
		op["requestBody"] = object{"required": true, "content": object{fiber.MIMEApplicationForm: object{"schema": sc.of(reflect.TypeOf(r.form), request)}}}
	}
	return op
}

func operationID(r route) string {
	id := strings.ToLower(r.method)
	for _, seg := range strings.Split(r.path, "/") {
		seg = strings.NewReplacer(":", "by_", "-", "_", ".", "_").Replace(seg)
		if seg != "" && seg != "api" && seg != "v1" {
			id += "_" + seg
		}
	}
	return id
}

// parameters lists the path, query and header parameters of a route.
func parameters(r route) []object {
	out := []object{{"$ref": "#/components/parameters/RequestID"}}
	for _, name := range r.pathParams() {
		typ := "string"
		if name == "version" {
			typ = "integer"
		}
		out = append(out, object{"name": name, "in": "path", "required": true, "description": pathParamDoc(r.path, name), "schema": object{"type": typ}})
	}
	for _, p := range r.queryParams() {
		schema := object{"type": p.typ}
		if p.format != "" {
			schema["format"] = p.format
		}
		if p.enum != nil {
			schema["enum"] = p.enum
		}
		out = append(out, object{"name": p.name, "in": "query", "required": p.required, "description": p.desc, "schema": schema})
	}
	if r.write {
		for _, h := range []string{"IdempotencyKey", "CorrelationID"} {
			out = append(out, object{"$ref": "#/components/parameters/" + h})
		}
	}
	if r.write && r.versioned {
		out = append(out, object{"$ref": "#/components/parameters/IfMatch"})
	}
	if waitsForPosition(r) {
		out = append(out, object{"$ref": "#/components/parameters/Position"})
	}
	return out
}

// responses describes the answers of a route: its success, with its
// headers, and the error responses it can give.
func responses(r route, sc *schemas) object {
	ok := object{"description": http.StatusText(r.successStatus()), "headers": responseHeaders(r)}
	switch {
	case r.produces != "":
		ok["content"] = object{r.produces: object{"schema": object{"type": "string"}}}
	case r.write:
		ok["description"] = "the changed resource: an estimate as the command left it; a catalogue item as the read models show it, or, when they did not catch up in time (X-Carecost-Stale: true), where the command's events landed"
		ok["content"] = jsonContent(object{"oneOf": []object{sc.of(reflect.TypeOf(r.resp), answer), sc.of(reflect.TypeFor[commandResult](), answer)}})
	case r.resp != nil:
		ok["content"] = jsonContent(sc.of(reflect.TypeOf(r.resp), answer))
	}
	errRef := object{"$ref": "#/components/responses/Error"}
	out := object{strconv.Itoa(r.successStatus()): ok, "default": errRef, "500": errRef}
	if r.body != nil || len(r.queryParams()) > 0 || r.write {
		out["400"] = errRef
	}
	if len(r.pathParams()) > 0 {
		out["404"] = errRef
	}
	if r.write {
		out["409"] = errRef
		out["503"] = errRef
	}
	if r.body != nil {
		out["413"], out["415"] = errRef, errRef
	}
	for _, code := range r.refusals {
		out[strconv.Itoa(code)] = errRef
	}
	if r.write && r.versioned {
		out["412"] = errRef
	}
	if !r.rule.public {
		out["401"], out["403"], out["429"] = errRef, errRef, errRef
	}
	if r.path == "/readyz" {
		out["503"] = object{"description": "not ready, with the reason", "content": jsonContent(sc.of(reflect.TypeFor[readyBody](), answer))}
	}
	return out
}

// responseHeaders lists the headers of a route's success answer.
func responseHeaders(r route) object {
	h := object{headerRequestID: headerDoc("the request id, as sent or generated")}
	if r.write {
		h[headerPosition] = headerDoc("the log position of the command's last event (read-your-writes)")
	}
	if r.write || waitsForPosition(r) {
		h[headerStale] = headerDoc("true when the projections had not caught up in time")
	}
	if r.versioned {
		h[fiber.HeaderETag] = headerDoc(`the stream version in quotes ("3"), for If-Match`)
	}
	if r.successStatus() == fiber.StatusCreated {
		h[fiber.HeaderLocation] = headerDoc("where the created resource is")
	}
	return h
}

func headerDoc(desc string) object {
	return object{"description": desc, "schema": object{"type": "string"}}
}

func jsonContent(schema object) object {
	return object{fiber.MIMEApplicationJSON: object{"schema": schema}}
}

// handleOpenAPI handles GET /api/openapi.json.
func (s *Server) handleOpenAPI(c *fiber.Ctx) error {
	c.Type("json")
	return c.Send(s.openAPI)
}
