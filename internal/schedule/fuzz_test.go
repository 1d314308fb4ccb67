package schedule

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func FuzzParseByDay(f *testing.F) {
	for _, s := range []string{"", "MO,WE", "2TU", "-1FR", "1MO,3MO", "mo, we", "+5su", "-1 fr", "MO,,WE", "0MO", "ſu", "MO,MO", "99MO"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		days, err := ParseByDay(s)
		if err != nil {
			return
		}
		if (len(days) == 0) != (strings.TrimSpace(s) == "") {
			t.Fatalf("ParseByDay(%q) = %v", s, days)
		}
		for _, w := range days {
			if !w.isValid() {
				t.Fatalf("ParseByDay(%q) produced out-of-range %+v", s, w)
			}
		}
		formatted := FormatByDay(days)
		again, err := ParseByDay(formatted)
		if err != nil {
			t.Fatalf("ParseByDay(FormatByDay(%v) = %q): %v", days, formatted, err)
		}
		if !slices.Equal(again, days) {
			t.Fatalf("round trip of %q: %v → %q → %v", s, days, formatted, again)
		}
		if FormatByDay(again) != formatted {
			t.Fatalf("FormatByDay is not canonical for %q", s)
		}
	})
}

func FuzzParseClock(f *testing.F) {
	for _, s := range []string{"18:30", "9:05", "00:00", "23:59", "18:00:00", "24:00", "12:60", "18:30Z", "+9:00", " 7:45 ", "1:2:3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseClock(s)
		if err != nil {
			return
		}
		if !c.IsValid() {
			t.Fatalf("ParseClock(%q) = invalid %+v", s, c)
		}
		again, err := ParseClock(c.String())
		if err != nil || again != c {
			t.Fatalf("round trip of %q: %v → %q → %v, %v", s, c, c.String(), again, err)
		}
		if PartOfDay(c) == "" {
			t.Fatalf("PartOfDay(%v) is empty", c)
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-01-06", "2024-02-29", "2026-02-29", "0001-01-01", "9999-12-31", "0000-01-01", " 2026-12-31 ", "2026-1-6", "+026-01-06"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if !d.IsValid() {
			t.Fatalf("ParseDate(%q) = invalid %+v", s, d)
		}
		if d.String() != strings.TrimSpace(s) {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		again, err := ParseDate(d.String())
		if err != nil || again != d {
			t.Fatalf("round trip of %q: %v, %v", s, again, err)
		}
		if d.AddDays(1).AddDays(-1) != d || !d.AddDays(1).After(d) {
			t.Fatalf("AddDays misbehaves around %v", d)
		}
		if got, want := d.Weekday(), time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, time.UTC).Weekday(); got != want {
			t.Fatalf("%v.Weekday() = %v, want %v", d, got, want)
		}
	})
}

// FuzzRuleNext builds a rule from arbitrary fields. Invalid rules must be
// reported as *ValidationError by Validate and Next alike; valid ones must
// expand without panicking into ordered occurrences that respect every field.
func FuzzRuleNext(f *testing.F) {
	type seed struct {
		freq                   string
		interval               int
		byday                  string
		rawOrdinal, rawDay     int
		opensH, opensM         int
		closesH, closesM       int
		start, until, tz, skip string
		after                  int64
		n                      int
	}
	for _, s := range []seed{
		{"WEEKLY", 1, "TU", 0, 0, 18, 30, 20, 0, "2026-01-06", "", chicago, "", 1767225600, 5},
		{"WEEKLY", 2, "MO,TH", 0, 0, 19, 0, 20, 30, "2026-01-07", "2026-12-31", chicago, "2026-01-19", 1767225600, 10},
		{"MONTHLY", 1, "-1FR", 0, 0, 22, 0, 1, 30, "2026-01-01", "", madrid, "2026-03-27,2026-04-24", 1772323200, 12},
		{"MONTHLY", 1, "5MO", 0, 0, 19, 0, 20, 0, "2026-01-01", "2026-02-28", chicago, "", 1767225600, 3},
		{"MONTHLY", 1, "", 0, 0, 2, 30, 3, 0, "2026-01-31", "", chicago, "", 1767225600, 100},
		{"WEEKLY", 1, "SU", 0, 0, 2, 30, 3, 0, "2026-03-01", "", chicago, "", 1772323200, 3},
		{"WEEKLY", 0, "2TU", 0, 0, 24, 0, 12, 60, "2026-02-30", "2025-01-01", "Local", "bogus", 0, 0},
		{"DAILY", 1, "XX", 9, 12, 0, 0, 0, 0, "", "", "", "", -1 << 62, -1},
		{"WEEKLY", 1 << 40, "", 0, 0, 0, 0, 23, 59, "9999-12-31", "", "UTC", "", 1 << 62, 1 << 40},
	} {
		f.Add(s.freq, s.interval, s.byday, s.rawOrdinal, s.rawDay, s.opensH, s.opensM, s.closesH, s.closesM, s.start, s.until, s.tz, s.skip, s.after, s.n)
	}
	f.Fuzz(func(t *testing.T, freq string, interval int, byday string, rawOrdinal, rawDay int,
		opensH, opensM, closesH, closesM int, start, until, tz, skip string, afterUnix int64, n int) {
		r := Rule{
			Freq:     Freq(freq),
			Interval: interval,
			OpensAt:  Clock{opensH, opensM},
			ClosesAt: Clock{closesH, closesM},
			TimeZone: tz,
		}
		if days, err := ParseByDay(byday); err == nil {
			r.ByDay = days
		} else {
			// Let unparseable input stand for a hand-built, possibly
			// out-of-range entry, which only Validate can catch.
			r.ByDay = []Weekday{{Ordinal: rawOrdinal, Day: time.Weekday(rawDay)}}
		}
		r.Start, _ = ParseDate(start)
		if until != "" {
			u, err := ParseDate(until)
			if err != nil {
				u = Date{Year: 2026, Month: 13, Day: 1}
			}
			r.Until = &u
		}
		for _, s := range strings.Split(skip, ",") {
			if d, err := ParseDate(s); err == nil {
				r.Skip = append(r.Skip, d)
			}
		}
		after := time.Unix(afterUnix, 0)

		if err := r.Validate(); err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems) == 0 {
				t.Fatalf("Validate() = %v (%T), want a non-empty *ValidationError", err, err)
			}
			if _, err := r.Next(after, n); !errors.As(err, &ve) {
				t.Fatalf("Next on an invalid rule: %v", err)
			}
			if r.RRULE() != "" {
				t.Fatal("RRULE of an invalid rule is not empty")
			}
			return
		}

		occs, err := r.Next(after, n)
		if n < 1 {
			if err == nil {
				t.Fatalf("Next(%v, %d) accepted n < 1", after, n)
			}
			return
		}
		if err != nil {
			t.Fatalf("Next(%v, %d) on a valid rule: %v", after, n, err)
		}
		if len(occs) > n {
			t.Fatalf("Next returned %d > n = %d occurrences", len(occs), n)
		}
		// At most one meeting a day over the horizon (plus the lookback day).
		if len(occs) > 366*SearchHorizonYears+2 {
			t.Fatalf("Next returned %d occurrences, more than the horizon allows", len(occs))
		}
		skipped := make(map[Date]bool)
		for _, d := range r.Skip {
			skipped[d] = true
		}
		for i, o := range occs {
			if o.Start.Location().String() != tz || o.End.Location().String() != tz {
				t.Fatalf("occurrence %d in %v, want %s", i, o.Start.Location(), tz)
			}
			if !o.End.After(o.Start) || o.End.Sub(o.Start) > 26*time.Hour {
				t.Fatalf("occurrence %d runs %v → %v", i, o.Start, o.End)
			}
			if !o.End.After(after) {
				t.Fatalf("occurrence %d ended at %v, not after %v", i, o.End, after)
			}
			if i > 0 && !o.Start.After(occs[i-1].Start) {
				t.Fatalf("occurrences %d and %d out of order: %v, %v", i-1, i, occs[i-1].Start, o.Start)
			}
			day := DateOf(o.Start)
			if day.Before(r.Start) || (r.Until != nil && day.After(*r.Until)) {
				t.Fatalf("occurrence on %v outside %v..%v", day, r.Start, r.Until)
			}
			if skipped[day] {
				t.Fatalf("occurrence on skipped date %v", day)
			}
			if wall := (Clock{o.Start.Hour(), o.Start.Minute()}); wall != r.OpensAt && (wall.minutes() < r.OpensAt.minutes() || wall.minutes() > r.OpensAt.minutes()+3*60) {
				t.Fatalf("occurrence starts at %v local, opens_at is %v", wall, r.OpensAt)
			}
		}

		if r.RRULE() == "" {
			t.Fatal("RRULE of a valid rule is empty")
		}
		_ = r.ExDates()
		window, err := r.Between(after, after.Add(45*24*time.Hour), n)
		if err != nil {
			t.Fatalf("Between on a valid rule: %v", err)
		}
		for i := 1; i < len(window); i++ {
			if !window[i].Start.After(window[i-1].Start) {
				t.Fatalf("Between out of order at %d", i)
			}
		}
	})
}
