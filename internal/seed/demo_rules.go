package seed

import (
	"fmt"
	"slices"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/schedule"
)

// rule is a demo meeting pattern. Dates are not written down: they are worked out
// from the day the demo is seeded, so the demo never looks years out of date.
type rule struct {
	freq          string
	interval      int
	byday         string
	opens, closes string
	skipHolidays  bool
	untilDays     int // the series ends this many days after seeding; 0 for never
	notes         text
}

func weekly(byday, opens, closes string) rule {
	return rule{freq: "WEEKLY", interval: 1, byday: byday, opens: opens, closes: closes}
}

func everyOther(byday, opens, closes string) rule {
	return rule{freq: "WEEKLY", interval: 2, byday: byday, opens: opens, closes: closes}
}

func monthly(byday, opens, closes string) rule {
	return rule{freq: "MONTHLY", interval: 1, byday: byday, opens: opens, closes: closes}
}

// holidays skips the meetings that fall on public holidays in the coming year.
func (r rule) holidays() rule { r.skipHolidays = true; return r }

// until ends the series days after seeding.
func (r rule) until(days int) rule { r.untilDays = days; return r }

func (r rule) note(en, es string) rule { r.notes = text{en, es}; return r }

// holidaysOf lists public holidays by country as month and day; the fourth
// Thursday of November (Thanksgiving) is added for the US in isHoliday.
var holidaysOf = map[string][][2]int{
	"US": {{1, 1}, {7, 4}, {12, 24}, {12, 25}, {12, 31}},
	"ES": {{1, 1}, {1, 6}, {5, 1}, {8, 15}, {12, 24}, {12, 25}, {12, 31}},
	"MX": {{1, 1}, {9, 16}, {11, 2}, {12, 12}, {12, 24}, {12, 25}, {12, 31}},
}

func isHoliday(country string, d schedule.Date) bool {
	if country == "US" && d.Month == time.November && d.Weekday() == time.Thursday && (d.Day-1)/7 == 3 {
		return true
	}
	return slices.Contains(holidaysOf[country], [2]int{int(d.Month), d.Day})
}

// schedule turns r into a listing schedule in timeZone: it starts on the first
// meeting on or after startAgo days before today, and skips holidays in country
// during the year after today when asked to.
func (r rule) schedule(lang, timeZone, country string, today schedule.Date, startAgo int) (directory.Schedule, error) {
	days, err := schedule.ParseByDay(r.byday)
	if err != nil {
		return directory.Schedule{}, err
	}
	opens, err := schedule.ParseClock(r.opens)
	if err != nil {
		return directory.Schedule{}, err
	}
	closes, err := schedule.ParseClock(r.closes)
	if err != nil {
		return directory.Schedule{}, err
	}
	rr := schedule.Rule{Freq: schedule.Freq(r.freq), Interval: r.interval, ByDay: days, OpensAt: opens,
		ClosesAt: closes, Start: today.AddDays(-startAgo), TimeZone: timeZone}
	loc, err := rr.Location()
	if err != nil {
		return directory.Schedule{}, err
	}
	first, err := rr.Next(rr.Start.In(loc), 1)
	if err != nil || len(first) == 0 {
		return directory.Schedule{}, fmt.Errorf("rule %s %s never meets: %v", r.freq, r.byday, err)
	}
	rr.Start = schedule.DateOf(first[0].Start)
	s := directory.Schedule{Freq: r.freq, Interval: r.interval, ByDay: r.byday, OpensAt: r.opens,
		ClosesAt: r.closes, Start: rr.Start.String(), TimeZone: timeZone, SkipDates: []string{},
		Notes: r.notes.in(lang)}
	if r.untilDays > 0 {
		until := today.AddDays(r.untilDays)
		rr.Until = &until
		s.Until = new(until.String())
	}
	if r.skipHolidays {
		from := today.In(loc)
		meetings, err := rr.Between(from, from.AddDate(1, 0, 0), 400)
		if err != nil {
			return directory.Schedule{}, err
		}
		for _, m := range meetings {
			if d := schedule.DateOf(m.Start); isHoliday(country, d) {
				s.SkipDates = append(s.SkipDates, d.String())
			}
		}
	}
	return s, nil
}
