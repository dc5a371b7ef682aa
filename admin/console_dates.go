package admin

import (
	"time"

	"carecost/domain"
)

// dateRange is the dates a field of the console takes, both ends
// included: a date typed outside it is a slip (a year of 9999 or 0001),
// refused beside the field with the range in the person's language.
type dateRange struct {
	from, to domain.Date
	// past: the field is a date of what has happened (to is today).
	past bool
}

// earliestDate is the first date any field takes: carecost prices the
// services of today's wellbeing services counties, none this old.
var earliestDate = domain.NewDate(2000, time.January, 1)

// planDates are the dates of a plan, a price list or a search: from
// earliestDate to ten years after today.
func (s *Server) planDates() dateRange {
	today := s.today().Time()
	return dateRange{from: earliestDate, to: domain.NewDate(today.Year()+10, today.Month(), today.Day())}
}

// pastDates are the dates of what has happened (a decision): from
// earliestDate to today.
func (s *Server) pastDates() dateRange {
	return dateRange{from: earliestDate, to: s.today(), past: true}
}

// readDate reads a date typed by a person: 2026-07-01 (a date input) or
// 1.7.2026 (the Finnish way). "" is the zero date, fine unless required.
// msg is the message for the field in l ("" when the date is fine): the
// field is required, the date cannot be read, or it is outside r.
func readDate(l *Lang, v string, r dateRange, required bool) (d domain.Date, msg string) {
	if v == "" {
		if required {
			return domain.Date{}, l.T("error.required")
		}
		return domain.Date{}, ""
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		if t, err = time.Parse("2.1.2006", v); err != nil {
			return domain.Date{}, l.T("error.date")
		}
	}
	d = domain.NewDate(t.Year(), t.Month(), t.Day())
	switch {
	case r.past && d.After(r.to) && !d.Before(r.from):
		return domain.Date{}, l.T("error.date_future", "today", l.Date(r.to))
	case d.Before(r.from) || d.After(r.to):
		return domain.Date{}, l.T("error.date_range", "from", l.Date(r.from), "to", l.Date(r.to))
	}
	return d, ""
}
