package main

import (
	"net/http"
	"os/exec"
	"syscall"
	"testing"
)

// revise decides an estimate, then revises and decides the latest decision
// again and again until stop or the server goes away.
func revise(a *api, stop <-chan struct{}) {
	var est struct {
		ID string `json:"id"`
	}
	r, ok := tryDo(a, "POST", "/api/v1/estimates", `{"client_ref":"R","maple":3,"segment":"continuous","tariff":"phhva","pricing_date":"2026-02-01","household":{"size":1,"gross_income":"1500"},"lines":[{"service":"meal-service","mode":"own","quantity":5,"frequency":"week"}]}`)
	if !ok || r.status != http.StatusCreated || r.into2(&est) != nil {
		return
	}
	for {
		// Each revision is a decision of its own, with a number of its own.
		decide := `{"decision_number":"D-` + est.ID + `","decision_date":"` + todayText() + `","effective_from":"2026-03-01","presented":false,"not_presented_reason":"agreed by phone"}`
		select {
		case <-stop:
			return
		default:
		}
		if r, ok := tryDo(a, "POST", "/api/v1/estimates/"+est.ID+"/decide", decide); !ok || r.status != http.StatusOK {
			return
		}
		r, ok := tryDo(a, "POST", "/api/v1/estimates/"+est.ID+"/revise", `{}`)
		if !ok || r.status != http.StatusCreated || r.into2(&est) != nil {
			return
		}
	}
}

// decisionView is what the check needs of a decision in the audit trail.
type decisionView struct {
	EstimateID   string `json:"estimate_id"`
	InForce      bool   `json:"in_force"`
	RevisionOf   string `json:"revision_of"`
	SupersededBy string `json:"superseded_by"`
}

// The server is killed (SIGKILL) while revisions are being decided, and
// started again: every chain of revisions has exactly one decision in
// force, every replaced decision knows its successor, and the original's
// own stream records it (the revisions process completes cut pairs).
func TestCrashDuringRevisions(t *testing.T) {
	bin := buildCarecost(t)
	data := t.TempDir()
	p := startProcess(t, bin, data, "--demo")
	killUnderLoad(t, p, 8, func(stop <-chan struct{}) { revise(p.api, stop) })

	q := startProcess(t, bin, data)
	checkChains(t, q.api)
	q.cmd.Process.Signal(syscall.SIGTERM)
	q.cmd.Wait()
	if out, err := exec.Command(bin, "rebuild", "--data", data, "--log-format", "json").CombinedOutput(); err != nil {
		t.Fatalf("rebuild: %v\n%s", err, out)
	}
	checkChains(t, startProcess(t, bin, data).api)
}

// checkChains checks every chain of decided revisions.
func checkChains(t *testing.T, a *api) {
	t.Helper()
	var all []decisionView
	for offset := 0; ; offset += 500 {
		var page []decisionView
		a.do("GET", "/api/v1/decisions?limit=500&offset="+itoaTest(int64(offset)), nil).want(t, http.StatusOK).into(t, &page)
		all = append(all, page...)
		if len(page) < 500 {
			break
		}
	}
	if len(all) < 20 {
		t.Fatalf("only %d decisions before the kill", len(all))
	}
	byID := map[string]decisionView{}
	for _, d := range all {
		byID[d.EstimateID] = d
	}
	revisedBy := map[string]string{}
	for _, d := range all {
		if d.RevisionOf == "" {
			continue
		}
		if prev, twice := revisedBy[d.RevisionOf]; twice {
			t.Errorf("decision %s has two decided revisions, %s and %s", d.RevisionOf, prev, d.EstimateID)
		}
		revisedBy[d.RevisionOf] = d.EstimateID
		if o := byID[d.RevisionOf]; o.InForce || o.SupersededBy != d.EstimateID {
			t.Errorf("decision %s, revised by the decided %s: in force %v, superseded by %q", o.EstimateID, d.EstimateID, o.InForce, o.SupersededBy)
		}
		var o struct {
			Status       string `json:"status"`
			SupersededBy string `json:"superseded_by"`
		}
		a.do("GET", "/api/v1/estimates/"+d.RevisionOf, nil).want(t, http.StatusOK).into(t, &o)
		if o.Status != "superseded" || o.SupersededBy != d.EstimateID {
			t.Errorf("estimate %s, revised by the decided %s: %s, superseded by %q", d.RevisionOf, d.EstimateID, o.Status, o.SupersededBy)
		}
	}
	t.Logf("%d decisions, %d of them revisions", len(all), len(revisedBy))
}
