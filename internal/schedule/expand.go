package schedule

import (
	"fmt"
	"time"
)

// SearchHorizonYears bounds every expansion: Between and Next never look more
// than this many years past the first day they consider. A rule that never
// matches (a fifth Monday with an Until before any) therefore costs at most a
// few thousand cheap date checks instead of an endless loop, and a meeting
// that happens less often than this is not a meeting a directory can list.
const SearchHorizonYears = 3

// lastDate is the last date a Date can express; expansion stops there.
var lastDate = Date{Year: 9999, Month: time.December, Day: 31}

// Occurrence is one dated meeting. Start and End are in the rule's location,
// so their wall-clock readings are what attendees see: OpensAt and ClosesAt,
// whatever the UTC offset of the day. Two readings cannot be honoured
// literally. An opening time skipped by a spring-forward jump (02:30 on
// 2026-03-08 in Chicago) moves forward by the jump, to 03:30, as RFC 5545
// prescribes, and if the closing time then comes first the meeting keeps its
// scheduled length. An opening time that happens twice on a fall-back night
// means the first of the two.
type Occurrence struct {
	Start, End time.Time
}

// Between returns the occurrences that overlap the half-open window
// [from, to), in order of Start, at most limit of them. Overlap rather than
// "starts within" so that a calendar day view includes a meeting that began
// the evening before and is still running after midnight. from and to may be
// in any location.
//
// The search covers at most SearchHorizonYears from the later of from and the
// rule's Start; a longer window is silently cut short there.
func (r Rule) Between(from, to time.Time, limit int) ([]Occurrence, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if limit < 1 {
		return nil, fmt.Errorf("schedule: Between: limit must be at least 1, got %d", limit)
	}
	if to.Before(from) {
		return nil, fmt.Errorf("schedule: Between: to (%s) is before from (%s)", to.Format(time.RFC3339), from.Format(time.RFC3339))
	}
	if !from.Before(to) {
		return nil, nil // an empty window overlaps nothing
	}
	loc, _ := r.Location()
	// A day earlier, because a meeting that runs past midnight can still be
	// going on at from.
	first := DateOf(from.In(loc)).AddDays(-1)
	last := DateOf(to.In(loc))
	return r.expand(loc, first, last, limit, func(o Occurrence) bool {
		return o.Start.Before(to) && o.End.After(from)
	}), nil
}

// Next returns up to n occurrences, in order of Start, that have not ended by
// after. A meeting that started before after but is still running is
// included, because "what's on now" is a question the directory answers and
// someone can still join late; callers that only want future starts can drop
// occurrences whose Start is before after.
//
// The search covers at most SearchHorizonYears from the later of after and
// the rule's Start, so fewer than n occurrences (possibly none) can come back
// without an error.
func (r Rule) Next(after time.Time, n int) ([]Occurrence, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	if n < 1 {
		return nil, fmt.Errorf("schedule: Next: n must be at least 1, got %d", n)
	}
	loc, _ := r.Location()
	first := DateOf(after.In(loc)).AddDays(-1)
	return r.expand(loc, first, lastDate, n, func(o Occurrence) bool {
		return o.End.After(after)
	}), nil
}

// expand walks the local dates from first to last, clamped to the rule's own
// range and the search horizon, and collects up to limit occurrences that
// keep accepts. r must be valid.
func (r Rule) expand(loc *time.Location, first, last Date, limit int, keep func(Occurrence) bool) []Occurrence {
	first = maxDate(first, r.Start)
	last = minDate(last, lastDate)
	if r.Until != nil {
		last = minDate(last, *r.Until)
	}
	horizon := DateOf(time.Date(first.Year+SearchHorizonYears, first.Month, first.Day, 0, 0, 0, 0, time.UTC))
	last = minDate(last, horizon)

	skip := make(map[Date]bool, len(r.Skip))
	for _, d := range r.Skip {
		skip[d] = true
	}

	var out []Occurrence
	for d := first; !d.After(last); d = d.AddDays(1) {
		if skip[d] || !r.matches(d) {
			continue
		}
		o := r.occurrenceOn(d, loc)
		if !keep(o) {
			continue
		}
		out = append(out, o)
		if len(out) >= limit {
			break
		}
	}
	return out
}

// matches reports whether the rule has a meeting on d, ignoring Skip and
// Until. d must not be before Start.
func (r Rule) matches(d Date) bool {
	switch r.Freq {
	case Weekly:
		// Weeks run Monday to Sunday, as iCalendar's default WKST=MO, and are
		// counted from the week containing Start so that "every other week"
		// does not depend on which day of that week Start falls on.
		weeks := daysBetween(mondayOf(r.Start), mondayOf(d)) / 7
		if weeks%r.Interval != 0 {
			return false
		}
		if len(r.ByDay) == 0 {
			return d.Weekday() == r.Start.Weekday()
		}
		for _, w := range r.ByDay {
			if w.Day == d.Weekday() {
				return true
			}
		}
		return false

	case Monthly:
		months := (d.Year-r.Start.Year)*12 + int(d.Month) - int(r.Start.Month)
		if months%r.Interval != 0 {
			return false
		}
		if len(r.ByDay) == 0 {
			// Months without this day (the 31st in April) simply have no
			// meeting, as in iCalendar, rather than moving it to another day.
			return d.Day == r.Start.Day
		}
		nth := (d.Day-1)/7 + 1
		nthFromEnd := -((daysIn(d.Year, d.Month)-d.Day)/7 + 1)
		for _, w := range r.ByDay {
			if w.Day != d.Weekday() {
				continue
			}
			if w.Ordinal == 0 || w.Ordinal == nth || w.Ordinal == nthFromEnd {
				return true
			}
		}
		return false
	}
	return false
}

func mondayOf(d Date) Date {
	sinceMonday := (int(d.Weekday()) + 6) % 7
	return d.AddDays(-sinceMonday)
}

// occurrenceOn builds the meeting that starts on local date d.
func (r Rule) occurrenceOn(d Date, loc *time.Location) Occurrence {
	start := wallTime(d, r.OpensAt, loc)
	endDay := d
	if r.ClosesAt.minutes() <= r.OpensAt.minutes() {
		endDay = d.AddDays(1)
	}
	end := wallTime(endDay, r.ClosesAt, loc)
	if !end.After(start) {
		// Only possible when a daylight-saving jump swallows the opening time
		// and the meeting closes inside the same hour (opens 02:30, closes
		// 03:00 on a spring-forward night). Keep the scheduled length rather
		// than return a meeting that ends before it starts.
		end = start.Add(r.length())
	}
	return Occurrence{Start: start, End: end}
}

// length is the scheduled duration by the wall clock.
func (r Rule) length() time.Duration {
	minutes := (r.ClosesAt.minutes() - r.OpensAt.minutes() + 24*60) % (24 * 60)
	return time.Duration(minutes) * time.Minute
}

// wallTime returns the instant at which clocks in loc read c on d.
//
// A reading skipped by a spring-forward jump (02:30 on 2026-03-08 in
// America/Chicago) is moved forward by the size of the jump, to 03:30, which is
// what RFC 5545 prescribes, so the directory agrees with exported calendars.
// time.Date alone leaves the direction unspecified (currently it moves back
// to 01:30). A reading that happens twice on a fall-back night resolves to
// the first of the two, as time.Date does and RFC 5545 also prescribes.
func wallTime(d Date, c Clock, loc *time.Location) time.Time {
	t := time.Date(d.Year, d.Month, d.Day, c.Hour, c.Minute, 0, 0, loc)
	want := time.Date(d.Year, d.Month, d.Day, c.Hour, c.Minute, 0, 0, time.UTC)
	got := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), 0, 0, time.UTC)
	if got.Before(want) {
		t = t.Add(want.Sub(got))
	}
	return t
}
