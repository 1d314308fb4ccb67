package feeds

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/schedule"
)

// mappingVersion goes into every content hash: when the mapping itself changes,
// the next run rewrites every listing once instead of keeping stale ones.
const mappingVersion = "mg-1"

// Mapped is one meeting turned into a listing, with where it came from.
type Mapped struct {
	Listing directory.Listing
	Source  directory.ListingSource
	// BaseSlug is the listing slug the meeting asks for; the apply step keeps
	// an existing listing's slug and makes a new one unique.
	BaseSlug string
}

// Mapper turns meetings into listings for one feed.
type Mapper struct {
	Feed      directory.Feed
	Crosswalk interop.MeetingTypeCrosswalk
	// Now is when the run started; a meeting without `updated` is confirmed then.
	Now time.Time
	// zones remembers which time zone names are known: loading one reads a
	// file, and a feed names the same few thousands of times.
	zones map[string]bool
}

// knownZone reports whether zone is an IANA time zone this system knows.
func (mp *Mapper) knownZone(zone string) bool {
	if ok, seen := mp.zones[zone]; seen {
		return ok
	}
	_, err := time.LoadLocation(zone)
	ok := err == nil && zonePat.MatchString(zone) && zone != "Local"
	if mp.zones == nil {
		mp.zones = map[string]bool{}
	}
	mp.zones[zone] = ok
	return ok
}

var (
	slugJunk  = regexp.MustCompile(`[^a-z0-9]+`)
	zonePat   = regexp.MustCompile(`^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$`)
	countries = map[string]string{
		"USA": "US", "UNITED STATES": "US", "UNITED STATES OF AMERICA": "US", "U.S.A.": "US", "U.S.": "US",
		"CANADA": "CA", "MEXICO": "MX", "MÉXICO": "MX", "UK": "GB", "UNITED KINGDOM": "GB",
		"ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB", "IRELAND": "IE", "AUSTRALIA": "AU",
		"NEW ZEALAND": "NZ", "SPAIN": "ES", "ESPAÑA": "ES", "FRANCE": "FR", "GERMANY": "DE",
		"DEUTSCHLAND": "DE", "SWEDEN": "SE", "SVERIGE": "SE", "JAPAN": "JP", "BRAZIL": "BR", "BRASIL": "BR",
	}
)

// Slugify makes a slug of any text: lower-case ASCII letters and digits joined
// by single hyphens, at most max characters.
func Slugify(s string, max int) string {
	s = strings.ToLower(strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII {
			return '-'
		}
		return r
	}, s))
	s = strings.Trim(slugJunk.ReplaceAllString(s, "-"), "-")
	if len(s) > max {
		s = strings.TrimRight(s[:max], "-")
	}
	return s
}

// Map turns one meeting into a listing. It returns the problems it worked
// around (a field left out) and, when the meeting cannot be imported at all,
// one problem marked Skipped and ok false.
func (mp *Mapper) Map(m Meeting) (out Mapped, problems []directory.ItemProblem, ok bool) {
	warn := func(field, msg string) {
		problems = append(problems, directory.ItemProblem{Item: m.Item, ID: m.Slug, Name: m.Name, Field: field,
			Message: msg})
	}
	skip := func(field, msg string) (Mapped, []directory.ItemProblem, bool) {
		problems = append(problems, directory.ItemProblem{Item: m.Item, ID: m.Slug, Name: m.Name, Field: field,
			Message: msg, Skipped: true})
		return Mapped{}, problems, false
	}
	if m.Slug == "" {
		return skip("slug", "is required: it is how a meeting is recognised from one run to the next")
	}
	if len(m.Slug) > 300 {
		return skip("slug", "is longer than 300 characters")
	}
	base := Slugify(m.Slug, 100)
	if base == "" {
		base = "meeting-" + shortHash(m.Slug)
	}
	name := plain(m.Name)
	if name == "" {
		return skip("name", "is required")
	}
	if utf8.RuneCountInString(name) > directory.MaxNameLen {
		name = cut(name, directory.MaxNameLen)
		warn("name", fmt.Sprintf("was longer than %d characters and was shortened", directory.MaxNameLen))
	}
	l := directory.Listing{
		Slug:        base,
		Name:        name,
		TextLang:    "en",
		Status:      directory.Published,
		ConfirmedBy: directory.ByImport,
		ConfirmedAt: mp.confirmedAt(m, warn),
		Locations:   []directory.Location{},
		Schedules:   []directory.Schedule{},
		Tags:        []directory.ListingTag{},
		Languages:   []string{},
	}
	if len(m.Days) > 0 {
		sc, msg, field := mp.schedule(m)
		if msg != "" {
			return skip(field, msg)
		}
		l.Schedules = append(l.Schedules, sc)
	} else {
		warn("day", "no regular day (by appointment): imported without a schedule")
	}
	l.Summary, l.Description = summarize(plain(m.Notes), name)
	l.Organization = mp.organization(m)

	var kept []string
	seenTag := map[string]bool{}
	for _, code := range m.Types {
		t := mp.Crosswalk.Import(code)
		switch {
		case t.Pause:
			l.Paused = true
		case t.Derived:
		case t.Language != "":
			if !slices.Contains(l.Languages, t.Language) {
				l.Languages = append(l.Languages, t.Language)
			}
		case len(t.Tags) > 0:
			for _, tag := range t.Tags {
				if !seenTag[tag] {
					seenTag[tag] = true
					l.Tags = append(l.Tags, directory.ListingTag{Tag: tag, Value: directory.Yes,
						Source: directory.ByImport, ConfirmedAt: l.ConfirmedAt})
				}
			}
		default:
			if !slices.Contains(kept, code) {
				kept = append(kept, code)
			}
		}
	}
	slices.Sort(l.Languages)
	if len(l.Languages) == 1 && len(l.Languages[0]) <= 3 {
		l.TextLang = l.Languages[0]
	}

	hasOnline := false
	if m.ConferenceURL != "" {
		if link, ok := webLink(m.ConferenceURL); ok {
			l.Locations = append(l.Locations, directory.Location{Kind: directory.Virtual, URL: link,
				Name: cut(plain(m.ConferenceURLNotes), directory.MaxLineLen)})
			hasOnline = true
		} else {
			warn("conference_url", "is not a web address starting with https://; the join link was left out")
		}
	}
	phone, phoneNotes := plain(m.ConferencePhone), plain(m.ConferencePhoneNotes)
	if phone == "" {
		phone, phoneNotes = phoneNotes, ""
	}
	if phone != "" {
		l.PhoneMeeting = cut(phone, directory.MaxLineLen)
		hasOnline = true
	}
	var join []string
	if phoneNotes != "" {
		join = append(join, phoneNotes)
	}
	l.HowToJoin = cut(strings.Join(join, "\n\n"), directory.MaxTextLen)
	if place, ok := mp.place(m, hasOnline, warn); ok {
		l.Locations = append([]directory.Location{place}, l.Locations...)
	} else if !hasOnline && len(m.Days) > 0 {
		warn("formatted_address", "no usable address and no way to join online: the meeting is listed without a place")
	}
	if link, ok := webLink(m.URL); ok {
		l.Website = link
	}

	var emails []string
	for _, e := range m.FeedbackEmails {
		if len(e) <= 254 && strings.Count(e, "@") == 1 && !strings.ContainsAny(e, " \t\r\n<>") {
			emails = append(emails, e)
		}
	}
	feedbackURL, _ := webLink(m.FeedbackURL)

	if err := l.Validate(); err != nil {
		return skip("", "cannot be listed: "+err.Error())
	}
	src := directory.ListingSource{FeedID: mp.Feed.ID, SourceID: m.Slug, KeptTypes: kept,
		FeedbackEmails: emails, FeedbackURL: feedbackURL, ContentHash: mp.hash(m)}
	return Mapped{Listing: l, Source: src, BaseSlug: base}, problems, true
}

// schedule is the meeting's weekly schedule; a message says why there is none.
func (mp *Mapper) schedule(m Meeting) (directory.Schedule, string, string) {
	opens, err := schedule.ParseClock(m.Time)
	if m.Time == "" || err != nil {
		return directory.Schedule{}, fmt.Sprintf("%q is not a time of day from 00:00 to 23:59", m.Time), "time"
	}
	closes := addMinutes(opens, 60)
	if m.EndTime != "" {
		if c, err := schedule.ParseClock(m.EndTime); err == nil && c != opens {
			closes = c
		}
	}
	zone := m.Timezone
	if zone == "" {
		zone = mp.Feed.DefaultTimeZone
	}
	if zone == "" {
		return directory.Schedule{}, "is missing, and the feed has no default time zone", "timezone"
	}
	if !mp.knownZone(zone) {
		return directory.Schedule{}, fmt.Sprintf("%q is not an IANA time zone such as America/Chicago", zone), "timezone"
	}
	days := make([]schedule.Weekday, len(m.Days))
	for i, d := range m.Days {
		days[i] = schedule.Weekday{Day: d}
	}
	slices.SortFunc(days, func(a, b schedule.Weekday) int { return int(a.Day) - int(b.Day) })
	// The start date is a placeholder until the apply step gives it the date
	// the listing was first imported.
	return directory.Schedule{Freq: "WEEKLY", Interval: 1, ByDay: schedule.FormatByDay(days),
		OpensAt: opens.String(), ClosesAt: closes.String(), TimeZone: zone,
		Start: schedule.DateOf(mp.Now).String()}, "", ""
}

func addMinutes(c schedule.Clock, n int) schedule.Clock {
	t := (c.Hour*60 + c.Minute + n) % (24 * 60)
	return schedule.Clock{Hour: t / 60, Minute: t % 60}
}

// place is the physical place a meeting is at. An approximate address keeps
// only its area (city, region): no street and no position, since a position
// says "exact" to everything that reads it. So the attendance mode follows:
// an exact address is in person, a join link or phone online, both hybrid.
func (mp Mapper) place(m Meeting, hasOnline bool, warn func(field, msg string)) (directory.Location, bool) {
	if m.Approximate && hasOnline {
		// An approximate place with a join link is where an online meeting is
		// based, not somewhere to go.
		return directory.Location{}, false
	}
	street, city, region, postal, country := m.Address, m.City, m.State, m.PostalCode, m.Country
	if city == "" && m.FormattedAddress != "" {
		street, city, region, postal, country = splitAddress(m.FormattedAddress)
	}
	if city == "" {
		return directory.Location{}, false
	}
	code := countryCode(country)
	if code == "" {
		code = mp.Feed.DefaultCountry
	}
	if code == "" {
		warn("country", fmt.Sprintf("%q is not a country belong recognises and the feed has no default: the place was left out", country))
		return directory.Location{}, false
	}
	loc := directory.Location{Kind: directory.Physical, Name: cut(plain(m.Location), directory.MaxLineLen),
		City: cut(plain(city), directory.MaxLineLen), Region: cut(plain(region), directory.MaxLineLen),
		PostalCode: cut(plain(postal), 20), Country: code,
		TransitNotes: cut(plain(m.LocationNotes), directory.MaxNoteLen)}
	for i := len(m.Regions) - 1; i >= 0; i-- {
		if r := plain(m.Regions[i]); r != "" && !strings.EqualFold(r, loc.City) {
			loc.Neighbourhood = cut(r, directory.MaxLineLen)
			break
		}
	}
	if m.Approximate {
		return loc, true
	}
	loc.Address = cut(plain(street), directory.MaxLineLen)
	lat, lng := m.Latitude, m.Longitude
	switch {
	case lat == nil && lng == nil:
	case lat == nil || lng == nil:
		warn("latitude", "latitude and longitude go together: the position was left out")
	case *lat < -90 || *lat > 90:
		warn("latitude", fmt.Sprintf("%g is not between -90 and 90: the position was left out", *lat))
	case *lng < -180 || *lng > 180:
		warn("longitude", fmt.Sprintf("%g is not between -180 and 180: the position was left out", *lng))
	case *lat == 0 && *lng == 0:
		warn("latitude", "0, 0 is not a place anyone meets: the position was left out")
	default:
		loc.Lat, loc.Lng = lat, lng
	}
	return loc, true
}

// splitAddress reads "123 Main St, Anytown, OK 74103, USA" as street, city,
// region, postal code and country; a shorter address ("Anytown, OK, USA") has
// no street.
func splitAddress(s string) (street, city, region, postal, country string) {
	var parts []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) < 2 {
		return "", "", "", "", ""
	}
	country, parts = parts[len(parts)-1], parts[:len(parts)-1]
	if countryCode(country) == "" {
		// No country at the end: the last part is the region (and postal code).
		parts, country = append(parts, country), ""
	}
	if len(parts) >= 2 {
		last := parts[len(parts)-1]
		fields := strings.Fields(last)
		if n := len(fields); n >= 1 && strings.ContainsAny(fields[n-1], "0123456789") {
			// "OK 74103", or a postal code alone ("28013")
			region, postal = strings.Join(fields[:n-1], " "), fields[n-1]
		} else {
			region = last
		}
		parts = parts[:len(parts)-1]
	}
	city = parts[len(parts)-1]
	street = strings.Join(parts[:len(parts)-1], ", ")
	return street, city, region, postal, country
}

func countryCode(s string) string {
	u := strings.ToUpper(strings.TrimSpace(s))
	if c, ok := countries[u]; ok {
		return c
	}
	if len(u) == 2 && u[0] >= 'A' && u[0] <= 'Z' && u[1] >= 'A' && u[1] <= 'Z' {
		return u
	}
	return ""
}

func (mp Mapper) organization(m Meeting) directory.Organization {
	name := plain(m.Group)
	if name == "" {
		name = mp.Feed.Name
	}
	name = cut(name, directory.MaxNameLen)
	feedKey := shortHash(mp.Feed.ID)
	slug := Slugify(name, 100)
	if slug == "" {
		slug = "group"
	}
	return directory.Organization{Name: name, Slug: slug + "-" + feedKey}
}

// confirmedAt is when the feed last changed the meeting, never later than now;
// without `updated`, now.
func (mp Mapper) confirmedAt(m Meeting, warn func(field, msg string)) time.Time {
	if m.Updated == "" {
		return mp.Now
	}
	for _, layout := range []string{time.DateTime, time.RFC3339, time.DateOnly} {
		if t, err := time.ParseInLocation(layout, m.Updated, time.UTC); err == nil {
			if t.After(mp.Now) || t.Year() < 1990 {
				return mp.Now
			}
			return t
		}
	}
	warn("updated", fmt.Sprintf("%q is not a date and time such as 2024-05-01 18:30:00", m.Updated))
	return mp.Now
}

// hash is a digest of everything the mapping reads, so an unchanged meeting is
// recognised without loading its listing.
func (mp Mapper) hash(m Meeting) string {
	m.Item = 0
	b, _ := json.Marshal(struct {
		V       string
		M       Meeting
		Zone    string
		Country string
		Name    string
	}{mappingVersion, m, mp.Feed.DefaultTimeZone, mp.Feed.DefaultCountry, mp.Feed.Name})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:3])
}

// summarize makes the listing's summary from the notes (their first paragraph,
// shortened at a word when it is long), keeping the whole notes as the
// description when the summary does not hold them. Without notes the summary is
// the meeting's name.
func summarize(notes, name string) (summary, description string) {
	if notes == "" {
		return name, ""
	}
	first, _, more := strings.Cut(notes, "\n\n")
	first = strings.TrimSpace(first)
	if !more && utf8.RuneCountInString(first) <= directory.MaxSummaryLen {
		return first, ""
	}
	if utf8.RuneCountInString(first) > directory.MaxSummaryLen {
		first = cut(first, directory.MaxSummaryLen-1)
		if i := strings.LastIndexAny(first, " \n"); i > directory.MaxSummaryLen/2 {
			first = first[:i]
		}
		first = strings.TrimSpace(first) + "…"
	}
	return first, cut(notes, directory.MaxTextLen)
}

// plain keeps text as the plain text it is (markup is shown as written, and
// escaped on output, never interpreted), without control characters, with
// Windows line ends made plain ones.
func plain(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f || r == utf8.RuneError:
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// cut shortens s to at most n characters.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n]))
}

// webLink accepts an http or https address with a host.
func webLink(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > directory.MaxLineLen {
		return "", false
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", false
	}
	return s, true
}
