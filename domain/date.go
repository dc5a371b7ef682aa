package domain

import (
	"encoding/json"
	"time"
	_ "time/tzdata" // business dates are in Europe/Helsinki on any machine
)

// Helsinki is the time zone of business dates.
var Helsinki = mustLoad("Europe/Helsinki")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Date is a calendar date in Europe/Helsinki (a pricing date, a valid-from
// date, a decision date). It travels in JSON as "2026-01-01". The zero Date
// is unset.
// Dates compare with == and order with Before and After.
type Date struct {
	v int32 // yyyymmdd; 0 when unset
}

// NewDate returns the date y-m-d (normalised as time.Date does: 2026-02-30 is
// 2026-03-02).
func NewDate(y int, m time.Month, d int) Date {
	return dateOfTime(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

func dateOfTime(t time.Time) Date {
	y, m, d := t.Date()
	return Date{int32(y*10000 + int(m)*100 + d)}
}

// Time returns midnight UTC of d.
func (d Date) Time() time.Time {
	return time.Date(int(d.v/10000), time.Month(d.v/100%100), int(d.v%100), 0, 0, 0, 0, time.UTC)
}

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	if d, ok := parseDateFast(s); ok {
		return d, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, Errorf(EInvalid, "%q is not a date in the form 2026-01-31", s)
	}
	if t.Year() < 1900 || t.Year() > 9999 {
		return Date{}, Errorf(EInvalid, "%q is out of range", s)
	}
	return dateOfTime(t), nil
}

// parseDateFast reads a valid date "2026-01-31" from 1900 to 9999 without
// time.Parse (read models parse several dates an event); anything else is
// left to ParseDate's full path and its messages.
func parseDateFast(s string) (Date, bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, false
	}
	num := func(from, to int) (int, bool) {
		n := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			n = n*10 + int(c-'0')
		}
		return n, true
	}
	y, ok1 := num(0, 4)
	m, ok2 := num(5, 7)
	d, ok3 := num(8, 10)
	if !ok1 || !ok2 || !ok3 || y < 1900 || m < 1 || m > 12 || d < 1 || d > daysIn(time.Month(m), y) {
		return Date{}, false
	}
	return Date{int32(y*10000 + m*100 + d)}, true
}

// daysIn is the number of days of month m of year y.
func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// DateOf returns the Helsinki calendar date of the instant t.
func DateOf(t time.Time) Date {
	y, m, d := t.In(Helsinki).Date()
	return NewDate(y, m, d)
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.v == 0 }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.v < e.v }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.v > e.v }

// Year returns the year of d.
func (d Date) Year() int { return int(d.v / 10000) }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return dateOfTime(d.Time().AddDate(0, 0, n)) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.v < e.v:
		return -1
	case d.v > e.v:
		return 1
	}
	return 0
}

// String formats d as "2026-01-31", or "" when unset.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format(time.DateOnly)
}

// MarshalJSON writes d as "2026-01-31", or null when unset.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.String() + `"`), nil
}

// UnmarshalJSON reads "2026-01-31" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*d = Date{}
		return nil
	}
	s, ok := plainString(b)
	if !ok && json.Unmarshal(b, &s) != nil {
		return Errorf(EInvalid, "a date must be a string such as \"2026-01-31\", got %s", b)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
