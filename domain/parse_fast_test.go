package domain

import (
	"fmt"
	"testing"
	"time"
)

// The fast paths of amounts and dates read exactly what the full paths
// read, and leave to them what they do not take.
func TestFastParsesAgreeWithFullParses(t *testing.T) {
	for _, s := range []string{"0", "0.00", "12", "12.5", "12.50", "-3.07", "-0", "999999999999999.99", "1234567890123456", "12.345", "1.", ".5", "1e3", "+1", "--1", "1.2.3", "١٢", "", "-", " 1"} {
		q := []byte(fmt.Sprintf("%q", s))
		fast, ok := parseCentsFast(q)
		full, err := ParseMoney(s)
		if ok && (err != nil || fast != full) {
			t.Errorf("%s: fast %d, full %d %v", q, fast, full, err)
		}
		if !ok && err == nil && len(s) <= 18 && s != "" {
			t.Logf("%s: left to the full path (%d)", q, full)
		}
	}
	for _, s := range []string{"2026-01-31", "2024-02-29", "2023-02-29", "1900-01-01", "1899-12-31", "9999-12-31", "2026-13-01", "2026-04-31", "2026-4-01", "20260131", "2026-01-3x", "0000-00-00"} {
		fast, ok := parseDateFast(s)
		tm, err := time.Parse(time.DateOnly, s)
		valid := err == nil && tm.Year() >= 1900 && tm.Year() <= 9999
		if ok != valid || (ok && fast != dateOfTime(tm)) {
			t.Errorf("%s: fast %v %v, time.Parse %v %v", s, fast, ok, tm, err)
		}
	}
}
