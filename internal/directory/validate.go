package directory

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/schedule"
)

// Limits on what one listing may hold, in characters. The database checks the
// same ones it can, as a last line of defence.
const (
	MaxNameLen        = 200
	MaxSummaryLen     = 300
	MaxTextLen        = 5000 // description, what to expect, how to join
	MaxNoteLen        = 500  // tag notes, schedule notes, transit notes, cost and pause notes
	MaxLineLen        = 300  // addresses, names of places, links, contacts
	MaxSchedules      = 20
	MaxLocations      = 10
	MaxListingLangs   = 20
	MaxSkipDates      = 100
	maxSlugLen        = 120
	earliestStartYear = 1900
)

var (
	slugPattern     = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	langCodePattern = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})*$`)
	emailPattern    = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
	countryPattern  = regexp.MustCompile(`^[A-Z]{2}$`)
)

// Translation keys of the validation messages a person sees. Each names what is
// wrong, not what the person did wrong.
const (
	KeyRequired = "field.required"
	KeyTooLong  = "field.too_long"
	KeyFormat   = "field.format"
	KeyChoice   = "field.choice"
	KeySchedule = "field.schedule"
	KeyTooMany  = "field.too_many"
)

// Validate checks everything a listing must satisfy before it is saved, and
// returns every problem at once as a *ValidationError keyed by field ("name",
// "locations[0].city", "schedules[1].byday"), or nil. It never looks at the
// database: whether a slug is taken is the store's to say (ErrConflict).
func (l Listing) Validate() error {
	v := &ValidationError{}
	if !slugPattern.MatchString(l.Slug) || len(l.Slug) > maxSlugLen {
		v.Add("slug", KeyFormat, "must be lower-case letters, digits and single hyphens, at most 120")
	}
	text(v, "name", l.Name, MaxNameLen, true)
	text(v, "summary", l.Summary, MaxSummaryLen, true)
	text(v, "description", l.Description, MaxTextLen, false)
	text(v, "what_to_expect", l.WhatToExpect, MaxTextLen, false)
	text(v, "how_to_join", l.HowToJoin, MaxTextLen, false)
	text(v, "cost_note", l.CostNote, MaxNoteLen, false)
	text(v, "paused_note", l.PausedNote, MaxNoteLen, false)
	if !langCodePattern.MatchString(l.TextLang) {
		v.Add("text_lang", KeyFormat, "must be a language code such as en or es")
	}
	if !l.Status.Valid() {
		v.Add("status", KeyChoice, "must be draft, published or archived")
	}
	if l.Paused && l.Status == Archived {
		v.Add("paused", KeyChoice, "an archived listing cannot be paused")
	}
	if !l.ConfirmedBy.Valid() {
		v.Add("confirmed_by", KeyChoice, "must be organizer, moderator or import")
	}
	text(v, "organization.name", l.Organization.Name, MaxNameLen, true)
	if !slugPattern.MatchString(l.Organization.Slug) || len(l.Organization.Slug) > maxSlugLen {
		v.Add("organization.slug", KeyFormat, "must be lower-case letters, digits and single hyphens, at most 120")
	}
	optionalEmail(v, "email", l.Email)
	optionalEmail(v, "contact_email", l.ContactEmail)
	if l.ContactLang != "" && !langCodePattern.MatchString(l.ContactLang) {
		v.Add("contact_lang", KeyFormat, "must be a language code such as en or es")
	}
	optionalLink(v, "website", l.Website)
	text(v, "phone", l.Phone, MaxLineLen, false)
	text(v, "phone_meeting", l.PhoneMeeting, MaxLineLen, false)

	if len(l.Locations) > MaxLocations {
		v.Add("locations", KeyTooMany, fmt.Sprintf("at most %d places", MaxLocations))
	}
	for i, loc := range l.Locations {
		loc.validate(v, fmt.Sprintf("locations[%d]", i))
	}
	if len(l.Schedules) > MaxSchedules {
		v.Add("schedules", KeyTooMany, fmt.Sprintf("at most %d schedules", MaxSchedules))
	}
	for i, sc := range l.Schedules {
		sc.validate(v, fmt.Sprintf("schedules[%d]", i))
	}
	seenTags := map[string]bool{}
	for i, t := range l.Tags {
		f := fmt.Sprintf("tags[%d]", i)
		switch {
		case seenTags[t.Tag]:
			v.Add(f+".tag", KeyChoice, t.Tag+" is listed twice")
		case t.Tag == "":
			v.Add(f+".tag", KeyRequired, "is required")
		}
		seenTags[t.Tag] = true
		if !t.Value.Valid() {
			v.Add(f+".value", KeyChoice, "must be yes, partly or no")
		}
		text(v, f+".note", t.Note, MaxNoteLen, false)
		if !t.Source.Valid() {
			v.Add(f+".source", KeyChoice, "must be organizer, moderator or import")
		}
	}
	if len(l.Languages) > MaxListingLangs {
		v.Add("languages", KeyTooMany, fmt.Sprintf("at most %d languages", MaxListingLangs))
	}
	for i, code := range l.Languages {
		if !langCodePattern.MatchString(code) {
			v.Add(fmt.Sprintf("languages[%d]", i), KeyFormat, "must be a language code such as en, es or ase")
		}
	}
	return v.Err()
}

func (loc Location) validate(v *ValidationError, f string) {
	if !loc.Kind.Valid() {
		v.Add(f+".kind", KeyChoice, "must be physical or virtual")
		return
	}
	text(v, f+".name", loc.Name, MaxLineLen, false)
	text(v, f+".transit_notes", loc.TransitNotes, MaxNoteLen, false)
	if loc.Kind == Virtual {
		if loc.Address != "" || loc.Lat != nil || loc.Lng != nil || loc.Discreet {
			v.Add(f+".kind", KeyChoice, "an online place has no address, position or discreet flag")
		}
		optionalLink(v, f+".url", loc.URL)
		return
	}
	text(v, f+".address", loc.Address, MaxLineLen, false)
	text(v, f+".neighbourhood", loc.Neighbourhood, MaxLineLen, loc.Discreet)
	text(v, f+".city", loc.City, MaxLineLen, true)
	text(v, f+".region", loc.Region, MaxLineLen, false)
	text(v, f+".postal_code", loc.PostalCode, 20, false)
	if !countryPattern.MatchString(loc.Country) {
		v.Add(f+".country", KeyFormat, "must be a two-letter country code such as US or ES")
	}
	if (loc.Lat == nil) != (loc.Lng == nil) {
		v.Add(f+".lat", KeyFormat, "latitude and longitude go together")
	}
	if loc.Lat != nil && (*loc.Lat < -90 || *loc.Lat > 90) {
		v.Add(f+".lat", KeyFormat, "must be between -90 and 90")
	}
	if loc.Lng != nil && (*loc.Lng < -180 || *loc.Lng > 180) {
		v.Add(f+".lng", KeyFormat, "must be between -180 and 180")
	}
	if loc.URL != "" {
		v.Add(f+".url", KeyChoice, "a physical place has no online link")
	}
}

func (s Schedule) validate(v *ValidationError, f string) {
	text(v, f+".notes", s.Notes, MaxNoteLen, false)
	if len(s.SkipDates) > MaxSkipDates {
		v.Add(f+".skip_dates", KeyTooMany, fmt.Sprintf("at most %d dates to skip", MaxSkipDates))
	}
	rule, err := s.Rule()
	var se *schedule.ValidationError
	switch {
	case errors.As(err, &se):
		for _, fe := range se.Problems {
			v.Add(f+"."+fe.Field, KeySchedule, fe.Problem)
		}
		return
	case err != nil:
		v.Add(f, KeySchedule, err.Error())
		return
	}
	if rule.Start.Year < earliestStartYear {
		v.Add(f+".dtstart", KeySchedule, "is too long ago")
	}
}

// NeverMeets reports whether a valid schedule has no meeting at or after now,
// such as "the 5th Monday of February until last year".
func (s Schedule) NeverMeets(now time.Time) bool {
	rule, err := s.Rule()
	if err != nil {
		return true
	}
	next, err := rule.Next(now, 1)
	return err != nil || len(next) == 0
}

// text checks one plain-text field: present when required, within max characters
// and free of control characters other than line breaks and tabs.
func text(v *ValidationError, field, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		v.Add(field, KeyRequired, "is required")
	case !utf8.ValidString(s):
		v.Add(field, KeyFormat, "is not valid UTF-8 text")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, KeyTooLong, fmt.Sprintf("must be at most %d characters", max))
	case strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 && r != '\n' && r != '\r' && r != '\t' }):
		v.Add(field, KeyFormat, "must not hold control characters")
	}
}

func optionalEmail(v *ValidationError, field, s string) {
	if s == "" {
		return
	}
	if len(s) > MaxLineLen || !emailPattern.MatchString(s) {
		v.Add(field, KeyFormat, "must be an email address such as name@example.org")
	}
}

// optionalLink accepts only https links (and http, which the demo data and some
// imports still have), never javascript: or data: ones.
func optionalLink(v *ValidationError, field, s string) {
	if s == "" {
		return
	}
	u, err := url.Parse(s)
	if err != nil || len(s) > MaxLineLen || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		v.Add(field, KeyFormat, "must be a web address starting with https://")
	}
}
