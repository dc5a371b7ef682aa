package admin_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestBadInputIsA4xxNamingTheField(t *testing.T) {
	e := newEnv(t)
	est := e.open()
	lines := "/api/v1/estimates/" + est.ID + "/lines"
	for _, tc := range []struct {
		name, method, path, body string
		status                   int
		code, field              string
	}{
		{"MalformedJSON", "POST", "/api/v1/estimates", `{"client_ref": `, 400, "invalid", ""},
		{"TrailingData", "POST", lines, `{"service": "bathing"} {}`, 400, "invalid", ""},
		{"EmptyBody", "POST", lines, ``, 400, "invalid", ""},
		{"UnknownField", "POST", lines, `{"service": "bathing", "mode": "own", "quantity": 1, "frequency": "week", "colour": "red"}`, 400, "invalid", "colour"},
		{"UnknownNestedField", "POST", "/api/v1/estimates", strings.Replace(demoCase, `"size": 1`, `"size": 1, "pets": 2`, 1), 400, "invalid", "household.pets"},
		{"UnknownService", "POST", lines, `{"service": "space-travel", "mode": "own", "quantity": 1, "frequency": "week"}`, 400, "invalid", "service"},
		{"NegativeQuantity", "POST", lines, `{"service": "bathing", "mode": "own", "quantity": "-1", "frequency": "week"}`, 400, "invalid", "quantity"},
		{"MoneyAsNumber", "POST", lines, `{"service": "meal-service", "mode": "voucher", "quantity": 1, "frequency": "week", "provider_price": 10.9}`, 400, "invalid", "provider_price"},
		{"MoneyAsNumberNested", "POST", "/api/v1/estimates", strings.Replace(demoCase, `"1800.00"`, `1800`, 1), 400, "invalid", "household.gross_income"},
		{"WrongType", "POST", "/api/v1/estimates", strings.Replace(demoCase, `"maple": 3`, `"maple": "three"`, 1), 400, "invalid", "maple"},
		{"WrongTypeList", "POST", "/api/v1/quote", `{"tariff": "phhva", "household": {"size": 1, "gross_income": "1", "net_income": "1"}, "lines": {"service": "bathing"}}`, 400, "invalid", "lines"},
		{"BadDate", "POST", "/api/v1/estimates", strings.Replace(demoCase, `"2025-03-01"`, `"1.3.2025"`, 1), 400, "invalid", "pricing_date"},
		{"BadEstimateID", "POST", "/api/v1/estimates", `{"id": "not-a-uuid",` + demoCase[1:], 400, "invalid", "id"},
		{"UnknownMode", "POST", lines, `{"service": "bathing", "mode": "robot", "quantity": 1, "frequency": "week"}`, 400, "invalid", "mode"},
		{"LineIDOnAdd", "POST", lines, `{"id": "l9", "service": "bathing", "mode": "own", "quantity": 1, "frequency": "week"}`, 400, "invalid", "id"},
		{"LineIDDisagrees", "PUT", lines + "/l1", `{"id": "l2", "service": "bathing", "mode": "own", "quantity": 1, "frequency": "week"}`, 400, "invalid", "id"},
		{"MissingDecisionNumber", "POST", "/api/v1/estimates/" + est.ID + "/decide", `{"decision_date": "` + day(0) + `", "effective_from": "2025-04-01"}`, 400, "invalid", "decision_number"},
		{"BadIfMatch", "POST", lines, `{"service": "bathing", "mode": "own", "quantity": 1, "frequency": "week", "expected_version": -3}`, 400, "invalid", "expected_version"},
		{"BadQueryLimit", "GET", "/api/v1/estimates?limit=0", "", 400, "invalid", "limit"},
		{"QueryLimitTooLarge", "GET", "/api/v1/estimates?limit=501", "", 400, "invalid", "limit"},
		{"BadQueryMaple", "GET", "/api/v1/estimates?maple=six", "", 400, "invalid", "maple"},
		{"BadQueryStatus", "GET", "/api/v1/estimates?status=lost", "", 400, "invalid", "status"},
		{"BadQueryDate", "GET", "/api/v1/estimates?opened_from=2025-13-01", "", 400, "invalid", "opened_from"},
		{"QueryDatesReversed", "GET", "/api/v1/estimates?opened_from=2025-02-01&opened_to=2025-01-01", "", 400, "invalid", "opened_to"},
		{"UnknownQueryParam", "GET", "/api/v1/estimates?colour=red", "", 400, "invalid", "colour"},
		{"BadQueryTouched", "GET", "/api/v1/decisions?touched=yes", "", 400, "invalid", "touched"},
		{"PriceWithoutDate", "GET", "/api/v1/tariffs/phhva/prices?service=bathing&mode=own", "", 400, "invalid", "valid_at"},
		{"PriceBadKnownAt", "GET", "/api/v1/tariffs/phhva/prices?service=bathing&mode=own&valid_at=2025-06-01&known_at=yesterday", "", 400, "invalid", "known_at"},
		{"PriceKnownAtZero", "GET", "/api/v1/tariffs/phhva/prices?service=bathing&mode=own&valid_at=2025-06-01&known_at=0", "", 400, "invalid", "known_at"},
		{"PriceKnownAtZeroPair", "GET", "/api/v1/tariffs/phhva/prices?service=bathing&mode=own&valid_at=2025-06-01&known_at=0/0", "", 400, "invalid", "known_at"},
		{"PriceKnownAtZeroTime", "GET", "/api/v1/tariffs/phhva/prices?service=bathing&mode=own&valid_at=2025-06-01&known_at=0001-01-01T00:00:00Z", "", 400, "invalid", "known_at"},
		{"BadQueryExpectedVersion", "POST", "/api/v1/estimates/" + est.ID + "/present?expected_version=x", "", 400, "invalid", "expected_version"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := e.store.count()
			e.do(tc.method, tc.path, tc.body).wantError(t, tc.status, tc.code, tc.field)
			if got := e.store.count(); got != before {
				t.Errorf("the store grew from %d to %d events", before, got)
			}
		})
	}
}

func TestBodyOverTheLimitIs413(t *testing.T) {
	e := newEnv(t)
	base := e.listen()
	before := e.store.count()
	big := `{"client_ref": "` + strings.Repeat("x", 10<<20) + `"}`
	r := rawPost(t, base, "/api/v1/estimates", big)
	got := r.wantError(t, http.StatusRequestEntityTooLarge, "too_large", "")
	if !strings.Contains(got.Message, "1048576 bytes") {
		t.Errorf("message = %q, want the limit named", got.Message)
	}
	if r.header.Get("X-Request-ID") == "" {
		t.Error("no request id on a refused body")
	}
	if n := e.store.count(); n != before {
		t.Errorf("the store grew from %d to %d events", before, n)
	}
}

// rawPost posts body over a plain connection and reads the answer even
// when the server answers and closes before the body is written, as it does
// for a body over the limit.
func rawPost(t *testing.T, base, path, body string) response {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	go func() {
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: carecost\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, len(body))
		io.WriteString(conn, body) // the server may close first
	}()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

func TestBodyThatIsNotJSONIs415(t *testing.T) {
	e := newEnv(t)
	before := e.store.count()
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "application/xml; charset=utf-8"} {
		req := httptest.NewRequest("POST", "/api/v1/estimates", strings.NewReader(demoCase))
		req.Header.Set("Content-Type", ct)
		e.send(req).wantError(t, http.StatusUnsupportedMediaType, "unsupported_media_type", "")
	}
	// No content type with a body is refused as well; a +json type is JSON.
	req := httptest.NewRequest("POST", "/api/v1/estimates", strings.NewReader(demoCase))
	e.send(req).wantError(t, http.StatusUnsupportedMediaType, "unsupported_media_type", "")
	if n := e.store.count(); n != before {
		t.Errorf("the store grew from %d to %d events", before, n)
	}
	req = httptest.NewRequest("POST", "/api/v1/quote", strings.NewReader(demoCase))
	req.Header.Set("Content-Type", "application/merge-patch+json")
	e.send(req).wantStatus(t, http.StatusOK)
}

func TestCommandHeadersAreChecked(t *testing.T) {
	e := newEnv(t)
	est := e.open()
	long := strings.Repeat("k", 201)
	e.do("POST", "/api/v1/estimates/"+est.ID+"/present", "", "Idempotency-Key", long).wantError(t, 400, "invalid", "Idempotency-Key")
	e.do("POST", "/api/v1/estimates/"+est.ID+"/present", "", "If-Match", "3").wantError(t, 400, "invalid", "If-Match")
	e.do("POST", "/api/v1/estimates/"+est.ID+"/present?expected_version=2", "", "If-Match", `"1"`).
		wantError(t, 400, "invalid", "expected_version")
}

// Refused requests carry no Location; a quote checks the segment; bytes that
// are not UTF-8 are refused, not replaced.
func TestRefusalsAreClean(t *testing.T) {
	e := newEnv(t)
	r := e.do("POST", "/api/v1/estimates", strings.Replace(demoCase, `"maple": 3`, `"maple": 9`, 1))
	r.wantError(t, 400, "invalid", "maple")
	if loc := r.header.Get("Location"); loc != "" {
		t.Errorf("a refused open points to %s", loc)
	}
	e.do("POST", "/api/v1/quote", strings.Replace(demoCase, `"continuous"`, `"CONTINUOUS"`, 1)).wantError(t, 400, "invalid", "segment")
	e.do("POST", "/api/v1/quote", strings.Replace(demoCase, `"A-123"`, "\"A-\xff\"", 1)).wantError(t, 400, "invalid", "")
}
