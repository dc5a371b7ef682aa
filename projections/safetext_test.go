package projections

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"carecost/domain"
)

// What is said of an error keeps its context and drops anything quoted
// from a payload.
func TestSafeText(t *testing.T) {
	var syntax, typed error
	var v struct {
		Personal struct {
			ClientRef string `json:"client_ref"`
		} `json:"personal"`
	}
	syntax = json.Unmarshal([]byte(`{"personal": SECRET}`), &v)
	typed = json.Unmarshal([]byte(`{"personal": {"client_ref": 4242424242}}`), &v)
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("projections: estimates: %w", syntax), "projections: estimates: malformed JSON at byte 14"},
		{fmt.Errorf("projections: decisions: %w", typed), "projections: decisions: a JSON value of the wrong type at personal.client_ref (want string)"},
		{fmt.Errorf("projections: x: %w", domain.Invalidf("household.income", "%q is not an amount", "SECRET 1234")), "projections: x: an invalid value at household.income"},
		{fmt.Errorf("projections: x: %w", domain.Errorf(domain.EInvalid, "an amount must be a string, got 4242")), "projections: x: an invalid value"},
		{fmt.Errorf(`load "SECRET \"quoted\" text": no`), `load "…": no`},
		{fmt.Errorf("first line\nSECRET second line"), "first line"},
		{fmt.Errorf("database is locked (5) (SQLITE_BUSY)"), "database is locked (5) (SQLITE_BUSY)"},
	} {
		if got := safeText(tc.err); got != tc.want {
			t.Errorf("safeText(%q)\n got %q\nwant %q", tc.err, got, tc.want)
		}
	}
	if got := safeText(fmt.Errorf("%s", strings.Repeat("é", 400))); len([]rune(got)) != maxErrorText {
		t.Errorf("a long error keeps %d characters", len([]rune(got)))
	}
}
