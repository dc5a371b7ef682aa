package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"carecost/domain"
)

// carecost whatif, run while carecost serves the demo: a decision re-priced
// under its own versions changes nothing; the table names the totals; a
// missing or unknown estimate is refused.
func TestWhatIfCommand(t *testing.T) {
	data := t.TempDir()
	a := startTestServer(t, data, true)
	var decisions []struct {
		EstimateID    string `json:"estimate_id"`
		TariffVersion int    `json:"tariff_version"`
		IncomeVersion int    `json:"income_version"`
	}
	a.do("GET", "/api/v1/decisions?limit=5", nil).want(t, http.StatusOK).into(t, &decisions)
	if len(decisions) == 0 {
		t.Fatal("the demo has no decisions")
	}
	d := decisions[0]
	args := []string{"whatif", d.EstimateID, "--data", data, "--format", "json", "--tariff-version", itoaTest(int64(d.TariffVersion))}
	if d.IncomeVersion != 0 {
		args = append(args, "--income-version", itoaTest(int64(d.IncomeVersion)))
	}
	code, out, errs := runCmd(t, "", args...)
	if code != 0 {
		t.Fatalf("whatif: exit %d %s", code, errs)
	}
	var r domain.WhatIfResult
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	if !r.Decided || r.Compare.Changed() {
		t.Errorf("under its own versions the decision changed: %+v", r.Compare)
	}
	code, out, errs = runCmd(t, "", "whatif", d.EstimateID, "--data", data, "--pricing-date", "2026-06-01")
	if code != 0 || !strings.Contains(out, "per month") || !strings.Contains(out, "per year") {
		t.Errorf("whatif table: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := runCmd(t, "", "whatif", "--data", data); code != 2 || !strings.Contains(errs, "ESTIMATE_ID") {
		t.Errorf("without an estimate: exit %d %s", code, errs)
	}
	if code, _, errs := runCmd(t, "", "whatif", "0193a5c4-7d2e-7000-8000-000000000000", "--data", data); code == 0 || !strings.Contains(errs, "no estimate") {
		t.Errorf("an unknown estimate: exit %d %s", code, errs)
	}
}
