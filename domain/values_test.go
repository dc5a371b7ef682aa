package domain_test

import (
	"encoding/json"
	"math/big"
	"strings"
	"testing"
	"time"

	"carecost/domain"
)

func TestParseMoney(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{
		{"1234.56", 123456, true}, {"-0.05", -5, true}, {"12", 1200, true}, {"12.5", 1250, true}, {"0", 0, true},
		{"1,50", 0, false}, {"1.234", 0, false}, {"", 0, false}, {"-", 0, false}, {"1.", 0, false}, {".5", 0, false},
		{" 1", 0, false}, {"1e3", 0, false}, {"+1", 0, false}, {"1234567890123456", 0, false},
	} {
		got, err := domain.ParseMoney(tc.in)
		if (err == nil) != tc.ok || (tc.ok && int64(got) != tc.want) {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
	for in, want := range map[string]string{"12.5": "12.50", "-0.05": "-0.05", "0": "0.00", "1234.56": "1234.56"} {
		if got := money(t, in).String(); got != want {
			t.Errorf("%s formats as %q, want %q", in, got, want)
		}
	}
}

func TestMoneyJSON(t *testing.T) {
	var m domain.Money
	if err := json.Unmarshal([]byte(`"298.22"`), &m); err != nil || m != 29822 {
		t.Fatalf("got %d, %v", m, err)
	}
	if err := json.Unmarshal([]byte(`298.22`), &m); err == nil {
		t.Fatal("a JSON number was accepted as money")
	}
	b, _ := json.Marshal(domain.Money(-5))
	if string(b) != `"-0.05"` {
		t.Errorf("marshal = %s", b)
	}
}

func TestRoundCentsHalfAwayFromZero(t *testing.T) {
	for _, tc := range []struct {
		num, den int64
		want     domain.Money
	}{
		{1596875, 10000000, 16}, // 0.1596875 -> 0.16
		{5, 1000, 1},            // 0.005 -> 0.01
		{-5, 1000, -1},          // -0.005 -> -0.01
		{4999, 1000000, 0},      // 0.004999 -> 0.00
		{29822, 100, 29822},     // exact
	} {
		if got := domain.RoundCents(big.NewRat(tc.num, tc.den)); got != tc.want {
			t.Errorf("RoundCents(%d/%d) = %d, want %d", tc.num, tc.den, got, tc.want)
		}
	}
}

func TestQuantityAndPercentJSON(t *testing.T) {
	var q domain.Quantity
	for in, want := range map[string]domain.Quantity{`2`: 2000, `"2.5"`: 2500, `0.125`: 125} {
		if err := json.Unmarshal([]byte(in), &q); err != nil || q != want {
			t.Errorf("quantity %s = %d, %v; want %d", in, q, err, want)
		}
	}
	if err := json.Unmarshal([]byte(`1.0001`), &q); err == nil {
		t.Error("four decimals accepted")
	}
	var p domain.Percent
	if err := json.Unmarshal([]byte(`"8.75"`), &p); err != nil || p != 875 {
		t.Errorf("percent = %d, %v", p, err)
	}
}

func TestRatio(t *testing.T) {
	for in, want := range map[string]domain.Ratio{"52/12": {52, 12}, "4": {4, 1}, "4.345": {869, 200}, "30.4375": {487, 16}, "1461/48": {1461, 48}} {
		got, err := domain.ParseRatio(in)
		if err != nil || got != want {
			t.Errorf("ParseRatio(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"0", "-1/2", "1/0", "a/b", "", "52/12.5", "1.0000001", "12345678901.5", "-4.5"} {
		if _, err := domain.ParseRatio(bad); err == nil {
			t.Errorf("ParseRatio(%q) accepted", bad)
		}
	}
}

func TestDate(t *testing.T) {
	d := date(t, "2026-02-28")
	if d.AddDays(1).String() != "2026-03-01" || !d.Before(date(t, "2026-03-01")) || d != date(t, "2026-02-28") {
		t.Errorf("date arithmetic broken: %s", d.AddDays(1))
	}
	if _, err := domain.ParseDate("2026-02-30"); err == nil {
		t.Error("2026-02-30 accepted")
	}
	if _, err := domain.ParseDate("28.2.2026"); err == nil {
		t.Error("Finnish format accepted as a JSON date")
	}
}

func TestDeriveID(t *testing.T) {
	a, b := domain.DeriveID("cmd-1/s/0"), domain.DeriveID("cmd-1/s/1")
	if a == b || a != domain.DeriveID("cmd-1/s/0") {
		t.Errorf("DeriveID not deterministic and distinct: %s %s", a, b)
	}
	if err := domain.ValidUUID("id", a); err != nil {
		t.Error(err)
	}
	if err := domain.ValidUUID("id", domain.NewID()); err != nil {
		t.Error(err)
	}
}

func TestTimeOrderedIDs(t *testing.T) {
	a := domain.NewID()
	time.Sleep(2 * time.Millisecond)
	b := domain.NewID()
	if a[14] != '7' || !(a < b) {
		t.Errorf("NewID not time-ordered version 7: %s then %s", a, b)
	}
	e1, e2 := domain.EventID(a, "s", 0), domain.EventID(a, "s", 1)
	if e1 != domain.EventID(a, "s", 0) || e1 == e2 || e1 == domain.EventID(a, "t", 0) {
		t.Errorf("event ids not deterministic and distinct: %s %s", e1, e2)
	}
	if e1[:13] != a[:13] || e1[14] != '8' {
		t.Errorf("event id %s does not keep the time prefix of %s", e1, a)
	}
	if k := domain.EventID("client-key-1", "s", 0); k[14] != '5' || k != domain.EventID("client-key-1", "s", 0) {
		t.Errorf("event id of a client key: %s", k)
	}
	for _, id := range []string{a, e1} {
		if err := domain.ValidUUID("id", id); err != nil {
			t.Error(err)
		}
	}
}

func TestCheckText(t *testing.T) {
	for _, tc := range []struct {
		s                   string
		required, multiline bool
		ok                  bool
	}{
		{"Kotihoito", true, false, true},
		{"   ", true, false, false},
		{"", false, false, true},
		{"a\x00b", false, false, false},
		{"line\nline", false, true, true},
		{"line\nline", false, false, false},
		{"\xff", false, false, false},
		{strings.Repeat("ä", 10), false, false, true},
		{strings.Repeat("ä", 11), false, false, false},
		{"A\u202EB", false, false, false},      // right-to-left override
		{"A\u2066B\u2069", false, true, false}, // left-to-right isolate
		{"A\u200FB", false, false, false},      // right-to-left mark
		{"A\u200BB", false, false, false},      // zero-width space
		{"\uFEFFA", false, false, false},       // byte order mark
		{"A\u00ADB", false, false, false},      // soft hyphen
		{"Åsa Öberg", true, false, true},
		{"مرحبا", true, false, true}, // right-to-left letters are letters
	} {
		err := domain.CheckText("f", tc.s, 10, tc.required, tc.multiline)
		if (err == nil) != tc.ok || (err != nil && domain.ErrorField(err) != "f") {
			t.Errorf("CheckText(%q, required %v, multiline %v) = %v", tc.s, tc.required, tc.multiline, err)
		}
	}
	err := domain.CheckText("client_ref", "A\u202EB", 64, true, false)
	if msg := domain.ErrorMessage(err); !strings.Contains(msg, "client_ref") || !strings.Contains(msg, "U+202E") {
		t.Errorf("the message %q does not name the field and the character", msg)
	}
}
