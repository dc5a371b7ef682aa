package admin

import (
	"strings"
	"testing"

	"carecost/domain"
	"carecost/projections"
)

// Every value the audit, users and operations pages name through the
// catalogue has its words: each mode, fee rule, unit, frequency, segment,
// estimate status, role, projection state and event type of an estimate's
// stream.
func TestConsoleAuditKeysComplete(t *testing.T) {
	cat := testCatalogue(t)
	var keys []string
	add := func(prefix string, values ...string) {
		for _, v := range values {
			keys = append(keys, prefix+v)
		}
	}
	for _, m := range domain.Modes {
		add("audit.mode.", string(m))
	}
	for _, r := range domain.Rules {
		add("audit.rule.", string(r))
	}
	for _, u := range domain.Units {
		add("audit.unit.", string(u))
	}
	for _, f := range domain.Frequencies {
		add("audit.quantity.", string(f))
		add("audit.frequency.", string(f))
	}
	for _, s := range domain.Segments {
		add("segment.", string(s))
	}
	for _, s := range estimateStatuses {
		add("audit.status.", string(s))
	}
	for _, r := range domain.Roles {
		add("role.", string(r))
	}
	add("role.", "system")
	add("ops.state.", projections.StateRunning, projections.StateCatchingUp, projections.StateStopped)
	for _, typ := range domain.EventTypes() {
		if strings.HasPrefix(typ, "carecost.estimate.") || typ == domain.EvCommandNoop {
			add("audit.event.", auditEventKey(typ))
		}
	}
	for _, code := range cat.Codes() {
		l := cat.Lang(code)
		for _, k := range keys {
			if !l.Has(k) {
				t.Errorf("%s: no text for %s", code, k)
			}
		}
	}
}

// The CSV files write numbers and dates as Finnish Excel reads them, and a
// text a spreadsheet would run as a formula as text.
func TestAuditCSVFormats(t *testing.T) {
	for got, want := range map[string]string{
		auditCSVMoney(123456):                    "1234,56",
		auditCSVMoney(5):                         "0,05",
		auditCSVDate(domain.NewDate(2026, 7, 1)): "1.7.2026",
		auditCSVDate(domain.Date{}):              "",
		auditCSVText("=1+1"):                     "'=1+1",
		auditCSVText("@SUM(A1)"):                 "'@SUM(A1)",
		auditCSVText("-3"):                       "'-3",
		auditCSVText("A-123"):                    "A-123",
		auditCSVFileName("D 2026/7 \"x\""):       "D-2026-7--x-",
	} {
		if got != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
	l := testCatalogue(t).Lang("fi")
	wide := dateRange{from: earliestDate, to: domain.NewDate(2036, 3, 2)}
	for in, want := range map[string]string{"2026-07-01": "2026-07-01", "1.7.2026": "2026-07-01", "31.12.2025": "2025-12-31", "01.07.2026": "2026-07-01", "": ""} {
		if d, msg := readDate(l, in, wide, false); msg != "" || d.String() != want {
			t.Errorf("readDate(%q) = %v, %q", in, d, msg)
		}
	}
	for _, in := range []string{"31.2.2026", "1.7", "x.y.z", "2026-13-01"} {
		if _, msg := readDate(l, in, wide, false); msg != l.T("error.date") {
			t.Errorf("readDate(%q): %q", in, msg)
		}
	}
}

// TestAuditTierLimitsNameHouseholdSizes: a tier's income limits say which
// household size each is for; the last serves larger households.
func TestAuditTierLimitsNameHouseholdSizes(t *testing.T) {
	cat := testCatalogue(t)
	fi, en := cat.Lang("fi"), cat.Lang("en")
	limits := []domain.Money{139300, 205500}
	if got, want := auditTierLimits(fi, limits), "(1 hlö: 1\u00a0393,00\u00a0€; 2 hlö tai enemmän: 2\u00a0055,00\u00a0€)"; got != want {
		t.Errorf("fi: %q, want %q", got, want)
	}
	if got, want := auditTierLimits(en, limits), "(household of 1: €1,393.00; household of 2 or more: €2,055.00)"; got != want {
		t.Errorf("en: %q, want %q", got, want)
	}
	if got, want := auditTierLimits(fi, limits[:1]), "1\u00a0393,00\u00a0€"; got != want {
		t.Errorf("one limit: %q, want %q", got, want)
	}
}
