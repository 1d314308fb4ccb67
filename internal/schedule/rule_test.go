package schedule

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		modify func(r *Rule)
		fields []string // nil: valid
	}{
		{name: "valid weekly", modify: func(r *Rule) {}},
		{name: "valid monthly ordinals", modify: func(r *Rule) {
			r.Freq, r.ByDay = Monthly, mustByDay(t, "1MO,-1FR,WE")
		}},
		{name: "valid past midnight", modify: func(r *Rule) { r.OpensAt, r.ClosesAt = Clock{22, 0}, Clock{1, 30} }},
		{name: "valid until on start", modify: func(r *Rule) { r.Until = &r.Start }},
		{name: "valid UTC", modify: func(r *Rule) { r.TimeZone = "UTC" }},
		{name: "zero rule", modify: func(r *Rule) { *r = Rule{} },
			fields: []string{"freq", "interval", "closes_at", "dtstart", "time_zone"}},
		{name: "unsupported freq", modify: func(r *Rule) { r.Freq = "DAILY" }, fields: []string{"freq"}},
		{name: "lower-case freq", modify: func(r *Rule) { r.Freq = "weekly" }, fields: []string{"freq"}},
		{name: "zero interval", modify: func(r *Rule) { r.Interval = 0 }, fields: []string{"interval"}},
		{name: "negative interval", modify: func(r *Rule) { r.Interval = -2 }, fields: []string{"interval"}},
		{name: "ordinal on weekly", modify: func(r *Rule) { r.ByDay = mustByDay(t, "2TU") }, fields: []string{"byday"}},
		{name: "no such weekday", modify: func(r *Rule) { r.ByDay = []Weekday{{0, 7}} }, fields: []string{"byday"}},
		{name: "sixth Monday", modify: func(r *Rule) { r.Freq, r.ByDay = Monthly, []Weekday{{6, time.Monday}} }, fields: []string{"byday"}},
		{name: "duplicate day", modify: func(r *Rule) { r.ByDay = []Weekday{{0, time.Monday}, {0, time.Monday}} }, fields: []string{"byday"}},
		{name: "opens 24:00", modify: func(r *Rule) { r.OpensAt = Clock{24, 0} }, fields: []string{"opens_at"}},
		{name: "closes 12:60", modify: func(r *Rule) { r.ClosesAt = Clock{12, 60} }, fields: []string{"closes_at"}},
		{name: "closes when opens", modify: func(r *Rule) { r.ClosesAt = r.OpensAt }, fields: []string{"closes_at"}},
		{name: "impossible start", modify: func(r *Rule) { r.Start = Date{2026, time.February, 30} }, fields: []string{"dtstart"}},
		{name: "until before start", modify: func(r *Rule) { r.Until = datePtr(t, "2026-01-05") }, fields: []string{"until"}},
		{name: "impossible until", modify: func(r *Rule) { r.Until = &Date{2026, time.April, 31} }, fields: []string{"until"}},
		{name: "unknown zone", modify: func(r *Rule) { r.TimeZone = "Mars/Olympus_Mons" }, fields: []string{"time_zone"}},
		{name: "server-local zone", modify: func(r *Rule) { r.TimeZone = "Local" }, fields: []string{"time_zone"}},
		{name: "path-like zone", modify: func(r *Rule) { r.TimeZone = "../../etc/passwd" }, fields: []string{"time_zone"}},
		{name: "impossible skip", modify: func(r *Rule) { r.Skip = []Date{{2026, time.June, 31}} }, fields: []string{"skip"}},
		{name: "several at once", modify: func(r *Rule) {
			r.Interval, r.OpensAt, r.TimeZone = 0, Clock{-1, 0}, ""
		}, fields: []string{"interval", "opens_at", "time_zone"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := baseRule(t)
			tt.modify(&r)
			err := r.Validate()
			if tt.fields == nil {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate() = %v (%T), want *ValidationError", err, err)
			}
			if got := ve.Fields(); !slices.Equal(got, tt.fields) {
				t.Errorf("fields = %v, want %v (%v)", got, tt.fields, err)
			}
			for _, f := range tt.fields {
				if !strings.Contains(err.Error(), f+": ") {
					t.Errorf("message %q does not name %s", err, f)
				}
			}
		})
	}
}

func TestExpansionRejectsInvalidRule(t *testing.T) {
	r := baseRule(t)
	r.Interval = 0
	var ve *ValidationError
	if _, err := r.Next(time.Now(), 1); !errors.As(err, &ve) {
		t.Errorf("Next error = %v, want *ValidationError", err)
	}
	if _, err := r.Between(time.Now(), time.Now().Add(time.Hour), 1); !errors.As(err, &ve) {
		t.Errorf("Between error = %v, want *ValidationError", err)
	}
	if got := r.RRULE(); got != "" {
		t.Errorf("RRULE = %q, want empty", got)
	}
	if got := r.ExDates(); got != nil {
		t.Errorf("ExDates = %q, want nil", got)
	}
}

func TestParseFreq(t *testing.T) {
	for in, want := range map[string]Freq{"WEEKLY": Weekly, " monthly ": Monthly, "Weekly": Weekly} {
		if got, err := ParseFreq(in); err != nil || got != want {
			t.Errorf("ParseFreq(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "DAILY", "YEARLY", "week"} {
		if _, err := ParseFreq(in); err == nil {
			t.Errorf("ParseFreq(%q) succeeded", in)
		}
	}
}

func TestLocation(t *testing.T) {
	r := baseRule(t)
	for range 2 { // the second call is served from the cache
		loc, err := r.Location()
		if err != nil || loc.String() != "America/Chicago" {
			t.Fatalf("Location() = %v, %v", loc, err)
		}
	}
	r.TimeZone = "Nowhere/Special"
	if _, err := r.Location(); err == nil || !strings.Contains(err.Error(), "time_zone") {
		t.Errorf("Location() error = %v", err)
	}
}
