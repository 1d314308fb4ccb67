package schedule

import (
	"testing"
)

func TestParseClock(t *testing.T) {
	tests := []struct {
		in      string
		want    Clock
		wantErr bool
	}{
		{in: "18:30", want: Clock{18, 30}},
		{in: "09:05", want: Clock{9, 5}},
		{in: "9:05", want: Clock{9, 5}},
		{in: " 00:00 ", want: Clock{0, 0}},
		{in: "23:59", want: Clock{23, 59}},
		{in: "18:00:00", want: Clock{18, 0}},
		{in: "18:00:30", wantErr: true},
		{in: "24:00", wantErr: true},
		{in: "12:60", wantErr: true},
		{in: "12:5", wantErr: true},
		{in: "123:00", wantErr: true},
		{in: "1830", wantErr: true},
		{in: "18:30Z", wantErr: true},
		{in: "09:00-05:00", wantErr: true},
		{in: "+9:00", wantErr: true},
		{in: "6pm", wantErr: true},
		{in: ":30", wantErr: true},
		{in: "", wantErr: true},
	}
	for _, tt := range tests {
		got, err := ParseClock(tt.in)
		if (err != nil) != tt.wantErr {
			t.Errorf("ParseClock(%q) error = %v, wantErr %v", tt.in, err, tt.wantErr)
			continue
		}
		if !tt.wantErr && got != tt.want {
			t.Errorf("ParseClock(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if got := (Clock{7, 5}).String(); got != "07:05" {
		t.Errorf("String = %q", got)
	}
}

func TestPartOfDay(t *testing.T) {
	tests := []struct {
		clock string
		want  string
	}{
		{"05:00", Morning},
		{"11:59", Morning},
		{"12:00", Afternoon},
		{"16:59", Afternoon},
		{"17:00", Evening},
		{"18:30", Evening},
		{"20:59", Evening},
		{"21:00", Night},
		{"23:59", Night},
		{"00:00", Night},
		{"04:59", Night},
	}
	for _, tt := range tests {
		if got := PartOfDay(mustClock(t, tt.clock)); got != tt.want {
			t.Errorf("PartOfDay(%s) = %q, want %q", tt.clock, got, tt.want)
		}
	}
	if got := PartOfDay(Clock{25, 0}); got != "" {
		t.Errorf("PartOfDay(25:00) = %q, want empty", got)
	}
}
