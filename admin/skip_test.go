package admin_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"carecost/admin"
	"carecost/domain"
	"carecost/projections"
)

// skipper is a Skipper that keeps what it was asked and answers from its
// fields.
type skipper struct {
	got struct {
		cmd domain.Command
		req projections.SkipRequest
	}
	err error
}

func (s *skipper) Skip(_ context.Context, cmd domain.Command, req projections.SkipRequest) (domain.Result, error) {
	s.got.cmd, s.got.req = cmd, req
	return domain.Result{Position: domain.SeqPosition(42)}, s.err
}

// The skip route takes the operations role only, a position and a reason,
// and answers with the projection's status and the position of the skip.
func TestProjectionSkipRoute(t *testing.T) {
	sk := &skipper{}
	e := newEnv(t, func(c *admin.Config) {
		c.Skipper = sk
		c.Health = health{status: []projections.Status{{Name: "decisions", State: projections.StateRunning}}}
	})
	const path = "/api/v1/projections/decisions/skip"
	body := `{"position": "57", "reason": "payload written by a faulty import"}`
	ops := as("ops-1", "", "operations")
	e.do("POST", path, body, as("anna", "north", "case_manager,admin,controller")...).wantStatus(t, http.StatusForbidden)
	e.do("POST", path, body, anonymous...).wantStatus(t, http.StatusUnauthorized)
	for field, bad := range map[string]string{
		"reason":   `{"position": "57"}`,
		"position": `{"position": 57, "reason": "x"}`,
	} {
		if r := e.do("POST", path, bad, ops...).wantStatus(t, http.StatusBadRequest); r.apiError(t).Field != field {
			t.Errorf("%s: %s", bad, r.body)
		}
	}
	r := e.do("POST", path, body, ops...).wantStatus(t, http.StatusOK)
	var st projections.Status
	r.decode(t, &st)
	if st.Name != "decisions" || st.State != projections.StateRunning || r.header.Get("X-Carecost-Position") != "42" {
		t.Errorf("answer %s, position %q", r.body, r.header.Get("X-Carecost-Position"))
	}
	if g := sk.got; g.req.Projection != "decisions" || g.req.Position != domain.SeqPosition(57) || g.req.Reason != "payload written by a faulty import" ||
		g.cmd.Actor.ID != "ops-1" || g.cmd.Actor.Role != "operations" {
		t.Errorf("asked %+v", g)
	}
	sk.err = domain.Invalidf("position", "projection decisions is stopped at position 58, not 57")
	if r := e.do("POST", path, body, ops...).wantStatus(t, http.StatusBadRequest); r.apiError(t).Field != "position" {
		t.Errorf("another position: %s", r.body)
	}
}

// stoppedWaiter is a Waiter whose decisions projection is stopped.
type stoppedWaiter struct{}

func (stoppedWaiter) WaitFor(context.Context, domain.Position) error {
	return &projections.StoppedError{Failures: []projections.Failure{{Projection: "decisions", Position: domain.SeqPosition(57), EventID: "e-57", Error: "malformed JSON"}}}
}

// A query that waits for a position a stopped projection has not reached
// answers 503 naming it at once, not a stale answer after the wait; a
// command, whose events are written, answers at once, marked stale.
func TestQueryWaitingForAStoppedProjection(t *testing.T) {
	e := newEnv(t, func(c *admin.Config) {
		c.Waiter = stoppedWaiter{}
		c.WaitTimeout = 24 * 3600 * 1e9
	})
	r := e.do("GET", "/api/v1/decisions", "", "X-Carecost-Position", "60").wantStatus(t, http.StatusServiceUnavailable)
	if d := r.apiError(t); d.Code != "unavailable" || !strings.Contains(d.Message, "decisions") || !strings.Contains(d.Message, "57") || !strings.Contains(d.Message, "e-57") {
		t.Errorf("answer %s", r.body)
	}
	r = e.do("POST", "/api/v1/services/bathing/retire", "").wantStatus(t, http.StatusOK)
	if r.header.Get("X-Carecost-Stale") != "true" || r.header.Get("X-Carecost-Position") == "" {
		t.Errorf("a command: %v %s", r.header, r.body)
	}
}
