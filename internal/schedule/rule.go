package schedule

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Freq is how often a rule repeats. HSDS allows only these two.
type Freq string

// Frequencies.
const (
	Weekly  Freq = "WEEKLY"
	Monthly Freq = "MONTHLY"
)

// ParseFreq parses a frequency, ignoring case and surrounding white space.
func ParseFreq(s string) (Freq, error) {
	f := Freq(strings.ToUpper(strings.TrimSpace(s)))
	if f != Weekly && f != Monthly {
		return "", fmt.Errorf("schedule: invalid freq %q: want WEEKLY or MONTHLY", s)
	}
	return f, nil
}

// Rule is one recurring meeting of a listing.
//
// Start is the first date on which the meeting can happen, not necessarily a
// date on which it does: a MONTHLY "2TU" rule may start on the 1st. (In
// iCalendar DTSTART is itself an occurrence; see RRULE for the export.)
type Rule struct {
	Freq Freq
	// Interval is 1 for every week or month, 2 for every other one, and so on.
	Interval int
	// ByDay lists the meeting days. Empty means the weekday of Start for
	// WEEKLY rules and the day of the month of Start for MONTHLY ones.
	ByDay   []Weekday
	OpensAt Clock
	// ClosesAt earlier than OpensAt means the meeting runs past midnight and
	// ends the next day.
	ClosesAt Clock
	Start    Date
	// Until, if set, is the last local date on which a meeting may start.
	Until *Date
	// TimeZone is the IANA name of the meeting's time zone.
	TimeZone string
	// Skip lists local dates on which the meeting does not happen, such as
	// holidays. A meeting that starts the evening before a skipped date still
	// happens.
	Skip []Date
}

// FieldError is one problem with one field of a rule. Field uses the HSDS
// column names (plus time_zone and skip) so that import reports and forms can
// point at the offending input.
type FieldError struct {
	Field   string
	Problem string
}

func (e FieldError) String() string {
	return e.Field + ": " + e.Problem
}

// ValidationError lists everything wrong with a rule at once, so that an
// editor fixing a listing sees all problems in one round trip.
type ValidationError struct {
	Problems []FieldError
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		parts[i] = p.String()
	}
	return "schedule: invalid rule: " + strings.Join(parts, "; ")
}

// Fields returns the names of the fields with problems, in order, once each.
func (e *ValidationError) Fields() []string {
	var fields []string
	for _, p := range e.Problems {
		if len(fields) == 0 || fields[len(fields)-1] != p.Field {
			fields = append(fields, p.Field)
		}
	}
	return fields
}

func (e *ValidationError) add(field, format string, args ...any) {
	e.Problems = append(e.Problems, FieldError{Field: field, Problem: fmt.Sprintf(format, args...)})
}

// Validate checks r and returns a *ValidationError describing every problem,
// or nil. Between, Next and RRULE validate for themselves, so callers only
// need Validate to reject input early.
func (r Rule) Validate() error {
	var v ValidationError

	switch r.Freq {
	case Weekly, Monthly:
	case "":
		v.add("freq", "is required; want WEEKLY or MONTHLY")
	default:
		v.add("freq", "%q is not supported; want WEEKLY or MONTHLY", string(r.Freq))
	}

	if r.Interval < 1 {
		v.add("interval", "must be at least 1, got %d", r.Interval)
	}

	for i, w := range r.ByDay {
		switch {
		case w.Day < time.Sunday || w.Day > time.Saturday:
			v.add("byday", "entry %d has no such day of the week (%d)", i+1, int(w.Day))
		case w.Ordinal < -MaxOrdinal || w.Ordinal > MaxOrdinal:
			v.add("byday", "entry %d (%s) has ordinal %d; want 1 to %d or -1 to -%d", i+1, w, w.Ordinal, MaxOrdinal, MaxOrdinal)
		case w.Ordinal != 0 && r.Freq == Weekly:
			v.add("byday", "entry %d (%s) has an ordinal, which needs freq MONTHLY", i+1, w)
		}
		for _, earlier := range r.ByDay[:i] {
			if earlier == w {
				v.add("byday", "%s is listed twice", w)
				break
			}
		}
	}

	if !r.OpensAt.IsValid() {
		v.add("opens_at", "%s is not a time between 00:00 and 23:59", r.OpensAt)
	}
	switch {
	case !r.ClosesAt.IsValid():
		v.add("closes_at", "%s is not a time between 00:00 and 23:59", r.ClosesAt)
	case r.ClosesAt == r.OpensAt:
		v.add("closes_at", "must differ from opens_at (%s)", r.OpensAt)
	}

	startOK := r.Start.IsValid()
	if !startOK {
		if r.Start == (Date{}) {
			v.add("dtstart", "is required")
		} else {
			v.add("dtstart", "%s is not a valid date", r.Start)
		}
	}
	if r.Until != nil {
		switch {
		case !r.Until.IsValid():
			v.add("until", "%s is not a valid date", *r.Until)
		case startOK && r.Until.Before(r.Start):
			v.add("until", "%s is before dtstart %s", *r.Until, r.Start)
		}
	}

	if _, problem := loadLocation(r.TimeZone); problem != "" {
		v.add("time_zone", "%s", problem)
	}

	for i, d := range r.Skip {
		if !d.IsValid() {
			v.add("skip", "entry %d (%s) is not a valid date", i+1, d)
		}
	}

	if len(v.Problems) > 0 {
		return &v
	}
	return nil
}

// locations caches loaded zones: time.LoadLocation reads the zone database on
// every call, and expansion runs per listing per request. Only names that
// loaded are cached, so arbitrary input cannot grow the cache.
var locations sync.Map // string → *time.Location

// Location loads the rule's time zone. "Local" and "" are refused because
// they would silently make the result depend on the server's configuration.
// Binaries that may run without a system zone database should import
// time/tzdata.
func (r Rule) Location() (*time.Location, error) {
	loc, problem := loadLocation(r.TimeZone)
	if problem != "" {
		return nil, fmt.Errorf("schedule: time_zone %s", problem)
	}
	return loc, nil
}

// loadLocation returns the zone, or a problem phrased to follow the field name.
func loadLocation(name string) (*time.Location, string) {
	if loc, ok := locations.Load(name); ok {
		return loc.(*time.Location), ""
	}
	switch name {
	case "":
		return nil, "is required, e.g. America/Chicago"
	case "Local":
		return nil, `"Local" depends on the server; use an IANA name such as America/Chicago`
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Sprintf("%q is not a known IANA time zone", name)
	}
	locations.Store(name, loc)
	return loc, ""
}
