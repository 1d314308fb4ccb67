package schedule

import (
	"encoding/json"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in      string
		want    Date
		wantErr bool
	}{
		{in: "2026-01-06", want: Date{2026, time.January, 6}},
		{in: "  2026-12-31\n", want: Date{2026, time.December, 31}},
		{in: "2024-02-29", want: Date{2024, time.February, 29}},
		{in: "0001-01-01", want: Date{1, time.January, 1}},
		{in: "9999-12-31", want: Date{9999, time.December, 31}},
		{in: "2026-02-29", wantErr: true},
		{in: "2026-04-31", wantErr: true},
		{in: "2026-13-01", wantErr: true},
		{in: "2026-00-10", wantErr: true},
		{in: "0000-01-01", wantErr: true},
		{in: "2026-1-6", wantErr: true},
		{in: "2026/01/06", wantErr: true},
		{in: "+026-01-06", wantErr: true},
		{in: "2026-01-06T00:00:00Z", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseDate(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && got != tt.want {
			t.Errorf("ParseDate(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func TestDateArithmetic(t *testing.T) {
	d := Date{2026, time.February, 27}
	if got := d.AddDays(2); got != (Date{2026, time.March, 1}) {
		t.Errorf("AddDays(2) = %v", got)
	}
	if got := d.AddDays(-58); got != (Date{2025, time.December, 31}) {
		t.Errorf("AddDays(-58) = %v", got)
	}
	if got := (Date{2026, time.March, 8}).Weekday(); got != time.Sunday {
		t.Errorf("Weekday = %v, want Sunday", got)
	}
	if !d.Before(d.AddDays(1)) || !d.After(d.AddDays(-1)) || d.Compare(d) != 0 {
		t.Error("Compare/Before/After disagree")
	}
	if got := daysBetween(Date{1, time.January, 1}, Date{9999, time.December, 31}); got != 3652058 {
		t.Errorf("daysBetween over the whole range = %d, want 3652058", got)
	}

	chicago := mustLoad(t, "America/Chicago")
	if got := (Date{2026, time.March, 8}).In(chicago); got.Format(time.RFC3339) != "2026-03-08T00:00:00-06:00" {
		t.Errorf("In = %v", got)
	}
	// 02:00 UTC on the 7th is still the 6th in Chicago.
	if got := DateOf(time.Date(2026, 1, 7, 2, 0, 0, 0, time.UTC).In(chicago)); got != (Date{2026, time.January, 6}) {
		t.Errorf("DateOf = %v", got)
	}
}

func TestDateText(t *testing.T) {
	var v struct{ D Date }
	if err := json.Unmarshal([]byte(`{"D":"2026-03-29"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.D != (Date{2026, time.March, 29}) {
		t.Errorf("unmarshalled %v", v.D)
	}
	b, err := json.Marshal(v)
	if err != nil || string(b) != `{"D":"2026-03-29"}` {
		t.Errorf("marshalled %s, %v", b, err)
	}
	if err := json.Unmarshal([]byte(`{"D":"2026-02-30"}`), &v); err == nil {
		t.Error("unmarshalled an impossible date")
	}
	if _, err := json.Marshal(struct{ D Date }{}); err == nil {
		t.Error("marshalled the zero Date")
	}
}
