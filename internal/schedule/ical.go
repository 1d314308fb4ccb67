package schedule

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// ICalLocalLayout formats a local DATE-TIME for iCalendar properties that
// carry a TZID parameter, such as DTSTART;TZID=America/Chicago:20260106T183000.
const ICalLocalLayout = "20060102T150405"

// icalUTCLayout formats a UTC DATE-TIME, as UNTIL requires when DTSTART has a
// TZID.
const icalUTCLayout = "20060102T150405Z"

// RRULE returns the rule as an iCalendar RRULE value for .ics export, for
// example "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR;UNTIL=20280101T055959Z". It
// returns "" for a rule that does not validate.
//
// The value is written to mean the same as Between and Next when paired with
// DTSTART;TZID=<TimeZone> set to the first occurrence (r.Next(r.Start.In(loc), 1)),
// not to Start: iCalendar counts DTSTART as an occurrence even if the rule
// would not produce it. To that end:
//   - an empty ByDay is spelled out (BYDAY for WEEKLY, BYMONTHDAY for
//     MONTHLY) instead of being left to DTSTART;
//   - WKST=MO is stated for WEEKLY rules with an interval, whose weeks it
//     decides;
//   - UNTIL, which RFC 5545 requires in UTC alongside a TZID, is the last
//     second of the Until date in the rule's zone, so the whole local date
//     stays included. (In America/Chicago an Until of 2027-12-31 becomes
//     20280101T055959Z, not 20271231T235959Z, which would drop an evening
//     meeting that day.)
//
// Skip dates are not part of an RRULE; use ExDates for the EXDATE property.
func (r Rule) RRULE() string {
	if r.Validate() != nil {
		return ""
	}
	var b strings.Builder
	b.WriteString("FREQ=" + string(r.Freq))
	b.WriteString(";INTERVAL=" + strconv.Itoa(r.Interval))
	switch {
	case len(r.ByDay) > 0:
		b.WriteString(";BYDAY=" + FormatByDay(r.ByDay))
	case r.Freq == Weekly:
		b.WriteString(";BYDAY=" + Weekday{Day: r.Start.Weekday()}.String())
	case r.Freq == Monthly:
		b.WriteString(";BYMONTHDAY=" + strconv.Itoa(r.Start.Day))
	}
	if r.Freq == Weekly && r.Interval > 1 {
		b.WriteString(";WKST=MO")
	}
	if r.Until != nil {
		loc, _ := r.Location()
		u := *r.Until
		lastSecond := time.Date(u.Year, u.Month, u.Day, 23, 59, 59, 0, loc)
		b.WriteString(";UNTIL=" + lastSecond.UTC().Format(icalUTCLayout))
	}
	return b.String()
}

// ExDates returns the Skip dates that would otherwise have had a meeting, as
// local date-times at OpensAt in ICalLocalLayout, sorted and without
// duplicates, for an EXDATE;TZID=<TimeZone> property. Each value must match
// an occurrence's DTSTART exactly for calendar clients to honour it, hence
// the opening time. Skip dates on which the rule has no meeting anyway are
// left out. It returns nil for a rule that does not validate.
func (r Rule) ExDates() []string {
	if r.Validate() != nil {
		return nil
	}
	dates := slices.Clone(r.Skip)
	slices.SortFunc(dates, Date.Compare)
	dates = slices.Compact(dates)

	var out []string
	for _, d := range dates {
		if d.Before(r.Start) || (r.Until != nil && d.After(*r.Until)) || !r.matches(d) {
			continue
		}
		local := time.Date(d.Year, d.Month, d.Day, r.OpensAt.Hour, r.OpensAt.Minute, 0, 0, time.UTC)
		out = append(out, local.Format(ICalLocalLayout))
	}
	return out
}
