package admin_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// hostileTexts are script-ish and SQL-ish texts a person might type.
var hostileTexts = []string{
	`<script>alert(1)</script>`, `"><img src=x onerror=alert(1)>`, `Robert'); DROP TABLE estimates;--`, `' OR '1'='1`,
}

// Attack: script-ish and SQL-ish text in the text fields. The API stores
// each as given and answers it as given (JSON-escaped, never interpreted);
// the sign-in page shows a typed name escaped.
func TestHostileTextIsStoredAsGiven(t *testing.T) {
	e := newEnv(t)
	for _, text := range hostileTexts {
		body := strings.Replace(demoCase, `"A-123"`, quoteJSON(text), 1)
		var est estimate
		e.do("POST", "/api/v1/estimates", body).wantStatus(t, http.StatusCreated).decode(t, &est)
		var got struct {
			ClientRef string `json:"client_ref"`
		}
		e.do("GET", "/api/v1/estimates/"+est.ID, "").wantStatus(t, http.StatusOK).decode(t, &got)
		if got.ClientRef != text {
			t.Errorf("client_ref %q read back as %q", text, got.ClientRef)
		}
		e.do("POST", "/api/v1/estimates/"+est.ID+"/cancel", `{"reason": `+quoteJSON(text)+`}`).wantStatus(t, http.StatusOK)
	}
	b := newSignInEnv(t).browser()
	for _, text := range hostileTexts {
		page := failedPage(t, b, text, "no such password")
		if strings.Contains(page, text) || strings.Contains(page, "<script>alert") {
			t.Errorf("the sign-in page shows %q unescaped", text)
		}
	}
}

// quoteJSON returns s as a JSON string.
func quoteJSON(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
