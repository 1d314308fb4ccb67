// Package submissions is how organizers list a group and keep it true without an
// account: a submission becomes a draft listing and a revision waiting for its
// organizer to open the private manage link sent to them; from that link they
// edit (a new revision for moderators), confirm "still accurate" in one click,
// pause, archive, and ask for a fresh link. One validator serves the HTML form
// and the JSON API.
package submissions

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/schedule"
)

// Submission is a listing as an organizer describes it in the form or the API,
// with how to reach them privately. Field names are the form's and the API's.
type Submission struct {
	Name         string `json:"name"`
	Summary      string `json:"summary"`
	Description  string `json:"description"`
	WhatToExpect string `json:"what_to_expect"`
	Organization string `json:"organization"`
	Place        Place  `json:"place"`
	// OnlineURL is the link to join online; PhoneMeeting the number to dial in.
	OnlineURL     string              `json:"online_url"`
	PhoneMeeting  string              `json:"phone_meeting"`
	HowToJoin     string              `json:"how_to_join"`
	Schedules     []ScheduleInput     `json:"schedules"`
	ByArrangement bool                `json:"by_arrangement"`
	Tags          map[string]TagInput `json:"tags"`
	Languages     []string            `json:"languages"`
	CostNote      string              `json:"cost_note"`
	PublicEmail   string              `json:"public_email"`
	PublicPhone   string              `json:"public_phone"`
	ContactEmail  string              `json:"contact_email"`
	Lang          string              `json:"lang"`
}

// Place is where a group meets in person.
type Place struct {
	Name          string `json:"name"`
	Address       string `json:"address"`
	Neighbourhood string `json:"neighbourhood"`
	City          string `json:"city"`
	Region        string `json:"region"`
	PostalCode    string `json:"postal_code"`
	Country       string `json:"country"`
	TransitNotes  string `json:"transit_notes"`
	Discreet      bool   `json:"discreet"`
}

func (p Place) empty() bool { return p == Place{} || p == Place{Discreet: p.Discreet} }

// Patterns a schedule can follow in the builder.
const (
	Weekly     = "weekly"   // on the chosen days, every week
	EveryOther = "biweekly" // on the chosen days, every other week
	Monthly    = "monthly"  // the n-th (or last) chosen weekday of the month
	OnDates    = "dates"    // on specific dates only
	NoSchedule = ""         // a row left empty
	lastWeek   = -1         // Ordinal for "last"
	maxDates   = 24         // specific dates in one row
	zoneMaxLen = 64         // longest IANA zone name we accept
	phoneMax   = 40         // a phone number, with spaces and a plus
	keyPattern = `^[a-z0-9-]+(\.[a-z0-9-]+)*$`
)

var tagKeyPattern = regexp.MustCompile(keyPattern)

// ScheduleInput is one row of the schedule builder.
type ScheduleInput struct {
	Pattern string   `json:"pattern"`
	Days    []string `json:"days"`    // MO..SU
	Ordinal int      `json:"ordinal"` // 1..4, or -1 for the last, with Monthly
	Opens   string   `json:"opens"`   // HH:MM
	Closes  string   `json:"closes"`
	Start   string   `json:"start"` // YYYY-MM-DD; today when empty
	Until   string   `json:"until"`
	Dates   []string `json:"dates"` // with OnDates
	Skip    []string `json:"skip"`  // dates without a meeting
	Zone    string   `json:"zone"`  // IANA time zone
}

// TagInput is how far the space offers one barrier tag.
type TagInput struct {
	Value directory.Value `json:"value"`
	Note  string          `json:"note"`
}

// Vocabulary is what a submission's tags and languages are checked against.
type Vocabulary interface {
	HasNeed(slug string) bool
	HasLanguage(code string) bool
}

// check reports every problem with the submission that the listing's own
// validation cannot see, keyed by the form's field names.
func (s Submission) check(v *directory.ValidationError, vocab Vocabulary, now time.Time) {
	if strings.TrimSpace(s.ContactEmail) == "" {
		v.Add("contact_email", directory.KeyRequired, "is required: it is how we send your private link")
	} else if !emailPattern.MatchString(s.ContactEmail) || len(s.ContactEmail) > 254 {
		v.Add("contact_email", directory.KeyFormat, "must be an email address such as name@example.org")
	}
	if s.Place.empty() && s.OnlineURL == "" && s.PhoneMeeting == "" {
		v.Add("join", "submit.join.required", "say how to join: a place, an online link or a phone number")
	}
	if !s.Place.empty() && strings.TrimSpace(s.Place.City) == "" {
		v.Add("place.city", directory.KeyRequired, "is required for a place")
	}
	if s.Place.Discreet && strings.TrimSpace(s.Place.Neighbourhood) == "" {
		v.Add("place.neighbourhood", directory.KeyRequired, "a discreet place shows only its neighbourhood, so it is needed")
	}
	httpsOnly(v, "online_url", s.OnlineURL)
	phone(v, "phone_meeting", s.PhoneMeeting)
	phone(v, "public_phone", s.PublicPhone)
	if s.PublicEmail != "" && !emailPattern.MatchString(s.PublicEmail) {
		v.Add("public_email", directory.KeyFormat, "must be an email address such as name@example.org")
	}
	rows := 0
	for i, sc := range s.Schedules {
		if sc.Pattern != NoSchedule {
			rows++
			sc.check(v, fmt.Sprintf("schedules[%d]", i), now)
		}
	}
	if rows == 0 && !s.ByArrangement {
		v.Add("schedules", "submit.schedule.required", "add when the group meets, or choose by arrangement")
	}
	if len(s.Tags) > 100 {
		v.Add("tags", directory.KeyTooMany, "too many tags")
	}
	for _, slug := range sortedKeys(s.Tags) {
		t := s.Tags[slug]
		switch {
		case !tagKeyPattern.MatchString(slug) || !vocab.HasNeed(slug):
			v.Add("tags."+slug, directory.KeyChoice, "is not a tag of this directory")
		case t.Value != "" && !t.Value.Valid():
			v.Add("tags."+slug, directory.KeyChoice, "must be yes, partly or no")
		}
	}
	for i, code := range s.Languages {
		if !vocab.HasLanguage(code) {
			v.Add(fmt.Sprintf("languages[%d]", i), directory.KeyChoice, "is not a language this directory knows")
		}
	}
}

func (sc ScheduleInput) check(v *directory.ValidationError, f string, now time.Time) {
	switch sc.Pattern {
	case Weekly, EveryOther:
		if len(sc.Days) == 0 {
			v.Add(f+".days", "submit.schedule.days", "choose at least one day")
		}
	case Monthly:
		if len(sc.Days) != 1 {
			v.Add(f+".days", "submit.schedule.one_day", "choose one day of the week")
		}
		if sc.Ordinal != lastWeek && (sc.Ordinal < 1 || sc.Ordinal > 4) {
			v.Add(f+".ordinal", directory.KeyChoice, "choose first, second, third, fourth or last")
		}
	case OnDates:
		if len(sc.Dates) == 0 {
			v.Add(f+".dates", directory.KeyRequired, "add at least one date")
		}
		if len(sc.Dates) > maxDates {
			v.Add(f+".dates", directory.KeyTooMany, fmt.Sprintf("at most %d dates", maxDates))
		}
	default:
		v.Add(f+".pattern", directory.KeyChoice, "choose how often the group meets")
	}
	if sc.Opens == "" {
		v.Add(f+".opens", directory.KeyRequired, "add when the meeting starts")
	}
	if sc.Closes == "" {
		v.Add(f+".closes", directory.KeyRequired, "add when the meeting ends")
	}
	for _, d := range sc.Days {
		if !slices.Contains(weekdays, d) {
			v.Add(f+".days", directory.KeyChoice, "is not a day of the week")
			break
		}
	}
	if sc.Zone == "" {
		v.Add(f+".zone", directory.KeyRequired, "choose the time zone the group meets in, such as America/Chicago")
	} else if len(sc.Zone) > zoneMaxLen {
		v.Add(f+".zone", directory.KeyFormat, "is not a time zone")
	} else if _, err := time.LoadLocation(sc.Zone); err != nil || sc.Zone == "Local" {
		v.Add(f+".zone", directory.KeyFormat, "choose the time zone the group meets in, such as America/Chicago")
	}
}

var (
	weekdays     = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
	emailPattern = regexp.MustCompile(`^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$`)
	phonePattern = regexp.MustCompile(`^\+?[0-9][0-9 ().-]{4,}$`)
)

func httpsOnly(v *directory.ValidationError, field, link string) {
	if link == "" {
		return
	}
	u, err := url.Parse(link)
	if err != nil || u.Scheme != "https" || u.Host == "" || utf8.RuneCountInString(link) > directory.MaxLineLen {
		v.Add(field, "submit.https", "must be a link starting with https://")
	}
}

func phone(v *directory.ValidationError, field, number string) {
	if number != "" && (len(number) > phoneMax || !phonePattern.MatchString(number)) {
		v.Add(field, directory.KeyFormat, "must be a phone number such as +1 312 555 0100")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// schedules turns the builder's rows into stored schedules. A row of specific
// dates becomes one single-day schedule per date. origin maps each schedule back
// to its row, so a problem found later is shown next to the right row.
func (s Submission) schedules(today string) (out []directory.Schedule, origin []int) {
	for i, sc := range s.Schedules {
		start := sc.Start
		if start == "" {
			start = today
		}
		var until *string
		if sc.Until != "" {
			u := sc.Until
			until = &u
		}
		base := directory.Schedule{Freq: string(schedule.Weekly), Interval: 1, OpensAt: sc.Opens, ClosesAt: sc.Closes,
			Start: start, Until: until, TimeZone: sc.Zone, SkipDates: sc.Skip}
		switch sc.Pattern {
		case Weekly, EveryOther:
			base.ByDay = strings.Join(sc.Days, ",")
			if sc.Pattern == EveryOther {
				base.Interval = 2
			}
			out, origin = append(out, base), append(origin, i)
		case Monthly:
			base.Freq = string(schedule.Monthly)
			base.ByDay = fmt.Sprintf("%d%s", sc.Ordinal, strings.Join(sc.Days, ""))
			out, origin = append(out, base), append(origin, i)
		case OnDates:
			for _, d := range sc.Dates {
				one := base
				date := d
				one.Start, one.Until, one.SkipDates = d, &date, nil
				if day, err := schedule.ParseDate(d); err == nil {
					one.ByDay = weekdays[(int(day.In(time.UTC).Weekday())+6)%7]
				}
				out, origin = append(out, one), append(origin, i)
			}
		}
	}
	return out, origin
}
