package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

// rawPost sends a request announcing a body of size bytes over a plain
// connection and returns the status the server answers with. (An HTTP
// client sees only a reset connection when the server refuses a large body
// before reading it.)
func (a *api) rawPost(t *testing.T, path string, size int) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(a.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(10 * time.Second))
	fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: carecost\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{\"service\":\"", path, a.token, size)
	conn.Write([]byte(strings.Repeat("x", 64<<10)))
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// head returns the position of the last event in the log, from the status
// page.
func (a *api) head(t *testing.T) string {
	var st struct {
		Projections []struct {
			Head string `json:"head"`
		} `json:"projections"`
	}
	a.do("GET", "/api/v1/status", nil).want(t, http.StatusOK).into(t, &st)
	return st.Projections[0].Head
}

// Bad input is answered with a 4xx that names the field, and nothing is
// appended to the log.
func TestBadInputOverHTTP(t *testing.T) {
	a := startTestServer(t, t.TempDir(), true)
	var est struct {
		ID string `json:"id"`
	}
	a.do("POST", "/api/v1/estimates", `{"client_ref":"B","maple":3,"segment":"continuous","tariff":"phhva","household":{"size":1},"lines":[]}`).
		want(t, http.StatusCreated).into(t, &est)
	lines := "/api/v1/estimates/" + est.ID + "/lines"
	before := a.head(t)
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		field                    string
	}{
		{"malformed JSON", "POST", lines, `{"service":`, 400, ""},
		{"a list for the body", "POST", lines, `[]`, 400, ""},
		{"null for the body", "POST", lines, `null`, 400, ""},
		{"null for the body of a case", "POST", "/api/v1/estimates", `null`, 400, ""},
		{"unknown service", "POST", lines, `{"service":"spa","mode":"own","quantity":1,"frequency":"week"}`, 400, "service"},
		{"negative quantity", "POST", lines, `{"service":"bathing","mode":"own","quantity":-2,"frequency":"week"}`, 400, "quantity"},
		{"mode the tariff does not price", "POST", lines, `{"service":"cleaning","mode":"own","quantity":1,"frequency":"week"}`, 400, "mode"},
		{"wrong type", "POST", lines, `{"service":"bathing","mode":"own","quantity":1,"frequency":7}`, 400, "frequency"},
		{"money as a number", "POST", "/api/v1/estimates", `{"client_ref":"B","maple":3,"segment":"continuous","tariff":"phhva","household":{"size":1,"gross_income":1800},"lines":[]}`, 400, "household.gross_income"},
		{"unknown field", "POST", lines, `{"service":"bathing","mode":"own","quantity":1,"frequency":"week","colour":"red"}`, 400, "colour"},
		{"MAPLe out of range", "PUT", "/api/v1/estimates/" + est.ID + "/assessment", `{"maple":9,"segment":"continuous"}`, 400, "maple"},
		{"unknown estimate", "POST", "/api/v1/estimates/00000000-0000-4000-8000-000000000000/lines", `{"service":"bathing","mode":"own","quantity":1,"frequency":"week"}`, 404, ""},
		{"stray field on a command without a body", "POST", "/api/v1/estimates/" + est.ID + "/present", `{"colour":"red"}`, 400, "colour"},
		{"stale version in the body of present", "POST", "/api/v1/estimates/" + est.ID + "/present", `{"expected_version":7}`, 409, "expected_version"},
		{"history of an unknown tariff", "GET", "/api/v1/tariffs/no-such-tariff/history", "", 404, ""},
		{"known_at 0", "GET", "/api/v1/tariffs/phhva/prices?service=bathing&mode=own&valid_at=2025-06-01&known_at=0", "", 400, "known_at"},
		{"unknown method", "FOO", "/api/v1/estimates", "", 405, ""},
		{"unknown method on an unknown path", "FOO", "/api/v1/nothing", "", 501, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.do(tc.method, tc.path, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %.300s", r.status, tc.status, r.body)
			}
			if got := r.errField(t); got != tc.field {
				t.Errorf("field %q, want %q (%s)", got, tc.field, r.body)
			}
		})
	}
	t.Run("10 MB body", func(t *testing.T) {
		if status := a.rawPost(t, lines, 10<<20); status != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d, want 413", status)
		}
	})
	if after := a.head(t); after != before {
		t.Errorf("the log moved from %s to %s on bad input", before, after)
	}
}

// Income-based fees and voucher co-payments never accrue the annual payment
// ceiling (DOMAIN.md A.3, B 3): a tariff entry that says they do is refused
// over the API too, naming the field as the entry command has it.
func TestCeilingFlagRefusedOverHTTP(t *testing.T) {
	a := startTestServer(t, t.TempDir(), true)
	admin := a.as("anna.admin", "", domain.RoleAdmin)
	var v struct {
		Version int `json:"version"`
	}
	a.do("POST", "/api/v1/tariffs/phhva/versions", `{"note":"draft"}`, admin...).want(t, http.StatusCreated).into(t, &v)
	entries := fmt.Sprintf("/api/v1/tariffs/phhva/versions/%d/entries/", v.Version)
	for _, tc := range []struct{ name, path, body string }{
		{"A.3 home care", "regular-home-care/own", `{"unit_cost":"65.00","rule":"home_care_income","counts_toward_ceiling":true}`},
		{"A.3 24h housing", "housing-24h/own", `{"unit_cost":"206.00","rule":"housing_net_income","counts_toward_ceiling":true}`},
		{"A.3 a voucher", "meal-service/voucher", `{"unit_cost":"5.80","rule":"voucher","counts_toward_ceiling":true}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := a.do("PUT", entries+tc.path, tc.body, admin...)
			if r.status != http.StatusBadRequest || r.errField(t) != "counts_toward_ceiling" {
				t.Errorf("status %d field %q, want 400 counts_toward_ceiling: %.300s", r.status, r.errField(t), r.body)
			}
		})
	}
	a.do("PUT", entries+"short-term-care/own", `{"unit_cost":"305.00","rule":"flat","fee":"44.90","counts_toward_ceiling":true}`, admin...).want(t, http.StatusOK)
}
