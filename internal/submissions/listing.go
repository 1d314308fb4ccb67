package submissions

import (
	"crypto/rand"
	"encoding/base32"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/belong-directory/belong/internal/directory"
)

// Validate checks a submission as of now, and returns it as the listing it
// describes, or a *directory.ValidationError keyed by the form's field names with
// every problem at once. base, when not nil, is the listing being edited: its id,
// slug, organization and status are kept.
func (s Submission) Validate(vocab Vocabulary, now time.Time, base *directory.Listing) (directory.Listing, error) {
	v := &directory.ValidationError{}
	s.check(v, vocab, now)
	l, origin := s.listing(now, base)
	// A summary or organization left empty takes the name (see listing): its
	// problems are the name's, reported once on the name, not on a field the
	// person may leave empty.
	borrowed := map[string]bool{"summary": clean(s.Summary) == "", "organization": clean(s.Organization) == ""}
	if err := l.Validate(); err != nil {
		for _, f := range err.(*directory.ValidationError).Fields {
			f.Field = formField(f.Field, origin, l)
			if !borrowed[f.Field] {
				v.Fields = append(v.Fields, f)
			}
		}
	}
	for i, sc := range l.Schedules {
		if _, err := sc.Rule(); err == nil && sc.NeverMeets(now) {
			v.Add(fmt.Sprintf("schedules[%d]", origin[i]), "submit.schedule.never",
				"this schedule has no meeting from today on: check the dates")
		}
	}
	return l, dedupe(v).Err()
}

// listing builds the listing a submission describes.
func (s Submission) listing(now time.Time, base *directory.Listing) (directory.Listing, []int) {
	lang := s.Lang
	if lang == "" {
		lang = "en"
	}
	l := directory.Listing{
		Name: clean(s.Name), Summary: clean(s.Summary), Description: cleanText(s.Description),
		WhatToExpect: cleanText(s.WhatToExpect), HowToJoin: cleanText(s.HowToJoin), CostNote: clean(s.CostNote),
		TextLang: lang, ContactLang: lang, ContactEmail: strings.TrimSpace(s.ContactEmail),
		Email: strings.TrimSpace(s.PublicEmail), Phone: clean(s.PublicPhone), PhoneMeeting: clean(s.PhoneMeeting),
		Status: directory.Draft, ConfirmedAt: now, ConfirmedBy: directory.ByOrganizer,
		Languages: s.Languages,
	}
	if l.Summary == "" {
		// The summary is what a search result shows; a short group may say it all
		// in its name.
		l.Summary = l.Name
	}
	orgName := clean(s.Organization)
	if orgName == "" {
		orgName = l.Name
	}
	l.Organization = directory.Organization{Name: orgName, Slug: slugify(orgName, "")}
	if !s.Place.empty() {
		p := s.Place
		l.Locations = append(l.Locations, directory.Location{Kind: directory.Physical, Name: clean(p.Name),
			Address: clean(p.Address), Neighbourhood: clean(p.Neighbourhood), City: clean(p.City),
			Region: clean(p.Region), PostalCode: clean(p.PostalCode), Country: strings.ToUpper(clean(p.Country)),
			TransitNotes: clean(p.TransitNotes), Discreet: p.Discreet})
	}
	if s.OnlineURL != "" {
		l.Locations = append(l.Locations, directory.Location{Kind: directory.Virtual, URL: strings.TrimSpace(s.OnlineURL)})
	}
	for _, slug := range sortedKeys(s.Tags) {
		t := s.Tags[slug]
		if t.Value == "" {
			continue // not reported: unknown is not no
		}
		l.Tags = append(l.Tags, directory.ListingTag{Tag: slug, Value: t.Value, Note: clean(t.Note),
			Source: directory.ByOrganizer, ConfirmedAt: now})
	}
	schedules, origin := s.schedules(now.Format(time.DateOnly))
	l.Schedules = schedules
	if base != nil {
		l.ID, l.Slug, l.Organization.Slug, l.Status, l.Paused = base.ID, base.Slug, base.Organization.Slug, base.Status, base.Paused
		l.Version, l.PausedNote = base.Version, base.PausedNote
		keepPosition(&l, base)
	} else {
		l.Slug = slugify(l.Name, randomSuffix())
	}
	return l, origin
}

// keepPosition keeps the map position of a place an edit leaves where it was:
// the form has no coordinates, and an edit of the summary must not drop the
// group out of searches near it. A place that moved loses its old position.
func keepPosition(l *directory.Listing, base *directory.Listing) {
	for i := range l.Locations {
		loc := &l.Locations[i]
		for _, old := range base.Locations {
			if loc.Kind == directory.Physical && old.Kind == directory.Physical && loc.Address == old.Address &&
				loc.City == old.City && loc.Region == old.Region && loc.PostalCode == old.PostalCode &&
				loc.Country == old.Country && loc.Neighbourhood == old.Neighbourhood {
				loc.Lat, loc.Lng = old.Lat, old.Lng
			}
		}
	}
}

// formField names a listing's field as the form does.
func formField(field string, origin []int, l directory.Listing) string {
	head, rest, _ := strings.Cut(field, ".")
	name, index := head, -1
	if open := strings.IndexByte(head, '['); open > 0 && strings.HasSuffix(head, "]") {
		name = head[:open]
		index, _ = strconv.Atoi(head[open+1 : len(head)-1])
	}
	switch name {
	case "organization":
		return "organization"
	case "email":
		return "public_email"
	case "phone":
		return "public_phone"
	case "text_lang", "contact_lang":
		return "lang"
	case "locations":
		if index >= 0 && index < len(l.Locations) && l.Locations[index].Kind == directory.Virtual {
			return "online_url"
		}
		return "place." + rest
	case "schedules":
		if index < 0 || index >= len(origin) {
			return "schedules"
		}
		row := fmt.Sprintf("schedules[%d]", origin[index])
		if part, ok := scheduleFields[rest]; ok {
			return row + "." + part
		}
		return row
	case "tags":
		if index >= 0 && index < len(l.Tags) {
			return "tags." + l.Tags[index].Tag
		}
	}
	return field
}

var scheduleFields = map[string]string{"opens_at": "opens", "closes_at": "closes", "dtstart": "start", "until": "until",
	"time_zone": "zone", "timezone": "zone", "byday": "days", "skip": "skip", "skip_dates": "skip", "notes": "notes"}

// dedupe keeps the first problem of each field: one message next to a field is
// enough. A schedule row that could not be read is not reported as a whole
// when it has no start or no end time, which says why; any other reason it
// could not be read is still reported.
func dedupe(v *directory.ValidationError) *directory.ValidationError {
	seen, rowSaid := map[string]bool{}, map[string]bool{}
	for _, f := range v.Fields {
		row, part, ok := strings.Cut(f.Field, ".")
		if ok && strings.HasPrefix(row, "schedules[") && f.Key == directory.KeyRequired && (part == "opens" || part == "closes") {
			rowSaid[row] = true
		}
	}
	out := &directory.ValidationError{}
	for _, f := range v.Fields {
		if seen[f.Field] || (f.Key == directory.KeySchedule && rowSaid[f.Field]) {
			continue
		}
		seen[f.Field] = true
		out.Fields = append(out.Fields, f)
	}
	return out
}

// clean trims a one-line field and folds its inner white space.
func clean(s string) string { return strings.Join(strings.Fields(s), " ") }

// cleanText trims a text field, keeping its line breaks.
func cleanText(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slugify makes an address-safe name: lower-case ASCII words, at most 60
// characters, then suffix.
func slugify(name, suffix string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	slug := strings.Trim(notSlug.ReplaceAllString(b.String(), "-"), "-")
	if len(slug) > 60 {
		slug = strings.Trim(slug[:60], "-")
	}
	if slug == "" {
		slug = "group"
	}
	if suffix != "" {
		slug += "-" + suffix
	}
	return slug
}

// randomSuffix tells apart groups with the same name: 25 random bits.
func randomSuffix() string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))[:5]
}

// FromListing fills the form from a listing, for editing it.
func FromListing(l directory.Listing) Submission {
	s := Submission{Name: l.Name, Summary: l.Summary, Description: l.Description, WhatToExpect: l.WhatToExpect,
		HowToJoin: l.HowToJoin, CostNote: l.CostNote, PublicEmail: l.Email, PublicPhone: l.Phone,
		PhoneMeeting: l.PhoneMeeting, ContactEmail: l.ContactEmail, Lang: l.ContactLang, Languages: l.Languages,
		Tags: map[string]TagInput{}, ByArrangement: len(l.Schedules) == 0}
	if l.Organization.Name != l.Name {
		s.Organization = l.Organization.Name
	}
	for _, loc := range l.Locations {
		switch loc.Kind {
		case directory.Physical:
			s.Place = Place{Name: loc.Name, Address: loc.Address, Neighbourhood: loc.Neighbourhood, City: loc.City,
				Region: loc.Region, PostalCode: loc.PostalCode, Country: loc.Country, TransitNotes: loc.TransitNotes,
				Discreet: loc.Discreet}
		case directory.Virtual:
			s.OnlineURL = loc.URL
		}
	}
	for _, t := range l.Tags {
		s.Tags[t.Tag] = TagInput{Value: t.Value, Note: t.Note}
	}
	for _, sc := range l.Schedules {
		in := scheduleInput(sc)
		// Dates sent in one row are saved one schedule each; they come back
		// as the row they were, with every date at the same times.
		if i := slices.IndexFunc(s.Schedules, func(r ScheduleInput) bool { return sameDatesRow(r, in) }); i >= 0 {
			s.Schedules[i].Dates = append(s.Schedules[i].Dates, in.Dates...)
			continue
		}
		s.Schedules = append(s.Schedules, in)
	}
	return s
}

// sameDatesRow reports whether two rows of single dates meet at the same times
// in the same zone, so one row can hold both.
func sameDatesRow(a, b ScheduleInput) bool {
	return a.Pattern == OnDates && b.Pattern == OnDates && a.Opens == b.Opens && a.Closes == b.Closes && a.Zone == b.Zone
}

// scheduleInput reads a stored schedule back into a builder row.
func scheduleInput(sc directory.Schedule) ScheduleInput {
	in := ScheduleInput{Opens: sc.OpensAt, Closes: sc.ClosesAt, Start: sc.Start, Zone: sc.TimeZone, Skip: sc.SkipDates}
	if sc.Until != nil {
		in.Until = *sc.Until
	}
	days := strings.Split(sc.ByDay, ",")
	switch {
	case sc.Until != nil && *sc.Until == sc.Start:
		in.Pattern, in.Dates, in.Until = OnDates, []string{sc.Start}, ""
	case sc.Freq == "MONTHLY" && len(days) == 1 && len(days[0]) > 2:
		in.Pattern = Monthly
		in.Ordinal, _ = strconv.Atoi(days[0][:len(days[0])-2])
		in.Days = []string{days[0][len(days[0])-2:]}
	case sc.Interval == 2:
		in.Pattern, in.Days = EveryOther, days
	default:
		in.Pattern, in.Days = Weekly, days
	}
	return in
}
