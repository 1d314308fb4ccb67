package schedule

import (
	"slices"
	"strings"
	"testing"
	"time"
)

// rule builds a rule from the strings a listing editor would type; hours is
// "opens-closes".
func rule(t testing.TB, freq Freq, interval int, byday, hours, start, zone string) Rule {
	t.Helper()
	opens, closes, _ := strings.Cut(hours, "-")
	return Rule{
		Freq:     freq,
		Interval: interval,
		ByDay:    mustByDay(t, byday),
		OpensAt:  mustClock(t, opens),
		ClosesAt: mustClock(t, closes),
		Start:    mustDate(t, start),
		TimeZone: zone,
	}
}

const chicago, madrid = "America/Chicago", "Europe/Madrid"

func TestNextRecurrence(t *testing.T) {
	tests := []struct {
		name  string
		rule  Rule
		after string // local time in the rule's zone
		n     int
		want  []string
	}{
		{
			name: "weekly on Monday", rule: rule(t, Weekly, 1, "MO", "18:30-20:00", "2026-01-05", chicago),
			after: "2026-01-01 00:00", n: 4,
			want: []string{
				"Mon 2026-01-05 18:30 -0600 → Mon 20:00 -0600",
				"Mon 2026-01-12 18:30 -0600 → Mon 20:00 -0600",
				"Mon 2026-01-19 18:30 -0600 → Mon 20:00 -0600",
				"Mon 2026-01-26 18:30 -0600 → Mon 20:00 -0600",
			},
		},
		{
			name: "weekly on several days, start mid-week", rule: rule(t, Weekly, 1, "MO,WE,FR", "07:00-08:00", "2026-01-07", chicago),
			after: "2026-01-01 00:00", n: 4,
			want: []string{
				"Wed 2026-01-07 07:00 -0600 → Wed 08:00 -0600",
				"Fri 2026-01-09 07:00 -0600 → Fri 08:00 -0600",
				"Mon 2026-01-12 07:00 -0600 → Mon 08:00 -0600",
				"Wed 2026-01-14 07:00 -0600 → Wed 08:00 -0600",
			},
		},
		{
			name: "weekly without byday uses the weekday of start", rule: rule(t, Weekly, 1, "", "12:00-13:00", "2026-01-08", chicago),
			after: "2026-01-01 00:00", n: 3,
			want: []string{
				"Thu 2026-01-08 12:00 -0600 → Thu 13:00 -0600",
				"Thu 2026-01-15 12:00 -0600 → Thu 13:00 -0600",
				"Thu 2026-01-22 12:00 -0600 → Thu 13:00 -0600",
			},
		},
		{
			name: "every day of the week", rule: rule(t, Weekly, 1, "SU,MO,TU,WE,TH,FR,SA", "06:00-06:30", "2026-01-01", "UTC"),
			after: "2026-01-02 06:15", n: 3,
			want: []string{
				"Fri 2026-01-02 06:00 +0000 → Fri 06:30 +0000",
				"Sat 2026-01-03 06:00 +0000 → Sat 06:30 +0000",
				"Sun 2026-01-04 06:00 +0000 → Sun 06:30 +0000",
			},
		},
		{
			name: "every other week counts weeks from start's week", rule: rule(t, Weekly, 2, "MO,TH", "19:00-20:30", "2026-01-07", chicago),
			after: "2026-01-01 00:00", n: 5,
			want: []string{
				// Monday 2026-01-05 is in start's week but before start.
				"Thu 2026-01-08 19:00 -0600 → Thu 20:30 -0600",
				"Mon 2026-01-19 19:00 -0600 → Mon 20:30 -0600",
				"Thu 2026-01-22 19:00 -0600 → Thu 20:30 -0600",
				"Mon 2026-02-02 19:00 -0600 → Mon 20:30 -0600",
				"Thu 2026-02-05 19:00 -0600 → Thu 20:30 -0600",
			},
		},
		{
			name: "every other week with weeks starting Monday, start on Sunday", rule: rule(t, Weekly, 2, "MO", "19:00-20:00", "2026-01-11", chicago),
			after: "2026-01-01 00:00", n: 2,
			want: []string{
				"Mon 2026-01-19 19:00 -0600 → Mon 20:00 -0600",
				"Mon 2026-02-02 19:00 -0600 → Mon 20:00 -0600",
			},
		},
		{
			name: "every other week resumed mid-series", rule: rule(t, Weekly, 2, "TU", "18:30-20:00", "2026-01-06", chicago),
			after: "2026-06-01 00:00", n: 2,
			want: []string{
				"Tue 2026-06-09 18:30 -0500 → Tue 20:00 -0500",
				"Tue 2026-06-23 18:30 -0500 → Tue 20:00 -0500",
			},
		},
		{
			name: "second Tuesday", rule: rule(t, Monthly, 1, "2TU", "18:00-19:30", "2026-01-01", chicago),
			after: "2026-01-01 00:00", n: 5,
			want: []string{
				"Tue 2026-01-13 18:00 -0600 → Tue 19:30 -0600",
				"Tue 2026-02-10 18:00 -0600 → Tue 19:30 -0600",
				"Tue 2026-03-10 18:00 -0500 → Tue 19:30 -0500",
				"Tue 2026-04-14 18:00 -0500 → Tue 19:30 -0500",
				"Tue 2026-05-12 18:00 -0500 → Tue 19:30 -0500",
			},
		},
		{
			name: "last Friday", rule: rule(t, Monthly, 1, "-1FR", "10:00-11:00", "2026-01-01", madrid),
			after: "2026-01-01 00:00", n: 5,
			want: []string{
				"Fri 2026-01-30 10:00 +0100 → Fri 11:00 +0100",
				"Fri 2026-02-27 10:00 +0100 → Fri 11:00 +0100",
				"Fri 2026-03-27 10:00 +0100 → Fri 11:00 +0100",
				"Fri 2026-04-24 10:00 +0200 → Fri 11:00 +0200",
				"Fri 2026-05-29 10:00 +0200 → Fri 11:00 +0200",
			},
		},
		{
			name: "second-to-last Sunday", rule: rule(t, Monthly, 1, "-2SU", "16:00-17:00", "2026-01-01", madrid),
			after: "2026-01-01 00:00", n: 3,
			want: []string{
				"Sun 2026-01-18 16:00 +0100 → Sun 17:00 +0100",
				"Sun 2026-02-15 16:00 +0100 → Sun 17:00 +0100",
				"Sun 2026-03-22 16:00 +0100 → Sun 17:00 +0100",
			},
		},
		{
			name: "fifth Monday only in months that have one", rule: rule(t, Monthly, 1, "5MO", "19:00-20:00", "2026-01-01", chicago),
			after: "2026-01-01 00:00", n: 4,
			want: []string{
				"Mon 2026-03-30 19:00 -0500 → Mon 20:00 -0500",
				"Mon 2026-06-29 19:00 -0500 → Mon 20:00 -0500",
				"Mon 2026-08-31 19:00 -0500 → Mon 20:00 -0500",
				"Mon 2026-11-30 19:00 -0600 → Mon 20:00 -0600",
			},
		},
		{
			name: "first and third Monday", rule: rule(t, Monthly, 1, "1MO,3MO", "12:00-13:00", "2026-01-01", chicago),
			after: "2026-01-01 00:00", n: 4,
			want: []string{
				"Mon 2026-01-05 12:00 -0600 → Mon 13:00 -0600",
				"Mon 2026-01-19 12:00 -0600 → Mon 13:00 -0600",
				"Mon 2026-02-02 12:00 -0600 → Mon 13:00 -0600",
				"Mon 2026-02-16 12:00 -0600 → Mon 13:00 -0600",
			},
		},
		{
			name: "second Tuesday every third month", rule: rule(t, Monthly, 3, "2TU", "18:00-19:00", "2026-02-01", chicago),
			after: "2026-01-01 00:00", n: 3,
			want: []string{
				"Tue 2026-02-10 18:00 -0600 → Tue 19:00 -0600",
				"Tue 2026-05-12 18:00 -0500 → Tue 19:00 -0500",
				"Tue 2026-08-11 18:00 -0500 → Tue 19:00 -0500",
			},
		},
		{
			name: "monthly on the 31st skips shorter months", rule: rule(t, Monthly, 1, "", "18:00-19:00", "2026-01-31", chicago),
			after: "2026-01-01 00:00", n: 4,
			want: []string{
				"Sat 2026-01-31 18:00 -0600 → Sat 19:00 -0600",
				"Tue 2026-03-31 18:00 -0500 → Tue 19:00 -0500",
				"Sun 2026-05-31 18:00 -0500 → Sun 19:00 -0500",
				"Fri 2026-07-31 18:00 -0500 → Fri 19:00 -0500",
			},
		},
		{
			name: "past-midnight close ends the next day", rule: rule(t, Weekly, 1, "FR", "22:00-01:30", "2026-01-02", chicago),
			after: "2026-01-01 00:00", n: 2,
			want: []string{
				"Fri 2026-01-02 22:00 -0600 → Sat 01:30 -0600",
				"Fri 2026-01-09 22:00 -0600 → Sat 01:30 -0600",
			},
		},
		{
			name: "meeting in progress counts", rule: rule(t, Weekly, 1, "TU", "18:30-20:00", "2026-01-06", chicago),
			after: "2026-01-13 19:59", n: 2,
			want: []string{
				"Tue 2026-01-13 18:30 -0600 → Tue 20:00 -0600",
				"Tue 2026-01-20 18:30 -0600 → Tue 20:00 -0600",
			},
		},
		{
			name: "meeting that has just ended does not", rule: rule(t, Weekly, 1, "TU", "18:30-20:00", "2026-01-06", chicago),
			after: "2026-01-13 20:00", n: 1,
			want: []string{"Tue 2026-01-20 18:30 -0600 → Tue 20:00 -0600"},
		},
		{
			name: "overnight meeting still running after midnight counts", rule: rule(t, Weekly, 1, "FR", "22:00-01:30", "2026-01-02", chicago),
			after: "2026-01-10 01:00", n: 1,
			want: []string{"Fri 2026-01-09 22:00 -0600 → Sat 01:30 -0600"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.rule.Validate(); err != nil {
				t.Fatal(err)
			}
			got, err := tt.rule.Next(at(t, tt.rule.TimeZone, tt.after), tt.n)
			if err != nil {
				t.Fatal(err)
			}
			if d := describe(got); !slices.Equal(d, tt.want) {
				t.Errorf("Next(%s, %d) =\n\t%s\nwant\n\t%s", tt.after, tt.n, strings.Join(d, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

func TestUntilAndSkip(t *testing.T) {
	tests := []struct {
		name   string
		modify func(r *Rule)
		want   []string
	}{
		{
			name:   "until is inclusive of its local date",
			modify: func(r *Rule) { r.Until = datePtr(t, "2026-01-20") },
			want:   []string{"2026-01-06", "2026-01-13", "2026-01-20"},
		},
		{
			name:   "until on start gives one meeting",
			modify: func(r *Rule) { r.Until = datePtr(t, "2026-01-06") },
			want:   []string{"2026-01-06"},
		},
		{
			// 18:30 in Chicago on the 20th is already the 21st in UTC;
			// Until must still be read as the local date.
			name:   "until compares local dates, not UTC ones",
			modify: func(r *Rule) { r.OpensAt, r.ClosesAt, r.Until = Clock{21, 0}, Clock{22, 0}, datePtr(t, "2026-01-20") },
			want:   []string{"2026-01-06", "2026-01-13", "2026-01-20"},
		},
		{
			name: "skip dates remove meetings",
			modify: func(r *Rule) {
				r.Skip = []Date{mustDate(t, "2026-01-13"), mustDate(t, "2026-01-27"), mustDate(t, "2026-01-28")}
			},
			want: []string{"2026-01-06", "2026-01-20", "2026-02-03", "2026-02-10"},
		},
		{
			name: "skip applies to the start date of an overnight meeting",
			modify: func(r *Rule) {
				r.OpensAt, r.ClosesAt = Clock{23, 0}, Clock{1, 0}
				r.Skip = []Date{mustDate(t, "2026-01-14")} // the day the 13th's meeting ends
			},
			want: []string{"2026-01-06", "2026-01-13", "2026-01-20", "2026-01-27"},
		},
		{
			name: "fifth Monday with until before any",
			modify: func(r *Rule) {
				r.Freq, r.ByDay, r.Start, r.Until = Monthly, mustByDay(t, "5MO"), mustDate(t, "2026-01-01"), datePtr(t, "2026-02-28")
			},
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := baseRule(t)
			tt.modify(&r)
			occs, err := r.Next(at(t, chicago, "2026-01-01 00:00"), 4)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range occs {
				got = append(got, DateOf(o.Start).String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("meeting dates = %v, want %v", got, tt.want)
			}
		})
	}
}

// TestDaylightSaving checks that meetings keep their local wall time while
// their UTC offset changes, in the weeks around the 2026 transitions.
func TestDaylightSaving(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		from string // local, in the rule's zone
		want []string
	}{
		{
			name: "Chicago spring forward, week of 2026-03-08",
			rule: rule(t, Weekly, 1, "TU,SU", "18:30-20:00", "2026-01-01", chicago),
			from: "2026-03-01 00:00",
			want: []string{
				"Sun 2026-03-01 18:30 -0600 → Sun 20:00 -0600",
				"Tue 2026-03-03 18:30 -0600 → Tue 20:00 -0600",
				"Sun 2026-03-08 18:30 -0500 → Sun 20:00 -0500",
				"Tue 2026-03-10 18:30 -0500 → Tue 20:00 -0500",
			},
		},
		{
			name: "Chicago fall back, week of 2026-11-01",
			rule: rule(t, Weekly, 1, "TU,SU", "18:30-20:00", "2026-01-01", chicago),
			from: "2026-10-25 00:00",
			want: []string{
				"Sun 2026-10-25 18:30 -0500 → Sun 20:00 -0500",
				"Tue 2026-10-27 18:30 -0500 → Tue 20:00 -0500",
				"Sun 2026-11-01 18:30 -0600 → Sun 20:00 -0600",
				"Tue 2026-11-03 18:30 -0600 → Tue 20:00 -0600",
			},
		},
		{
			name: "Madrid spring forward, week of 2026-03-29",
			rule: rule(t, Weekly, 1, "TU,SU", "19:00-20:30", "2026-01-01", madrid),
			from: "2026-03-22 00:00",
			want: []string{
				"Sun 2026-03-22 19:00 +0100 → Sun 20:30 +0100",
				"Tue 2026-03-24 19:00 +0100 → Tue 20:30 +0100",
				"Sun 2026-03-29 19:00 +0200 → Sun 20:30 +0200",
				"Tue 2026-03-31 19:00 +0200 → Tue 20:30 +0200",
			},
		},
		{
			name: "Madrid fall back, week of 2026-10-25",
			rule: rule(t, Weekly, 1, "TU,SU", "19:00-20:30", "2026-01-01", madrid),
			from: "2026-10-18 00:00",
			want: []string{
				"Sun 2026-10-18 19:00 +0200 → Sun 20:30 +0200",
				"Tue 2026-10-20 19:00 +0200 → Tue 20:30 +0200",
				"Sun 2026-10-25 19:00 +0100 → Sun 20:30 +0100",
				"Tue 2026-10-27 19:00 +0100 → Tue 20:30 +0100",
			},
		},
		{
			// 23:00 to 03:00 by the clock is only three hours on this night.
			name: "overnight meeting across Chicago spring forward",
			rule: rule(t, Weekly, 1, "SA", "23:00-03:00", "2026-03-01", chicago),
			from: "2026-03-07 00:00",
			want: []string{
				"Sat 2026-03-07 23:00 -0600 → Sun 03:00 -0500",
				"Sat 2026-03-14 23:00 -0500 → Sun 03:00 -0500",
			},
		},
		{
			name: "overnight meeting across Chicago fall back",
			rule: rule(t, Weekly, 1, "SA", "22:00-02:00", "2026-10-01", chicago),
			from: "2026-10-31 00:00",
			want: []string{
				"Sat 2026-10-31 22:00 -0500 → Sun 02:00 -0600",
				"Sat 2026-11-07 22:00 -0600 → Sun 02:00 -0600",
			},
		},
		{
			// 02:30 does not exist on 2026-03-08 in Chicago; RFC 5545 moves
			// it forward by the jump.
			name: "opening time skipped by spring forward",
			rule: rule(t, Weekly, 1, "SU", "02:30-04:00", "2026-03-01", chicago),
			from: "2026-03-01 00:00",
			want: []string{
				"Sun 2026-03-01 02:30 -0600 → Sun 04:00 -0600",
				"Sun 2026-03-08 03:30 -0500 → Sun 04:00 -0500",
				"Sun 2026-03-15 02:30 -0500 → Sun 04:00 -0500",
			},
		},
		{
			name: "opening and closing inside the skipped hour keep their length",
			rule: rule(t, Weekly, 1, "SU", "02:30-03:00", "2026-03-08", chicago),
			from: "2026-03-01 00:00",
			want: []string{
				"Sun 2026-03-08 03:30 -0500 → Sun 04:00 -0500",
				"Sun 2026-03-15 02:30 -0500 → Sun 03:00 -0500",
			},
		},
		{
			// 01:30 happens twice on 2026-11-01; the first one is meant.
			name: "opening time repeated by fall back",
			rule: rule(t, Weekly, 1, "SU", "01:30-02:30", "2026-11-01", chicago),
			from: "2026-11-01 00:00",
			want: []string{
				"Sun 2026-11-01 01:30 -0500 → Sun 02:30 -0600",
				"Sun 2026-11-08 01:30 -0600 → Sun 02:30 -0600",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.rule.Next(at(t, tt.rule.TimeZone, tt.from), len(tt.want))
			if err != nil {
				t.Fatal(err)
			}
			if d := describe(got); !slices.Equal(d, tt.want) {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(d, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
			for _, o := range got {
				if o.Start.Location().String() != tt.rule.TimeZone {
					t.Errorf("occurrence in %v, want %s", o.Start.Location(), tt.rule.TimeZone)
				}
			}
		})
	}
}

func TestBetween(t *testing.T) {
	tuesday := rule(t, Weekly, 1, "TU", "18:30-20:00", "2026-01-06", chicago)
	overnight := rule(t, Weekly, 1, "FR", "22:00-01:30", "2026-01-02", chicago)
	utc := func(s string) time.Time {
		ts, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return ts
	}
	tests := []struct {
		name     string
		rule     Rule
		from, to time.Time
		limit    int
		want     []string // local start dates
	}{
		{name: "a month", rule: tuesday, from: at(t, chicago, "2026-02-01 00:00"), to: at(t, chicago, "2026-03-01 00:00"), limit: 10,
			want: []string{"2026-02-03", "2026-02-10", "2026-02-17", "2026-02-24"}},
		{name: "limit truncates", rule: tuesday, from: at(t, chicago, "2026-02-01 00:00"), to: at(t, chicago, "2026-03-01 00:00"), limit: 2,
			want: []string{"2026-02-03", "2026-02-10"}},
		{name: "window ending at a start excludes it", rule: tuesday, from: at(t, chicago, "2026-02-03 00:00"), to: at(t, chicago, "2026-02-03 18:30"), limit: 10},
		{name: "window starting at an end excludes it", rule: tuesday, from: at(t, chicago, "2026-02-03 20:00"), to: at(t, chicago, "2026-02-04 00:00"), limit: 10},
		{name: "window inside a meeting includes it", rule: tuesday, from: at(t, chicago, "2026-02-03 19:00"), to: at(t, chicago, "2026-02-03 19:01"), limit: 10,
			want: []string{"2026-02-03"}},
		{name: "empty window", rule: tuesday, from: at(t, chicago, "2026-02-03 19:00"), to: at(t, chicago, "2026-02-03 19:00"), limit: 10},
		// The Tuesday 18:30 Chicago meeting is 00:30 UTC on Wednesday.
		{name: "UTC day before", rule: tuesday, from: utc("2026-02-03T00:00:00Z"), to: utc("2026-02-04T00:00:00Z"), limit: 10},
		{name: "UTC day after", rule: tuesday, from: utc("2026-02-04T00:00:00Z"), to: utc("2026-02-05T00:00:00Z"), limit: 10,
			want: []string{"2026-02-03"}},
		{name: "Saturday includes Friday's overnight meeting", rule: overnight, from: at(t, chicago, "2026-01-10 00:00"), to: at(t, chicago, "2026-01-11 00:00"), limit: 10,
			want: []string{"2026-01-09"}},
		{name: "window before start", rule: tuesday, from: at(t, chicago, "2025-01-01 00:00"), to: at(t, chicago, "2026-01-14 00:00"), limit: 10,
			want: []string{"2026-01-06", "2026-01-13"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			occs, err := tt.rule.Between(tt.from, tt.to, tt.limit)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, o := range occs {
				got = append(got, DateOf(o.Start).String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("meeting dates = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestExpansionLimits(t *testing.T) {
	r := baseRule(t)
	now := at(t, chicago, "2026-01-01 00:00")

	if _, err := r.Next(now, 0); err == nil {
		t.Error("Next with n = 0 succeeded")
	}
	if _, err := r.Between(now, now.Add(time.Hour), 0); err == nil {
		t.Error("Between with limit = 0 succeeded")
	}
	if _, err := r.Between(now, now.Add(-time.Hour), 10); err == nil {
		t.Error("Between with to before from succeeded")
	}

	// A window of 50 years is cut at the horizon: weekly for three years.
	occs, err := r.Between(now, now.AddDate(50, 0, 0), 1_000_000)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(occs); n < 3*52 || n > 3*53 {
		t.Errorf("got %d weekly occurrences over the horizon, want about %d", n, 3*52)
	}
	// The horizon runs from the rule's Start here, as that is after now.
	if last := occs[len(occs)-1].Start; last.After(r.Start.In(mustLoad(t, chicago)).AddDate(SearchHorizonYears, 0, 1)) {
		t.Errorf("last occurrence %v is past the horizon", last)
	}

	// A huge n must neither allocate for n nor run past the horizon.
	if occs, err := r.Next(now, 1<<62); err != nil || len(occs) > 3*53 {
		t.Errorf("Next with a huge n: %d occurrences, %v", len(occs), err)
	}

	// The fifth Monday of a February that never has one, ever: the search
	// gives up at the horizon.
	never := rule(t, Monthly, 12, "5MO", "19:00-20:00", "2026-02-01", chicago)
	if occs, err := never.Next(now, 1); err != nil || len(occs) != 0 {
		t.Errorf("never-matching rule: %v, %v", describe(occs), err)
	}

	// Extreme instants are clamped, not trusted.
	for _, after := range []time.Time{{}, time.Unix(-1<<62, 0), time.Unix(1<<62, 0), time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC)} {
		if _, err := r.Next(after, 3); err != nil {
			t.Errorf("Next(%v): %v", after, err)
		}
		if _, err := r.Between(after, after.Add(time.Hour), 3); err != nil {
			t.Errorf("Between(%v): %v", after, err)
		}
	}
}
