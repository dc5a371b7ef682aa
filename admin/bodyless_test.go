package admin_test

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// versionOf returns the stream version in the ETag of a GET of path.
func versionOf(t *testing.T, e *env, path string) int64 {
	t.Helper()
	tag := etagOf(t, e, path)
	v, err := strconv.ParseInt(strings.Trim(tag, `"`), 10, 64)
	if err != nil {
		t.Fatalf("ETag of %s = %q", path, tag)
	}
	return v
}

// A command that takes no body takes either none or {"expected_version": n},
// decoded as strictly as any other body, and honours that version.
func TestCommandsWithoutABodyTakeTheExpectedVersion(t *testing.T) {
	e := newEnv(t)
	est := e.open()
	var draft struct {
		Version int `json:"version"`
	}
	e.do("POST", "/api/v1/tariffs/phhva/versions", `{"based_on": 1}`).wantStatus(t, http.StatusCreated).decode(t, &draft)
	tv := "/api/v1/tariffs/phhva/versions/" + strconv.Itoa(draft.Version)
	e.do("POST", "/api/v1/income-catalogues/statutory/versions", `{"based_on": 1}`).wantStatus(t, http.StatusCreated).decode(t, &draft)
	iv := "/api/v1/income-catalogues/statutory/versions/" + strconv.Itoa(draft.Version)
	estPath := "/api/v1/estimates/" + est.ID

	for _, tc := range []struct{ name, method, path, record string }{
		{"Reprice", "POST", estPath + "/reprice", estPath},
		{"RemoveLine", "DELETE", estPath + "/lines/l2", estPath},
		{"Present", "POST", estPath + "/present", estPath},
		{"RemoveTariffEntry", "DELETE", tv + "/entries/bathing/own", "/api/v1/tariffs/phhva"},
		{"WithdrawTariffDraft", "POST", tv + "/withdraw", "/api/v1/tariffs/phhva"},
		{"WithdrawIncomeDraft", "POST", iv + "/withdraw", "/api/v1/income-catalogues/statutory"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cur := versionOf(t, e, tc.record)
			before := e.store.count()
			e.do(tc.method, tc.path, `{"expected_version": `).wantError(t, 400, "invalid", "")
			e.do(tc.method, tc.path, `{"colour": "red"}`).wantError(t, 400, "invalid", "colour")
			e.do(tc.method, tc.path, `{"expected_version": -1}`).wantError(t, 400, "invalid", "expected_version")
			e.do(tc.method, tc.path, `{"expected_version": "1"}`).wantError(t, 400, "invalid", "expected_version")
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(`{"expected_version": 1}`))
			req.Header.Set("Content-Type", "text/plain")
			e.send(req).wantError(t, http.StatusUnsupportedMediaType, "unsupported_media_type", "")
			stale := `{"expected_version": ` + strconv.FormatInt(cur+5, 10) + `}`
			e.do(tc.method, tc.path, stale).wantError(t, http.StatusConflict, "conflict", "expected_version")
			e.do(tc.method, tc.path, stale, "If-Match", etag(cur)).wantError(t, 400, "invalid", "expected_version")
			e.do(tc.method, tc.path+"?expected_version="+strconv.FormatInt(cur, 10), stale).wantError(t, 400, "invalid", "expected_version")
			if got := e.store.count(); got != before {
				t.Fatalf("refused requests appended %d events", got-before)
			}
			e.do(tc.method, tc.path, `{"expected_version": `+strconv.FormatInt(cur, 10)+`}`, "If-Match", etag(cur)).
				wantStatus(t, http.StatusOK)
		})
	}
	// An empty body with whatever Content-Type is no body.
	e2 := newEnv(t)
	est2 := e2.open()
	req := httptest.NewRequest("POST", "/api/v1/estimates/"+est2.ID+"/present", nil)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	e2.send(req).wantStatus(t, http.StatusOK)
}

// etag formats a stream version as an entity tag.
func etag(v int64) string { return `"` + strconv.FormatInt(v, 10) + `"` }

// Retiring a service takes nothing: no body or an empty object.
func TestRetireTakesNoBody(t *testing.T) {
	e := newEnv(t)
	before := e.store.count()
	e.do("POST", "/api/v1/services/bathing/retire", `{"expected_version": 3}`).wantError(t, 400, "invalid", "expected_version")
	e.do("POST", "/api/v1/services/bathing/retire", `{"reason": "x"}`).wantError(t, 400, "invalid", "reason")
	e.do("POST", "/api/v1/services/bathing/retire", `[`).wantError(t, 400, "invalid", "")
	if got := e.store.count(); got != before {
		t.Fatalf("refused requests appended %d events", got-before)
	}
	e.do("POST", "/api/v1/services/bathing/retire", `{}`).wantStatus(t, http.StatusOK)
	e.do("POST", "/api/v1/services/cleaning/retire", ``).wantStatus(t, http.StatusOK)
}

// Every command documents its body, optional where it may be left out.
func TestOpenAPIEveryCommandHasABody(t *testing.T) {
	e := newEnv(t)
	doc, _ := fetchOpenAPI(t, e)
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if method == "get" {
				continue
			}
			body, _ := op["requestBody"].(map[string]any)
			if body == nil {
				t.Errorf("%s %s has no request body", method, path)
			}
		}
	}
	present := doc.Paths["/api/v1/estimates/{id}/present"]["post"]
	body, _ := present["requestBody"].(map[string]any)
	if body["required"] != false || !strings.Contains(strings.ToLower(body["description"].(string)), "expected_version") {
		t.Errorf("POST present: request body %v", body)
	}
}
