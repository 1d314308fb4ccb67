package interop

import (
	"context"
	"crypto/sha1" //nolint:gosec // a short, stable suffix, not a secret
	"encoding/hex"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/schedule"
)

// Meeting is one weekly meeting as the Meeting Guide feed carries it: one object
// per weekday, since a widely used client reads only the first day of a "day"
// array. Every field is listed here on purpose; nothing comes from the domain
// whole.
type Meeting struct {
	Name                 string   `json:"name"`
	Slug                 string   `json:"slug"`
	Day                  int      `json:"day"`
	Time                 string   `json:"time"`
	EndTime              string   `json:"end_time"`
	Timezone             string   `json:"timezone"`
	Types                []string `json:"types"`
	Notes                string   `json:"notes,omitempty"`
	Location             string   `json:"location,omitempty"`
	LocationNotes        string   `json:"location_notes,omitempty"`
	FormattedAddress     string   `json:"formatted_address,omitempty"`
	Regions              []string `json:"regions,omitempty"`
	Latitude             *float64 `json:"latitude,omitempty"`
	Longitude            *float64 `json:"longitude,omitempty"`
	Approximate          string   `json:"approximate"`
	ConferenceURL        string   `json:"conference_url,omitempty"`
	ConferenceURLNotes   string   `json:"conference_url_notes,omitempty"`
	ConferencePhone      string   `json:"conference_phone,omitempty"`
	ConferencePhoneNotes string   `json:"conference_phone_notes,omitempty"`
	Group                string   `json:"group,omitempty"`
	URL                  string   `json:"url"`
	Updated              string   `json:"updated"`
}

// MeetingGuide is the feed: every published listing that meets weekly, one
// meeting per weekday of each weekly schedule, in slug order. Listings that meet
// monthly or every other week are left out: the format is for weekly meetings
// only. A paused listing is in the feed marked TC (temporarily closed).
func (s *Service) MeetingGuide(ctx context.Context) ([]Meeting, error) {
	listings, err := s.dir.PublishedListings(ctx)
	if err != nil {
		return nil, err
	}
	codes := meetingCodes(s.dir.Taxonomy(exportLang))
	now := s.now()
	out := []Meeting{}
	seen := map[string]bool{}
	for _, l := range listings {
		for _, m := range s.meetingsOf(l, codes, now) {
			m.Slug = uniqueSlug(m.Slug, seen)
			out = append(out, m)
		}
	}
	return out, nil
}

// meetingCodes maps tag slugs to their Meeting Guide type codes (the
// meeting_guide alias table).
func meetingCodes(cats []directory.Category) map[string][]string {
	out := map[string][]string{}
	for _, c := range cats {
		for _, t := range c.Tags {
			if codes := t.Aliases["meeting_guide"]; len(codes) > 0 {
				out[t.Slug] = codes
			}
		}
	}
	return out
}

// meetingsOf lists a listing's weekly meetings. Schedules that are not weekly,
// that skip weeks, that name ordinal weekdays or that have ended are left out.
func (s *Service) meetingsOf(l directory.PublicListing, codes map[string][]string, now time.Time) []Meeting {
	base := Meeting{
		Name:    l.Name,
		Types:   meetingTypes(l, codes),
		Group:   l.Organization.Name,
		URL:     s.groupURL(l.Slug),
		Updated: l.UpdatedAt.UTC().Format("2006-01-02 15:04:05"),
		// Until a place says otherwise: an online-only group has no address.
		Approximate: "yes",
	}
	if places := l.Places(); len(places) > 0 {
		where(&base, places[0])
	}
	if rooms := l.Rooms(); len(rooms) > 0 {
		base.ConferenceURL = rooms[0].URL
		base.ConferenceURLNotes = rooms[0].Name
	}
	if l.PhoneMeeting != "" {
		if phone, ok := dialable(l.PhoneMeeting); ok {
			base.ConferencePhone = phone
		} else {
			base.ConferencePhoneNotes = l.PhoneMeeting
		}
	}
	var out []Meeting
	for _, sc := range l.Schedules {
		rule, err := sc.Rule()
		if err != nil || rule.Freq != schedule.Weekly || rule.Interval != 1 || sc.NeverMeets(now) {
			continue
		}
		days := rule.ByDay
		if len(days) == 0 {
			days = []schedule.Weekday{{Day: rule.Start.Weekday()}}
		}
		for _, d := range days {
			if d.Ordinal != 0 {
				continue
			}
			m := base
			m.Types = slices.Clone(base.Types)
			m.Day = int(d.Day)
			m.Time, m.EndTime, m.Timezone = rule.OpensAt.String(), rule.ClosesAt.String(), rule.TimeZone
			m.Slug = meetingSlug(l, d.Day, rule.OpensAt)
			m.Notes = meetingNotes(l, sc, rule, now)
			out = append(out, m)
		}
	}
	return out
}

// where fills in the place a meeting is at. A discreet place has only its area
// (Publish has already taken its name, street and position away), so it is
// written as approximate; so is a place with neither a street address nor a
// position.
func where(m *Meeting, p directory.Location) {
	m.Location = p.Name
	m.LocationNotes = p.TransitNotes
	m.Latitude, m.Longitude = p.Lat, p.Lng
	if !p.Discreet && (p.Address != "" || p.Lat != nil) {
		m.Approximate = "no"
	}
	parts := []string{p.Neighbourhood, p.City, p.Region, p.Country}
	if p.Address != "" {
		parts = []string{p.Address, p.City, strings.TrimSpace(p.Region + " " + p.PostalCode), p.Country}
	}
	m.FormattedAddress = joinNonEmpty(parts, ", ")
	for _, r := range []string{p.City, p.Neighbourhood} {
		if r != "" {
			m.Regions = append(m.Regions, r)
		}
	}
	if m.Approximate == "yes" {
		// A position says "exact" to the apps that read it, whatever approximate says.
		m.Latitude, m.Longitude = nil, nil
	}
}

// meetingTypes are the spec codes of what the listing fully offers (a tag that
// is only partly offered is not claimed), of the languages it meets in, and of
// how it meets. Sorted, without repeats.
func meetingTypes(l directory.PublicListing, codes map[string][]string) []string {
	set := map[string]bool{}
	for _, t := range l.Tags {
		if t.Value != directory.Yes {
			continue
		}
		for _, c := range codes[t.Tag] {
			set[c] = true
		}
	}
	for _, lang := range l.Languages {
		if c, ok := meetingLanguages[lang]; ok {
			set[c] = true
		}
	}
	if len(l.Rooms()) > 0 {
		set[typeOnline] = true
	}
	if l.Paused {
		set[typeClosedForNow] = true
	}
	out := make([]string, 0, len(set))
	for c := range set {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// meetingNotes is plain text: the summary, the schedule's own notes, why the
// group is paused, when a schedule starts or ends, and how to find a discreet place.
func meetingNotes(l directory.PublicListing, sc directory.Schedule, rule schedule.Rule, now time.Time) string {
	notes := []string{l.Summary, sc.Notes}
	if l.Paused {
		notes = append(notes, l.PausedNote)
	}
	if today := schedule.DateOf(now); rule.Start.After(today) {
		notes = append(notes, "Starts "+rule.Start.String()+".")
	}
	if rule.Until != nil {
		notes = append(notes, "Last meeting "+rule.Until.String()+".")
	}
	for _, p := range l.Places() {
		if p.Discreet {
			notes = append(notes, "The address is shared with people who get in touch.", l.HowToJoin)
			break
		}
	}
	return strings.TrimSpace(joinNonEmpty(notes, "\n\n"))
}

// maxMeetingSlug is the longest slug the spec recommends.
const maxMeetingSlug = 64

// meetingSlug names one weekday's meeting of a listing: the listing's slug, the
// day and the time, shortened with a stable hash when that is too long.
func meetingSlug(l directory.PublicListing, day time.Weekday, at schedule.Clock) string {
	suffix := "-" + strings.ToLower(day.String()[:3]) + "-" + strings.ReplaceAll(at.String(), ":", "")
	slug := l.Slug + suffix
	if len(slug) <= maxMeetingSlug {
		return slug
	}
	sum := sha1.Sum([]byte(l.ID)) //nolint:gosec // see the import
	hash := "-" + hex.EncodeToString(sum[:3])
	keep := strings.TrimRight(l.Slug[:maxMeetingSlug-len(suffix)-len(hash)], "-")
	return keep + hash + suffix
}

// uniqueSlug keeps slugs unique across the feed: a listing with two schedules on
// the same day at the same time would otherwise give two meetings one slug.
func uniqueSlug(slug string, seen map[string]bool) string {
	candidate := slug
	for n := 2; seen[candidate]; n++ {
		tail := "-" + strconv.Itoa(n)
		candidate = slug[:min(len(slug), maxMeetingSlug-len(tail))] + tail
	}
	seen[candidate] = true
	return candidate
}

var (
	phoneNoise    = regexp.MustCompile(`[\s().-]`)
	dialablePhone = regexp.MustCompile(`^\+?[0-9]{3,15}([,*#]+[0-9]*)*#?$`)
)

// dialable turns a phone number as people write it ("+1 (312) 555-0100") into
// the digits a one-tap link needs, if it is one.
func dialable(s string) (string, bool) {
	d := phoneNoise.ReplaceAllString(s, "")
	return d, dialablePhone.MatchString(d)
}

func joinNonEmpty(parts []string, sep string) string {
	var kept []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, sep)
}
