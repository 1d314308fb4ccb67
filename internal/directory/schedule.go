package directory

import "github.com/belong-directory/belong/internal/schedule"

// Rule reads a stored schedule as a recurrence rule, validated.
func (s Schedule) Rule() (schedule.Rule, error) {
	r := schedule.Rule{Interval: s.Interval, TimeZone: s.TimeZone}
	var err error
	if r.Freq, err = schedule.ParseFreq(s.Freq); err != nil {
		return r, err
	}
	if r.ByDay, err = schedule.ParseByDay(s.ByDay); err != nil {
		return r, err
	}
	if r.OpensAt, err = schedule.ParseClock(s.OpensAt); err != nil {
		return r, err
	}
	if r.ClosesAt, err = schedule.ParseClock(s.ClosesAt); err != nil {
		return r, err
	}
	if r.Start, err = schedule.ParseDate(s.Start); err != nil {
		return r, err
	}
	if s.Until != nil {
		u, err := schedule.ParseDate(*s.Until)
		if err != nil {
			return r, err
		}
		r.Until = &u
	}
	for _, skip := range s.SkipDates {
		d, err := schedule.ParseDate(skip)
		if err != nil {
			return r, err
		}
		r.Skip = append(r.Skip, d)
	}
	return r, r.Validate()
}
