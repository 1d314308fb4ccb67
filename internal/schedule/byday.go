package schedule

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Weekday is one BYDAY entry: a day of the week, optionally with the ordinal
// of that day within a month. Ordinal 0 means every such day; 1 to 5 mean the
// first to fifth in the month; -1 to -5 count from the end, so {-1, Friday}
// is the last Friday. Ordinals only make sense for MONTHLY rules, which
// Rule.Validate enforces.
type Weekday struct {
	Ordinal int
	Day     time.Weekday
}

// MaxOrdinal bounds a BYDAY ordinal: no month has a sixth Monday.
const MaxOrdinal = 5

// dayCodes are the iCalendar two-letter codes, indexed by time.Weekday.
var dayCodes = [7]string{"SU", "MO", "TU", "WE", "TH", "FR", "SA"}

// String formats w in iCalendar form: "MO", "2TU", "-1FR".
func (w Weekday) String() string {
	code := "??"
	if w.Day >= time.Sunday && w.Day <= time.Saturday {
		code = dayCodes[w.Day]
	}
	if w.Ordinal == 0 {
		return code
	}
	return strconv.Itoa(w.Ordinal) + code
}

// isValid reports whether w's fields are in range, regardless of frequency.
func (w Weekday) isValid() bool {
	return w.Day >= time.Sunday && w.Day <= time.Saturday &&
		w.Ordinal >= -MaxOrdinal && w.Ordinal <= MaxOrdinal
}

// ParseByDay parses an HSDS/iCalendar BYDAY list such as "MO,WE", "2TU",
// "-1FR" or "1MO,3MO". Day codes are case-insensitive and white space around
// entries and between an ordinal and its day code is ignored, because these
// strings are often typed by hand. An empty or all-blank string yields no
// entries, which a Rule reads as "the weekday (or day of month) of Start".
//
// Whether ordinals are allowed depends on the rule's frequency, so that is
// left to Rule.Validate; ParseByDay only checks that each entry is
// well-formed and appears once.
func ParseByDay(s string) ([]Weekday, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	items := strings.Split(s, ",")
	days := make([]Weekday, 0, len(items))
	for i, item := range items {
		w, err := parseWeekday(item)
		if err != nil {
			return nil, fmt.Errorf("schedule: invalid byday %q, entry %d: %w", s, i+1, err)
		}
		for _, seen := range days {
			if seen == w {
				return nil, fmt.Errorf("schedule: invalid byday %q, entry %d: %s is listed twice", s, i+1, w)
			}
		}
		days = append(days, w)
	}
	return days, nil
}

func parseWeekday(item string) (Weekday, error) {
	t := strings.TrimSpace(item)
	if t == "" {
		return Weekday{}, fmt.Errorf("empty entry")
	}
	if len(t) < 2 {
		return Weekday{}, fmt.Errorf("%q is not a day code; want one of %s", t, strings.Join(dayCodes[:], ", "))
	}
	code, prefix := t[len(t)-2:], strings.TrimSpace(t[:len(t)-2])
	day, ok := dayFromCode(code)
	if !ok {
		return Weekday{}, fmt.Errorf("%q does not end in a day code; want one of %s", t, strings.Join(dayCodes[:], ", "))
	}
	if prefix == "" {
		return Weekday{Day: day}, nil
	}
	digits, negative := prefix, false
	switch prefix[0] {
	case '-':
		digits, negative = prefix[1:], true
	case '+':
		digits = prefix[1:]
	}
	n, ok := atoiDigits(digits)
	if !ok {
		return Weekday{}, fmt.Errorf("%q has a malformed ordinal %q; want e.g. 2TU or -1FR", t, prefix)
	}
	if n < 1 || n > MaxOrdinal {
		return Weekday{}, fmt.Errorf("%q has ordinal %s; want 1 to %d or -1 to -%d", t, prefix, MaxOrdinal, MaxOrdinal)
	}
	if negative {
		n = -n
	}
	return Weekday{Ordinal: n, Day: day}, nil
}

// dayFromCode matches a two-letter day code, ignoring ASCII case only:
// strings.EqualFold would also accept look-alikes such as "ſu" (long s).
func dayFromCode(code string) (time.Weekday, bool) {
	if len(code) != 2 {
		return 0, false
	}
	upper := []byte{asciiUpper(code[0]), asciiUpper(code[1])}
	for d, c := range dayCodes {
		if string(upper) == c {
			return time.Weekday(d), true
		}
	}
	return 0, false
}

func asciiUpper(b byte) byte {
	if b >= 'a' && b <= 'z' {
		return b - 'a' + 'A'
	}
	return b
}

// FormatByDay is the inverse of ParseByDay: canonical upper-case entries
// joined by commas, in the given order. No entries give "".
func FormatByDay(days []Weekday) string {
	parts := make([]string, len(days))
	for i, w := range days {
		parts[i] = w.String()
	}
	return strings.Join(parts, ",")
}
