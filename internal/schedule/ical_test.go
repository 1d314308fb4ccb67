package schedule

import (
	"slices"
	"testing"
	"time"
)

func TestRRULE(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want string
	}{
		{
			name: "last Friday until a date, UTC zone",
			rule: func() Rule {
				r := rule(t, Monthly, 1, "-1FR", "18:00-19:00", "2026-01-01", "UTC")
				r.Until = datePtr(t, "2027-12-31")
				return r
			}(),
			want: "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR;UNTIL=20271231T235959Z",
		},
		{
			name: "until keeps the whole local date in Chicago",
			rule: func() Rule {
				r := rule(t, Monthly, 1, "-1FR", "18:00-19:00", "2026-01-01", chicago)
				r.Until = datePtr(t, "2027-12-31")
				return r
			}(),
			want: "FREQ=MONTHLY;INTERVAL=1;BYDAY=-1FR;UNTIL=20280101T055959Z",
		},
		{
			name: "until in Madrid summer time",
			rule: func() Rule {
				r := rule(t, Weekly, 1, "MO,WE", "19:00-20:00", "2026-01-01", madrid)
				r.Until = datePtr(t, "2026-07-31")
				return r
			}(),
			want: "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE;UNTIL=20260731T215959Z",
		},
		{
			name: "weekly on several days",
			rule: rule(t, Weekly, 1, "mo,we", "19:00-20:00", "2026-01-01", chicago),
			want: "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE",
		},
		{
			name: "every other week on start's weekday",
			rule: rule(t, Weekly, 2, "", "19:00-20:00", "2026-01-08", chicago),
			want: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;WKST=MO",
		},
		{
			name: "first and third Monday",
			rule: rule(t, Monthly, 1, "1MO,3MO", "12:00-13:00", "2026-01-01", chicago),
			want: "FREQ=MONTHLY;INTERVAL=1;BYDAY=1MO,3MO",
		},
		{
			name: "monthly on start's day of the month",
			rule: rule(t, Monthly, 2, "", "12:00-13:00", "2026-01-31", chicago),
			want: "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=31",
		},
		{
			name: "invalid rule",
			rule: rule(t, Weekly, 1, "2TU", "12:00-13:00", "2026-01-01", chicago),
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.rule.RRULE(); got != tt.want {
				t.Errorf("RRULE() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExDates(t *testing.T) {
	r := baseRule(t) // Tuesdays 18:30 from 2026-01-06
	r.Until = datePtr(t, "2026-12-31")
	r.Skip = []Date{
		mustDate(t, "2026-12-29"),
		mustDate(t, "2026-03-10"), // spring-forward week: still 18:30 local
		mustDate(t, "2026-12-25"), // a Friday: no meeting to exclude
		mustDate(t, "2026-03-10"), // duplicate
		mustDate(t, "2025-12-30"), // before Start
		mustDate(t, "2027-01-05"), // after Until
	}
	want := []string{"20260310T183000", "20261229T183000"}
	if got := r.ExDates(); !slices.Equal(got, want) {
		t.Errorf("ExDates() = %q, want %q", got, want)
	}

	// Each value must equal the local DTSTART of the occurrence it removes.
	loc := mustLoad(t, chicago)
	r.Skip = nil
	occs, err := r.Between(time.Date(2026, 3, 10, 0, 0, 0, 0, loc), time.Date(2026, 3, 11, 0, 0, 0, 0, loc), 1)
	if err != nil || len(occs) != 1 {
		t.Fatalf("Between: %v, %v", occs, err)
	}
	if got := occs[0].Start.Format(ICalLocalLayout); got != want[0] {
		t.Errorf("occurrence DTSTART %s, EXDATE %s", got, want[0])
	}
}
