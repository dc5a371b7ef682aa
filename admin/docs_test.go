package admin_test

import (
	"os"
	"strings"
	"testing"
)

// Every error code the API answers with is in the error table of
// docs/api.md.
func TestDocsListEveryErrorCode(t *testing.T) {
	e := newEnv(t)
	doc, _ := fetchOpenAPI(t, e)
	detail, _ := doc.Components.Schemas["ErrorDetail"].(map[string]any)
	props, _ := detail["properties"].(map[string]any)
	code, _ := props["code"].(map[string]any)
	codes, _ := code["enum"].([]any)
	if len(codes) < 10 {
		t.Fatalf("error codes in the OpenAPI document: %v", codes)
	}
	api, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range codes {
		if !strings.Contains(string(api), "| `"+c.(string)+"` | ") {
			t.Errorf("docs/api.md: the error table lacks %s", c)
		}
	}
}
