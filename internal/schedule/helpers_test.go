package schedule

import (
	"fmt"
	"testing"
	"time"

	// The DST assertions must not depend on the zone database of the machine
	// running the tests.
	_ "time/tzdata"
)

func mustDate(t testing.TB, s string) Date {
	t.Helper()
	d, err := ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func datePtr(t testing.TB, s string) *Date {
	d := mustDate(t, s)
	return &d
}

func mustByDay(t testing.TB, s string) []Weekday {
	t.Helper()
	days, err := ParseByDay(s)
	if err != nil {
		t.Fatal(err)
	}
	return days
}

func mustClock(t testing.TB, s string) Clock {
	t.Helper()
	c, err := ParseClock(s)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// at builds an instant from a local wall time, for windows and "after".
func at(t testing.TB, zone, local string) time.Time {
	t.Helper()
	ts, err := time.ParseInLocation("2006-01-02 15:04", local, mustLoad(t, zone))
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// describe renders occurrences so that a failing table row shows the local
// wall times and offsets at a glance, e.g. "Tue 2026-03-10 18:30 -0500 → Tue 20:00 -0500".
func describe(occs []Occurrence) []string {
	out := make([]string, len(occs))
	for i, o := range occs {
		out[i] = fmt.Sprintf("%s → %s", o.Start.Format("Mon 2006-01-02 15:04 -0700"), o.End.Format("Mon 15:04 -0700"))
	}
	return out
}

// baseRule returns a valid weekly rule that table rows modify.
func baseRule(t testing.TB) Rule {
	return Rule{
		Freq:     Weekly,
		Interval: 1,
		ByDay:    mustByDay(t, "TU"),
		OpensAt:  mustClock(t, "18:30"),
		ClosesAt: mustClock(t, "20:00"),
		Start:    mustDate(t, "2026-01-06"),
		TimeZone: "America/Chicago",
	}
}
