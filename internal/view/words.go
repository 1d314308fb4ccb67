package view

import (
	"fmt"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/schedule"
)

// Words turns dates, times and recurrence rules into plain words in one UI
// language, using the translation catalogs for every word.
type Words struct {
	r    *Renderer
	lang string
}

// Words returns the wording helper for lang.
func (r *Renderer) Words(lang string) Words { return Words{r: r, lang: lang} }

func (w Words) t(key string, args ...any) string { return w.r.I18n.T(w.lang, key, args...) }

var dayKeys = map[time.Weekday]string{
	time.Monday: "mon", time.Tuesday: "tue", time.Wednesday: "wed", time.Thursday: "thu",
	time.Friday: "fri", time.Saturday: "sat", time.Sunday: "sun",
}

// Recurrence says when a rule meets, e.g. "Every other Tuesday", "Last Friday of
// each month", "Every Monday, until Monday, March 1" or, for a rule that meets
// once, "Once, on Thursday, December 10".
func (w Words) Recurrence(r schedule.Rule) string {
	if r.Until == nil {
		return w.repeats(r)
	}
	if loc, err := r.Location(); err == nil {
		if occs, err := r.Next(r.Start.In(loc).Add(-time.Second), 2); err == nil && len(occs) == 1 {
			return w.t("sched.once", w.Date(occs[0].Start))
		}
	}
	return w.t("sched.until", w.repeats(r), w.Date(r.Until.In(time.UTC)))
}

// repeats says how a rule repeats, whatever its last date.
func (w Words) repeats(r schedule.Rule) string {
	days := r.ByDay
	if len(days) == 0 && r.Freq == schedule.Weekly {
		days = []schedule.Weekday{{Day: r.Start.Weekday()}}
	}
	if r.Freq == schedule.Monthly {
		if len(days) == 0 {
			return w.t("sched.monthly_on_day", r.Start.Day)
		}
		var parts []string
		sameDay := true
		for _, d := range days {
			sameDay = sameDay && d.Day == days[0].Day
		}
		if sameDay {
			for _, d := range days {
				parts = append(parts, w.t(fmt.Sprintf("ord.%d", d.Ordinal)))
			}
			phrase := w.list(parts) + " " + w.t("day."+dayKeys[days[0].Day])
			return w.every(r.Interval, w.t("sched.monthly", capitalize(phrase)), "sched.every_n_months")
		}
		for _, d := range days {
			parts = append(parts, w.t(fmt.Sprintf("ord.%d", d.Ordinal))+" "+w.t("day."+dayKeys[d.Day]))
		}
		return w.every(r.Interval, w.t("sched.monthly", capitalize(w.list(parts))), "sched.every_n_months")
	}
	var names []string
	for _, d := range days {
		names = append(names, w.t("day.each."+dayKeys[d.Day]))
	}
	switch r.Interval {
	case 1:
		return w.t("sched.weekly", w.list(names))
	case 2:
		return w.t("sched.every_other_week", w.list(names))
	}
	return w.t("sched.every_n_weeks", r.Interval, w.list(names))
}

func (w Words) every(interval int, phrase, key string) string {
	if interval <= 1 {
		return phrase
	}
	return phrase + " " + w.t(key, interval)
}

// list joins words as "a, b and c" / "a, b y c".
func (w Words) list(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + w.t("list.and") + " " + items[len(items)-1]
}

// Clock is a time of day: "6:30 pm" in English, "18:30" in Spanish.
func (w Words) Clock(t time.Time) string {
	if w.lang == "en" {
		if t.Minute() == 0 {
			return t.Format("3 pm")
		}
		return t.Format("3:04 pm")
	}
	return t.Format("15:04")
}

// Span is "6:30 pm – 8 pm".
func (w Words) Span(start, end time.Time) string {
	return w.Clock(start) + " – " + w.Clock(end)
}

// Date is "Tuesday, December 1" / "martes 1 de diciembre".
func (w Words) Date(t time.Time) string {
	return w.t("date.long", w.t("day."+dayKeys[t.Weekday()]), w.t(fmt.Sprintf("month.%d", int(t.Month()))), t.Day())
}

// ShortDate is "Dec 1, 2026" / "1 dic 2026".
func (w Words) ShortDate(t time.Time) string {
	return w.t("date.short", w.t(fmt.Sprintf("month.short.%d", int(t.Month()))), t.Day(), t.Year())
}

// Zone is the place a time zone is named after, as this language says it:
// "London" / "Londres" for Europe/London. The catalogs name the zones people
// are likely to meet in ("zone.Europe/London"); any other zone is said by the
// city part of its IANA name, as IANA spells it in English.
func (w Words) Zone(tz string) string {
	key := "zone." + tz
	if name := w.t(key); name != key {
		return name
	}
	return strings.ReplaceAll(tz[strings.LastIndex(tz, "/")+1:], "_", " ")
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
