package calendar

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
)

// public is what the group page hands Write: the listing's public view.
func public(t *testing.T, l directory.Listing) directory.PublicListing {
	t.Helper()
	p, err := directory.Publish(l, noPhysicalTags{}, directory.Thresholds{}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type noPhysicalTags struct{}

func (noPhysicalTags) Physical(string) bool { return false }

func listing() directory.Listing {
	until := "2027-12-31"
	return directory.Listing{
		ID: "l1", Status: directory.Published, Slug: "grief-circle", Name: "Grief circle; Pilsen, Chicago", Summary: "A calm space to talk about loss.",
		Locations: []directory.Location{{Kind: directory.Physical, Name: "Casa Aztlán", Address: "1831 S Racine Ave",
			City: "Chicago", Neighbourhood: "Pilsen"}},
		Schedules: []directory.Schedule{
			{ID: "s1", Freq: "WEEKLY", Interval: 2, ByDay: "TU", OpensAt: "18:30", ClosesAt: "20:00",
				Start: "2026-01-06", TimeZone: "America/Chicago", SkipDates: []string{"2026-12-22"}},
			{ID: "s2", Freq: "MONTHLY", Interval: 1, ByDay: "-1FR", OpensAt: "10:00", ClosesAt: "11:30",
				Start: "2026-01-01", Until: &until, TimeZone: "America/Chicago"},
		},
	}
}

func TestWriteRecurringEventsInTheirZone(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	var b strings.Builder
	if err := Write(&b, public(t, listing()), "http://localhost:8080/groups/grief-circle", now); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\n", "DTSTART;TZID=America/Chicago:20260106T183000\r\n",
		"DTEND;TZID=America/Chicago:20260106T200000\r\n", "RRULE:FREQ=WEEKLY;INTERVAL=2",
		"EXDATE;TZID=America/Chicago:20261222T183000", "BYDAY=-1FR",
		"DTSTART;TZID=America/Chicago:20260130T100000\r\n",
		"BEGIN:VTIMEZONE\r\nTZID:America/Chicago\r\n", "BEGIN:DAYLIGHT\r\nDTSTART:20260308T020000\r\nTZOFFSETFROM:-0600\r\nTZOFFSETTO:-0500",
		"BEGIN:STANDARD\r\nDTSTART:20261101T020000\r\nTZOFFSETFROM:-0500\r\nTZOFFSETTO:-0600",
		`SUMMARY:Grief circle\; Pilsen\, Chicago`, "LOCATION:Casa Aztlán\\, 1831 S Racine Ave\\, Chicago",
		"END:VCALENDAR\r\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Count(out, "BEGIN:VTIMEZONE") != 1 || strings.Count(out, "BEGIN:VEVENT") != 2 {
		t.Errorf("want one zone and two events:\n%s", out)
	}
	for _, line := range strings.Split(out, "\r\n") {
		if len(line) > 75 {
			t.Errorf("line longer than 75 octets: %q", line)
		}
	}
}

func TestDiscreetPlaceShowsOnlyTheArea(t *testing.T) {
	l := listing()
	l.Locations[0].Discreet = true
	var b strings.Builder
	if err := Write(&b, public(t, l), "http://x/groups/g", time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "Racine") || !strings.Contains(b.String(), "LOCATION:Pilsen\\, Chicago") {
		t.Fatalf("discreet address leaked or area missing:\n%s", b.String())
	}
}

func TestNothingToAdd(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	paused := listing()
	paused.Paused = true
	if err := Write(&strings.Builder{}, public(t, paused), "u", now); !errors.Is(err, ErrNothingToAdd) {
		t.Fatalf("paused: got %v", err)
	}
	ended := listing()
	until := "2025-06-30"
	ended.Schedules = []directory.Schedule{{ID: "s", Freq: "WEEKLY", Interval: 1, ByDay: "MO", OpensAt: "09:00",
		ClosesAt: "10:00", Start: "2025-01-06", Until: &until, TimeZone: "Europe/Madrid"}}
	if err := Write(&strings.Builder{}, public(t, ended), "u", now); !errors.Is(err, ErrNothingToAdd) {
		t.Fatalf("ended: got %v", err)
	}
}

func TestLongLinesFoldWithoutSplittingCharacters(t *testing.T) {
	var b builder
	b.line("DESCRIPTION:" + strings.Repeat("ñ", 100))
	for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n") {
		if len(line) > 75 || (i > 0 && !strings.HasPrefix(line, " ")) {
			t.Fatalf("bad fold at line %d: %q", i, line)
		}
		if !strings.HasSuffix(strings.TrimLeft(line, " "), "ñ") && i > 0 && len(line) > 1 {
			t.Fatalf("a character was split: %q", line)
		}
	}
}
