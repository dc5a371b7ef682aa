package admin_test

import (
	"net/http"
	"strconv"
	"testing"
)

// A retried draft creation (the same Idempotency-Key) appends nothing and
// answers with the draft the first request created, even when another draft
// was created in between, not with a number that does not exist.
func TestRetriedDraftAnswersTheFirstDraft(t *testing.T) {
	for _, tc := range []struct{ name, base, body string }{
		{"Tariff", "/api/v1/tariffs/phhva", `{"based_on": 1, "note": "retry"}`},
		{"IncomeCatalogue", "/api/v1/income-catalogues/statutory", `{"based_on": 1}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			var first, again struct {
				Version int `json:"version"`
			}
			r1 := e.do("POST", tc.base+"/versions", tc.body, "Idempotency-Key", "draft-1").wantStatus(t, http.StatusCreated)
			r1.decode(t, &first)
			loc := tc.base + "/versions/" + strconv.Itoa(first.Version)
			if first.Version < 2 || r1.header.Get("Location") != loc {
				t.Fatalf("first draft %d at %q", first.Version, r1.header.Get("Location"))
			}
			// Another key makes another draft, newer than the first.
			var other struct {
				Version int `json:"version"`
			}
			e.do("POST", tc.base+"/versions", tc.body, "Idempotency-Key", "draft-2").wantStatus(t, http.StatusCreated).decode(t, &other)
			if other.Version != first.Version+1 {
				t.Errorf("a new key made draft %d, want %d", other.Version, first.Version+1)
			}
			count := e.store.count()
			r2 := e.do("POST", tc.base+"/versions", tc.body, "Idempotency-Key", "draft-1").wantStatus(t, http.StatusCreated)
			r2.decode(t, &again)
			if again.Version != first.Version || r2.header.Get("Location") != loc {
				t.Errorf("retry answered draft %d at %q; the first answered %d at %q",
					again.Version, r2.header.Get("Location"), first.Version, loc)
			}
			if n := e.store.count(); n != count {
				t.Errorf("the retry appended %d events", n-count)
			}
			e.do("GET", r2.header.Get("Location"), "").wantStatus(t, http.StatusOK)
		})
	}
}
