package admin_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"carecost/admin"
)

const bathing = `{"service": "bathing", "mode": "own", "quantity": 1, "frequency": "week"}`

func TestIfMatchStaleIs409(t *testing.T) {
	e := newEnv(t)
	est := e.open()
	lines := "/api/v1/estimates/" + est.ID + "/lines"
	r := e.do("GET", "/api/v1/estimates/"+est.ID, "").wantStatus(t, http.StatusOK)
	if got := r.header.Get("ETag"); got != `"1"` {
		t.Fatalf("ETag = %q, want \"1\"", got)
	}
	r = e.do("POST", lines, bathing, "If-Match", `"1"`).wantStatus(t, http.StatusCreated)
	if got := r.header.Get("ETag"); got != `"3"` {
		t.Errorf("ETag after the change = %q, want \"3\"", got)
	}
	before := e.store.count()
	got := e.do("POST", lines, bathing, "If-Match", `"1"`).wantError(t, http.StatusConflict, "conflict", "expected_version")
	t.Logf("stale: %s", got.Message)
	e.do("POST", lines, `{"service": "bathing", "mode": "own", "quantity": 1, "frequency": "week", "expected_version": 1}`).
		wantError(t, http.StatusConflict, "conflict", "expected_version")
	e.do("POST", "/api/v1/estimates/"+est.ID+"/present?expected_version=0", "").
		wantError(t, http.StatusConflict, "conflict", "expected_version")
	if n := e.store.count(); n != before {
		t.Errorf("stale writes appended %d events", n-before)
	}
	e.do("POST", "/api/v1/estimates/"+est.ID+"/present", "", "If-Match", `"3"`).wantStatus(t, http.StatusOK)
}

func TestTwoWritersWithTheSameIfMatch(t *testing.T) {
	e := newEnv(t)
	for round := range 5 {
		est := e.open()
		var wg sync.WaitGroup
		statuses := make([]int, 2)
		for i := range statuses {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = e.do("POST", "/api/v1/estimates/"+est.ID+"/lines", bathing, "If-Match", `"1"`).status
			}()
		}
		wg.Wait()
		ok, conflict := 0, 0
		for _, s := range statuses {
			switch s {
			case http.StatusCreated:
				ok++
			case http.StatusConflict:
				conflict++
			}
		}
		if ok != 1 || conflict != 1 {
			t.Fatalf("round %d: statuses %v, want one 201 and one 409", round, statuses)
		}
		var got estimate
		e.do("GET", "/api/v1/estimates/"+est.ID, "").decode(t, &got)
		if got.LineCount != 3 {
			t.Errorf("round %d: %d lines, want 3", round, got.LineCount)
		}
	}
}

func TestIdempotencyKeyOpensOneEstimate(t *testing.T) {
	e := newEnv(t)
	var first, second estimate
	e.do("POST", "/api/v1/estimates", demoCase, "Idempotency-Key", "form-42").wantStatus(t, http.StatusCreated).decode(t, &first)
	before := e.store.count()
	e.do("POST", "/api/v1/estimates", demoCase, "Idempotency-Key", "form-42").wantStatus(t, http.StatusCreated).decode(t, &second)
	if first.ID != second.ID || e.store.count() != before {
		t.Errorf("a retry opened %s after %s and appended %d events", second.ID, first.ID, e.store.count()-before)
	}
	e.do("POST", "/api/v1/estimates/"+first.ID+"/lines", bathing, "Idempotency-Key", "add-bathing").wantStatus(t, http.StatusCreated)
	e.do("POST", "/api/v1/estimates/"+first.ID+"/lines", bathing, "Idempotency-Key", "add-bathing").wantStatus(t, http.StatusCreated).decode(t, &second)
	if second.LineCount != 3 {
		t.Errorf("a retried line add left %d lines, want 3", second.LineCount)
	}
	// A retried decision answers as the first one did; the same key on
	// another request is refused.
	decide := `{"decision_number":"D-9","decision_date":"` + day(0) + `","effective_from":"2025-04-01","presented":false,"not_presented_reason":"decided at the meeting"}`
	var d1, d2 estimate
	e.do("POST", "/api/v1/estimates/"+first.ID+"/decide", decide, "Idempotency-Key", "decide-9").wantStatus(t, http.StatusOK).decode(t, &d1)
	before = e.store.count()
	e.do("POST", "/api/v1/estimates/"+first.ID+"/decide", decide, "Idempotency-Key", "decide-9").wantStatus(t, http.StatusOK).decode(t, &d2)
	if d1.Version != d2.Version || e.store.count() != before {
		t.Errorf("retried decide: version %d then %d, %d events appended", d1.Version, d2.Version, e.store.count()-before)
	}
	// A retried revision names and answers the same revision.
	var v1, v2 estimate
	e.do("POST", "/api/v1/estimates/"+first.ID+"/revise", `{}`, "Idempotency-Key", "revise-9").wantStatus(t, http.StatusCreated).decode(t, &v1)
	before = e.store.count()
	r := e.do("POST", "/api/v1/estimates/"+first.ID+"/revise", `{}`, "Idempotency-Key", "revise-9").wantStatus(t, http.StatusCreated)
	r.decode(t, &v2)
	if v1.ID != v2.ID || v1.Version != v2.Version || e.store.count() != before || r.header.Get("Location") != "/api/v1/estimates/"+v1.ID {
		t.Errorf("retried revise: %s v%d after %s v%d, %d events appended, Location %q", v2.ID, v2.Version, v1.ID, v1.Version, e.store.count()-before, r.header.Get("Location"))
	}
	other := strings.Replace(demoCase, `"A-123"`, `"B-456"`, 1)
	e.do("POST", "/api/v1/estimates", other, "Idempotency-Key", "form-42").wantError(t, http.StatusConflict, "conflict", "Idempotency-Key")
	if e.store.count() != before {
		t.Error("a reused key appended events")
	}
}

// An Idempotency-Key is its user's own: another user sending the same key,
// with the same request or another, runs their own command; they neither
// get the first user's answer nor learn that the key was used.
func TestIdempotencyKeysAreEachUsersOwn(t *testing.T) {
	e := newEnv(t)
	anna, olli := as("anna", "north", "case_manager"), as("olli", "north", "case_manager")
	var a, o estimate
	e.do("POST", "/api/v1/estimates", demoCase, append(anna, "Idempotency-Key", "form-1")...).wantStatus(t, http.StatusCreated).decode(t, &a)
	e.do("POST", "/api/v1/estimates", demoCase, append(olli, "Idempotency-Key", "form-1")...).wantStatus(t, http.StatusCreated).decode(t, &o)
	if a.ID == o.ID {
		t.Fatalf("two users' requests with one key opened one estimate %s", a.ID)
	}
	other := strings.Replace(demoCase, `"A-123"`, `"B-456"`, 1)
	e.do("POST", "/api/v1/estimates", other, append(olli, "Idempotency-Key", "form-2")...).wantStatus(t, http.StatusCreated)
	e.do("POST", "/api/v1/estimates", demoCase, append(anna, "Idempotency-Key", "form-2")...).wantStatus(t, http.StatusCreated)
	path := "/api/v1/estimates/" + a.ID + "/lines"
	e.do("POST", path, bathing, append(anna, "Idempotency-Key", "line")...).wantStatus(t, http.StatusCreated)
	var got estimate
	e.do("POST", path, bathing, append(olli, "Idempotency-Key", "line")...).wantStatus(t, http.StatusCreated).decode(t, &got)
	if got.LineCount != 4 {
		t.Errorf("%d lines after two users' adds with one key, want 4", got.LineCount)
	}
}

// Estimate commands answer at once from the aggregate, with the position
// their events landed at; a query that sends the position back waits for the
// read models (bounded) and says when they had not caught up.
func TestReadYourWritesWhenProjectionsLag(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) {
		c.Waiter = neverCaughtUp{}
		c.WaitTimeout = 20 * time.Millisecond
	})
	r := e.do("POST", "/api/v1/estimates", demoCase).wantStatus(t, http.StatusCreated)
	var got struct {
		ID       string `json:"id"`
		Version  int64  `json:"version"`
		Position string `json:"position"`
		Monthly  struct {
			ClientFee string `json:"client_fee"`
		} `json:"monthly"`
	}
	r.decode(t, &got)
	if r.header.Get("X-Carecost-Stale") != "" || got.Version != 1 || got.Monthly.ClientFee != "406.55" {
		t.Errorf("command answer: stale %q, body %s", r.header.Get("X-Carecost-Stale"), r.body)
	}
	if got.Position == "" || got.Position != r.header.Get("X-Carecost-Position") {
		t.Errorf("position %q, header %q", got.Position, r.header.Get("X-Carecost-Position"))
	}
	q := e.do("GET", "/api/v1/estimates/"+got.ID, "", "X-Carecost-Position", got.Position).wantStatus(t, http.StatusOK)
	if q.header.Get("X-Carecost-Stale") != "true" {
		t.Errorf("a query behind its position is not marked stale")
	}
	e.do("GET", "/api/v1/estimates/"+got.ID, "", "X-Carecost-Position", "nope").wantStatus(t, http.StatusBadRequest)
}

// Catalogue commands wait for the read models; when they lag, the answer
// says where the events landed.
func TestStaleAnswerWhenProjectionsLag(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) {
		c.Waiter = neverCaughtUp{}
		c.WaitTimeout = 20 * time.Millisecond
	})
	r := e.do("POST", "/api/v1/tariffs", `{"id":"t2","name":"T2"}`).wantStatus(t, http.StatusCreated)
	var got struct {
		ID            string `json:"id"`
		StreamVersion int64  `json:"stream_version"`
		Position      string `json:"position"`
		Stale         bool   `json:"stale"`
	}
	r.decode(t, &got)
	if r.header.Get("X-Carecost-Stale") != "true" || !got.Stale || got.ID != "t2" || got.StreamVersion != 0 {
		t.Errorf("stale answer: header %q, body %s", r.header.Get("X-Carecost-Stale"), r.body)
	}
	if got.Position == "" || got.Position != r.header.Get("X-Carecost-Position") {
		t.Errorf("position %q, header %q", got.Position, r.header.Get("X-Carecost-Position"))
	}
}
