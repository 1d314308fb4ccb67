package schedule

import (
	"fmt"
	"strings"
	"time"
)

// Date is a civil (calendar) date with no time of day and no location. Meeting
// dates are kept this way because "the meeting on 2026-12-25" means the local
// date wherever the group meets, not an instant.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// ParseDate parses an ISO 8601 calendar date, "YYYY-MM-DD", the format HSDS
// uses for dtstart and until. Surrounding white space is ignored; anything
// else, including dates that do not exist such as 2026-02-30, is an error.
func ParseDate(s string) (Date, error) {
	t := strings.TrimSpace(s)
	if len(t) != len("2006-01-02") || t[4] != '-' || t[7] != '-' {
		return Date{}, fmt.Errorf("schedule: invalid date %q: want YYYY-MM-DD", s)
	}
	y, okY := atoiDigits(t[0:4])
	m, okM := atoiDigits(t[5:7])
	d, okD := atoiDigits(t[8:10])
	if !okY || !okM || !okD {
		return Date{}, fmt.Errorf("schedule: invalid date %q: want YYYY-MM-DD", s)
	}
	date := Date{Year: y, Month: time.Month(m), Day: d}
	if !date.IsValid() {
		return Date{}, fmt.Errorf("schedule: invalid date %q: no such day", s)
	}
	return date, nil
}

// DateOf returns the civil date of t in t's own location. Convert t with
// t.In(loc) first to ask "which day is it in loc".
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{Year: y, Month: m, Day: d}
}

// IsValid reports whether d names a real day in years 1 to 9999, the range
// that the YYYY-MM-DD form can express.
func (d Date) IsValid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < time.January || d.Month > time.December {
		return false
	}
	return d.Day >= 1 && d.Day <= daysIn(d.Year, d.Month)
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText implements encoding.TextMarshaler using the YYYY-MM-DD form.
func (d Date) MarshalText() ([]byte, error) {
	if !d.IsValid() {
		return nil, fmt.Errorf("schedule: cannot marshal invalid date %s", d)
	}
	return []byte(d.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler using ParseDate.
func (d *Date) UnmarshalText(b []byte) error {
	parsed, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = parsed
	return nil
}

// In returns midnight at the start of d in loc. On the rare days whose
// midnight is skipped by a daylight-saving jump, time.Date's normalisation
// applies.
func (d Date) In(loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// Weekday returns the day of the week d falls on.
func (d Date) Weekday() time.Weekday {
	return d.utc().Weekday()
}

// AddDays returns the date n days after d (before, if n is negative).
func (d Date) AddDays(n int) Date {
	return DateOf(time.Date(d.Year, d.Month, d.Day+n, 0, 0, 0, 0, time.UTC))
}

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.Year != e.Year:
		return sign(d.Year - e.Year)
	case d.Month != e.Month:
		return sign(int(d.Month) - int(e.Month))
	default:
		return sign(d.Day - e.Day)
	}
}

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.Compare(e) < 0 }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.Compare(e) > 0 }

// utc anchors d in UTC, where every day is exactly 24 hours long, so that day
// arithmetic cannot be disturbed by daylight-saving time.
func (d Date) utc() time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC)
}

// daysBetween returns the number of days from d to e.
func daysBetween(d, e Date) int {
	// Unix seconds rather than Sub: a time.Duration saturates after ~292 years.
	return int((e.utc().Unix() - d.utc().Unix()) / (24 * 60 * 60))
}

func daysIn(year int, month time.Month) int {
	return time.Date(year, month+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	default:
		return 0
	}
}

func minDate(a, b Date) Date {
	if a.Before(b) {
		return a
	}
	return b
}

func maxDate(a, b Date) Date {
	if a.After(b) {
		return a
	}
	return b
}
