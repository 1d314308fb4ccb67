package interop

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
)

// schedule reads the row's one meeting pattern from days, starts, ends,
// repeats, time_zone, first_date, last_date and schedule_notes. A row with
// none of them has no schedule (the group meets by arrangement).
func (b *rowBuilder) schedule(l *directory.Listing, now time.Time) {
	c := func(name string) string { return b.cells[name] }
	cols := []string{"days", "starts", "ends", "repeats", "first_date", "last_date", "schedule_notes"}
	given := false
	for _, n := range cols {
		given = given || c(n) != ""
	}
	if !given {
		return
	}
	sc := directory.Schedule{Freq: "WEEKLY", Interval: 1, TimeZone: c("time_zone"), Notes: c("schedule_notes")}
	byday, monthly, ok := parseDays(c("days"))
	switch {
	case c("days") == "":
		b.problem("days", "import.field.required", "is required: the days the group meets")
	case !ok:
		b.problem("days", keyDays, `must be days of the week such as "Tuesday, Thursday" or "2nd Tuesday"`)
	}
	sc.ByDay = byday
	if freq, interval, ok := parseRepeats(c("repeats")); ok {
		sc.Freq, sc.Interval = freq, interval
	} else {
		b.problem("repeats", keyRepeats, `must be "weekly", "every 2 weeks" (up to 12) or "monthly"`)
	}
	if monthly {
		sc.Freq = "MONTHLY"
	}
	for _, t := range []struct {
		col string
		to  *string
	}{{"starts", &sc.OpensAt}, {"ends", &sc.ClosesAt}} {
		clock, ok := parseTime(c(t.col))
		switch {
		case c(t.col) == "":
			b.problem(t.col, "import.field.required", "is required: a time such as 18:30 or 6:30pm")
		case !ok:
			b.problem(t.col, keyTime, "must be a time such as 18:30 or 6:30pm")
		}
		*t.to = clock
	}
	if tz := c("time_zone"); tz == "" {
		b.problem("time_zone", "import.field.required", "is required: a time zone such as America/Chicago")
	} else if _, err := time.LoadLocation(tz); err != nil || tz == "Local" {
		b.problem("time_zone", keyTimeZone, "is not a time zone such as America/Chicago or Europe/Madrid")
	}
	sc.Start = firstDate(now, sc.TimeZone)
	if d := c("first_date"); d != "" {
		if date, ok := parseDate(d); ok {
			sc.Start = date
		} else {
			b.problem("first_date", keyDate, "must be a date such as 2026-03-01")
		}
	}
	if d := c("last_date"); d != "" {
		if date, ok := parseDate(d); ok {
			sc.Until = &date
		} else {
			b.problem("last_date", keyDate, "must be a date such as 2026-12-31")
		}
	}
	l.Schedules = append(l.Schedules, sc)
}

var dayNames = map[string]string{
	"monday": "MO", "mon": "MO", "mo": "MO", "lunes": "MO", "lun": "MO", "lu": "MO",
	"tuesday": "TU", "tue": "TU", "tues": "TU", "tu": "TU", "martes": "TU", "mar": "TU", "ma": "TU",
	"wednesday": "WE", "wed": "WE", "we": "WE", "miércoles": "WE", "miercoles": "WE", "mié": "WE", "mie": "WE", "mi": "WE",
	"thursday": "TH", "thu": "TH", "thur": "TH", "thurs": "TH", "th": "TH", "jueves": "TH", "jue": "TH", "ju": "TH",
	"friday": "FR", "fri": "FR", "fr": "FR", "viernes": "FR", "vie": "FR", "vi": "FR",
	"saturday": "SA", "sat": "SA", "sa": "SA", "sábado": "SA", "sabado": "SA", "sáb": "SA", "sab": "SA",
	"sunday": "SU", "sun": "SU", "su": "SU", "domingo": "SU", "dom": "SU", "do": "SU",
}

var ordinals = map[string]string{
	"1st": "1", "first": "1", "1": "1", "primer": "1", "primero": "1", "1er": "1", "1º": "1", "1°": "1",
	"2nd": "2", "second": "2", "2": "2", "segundo": "2", "2º": "2", "2°": "2",
	"3rd": "3", "third": "3", "3": "3", "tercer": "3", "tercero": "3", "3er": "3", "3º": "3", "3°": "3",
	"4th": "4", "fourth": "4", "4": "4", "cuarto": "4", "4º": "4", "4°": "4",
	"last": "-1", "último": "-1", "ultimo": "-1", "-1": "-1",
}

var rruleDay = regexp.MustCompile(`^(-?[1-4])?(MO|TU|WE|TH|FR|SA|SU)$`)

// parseDays reads "Tuesday, Thursday", "2nd Tuesday", "last Friday", "martes y
// jueves" or RRULE's own "2TU,-1FR" as a byday list, and reports whether any
// day has an ordinal (which makes the schedule monthly).
func parseDays(s string) (string, bool, bool) {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return r == ',' || r == ';' || r == '/' || r == '&' || r == ' ' || r == '+'
	})
	var out []string
	monthly, ordinal := false, ""
	for _, w := range words {
		w = strings.TrimSuffix(w, ".")
		switch {
		case w == "and" || w == "y" || w == "e" || w == "of" || w == "every" || w == "cada" || w == "el" ||
			w == "the" || w == "del" || w == "mes" || w == "month" || w == "de":
			continue
		case ordinals[w] != "" && ordinal == "" && dayNames[w] == "":
			ordinal = ordinals[w]
			continue
		}
		w = strings.TrimSuffix(w, "s") // "Tuesdays"
		code := dayNames[w]
		if code == "" {
			code = dayNames[w+"s"] // "martes", "jueves"
		}
		if code == "" {
			if m := rruleDay.FindStringSubmatch(strings.ToUpper(w)); m != nil {
				if m[1] != "" {
					monthly = true
				}
				out = append(out, m[0])
				continue
			}
			return "", false, false
		}
		if ordinal != "" {
			monthly = true
			code = ordinal + code
			ordinal = ""
		}
		out = append(out, code)
	}
	if ordinal != "" || len(out) == 0 {
		return "", false, false
	}
	return strings.Join(out, ","), monthly, true
}

var repeatsEvery = regexp.MustCompile(`^(?:every|cada)\s+(\d+)\s+(?:weeks|semanas)$`)

// parseRepeats reads how often: weekly (the default), every N weeks, monthly.
func parseRepeats(s string) (string, int, bool) {
	s = strings.Join(strings.Fields(strings.ToLower(s)), " ")
	switch s {
	case "", "weekly", "every week", "semanal", "cada semana", "semanalmente":
		return "WEEKLY", 1, true
	case "fortnightly", "biweekly", "every other week", "quincenal", "cada dos semanas", "cada 2 semanas":
		return "WEEKLY", 2, true
	case "monthly", "every month", "mensual", "cada mes", "mensualmente":
		return "MONTHLY", 1, true
	}
	if m := repeatsEvery.FindStringSubmatch(s); m != nil {
		n, err := strconv.Atoi(m[1])
		if err == nil && n >= 1 && n <= maxInterval {
			return "WEEKLY", n, true
		}
	}
	return "", 0, false
}

var clockPattern = regexp.MustCompile(`^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?$`)

// parseTime reads "18:30", "6:30pm", "7 pm" or "18h30" as HH:MM.
func parseTime(s string) (string, bool) {
	m := clockPattern.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return s, false
	}
	h, _ := strconv.Atoi(m[1])
	mins := 0
	if m[2] != "" {
		mins, _ = strconv.Atoi(m[2])
	}
	switch strings.ReplaceAll(m[3], ".", "") {
	case "am":
		if h < 1 || h > 12 {
			return s, false
		}
		if h == 12 {
			h = 0
		}
	case "pm":
		if h < 1 || h > 12 {
			return s, false
		}
		if h != 12 {
			h += 12
		}
	default:
		if m[2] == "" {
			return s, false // "7" alone could be morning or evening
		}
	}
	if h > 23 || mins > 59 {
		return s, false
	}
	return fmt.Sprintf("%02d:%02d", h, mins), true
}

// parseDate reads a date as YYYY-MM-DD (what spreadsheets write in CSV when
// the cell is formatted as an ISO date).
func parseDate(s string) (string, bool) {
	t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return s, false
	}
	return t.Format(time.DateOnly), true
}
