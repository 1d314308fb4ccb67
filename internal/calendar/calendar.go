// Package calendar owns iCalendar (RFC 5545) export: a listing's meetings as
// recurring events in the listing's own time zone, with that zone described.
package calendar

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/schedule"
)

// ErrNothingToAdd means the listing has no meetings to put in a calendar: it is
// paused, or every schedule has ended.
var ErrNothingToAdd = errors.New("no meetings to add to a calendar")

// Write writes a VCALENDAR with one recurring VEVENT per schedule. pageURL is the
// listing's public address.
func Write(w io.Writer, l directory.PublicListing, pageURL string, now time.Time) error {
	if l.Paused {
		return ErrNothingToAdd
	}
	var b builder
	b.line("BEGIN:VCALENDAR")
	b.line("VERSION:2.0")
	b.line("PRODID:-//belong//directory//EN")
	b.line("CALSCALE:GREGORIAN")
	b.line("METHOD:PUBLISH")
	zones := map[string]bool{}
	var events builder
	for _, s := range l.Schedules {
		rule, err := s.Rule()
		if err != nil {
			continue
		}
		loc, err := rule.Location()
		if err != nil {
			continue
		}
		first, err := rule.Next(rule.Start.In(loc), 1)
		if err != nil || len(first) == 0 {
			continue
		}
		upcoming, err := rule.Next(now, 1)
		if err != nil || len(upcoming) == 0 {
			continue // ended
		}
		zones[rule.TimeZone] = true
		const local = schedule.ICalLocalLayout
		events.line("BEGIN:VEVENT")
		events.line("UID:" + s.ID + "@belong")
		events.line("DTSTAMP:" + now.UTC().Format("20060102T150405Z"))
		events.line("DTSTART;TZID=" + rule.TimeZone + ":" + first[0].Start.Format(local))
		events.line("DTEND;TZID=" + rule.TimeZone + ":" + first[0].End.Format(local))
		events.line("RRULE:" + rule.RRULE())
		if ex := rule.ExDates(); len(ex) > 0 {
			events.line("EXDATE;TZID=" + rule.TimeZone + ":" + strings.Join(ex, ","))
		}
		events.line("SUMMARY:" + escape(l.Name))
		desc := l.Summary
		if s.Notes != "" {
			desc += "\n" + s.Notes
		}
		events.line("DESCRIPTION:" + escape(desc+"\n"+pageURL))
		if where := location(l); where != "" {
			events.line("LOCATION:" + escape(where))
		}
		events.line("URL:" + pageURL)
		events.line("END:VEVENT")
	}
	if events.Len() == 0 {
		return ErrNothingToAdd
	}
	for zone := range zones {
		if err := writeZone(&b, zone, now); err != nil {
			return err
		}
	}
	b.WriteString(events.String())
	b.line("END:VCALENDAR")
	_, err := io.WriteString(w, b.String())
	return err
}

// location is where to go, as far as the listing shows it publicly: a discreet
// place gives only its neighbourhood.
func location(l directory.PublicListing) string {
	for _, loc := range l.Places() {
		if loc.Discreet {
			return loc.Neighbourhood + ", " + loc.City
		}
		parts := []string{}
		for _, p := range []string{loc.Name, loc.Address, loc.City} {
			if p != "" {
				parts = append(parts, p)
			}
		}
		return strings.Join(parts, ", ")
	}
	for _, loc := range l.Rooms() {
		if loc.URL != "" {
			return loc.URL
		}
	}
	return ""
}

// writeZone describes a time zone by its actual offset changes from a year before
// now to three years after, which RFC 5545 allows instead of rules.
func writeZone(b *builder, name string, now time.Time) error {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return fmt.Errorf("time zone %q: %w", name, err)
	}
	b.line("BEGIN:VTIMEZONE")
	b.line("TZID:" + name)
	from := time.Date(now.Year()-1, 1, 1, 0, 0, 0, 0, loc)
	to := time.Date(now.Year()+3, 1, 1, 0, 0, 0, 0, loc)
	prevName, prevOffset := from.Zone()
	wrote := false
	for t := from; t.Before(to); {
		end, ok := nextTransition(t, to)
		if !ok {
			break
		}
		name, offset := end.Zone()
		kind := "STANDARD"
		if end.IsDST() {
			kind = "DAYLIGHT"
		}
		b.line("BEGIN:" + kind)
		// DTSTART of an observance is in the local time in force before it.
		b.line("DTSTART:" + end.In(time.FixedZone("", prevOffset)).Format("20060102T150405"))
		b.line("TZOFFSETFROM:" + formatOffset(prevOffset))
		b.line("TZOFFSETTO:" + formatOffset(offset))
		b.line("TZNAME:" + name)
		b.line("END:" + kind)
		prevName, prevOffset, t, wrote = name, offset, end, true
	}
	if !wrote {
		b.line("BEGIN:STANDARD")
		b.line("DTSTART:19700101T000000")
		b.line("TZOFFSETFROM:" + formatOffset(prevOffset))
		b.line("TZOFFSETTO:" + formatOffset(prevOffset))
		b.line("TZNAME:" + prevName)
		b.line("END:STANDARD")
	}
	b.line("END:VTIMEZONE")
	return nil
}

// nextTransition finds the first instant after t, before limit, where the UTC
// offset changes: a day-by-day scan, then a binary search to the second.
func nextTransition(t, limit time.Time) (time.Time, bool) {
	_, off := t.Zone()
	lo := t
	for hi := t.Add(24 * time.Hour); !hi.After(limit); hi = hi.Add(24 * time.Hour) {
		if _, o := hi.Zone(); o != off {
			for hi.Sub(lo) > time.Second {
				mid := lo.Add(hi.Sub(lo) / 2)
				if _, o := mid.Zone(); o == off {
					lo = mid
				} else {
					hi = mid
				}
			}
			return hi.Truncate(time.Second), true
		}
		lo = hi
	}
	return time.Time{}, false
}

func formatOffset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	return fmt.Sprintf("%s%02d%02d", sign, seconds/3600, seconds%3600/60)
}

// escape applies RFC 5545 TEXT escaping.
func escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, ";", `\;`, ",", `\,`, "\r\n", `\n`, "\n", `\n`).Replace(s)
}

// builder writes content lines folded at 75 octets with CRLF endings.
type builder struct{ strings.Builder }

func (b *builder) line(s string) {
	limit := 75
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8Start(s[cut]) {
			cut--
		}
		b.WriteString(s[:cut] + "\r\n ")
		s, limit = s[cut:], 74 // a continuation line starts with the space
	}
	b.WriteString(s + "\r\n")
}

func utf8Start(c byte) bool { return c&0xC0 != 0x80 }
