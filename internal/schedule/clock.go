package schedule

import (
	"fmt"
	"strings"
)

// Clock is a wall-clock time of day, to the minute. It carries no location:
// the rule's time zone gives it meaning.
type Clock struct {
	Hour, Minute int
}

// ParseClock parses a time of day as "HH:MM", "H:MM" or "HH:MM:SS". HSDS
// examples use the seconds form ("18:00:00"), so it is accepted, but only with
// zero seconds because meetings are scheduled to the minute. A UTC offset
// suffix ("Z", "-05:00"), which HSDS permits, is rejected: the rule's own time
// zone decides the offset, and a fixed one would be wrong for half the year.
func ParseClock(s string) (Clock, error) {
	t := strings.TrimSpace(s)
	if strings.ContainsAny(t, "Zz+-") {
		return Clock{}, fmt.Errorf("schedule: invalid time %q: UTC offsets are not supported; the rule's time_zone applies", s)
	}
	parts := strings.Split(t, ":")
	if len(parts) < 2 || len(parts) > 3 || len(parts[0]) > 2 || len(parts[1]) != 2 {
		return Clock{}, fmt.Errorf("schedule: invalid time %q: want HH:MM", s)
	}
	h, okH := atoiDigits(parts[0])
	m, okM := atoiDigits(parts[1])
	if !okH || !okM {
		return Clock{}, fmt.Errorf("schedule: invalid time %q: want HH:MM", s)
	}
	if len(parts) == 3 {
		if sec, ok := atoiDigits(parts[2]); !ok || len(parts[2]) != 2 {
			return Clock{}, fmt.Errorf("schedule: invalid time %q: want HH:MM or HH:MM:SS", s)
		} else if sec != 0 {
			return Clock{}, fmt.Errorf("schedule: invalid time %q: seconds must be 00", s)
		}
	}
	c := Clock{Hour: h, Minute: m}
	if !c.IsValid() {
		return Clock{}, fmt.Errorf("schedule: invalid time %q: want 00:00 to 23:59", s)
	}
	return c, nil
}

// IsValid reports whether c is between 00:00 and 23:59. There is no 24:00: a
// meeting that ends at midnight closes at 00:00 the next day.
func (c Clock) IsValid() bool {
	return c.Hour >= 0 && c.Hour <= 23 && c.Minute >= 0 && c.Minute <= 59
}

// String formats c as "HH:MM".
func (c Clock) String() string {
	return fmt.Sprintf("%02d:%02d", c.Hour, c.Minute)
}

// MarshalText implements encoding.TextMarshaler using the "HH:MM" form.
func (c Clock) MarshalText() ([]byte, error) {
	if !c.IsValid() {
		return nil, fmt.Errorf("schedule: cannot marshal invalid time %s", c)
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler using ParseClock.
func (c *Clock) UnmarshalText(b []byte) error {
	parsed, err := ParseClock(string(b))
	if err != nil {
		return err
	}
	*c = parsed
	return nil
}

// minutes returns the minutes since midnight.
func (c Clock) minutes() int {
	return c.Hour*60 + c.Minute
}

// Parts of the day, as returned by PartOfDay.
const (
	Morning   = "morning"
	Afternoon = "afternoon"
	Evening   = "evening"
	Night     = "night"
)

// PartOfDay buckets a meeting's start time for search filters: "morning"
// 05:00–11:59, "afternoon" 12:00–16:59, "evening" 17:00–20:59 and "night"
// 21:00–04:59. It returns "" for an invalid clock rather than guessing.
func PartOfDay(c Clock) string {
	if !c.IsValid() {
		return ""
	}
	switch {
	case c.Hour >= 5 && c.Hour < 12:
		return Morning
	case c.Hour >= 12 && c.Hour < 17:
		return Afternoon
	case c.Hour >= 17 && c.Hour < 21:
		return Evening
	default:
		return Night
	}
}

// atoiDigits parses a short run of ASCII digits. Unlike strconv.Atoi it
// refuses signs, so "+9:00" or "-1-01-01" cannot sneak through, and the
// length limit rules out overflow.
func atoiDigits(s string) (int, bool) {
	if len(s) == 0 || len(s) > 9 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}
