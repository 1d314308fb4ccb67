package schedule

import (
	"slices"
	"testing"
	"time"
)

func TestParseByDay(t *testing.T) {
	tests := []struct {
		in      string
		want    []Weekday
		format  string
		wantErr bool
	}{
		{in: "", want: nil, format: ""},
		{in: "  ", want: nil, format: ""},
		{in: "MO,WE", want: []Weekday{{0, time.Monday}, {0, time.Wednesday}}, format: "MO,WE"},
		{in: "mo, we ,Fr", want: []Weekday{{0, time.Monday}, {0, time.Wednesday}, {0, time.Friday}}, format: "MO,WE,FR"},
		{in: "2TU", want: []Weekday{{2, time.Tuesday}}, format: "2TU"},
		{in: "-1FR", want: []Weekday{{-1, time.Friday}}, format: "-1FR"},
		{in: "+3sa", want: []Weekday{{3, time.Saturday}}, format: "3SA"},
		{in: "1MO,3MO", want: []Weekday{{1, time.Monday}, {3, time.Monday}}, format: "1MO,3MO"},
		{in: "-1 fr", want: []Weekday{{-1, time.Friday}}, format: "-1FR"},
		{in: "SU,MO,TU,WE,TH,FR,SA", want: []Weekday{{0, 0}, {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0, 6}}, format: "SU,MO,TU,WE,TH,FR,SA"},
		{in: "MON", wantErr: true},
		{in: "Monday", wantErr: true},
		{in: "M", wantErr: true},
		{in: "XX", wantErr: true},
		{in: "MO,,WE", wantErr: true},
		{in: "MO,", wantErr: true},
		{in: "0MO", wantErr: true},
		{in: "6MO", wantErr: true},
		{in: "-6MO", wantErr: true},
		{in: "--1MO", wantErr: true},
		{in: "1.5MO", wantErr: true},
		{in: "99999999999999999999MO", wantErr: true},
		{in: "MO,mo", wantErr: true},
		{in: "ſu", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseByDay(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseByDay(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if tt.wantErr {
			continue
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("ParseByDay(%q) = %v, want %v", tt.in, got, tt.want)
		}
		if f := FormatByDay(got); f != tt.format {
			t.Errorf("FormatByDay(ParseByDay(%q)) = %q, want %q", tt.in, f, tt.format)
		}
	}
}

func TestWeekdayStringOutOfRange(t *testing.T) {
	if got := (Weekday{Ordinal: 2, Day: 9}).String(); got != "2??" {
		t.Errorf("String = %q", got)
	}
}
